"""Legacy Vietnamese 8-bit text encodings: TCVN3 (ABC, TCVN 5712:1993 VN3) and VNI-Windows.

Vietnamese offices in the 1990s and 2000s typed in .VnTime (TCVN3) or VNI-Times (VNI)
fonts; their text files hold the font's byte positions, which read as cp1252 look like
mojibake ("NghÞ quyÕt" is TCVN3 and "Nghò quyeát" is VNI for "Nghị quyết"). The byte
tables are data, in ``data/legacy_encodings.json`` (its ``_source`` says where they come
from and what they were checked against).

- ``decode_tcvn3`` / ``decode_vni`` turn bytes into NFC text; bytes 0x80-0x9F, which
  neither font layout uses, are read as Windows-1252 punctuation (curly quotes, dashes),
  as text saved from Windows programs holds them.
- ``encode_tcvn3`` / ``encode_vni`` are their inverses, for making test fixtures.
- ``detect_legacy`` says whether bytes are TCVN3, VNI or neither (see there).

TCVN3 and letter case: VN3 has only lower-case letters plus Ă Â Ê Ô Ơ Ư Đ. Capitals
with tone marks were typed in an all-capitals font (.VnTimeH) at the lower-case
positions, so the bytes alone do not say their case. Such letters decode as lower case,
with one repair: a word that has a non-ASCII letter, an upper-case ASCII letter after its
first letter and no lower-case ASCII letter ("NGHÞ" -> "NGHỊ") is upper-cased, and when a
line holds such a word and no lower-case ASCII letter at all, the whole line is
("VÒ VIÖC" -> "VỀ VIỆC"). A title-case word ("Tõ" -> "Từ") stays as it is; a capital
typed as a lower-case ASCII letter in .VnTimeH ("nghÞ" shown as "NGHỊ") cannot be
recovered and stays lower case.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Optional

DATA = Path(__file__).parent.parent / "data" / "legacy_encodings.json"

# How convincing a legacy reading must be (see detect_legacy).
MIN_VALID_SHARE = 0.6  # share of words with non-ASCII letters that are Vietnamese syllables
MIN_LEAD = 0.3  # how much higher that share must be than in the cp1258 reading
SCORE_CHARS = 1_000_000  # only the start of a long file is scored

_TONES = {
    "\u0300": "grave",
    "\u0301": "acute",
    "\u0303": "tilde",
    "\u0309": "hook",
    "\u0323": "dot",
}
_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
_SYLLABLE = re.compile(
    rf"(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?([{_VOWELS}]{{1,3}})(ng|nh|ch|[cmnpt])?"
)
# Vowel groups of Vietnamese syllables, without tone marks.
_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê "
    "ui uô uơ uy"
    " ưa ưi ươ ưu yê iêu yêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu".split()
)
# Words for scoring: split at white space, digits, ASCII punctuation, typographic quotes/dashes.
_SPLIT = re.compile(r"[\s!-@\[-`{-~\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00ab\u00bb]+")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W\d_]+")
_LEXICON_FILES = (("underthesea", "corpus/data/Viet74K.txt"), ("pyvi", "models/words.txt"))


class _Tables:
    def __init__(self, raw: dict):
        latin = {b: chr(b) for b in range(0x80, 0x100)}
        for b in range(0x80, 0xA0):
            try:
                latin[b] = bytes([b]).decode("cp1252")
            except UnicodeDecodeError:
                pass  # undefined in cp1252: stays a C1 control character
        self.c1 = str.maketrans({chr(b): latin[b] for b in range(0x80, 0xA0)})

        tcvn3 = {int(k, 16): v for k, v in raw["tcvn3"]["map"].items()}
        vn2 = {int(k, 16): v for k, v in raw["tcvn3_vn2_additions"]["map"].items()}
        self.tcvn3_decode = str.maketrans(
            {chr(b): tcvn3.get(b, vn2.get(b, latin[b])) for b in latin}
        )
        self.tcvn3_encode = {v: bytes([b]) for b, v in tcvn3.items()}
        self.tcvn3_letters = [v for v in tcvn3.values() if v.isalpha()]

        def key(hexbytes: str) -> str:
            return bytes.fromhex(hexbytes).decode("latin-1")

        single = {key(k): v for k, v in raw["vni"]["single"].items()}
        pairs = {key(k): v for k, v in raw["vni"]["pairs"].items()}
        self.vni_encode = {v: k.encode("latin-1") for k, v in {**single, **pairs}.items()}
        self.vni_letters = list(self.vni_encode)
        decode = {**single, **pairs}
        # Tolerate a modifier typed in the other case than its base letter ("Aù" for "Á").
        for k, v in pairs.items():
            other = k[0] + k[1].swapcase()
            decode.setdefault(other, v)
        self.vni_decode = decode
        self.vni_pattern = re.compile(
            "|".join(re.escape(k) for k in sorted(decode, key=len, reverse=True))
        )


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables(json.loads(DATA.read_text(encoding="utf-8")))


# --- decoders and encoders -------------------------------------------------------


def decode_tcvn3(data: bytes, *, restore_caps: bool = True) -> str:
    """TCVN3 (VN3, with the VN2 additions in the positions VN3 leaves free) bytes to NFC text.

    Letters with tone marks decode as lower case; ``restore_caps`` upper-cases them in
    all-capitals words and lines (see the module docstring).
    """
    text = data.decode("latin-1").translate(_tables().tcvn3_decode)
    if restore_caps:
        text = _restore_caps(text)
    return unicodedata.normalize("NFC", text)


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes to NFC text."""
    t = _tables()
    text = t.vni_pattern.sub(lambda m: t.vni_decode[m.group()], data.decode("latin-1"))
    return unicodedata.normalize("NFC", text.translate(t.c1))


