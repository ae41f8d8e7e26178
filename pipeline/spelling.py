"""OCR spelling repair for Vietnamese, used by cleanup: precision first.

A syllable is replaced only when all of these hold:
- it is not a function word and makes no dictionary word with either neighbour;
- it sits in a pair of syllables that is not a word of the dictionary, while a tone
  variant of one syllable ("cẩu" → "cầu") makes the pair a dictionary word ("yêu cầu");
- the document itself writes that word elsewhere, more often than the damaged pair.
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

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
SYLLABLE = re.compile(r"\p{L}+")


@lru_cache(maxsize=65536)
def _toneless(syllable: str) -> str:
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in TONE_MARKS))


@lru_cache(maxsize=1)
def dictionary() -> tuple[frozenset, dict, frozenset]:
    """(syllable pairs inside words, toneless form -> syllables, function words) from the
    word lists shipped in underthesea (Viet74K, stopwords) and pyvi (words.txt)."""
    import pyvi
    import underthesea

    ut = Path(underthesea.__file__).parent
    sources = [ut / "corpus" / "data" / "Viet74K.txt", Path(pyvi.__file__).parent / "models" / "words.txt"]
    pairs, variants = set(), {}
    for path in sources:
        for line in path.read_text(encoding="utf-8").splitlines():
            words = unicodedata.normalize("NFC", line).casefold().split()
            for w in words:
                variants.setdefault(_toneless(w), set()).add(w)
            pairs.update(zip(words, words[1:]))
    stop = (ut / "datasets" / "stopwords" / "stopwords.txt").read_text(encoding="utf-8").split("\n")
    function_words = frozenset(unicodedata.normalize("NFC", w).strip().casefold() for w in stop if w.strip())
    return frozenset(pairs), {k: frozenset(v) for k, v in variants.items()}, function_words


def _match_case(word: str, model: str) -> str:
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def find_repairs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for damaged syllables, by the rule in the module docstring."""
    pairs, variants, function_words = dictionary()
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer: fall back to per-token folding
        lower = None
    tokens = [(m.start(), m.end(), lower[m.start():m.end()] if lower else m.group(0).casefold())
              for m in SYLLABLE.finditer(text)]
    joined = [text[a[1]:b[0]] == " " for a, b in zip(tokens, tokens[1:])]
    adjacent = [(a, b) for a, b, j in zip(tokens, tokens[1:], joined) if j]
    seen = Counter((a[2], b[2]) for a, b in adjacent)
    # a syllable that makes a word with either neighbour is right as it is ("đi đôi với")
    in_word = set()
    for a, b in adjacent:
        if (a[2], b[2]) in pairs:
            in_word.update((a[0], b[0]))
    edits: dict[int, tuple[int, int, str]] = {}
    for a, b in adjacent:
        pair = (a[2], b[2])
        if pair in pairs:
            continue
        for side, (start, end, syl) in ((1, b), (0, a)):
            if start in in_word or syl in function_words:
                continue
            options = []
            for v in variants.get(_toneless(syl), ()):
                if v == syl:
                    continue
                fixed = (a[2], v) if side else (v, b[2])
                if fixed in pairs and seen[fixed] > seen[pair]:
                    options.append((seen[fixed], v))
            if len(options) == 1 or (options and sorted(options)[-1][0] > sorted(options)[-2][0]):
                best = max(options)[1]
                edits[start] = (start, end, _match_case(best, text[start:end]))
                break
    return sorted(edits.values())
