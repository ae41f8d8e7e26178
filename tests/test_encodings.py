"""Tests for pipeline.ingest.encodings: TCVN3 and VNI legacy font encodings and their detection."""

import random
import shutil
import subprocess
import unicodedata

import pytest

from pipeline.ingest import IngestError, decode_text, encodings, load
from pipeline.ingest.encodings import (
    decode_tcvn3,
    decode_vni,
    detect_legacy,
    encode_tcvn3,
    encode_vni,
    vietnamese_letters,
)

PARA = (
    "Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng về tiếp tục "
    "đổi mới phương thức lãnh đạo, cầm quyền của Đảng đối với hệ thống chính trị trong giai đoạn "
    "mới"
)
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
ALL_LOWER = sorted(
    {unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in TONES}
    - set("aeiouy")
    | {"đ"}
)  # the 67 lower-case letters with diacritics


def to_cp1258(text: str) -> bytes:
    """cp1258 has precomposed ă â ê ô ơ ư đ but tone marks only as combining characters."""
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES[1:])))
        out.append("".join(c for c in d if c in TONES[1:]))
    return "".join(out).encode("cp1258")


def load_bytes(tmp_path, raw: bytes, name="doc.txt"):
    path = tmp_path / name
    path.write_bytes(raw)
    return load(path)


@pytest.fixture
def shape_only(monkeypatch):
    """Score by syllable shape alone, as when neither underthesea nor pyvi is installed."""
    monkeypatch.setattr(encodings, "_LEXICON_FILES", ())
    encodings._lexicon.cache_clear()
    encodings._syllable_check.cache_clear()
    yield
    encodings._lexicon.cache_clear()
    encodings._syllable_check.cache_clear()


# --- tables -------------------------------------------------------------------------


def test_table_spot_checks():
    # Independent reference points: TCVN 5712 VN3 and the VNI-Windows font layout.
    assert decode_tcvn3(b"\xb9\xae\xa7\xb8\xd5\xde") == "ạđĐáếị"
    assert decode_tcvn3(b"Ngh\xde quy\xd5t") == "Nghị quyết"
    assert decode_vni(b"a\xf9 \xf1 \xd1 Ngh\xf2 quye\xe1t") == "á đ Đ Nghị quyết"
    assert decode_vni(b"Tr\xf6\xf4\xf8ng") == "Trường"
    assert encode_vni("ă ơ ư ỵ Ỵ") == b"a\xea \xf4 \xf6 \xee \xce"


def test_table_sizes():
    assert sorted(vietnamese_letters("tcvn3")) == sorted(ALL_LOWER + list("ĂÂÊÔƠƯĐ"))
    assert sorted(vietnamese_letters("vni")) == sorted(ALL_LOWER + [c.upper() for c in ALL_LOWER])


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
def test_tcvn3_table_matches_glibc_iconv():
    """GNU libc's TCVN5712-1 (VN1) agrees with VN3 + VN2 on every byte 0xA0-0xFF."""
    data = bytes(range(0xA0, 0x100))
    run = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True
    )
    if run.returncode != 0:
        pytest.skip("iconv has no TCVN5712-1")
    ours = data.decode("latin-1").translate(encodings._tables().tcvn3_decode)
    assert ours == run.stdout.decode("utf-8")


@pytest.mark.parametrize("letter", ALL_LOWER + list("ĂÂÊÔƠƯĐ"))
def test_tcvn3_round_trip_every_letter(letter):
    assert len(encode_tcvn3(letter)) == 1
    assert decode_tcvn3(encode_tcvn3(letter)) == letter


@pytest.mark.parametrize("letter", [c for c in ALL_LOWER if c not in "ăâêôơưđ"])
def test_tcvn3_capitals_with_tones_share_the_lower_case_bytes(letter):
    upper = letter.upper()
    assert encode_tcvn3(upper) == encode_tcvn3(letter)
    assert decode_tcvn3(encode_tcvn3(upper)) == letter  # alone, its case is unknown


@pytest.mark.parametrize("letter", ALL_LOWER + [c.upper() for c in ALL_LOWER])
def test_vni_round_trip_every_letter(letter):
    encoded = encode_vni(letter)
    assert decode_vni(encoded) == letter
    assert decode_vni(b"x" + encoded + b"x") == f"x{letter}x"


def test_round_trip_paragraph_and_all_letters_in_words():
    text = PARA + " " + " ".join("b" + c + "n" for c in ALL_LOWER)
    assert decode_vni(encode_vni(text)) == text
    assert decode_vni(encode_vni(text.upper())) == text.upper()
    assert decode_tcvn3(encode_tcvn3(text)) == text


