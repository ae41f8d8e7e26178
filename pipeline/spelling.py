"""OCR spelling repair for Vietnamese, used by cleanup: precision first.

A syllable is replaced only when all of these hold:
- it is not a function word and makes no dictionary word with either neighbour;
- it sits in a pair of syllables that is not a word of the dictionary, while a tone
  variant of one syllable ("cẩu" → "cầu") makes the pair a dictionary word ("yêu cầu");
- the document itself writes that word elsewhere, more often than the damaged pair.
For a syllable OCR read with low confidence (``unsure``), the document's evidence is not
required and the variants include other vowel marks ("những" → "nhũng" in "tham nhũng",
"Tầng" → "Tăng" in "Tăng cường"), but the pair must still be a dictionary word and the
choice unique: Tesseract's language model turns "tinh thần" into "tỉnh thần" on every page,
so the document offers no evidence, while the word confidence marks the doubt.
The dictionary is underthesea's Viet74K word list and pyvi's words.txt (both shipped in
the packages, nothing downloaded); syllables and their tone variants come from them, the
function words from underthesea's stopword list. A naive dictionary swap turns "về" into "vệ"
and "của" into "cửa"; demanding a dictionary pair and the document's own evidence keeps
correct text untouched.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import regex as re

from .catalogue import catalogue, letters  # (letters: a word as OCR keeps it at worst)

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
SYLLABLE = re.compile(r"\p{L}+")


@lru_cache(maxsize=65536)
def _toneless(syllable: str) -> str:
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in TONE_MARKS)
    )


BASE_MARKS = TONE_MARKS | {"\u0302", "\u0306", "\u031b"}  # and circumflex, breve, horn (not đ)


@lru_cache(maxsize=65536)
def _bare(syllable: str) -> str:
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in BASE_MARKS)
    )


@lru_cache(maxsize=1)
def _bare_variants() -> dict:
    out: dict[str, set] = {}
    for forms in dictionary()[1].values():
        for w in forms:
            out.setdefault(_bare(w), set()).add(w)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def dictionary() -> tuple[frozenset, dict, frozenset]:
    """(syllable pairs inside words, toneless form -> syllables, function words) from the
    word lists shipped in underthesea (Viet74K, stopwords) and pyvi (words.txt)."""
    pairs, variants, _ = _word_lists()
    return pairs[0] | pairs[1], variants, _function_words()


@lru_cache(maxsize=1)
def _place_pairs() -> frozenset:
    """The syllable pairs of the gazetteer's provinces and districts ("lâm đồng", "tuy
    phước"): names the word lists lack, which a repair must not turn into words ("làm đồng").
    They keep their syllables as they are; no repair is made to them."""
    from .provinces import gazetteer

    g = gazetteer()
    names = [*g["provinces"], *g["provinces_2025"], *g["aliases"], *g["districts"]]
    pairs = set()
    for name in names:
        words = SYLLABLE.findall(unicodedata.normalize("NFC", name).casefold())
        pairs.update(zip(words, words[1:]))
    return frozenset(pairs)


def is_syllable(word: str) -> bool:
    """Whether the word lists know ``word`` as a syllable ("mục", "luận"; not "lmục")."""
    w = unicodedata.normalize("NFC", word).casefold()
    return w in dictionary()[1].get(_toneless(w), ())


@lru_cache(maxsize=1)
def common_pairs() -> frozenset:
    """Pairs both word lists hold: the firmer evidence that unsure OCR repairs demand
    (Viet74K alone has idiom fragments such as "điểm nhãn")."""
    pairs = _word_lists()[0]
    return pairs[0] & pairs[1]


@lru_cache(maxsize=1)
def _word_lists() -> tuple[tuple[frozenset, frozenset], dict, None]:
    import pyvi
    import underthesea

    sources = [
        Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt",
        Path(pyvi.__file__).parent / "models" / "words.txt",
    ]
    pair_sets, variants = [], {}
    for path in sources:
        pairs = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            words = unicodedata.normalize("NFC", line).casefold().split()
            for w in words:
                variants.setdefault(_toneless(w), set()).add(w)
            pairs.update(zip(words, words[1:]))
        pair_sets.append(frozenset(pairs))
    return (pair_sets[0], pair_sets[1]), {k: frozenset(v) for k, v in variants.items()}, None


@lru_cache(maxsize=1)
def _function_words() -> frozenset:
    import underthesea

    path = Path(underthesea.__file__).parent / "datasets" / "stopwords" / "stopwords.txt"
    stop = path.read_text(encoding="utf-8").split("\n")
    return frozenset(unicodedata.normalize("NFC", w).strip().casefold() for w in stop if w.strip())


def _marks(syllable: str) -> list[str]:
    return sorted(c for c in unicodedata.normalize("NFD", syllable) if unicodedata.combining(c))


HAT_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
DOT_BELOW = "\u0323"


def _marks_lost(read: str, word: str) -> bool:
    """Whether OCR reading ``word`` in capitals as ``read`` lost or confused marks above it, as
    it does: a circumflex, breve or horn dropped or the tone over it misread ("PHẢN" for
    "PHẦN", "ĐÓI" for "ĐỐI", "KIÊN" for "KIẾN"). It does not add a hat ("LÂM" is no "LÀM")
    and keeps the dot below ("CỤC" is no "CÚC")."""
    had, has = _marks(read), _marks(word)
    return set(had) & HAT_MARKS <= set(has) and (DOT_BELOW in had) == (DOT_BELOW in has)


def _match_case(word: str, model: str) -> str:
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def find_repairs(text: str, unsure=None) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for damaged syllables, by the rule in the module docstring.
    ``unsure(offset)``: whether OCR read the syllable at that offset with low confidence."""
    pairs, variants, function_words = dictionary()
    bare_variants, firm = (_bare_variants(), common_pairs()) if unsure else ({}, frozenset())
    lower = text.lower()
    # a letter whose lower case is longer: fall back to per-token folding
    if len(lower) != len(text):
        lower = None
    tokens = [
        (m.start(), m.end(), lower[m.start() : m.end()] if lower else m.group(0).casefold())
        for m in SYLLABLE.finditer(text)
    ]
    joined = [text[a[1] : b[0]] == " " for a, b in zip(tokens, tokens[1:])]
    adjacent = [(a, b) for a, b, j in zip(tokens, tokens[1:], joined) if j]
    seen = Counter((a[2], b[2]) for a, b in adjacent)
    # a syllable that makes a word or a place's name with either neighbour is right as it is
    # ("đi đôi với", "Lâm Đồng")
    places = _place_pairs()
    in_word = set()
    for a, b in adjacent:
        if (a[2], b[2]) in pairs or (a[2], b[2]) in places:
            in_word.update((a[0], b[0]))
    # syllable -> what each pair it is in would make of it: (its end, the word, the other's start)
    proposed: dict[int, list[tuple[int, str, int]]] = {}
    for a, b in adjacent:
        pair = (a[2], b[2])
        if pair in pairs or pair in places:
            continue
        for side, (start, end, syl) in ((1, b), (0, a)):
            if start in in_word or syl in function_words:
                continue
            doubtful = (
                unsure is not None
                and unsure(start)
                and not (
                    # a capitalised word inside a sentence is a name ("của Đảng"; in capitals,
                    # "THÀNH PHẢN", it is a heading's), and letters touching a slash, dash or
                    # digit belong to a symbol ("58-CTr/TU")
                    (
                        text[start].isupper()
                        and not text[start:end].isupper()
                        and re.search(r"[\p{L}\d,][\s\"“(]*$", text[max(0, start - 4) : start])
                    )
                    or text[start - 1 : start] in "/-"
                    and start > 0
                    or text[end : end + 1] in ("/", "-")
                    or re.match(r"\d", text[end : end + 1]) is not None
                )
            )
            forms = (
                bare_variants.get(_bare(syl), ()) if doubtful else variants.get(_toneless(syl), ())
            )
            capitals = doubtful and text[start:end].isupper()
            options = []
            for v in forms:
                if v == syl or (_bare(v) == _bare(syl) and _marks(v) == _marks(syl)):
                    continue  # the same word with its tone mark on another vowel ("uỷ"/"ủy")
                if capitals and not _marks_lost(syl, v):
                    continue
                fixed = (a[2], v) if side else (v, b[2])
                if (fixed in firm) if doubtful else (fixed in pairs and seen[fixed] > seen[pair]):
                    options.append((seen[fixed], v))
            if len(options) == 1 or (options and sorted(options)[-1][0] > sorted(options)[-2][0]):
                best = _match_case(max(options)[1], text[start:end])
                proposed.setdefault(start, []).append((end, best, a[0] if side else b[0]))
                break
    settled = (_settled(start, found, in_word) for start, found in sorted(proposed.items()))
    return [edit for edit in settled if edit]