def encode_tcvn3(text: str) -> bytes:
    """NFC text to TCVN3 bytes, the inverse of ``decode_tcvn3`` (for test fixtures).

    Capitals with tone marks are written at their lower-case positions, as .VnTimeH text
    holds them. Raises ValueError for a character TCVN3 cannot hold.
    """
    table = _tables().tcvn3_encode
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = table.get(ch) or table.get(ch.lower())
        out.append(code if code is not None else _ascii_or_cp1252(ch, "TCVN3"))
    return b"".join(out)


def encode_vni(text: str) -> bytes:
    """NFC text to VNI-Windows bytes, the inverse of ``decode_vni`` (for test fixtures).

    Raises ValueError for a character VNI cannot hold.
    """
    table = _tables().vni_encode
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = table.get(ch)
        out.append(code if code is not None else _ascii_or_cp1252(ch, "VNI", allow_latin1=True))
    return b"".join(out)


def _ascii_or_cp1252(ch: str, name: str, allow_latin1: bool = False) -> bytes:
    """ASCII as it is; otherwise the cp1252 byte when the font layout leaves it free."""
    try:
        code = ch.encode("cp1252")
    except UnicodeEncodeError:
        code = None
    if code is not None and (code[0] < 0xA0 or (allow_latin1 and code[0] < 0xC0)):
        return code
    raise ValueError(f"{ch!r} cannot be written in {name}")


def vietnamese_letters(encoding: str) -> list[str]:
    """The letters with diacritics that the table of ``encoding`` ("tcvn3" or "vni") holds."""
    t = _tables()
    return list(t.tcvn3_letters if encoding == "tcvn3" else t.vni_letters)


def _restore_caps(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not any(_caps_evidence(w) for w in _WORD.findall(line)):
            continue
        if not re.search("[a-z]", line):
            lines[i] = _upper(line)
        else:
            lines[i] = _WORD.sub(
                lambda m: _upper(m.group()) if _caps_evidence(m.group()) else m.group(), line
            )
    return "\n".join(lines)


def _caps_evidence(word: str) -> bool:
    return (
        not re.search("[a-z]", word)
        and re.search("[A-Z]", word[1:]) is not None
        and any(ord(c) > 127 for c in word)
    )


def _upper(s: str) -> str:
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in s)