def test_tcvn3_capitals_restored_from_context():
    heading = "NGHỊ QUYẾT\nVỀ VIỆC ĐỔI MỚI\nSố: 28-NQ/TW\nCăn cứ NGHỊ QUYẾT số 28"
    assert decode_tcvn3(encode_tcvn3(heading)) == heading
    # A title-case word whose capital has a tone mark loses its case.
    assert decode_tcvn3(encode_tcvn3("Ủy ban")) == "ủy ban"
    assert decode_tcvn3(encode_tcvn3("NGHỊ"), restore_caps=False) == "NGHị"


def test_windows_punctuation_and_mixed_case_modifier():
    assert decode_tcvn3(b"\x93Ngh\xde quy\xd5t\x94 \x96 2022") == "“Nghị quyết” – 2022"
    assert decode_vni(b"\x93Ngh\xf2 quye\xe1t\x94 \x85") == "“Nghị quyết” …"
    assert decode_vni(b"A\xf9") == "Á"


def test_encoders_refuse_what_the_font_cannot_hold():
    with pytest.raises(ValueError):
        encode_tcvn3("漢")
    with pytest.raises(ValueError):
        encode_vni("ç")


# --- detection through ingest.load ------------------------------------------------------


@pytest.mark.parametrize("encode, name", [(encode_tcvn3, "tcvn3"), (encode_vni, "vni")])
def test_load_legacy_text_file(tmp_path, encode, name):
    raw = encode(PARA + "\r\n" + PARA)
    doc = load_bytes(tmp_path, raw)
    assert doc.encoding == name
    assert doc.text == PARA + "\n" + PARA
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.text.lower() == (PARA + "\n" + PARA).lower()


@pytest.mark.parametrize("encode, name", [(encode_tcvn3, "tcvn3"), (encode_vni, "vni")])
def test_load_legacy_with_lost_capital_and_dos_eof(tmp_path, encode, name):
    text = "Ủy ban nhân dân tỉnh thực hiện " + PARA
    doc = load_bytes(tmp_path, encode(text) + b"\x1a", "doc.md")
    assert doc.encoding == name
    if name == "tcvn3":
        assert doc.text.lower() == text.lower()
    else:
        assert doc.text == text


def test_short_legacy_text(tmp_path):
    assert decode_text(encode_tcvn3("Việt Nam")) == ("Việt Nam", "tcvn3")
    assert decode_text(encode_vni("Việt Nam")) == ("Việt Nam", "vni")


def test_cp1258_still_cp1258(tmp_path):
    doc = load_bytes(tmp_path, to_cp1258(PARA))
    assert (doc.text, doc.encoding) == (PARA, "cp1258")
    assert detect_legacy(to_cp1258(PARA)) is None


def test_utf8_and_ascii_unaffected(tmp_path):
    doc = load_bytes(tmp_path, PARA.encode("utf-8"))
    assert (doc.text, doc.encoding) == (PARA, "utf-8")
    assert detect_legacy(PARA.encode("utf-8")) is None
    assert detect_legacy(b"Plain ASCII text, 28-NQ/TW.") is None


def test_random_high_bytes_are_unknown(tmp_path):
    rng = random.Random(0)
    raw = bytes(32 if rng.random() < 0.2 else rng.randrange(0x80, 0x100) for _ in range(4000))
    assert detect_legacy(raw) is None
    with pytest.raises(IngestError, match="unknown text encoding"):
        load_bytes(tmp_path, raw)


def test_western_text_is_not_claimed():
    assert detect_legacy("Größe, œuvre, naïve, façade, Ærø".encode("cp1252")) is None
    assert detect_legacy("Le café est très déjà prêt à l'été.".encode("cp1252")) is None


def test_control_bytes_are_not_claimed():
    assert detect_legacy(encode_tcvn3(PARA) + b"\x00\x01") is None


def test_detection_by_syllable_shape_alone(shape_only):
    assert not encodings._lexicon()
    for encode, name in ((encode_tcvn3, "tcvn3"), (encode_vni, "vni")):
        assert detect_legacy(encode(PARA)) == (PARA, name)
    assert detect_legacy(to_cp1258(PARA)) is None
    for seed in range(5):
        rng = random.Random(seed)
        raw = bytes(32 if rng.random() < 0.2 else rng.randrange(0x80, 0x100) for _ in range(4000))
        assert detect_legacy(raw) is None


def test_lexicon_comes_from_the_installed_word_lists():
    lexicon = encodings._lexicon()
    if not lexicon:
        pytest.skip("neither underthesea nor pyvi is installed")
    assert {"nghị", "quyết", "đảng", "người"} <= lexicon
    assert "quyeỏt" not in lexicon