def _settled(
    start: int, proposed: list[tuple[int, str, int]], in_word: set[int]
) -> tuple[int, int, str] | None:
    """The repair of a syllable the pairs on its two sides may want different words of: the
    one whose other syllable is free (a syllable is in one word: "Bộ máy tỉnh gọn" is "tinh
    gọn", "máy" being "bộ máy"'s), if that leaves one; else none ("THÀNH PHÀN ĐOÀN": "thành
    phần" or "phân đoàn", neither sure)."""
    words = {word for _, word, _ in proposed}
    if len(words) > 1:
        words = {word for _, word, other in proposed if other not in in_word}
    return (start, proposed[0][0], words.pop()) if len(words) == 1 else None


# --- names in capitals: a closed vocabulary ------------------------------------------------

CAPITALS_LINE = re.compile(r"(?m)^[^\S\n]*(?=[^\n]*\p{Lu})(?:[^\p{Ll}\n])+$")  # no lower case


@lru_cache(maxsize=1)
def _capital_names() -> dict[tuple[str, ...], frozenset[tuple[str, ...]]]:
    """The names a letterhead and a signature block set in capitals (the catalogue's bodies,
    offices and signers' titles, "PHÓ " ones too), by their words without marks: two words
    at least, as one word alone ("BỌ") is no evidence."""
    cat = catalogue()
    titles = cat["signer_titles"] + [w.upper() for w in cat["office_holders"]["words"]]
    names = set(cat["organisations"]) | set(titles) | {f"PHÓ {t.upper()}" for t in titles}
    found: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(SYLLABLE.findall(unicodedata.normalize("NFC", name).upper()))
        if len(words) > 1:
            found.setdefault(tuple(map(letters, words)), set()).add(words)
    return {k: frozenset(v) for k, v in found.items()}


def find_name_repairs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for the words of a name the catalogue knows, set in
    capitals on a line of its own, whose marks OCR lost or changed ("BỌ QUỐC PHÒNG",
    "THƯ TRƯƠNG", "PHO CHANH AN"): the name is matched without marks, longest first, and
    taken only where one name of the catalogue has those words."""
    names = _capital_names()
    longest = max(map(len, names), default=0)
    edits = []
    for line in CAPITALS_LINE.finditer(text):
        words = list(SYLLABLE.finditer(line.group(0)))
        keys = [letters(w.group(0)) for w in words]
        i = 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 1, -1):
                known = names.get(tuple(keys[i : i + n]))
                if known and len(known) == 1:
                    (name,) = known
                    for w, right in zip(words[i : i + n], name):
                        if w.group(0) != right:
                            at = line.start() + w.start()
                            edits.append((at, at + len(w.group(0)), right))
                    i += n
                    break
            else:
                i += 1
    return edits