# --- detection ---------------------------------------------------------------------


def detect_legacy(data: bytes) -> Optional[tuple[str, str]]:
    """(NFC text, "tcvn3" | "vni") when the bytes read convincingly as TCVN3 or VNI, else None.

    Never claims ASCII, UTF-8 or bytes with control characters. Otherwise the bytes are
    read as TCVN3, as VNI and as cp1258, and each reading is scored by its words that
    hold non-ASCII letters: the share of them that are Vietnamese syllables (the syllables
    of the underthesea and pyvi word lists, or, without those, of syllable shape). The
    better legacy reading wins when its share is at least MIN_VALID_SHARE, at least
    MIN_LEAD above the cp1258 reading's, it has more such syllables than the cp1258
    reading, and it beats the other legacy reading.
    """
    if data.endswith(b"\x1a"):  # DOS end-of-file mark
        data = data[:-1]
    if data.isascii() or _CONTROL_BYTES.search(data):
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    head = data[:SCORE_CHARS]
    base_valid, base_marked = _score(
        unicodedata.normalize("NFC", head.decode("cp1258", errors="replace"))
    )
    base_share = base_valid / base_marked if base_marked else 0.0
    readings = []
    for name, decode in (("tcvn3", decode_tcvn3), ("vni", decode_vni)):
        sample = decode(head)
        if any("\x80" <= c <= "\x9f" for c in sample):
            continue  # a byte that is neither a letter nor cp1252 punctuation
        valid, marked = _score(sample)
        readings.append((valid / marked if marked else 0.0, valid, name))
    if not readings:
        return None
    readings.sort(reverse=True)
    share, valid, name = readings[0]
    if len(readings) > 1 and readings[1][:2] == (share, valid):
        return None  # both legacy readings are equally good
    if share < MIN_VALID_SHARE or share < base_share + MIN_LEAD or valid <= base_valid:
        return None
    text = decode_tcvn3(data) if name == "tcvn3" else decode_vni(data)
    return text, name


def _score(text: str) -> tuple[int, int]:
    """(Vietnamese syllables, words) among the words of ``text`` that hold a non-ASCII letter."""
    is_syllable = _syllable_check()
    valid = marked = 0
    for word in _SPLIT.split(text.lower()):
        if word and not word.isascii():
            marked += 1
            valid += is_syllable(word)
    return valid, marked


@lru_cache(maxsize=1)
def _syllable_check():
    lexicon = _lexicon()
    if lexicon:
        return lexicon.__contains__
    return _syllable_shaped


def _syllable_shaped(word: str) -> bool:
    """Vietnamese syllable structure: onset, a Vietnamese vowel group, coda; at most one
    tone, and a syllable ending in c, ch, p or t takes the acute or the dot below."""
    m = _SYLLABLE.fullmatch(word)
    if not m:
        return False
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    nucleus = unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", m[2]) if c not in _TONES)
    )
    if nucleus not in _NUCLEI and not (m[1] == "gi" and "i" + nucleus in _NUCLEI):
        return False
    return not (word[-1] in "cpt" or word.endswith("ch")) or tones in (["\u0301"], ["\u0323"])


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """Syllables with diacritics from the word lists shipped in underthesea and pyvi.

    Found through the packages' locations without importing them; empty when neither is
    installed.
    """
    words: set[str] = set()
    for package, relative in _LEXICON_FILES:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        for location in (spec.submodule_search_locations or []) if spec else []:
            path = Path(location) / relative
            if not path.is_file():
                continue
            text = unicodedata.normalize(
                "NFC", path.read_text(encoding="utf-8", errors="replace")
            ).lower()
            words.update(
                w for w in set(_SPLIT.split(text)) if not w.isascii() and _syllable_shaped(w)
            )
    return frozenset(words)
