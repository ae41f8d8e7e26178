"""A corpus of bad inputs, generated small and fast, for the batch robustness tests.

``make_bad_inputs(folder)`` writes every kind the batch must survive and returns
{name: what it is}; ``GOOD`` documents go beside them in the tests.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

GOOD = {
    "a.txt": """BAN THƯỜNG VỤ HUYỆN ỦY
Số 12-KH/HU Phú Yên, ngày 03 tháng 4 năm 2024
KẾ HOẠCH
thực hiện Nghị quyết số 28-NQ/TW
Thực hiện Nghị quyết số 28-NQ/TW, ngày 17/11/2022 của Ban Chấp hành Trung ương Đảng, Ban Thường vụ Huyện ủy ban hành Kế hoạch như sau:
I. MỤC ĐÍCH
1. Quán triệt Nghị quyết số 28-NQ/TW.
""",  # noqa: E501 (a document as written: its lines are data)
    "b.md": """HƯỚNG DẪN
tuyên truyền Kế hoạch số 12-KH/HU
Căn cứ Kế hoạch số 12-KH/HU, ngày 03/4/2024 của Ban Thường vụ Huyện ủy, Ban Tuyên giáo Huyện ủy hướng dẫn như sau:
I. NỘI DUNG
1. Tuyên truyền Nghị quyết số 28-NQ/TW.
""",  # noqa: E501 (a document as written: its lines are data)
}


def write_good(folder: Path, n: int = 0) -> list[Path]:
    """The GOOD documents, plus ``n`` numbered variants of the first (for longer batches)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    for k in range(n):
        p = folder / f"doc{k:03d}.txt"
        p.write_text(GOOD["a.txt"].replace("12-KH/HU", f"{100 + k}-KH/HU"), encoding="utf-8")
        paths.append(p)
    return paths


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF with a correct cross-reference table; object k is objects[k-1]."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def text_pdf(text: str = "Hello") -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            (lambda s: b"<< /Length %d >>\nstream\n" % len(s) + s + b"\nendstream")(
                b"BT /F1 12 Tf 72 770 Td (" + text.encode("latin-1") + b") Tj ET"
            ),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def zero_page_pdf() -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def encrypted_pdf() -> bytes:
    """A PDF encrypted with a user password (fpdf2, RC4): it cannot be opened without it."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="secret directive")
    pdf.set_encryption(owner_password="owner", user_password="user")
    return bytes(pdf.output())


def huge_png(side: int = 30000) -> bytes:
    """A side x side 1-bit PNG, all white: ~100 kB on disk, 900 Mpx when decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\0" + b"\xff" * ((side + 7) // 8)
    z = zlib.compressobj(9)
    body = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", body)
        + chunk(b"IEND", b"")
    )


# KOI8-R Russian: 8-bit, not UTF-8, and not Vietnamese in cp1258, TCVN3 or VNI.
UNKNOWN_8BIT = "Постановление о мерах по развитию.\n".encode("koi8_r") * 20


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """Write the bad inputs into ``folder``; return {file name: what it is}.

    The file that disappears mid-run and the unreadable one are written here too;
    the tests delete or lock them (see test_robustness.py).
    """
    folder.mkdir(parents=True, exist_ok=True)
    good = text_pdf()
    files = {
        "empty.txt": (b"", "an empty file"),
        "random.pdf": (os.urandom(4096), "random bytes with a .pdf extension"),
        "truncated.pdf": (good[: len(good) // 2], "a truncated PDF"),
        "encrypted.pdf": (encrypted_pdf(), "an encrypted PDF"),
        "zeropage.pdf": (zero_page_pdf(), "a PDF with zero pages"),
        "huge.png": (huge_png(), "a 30000x30000 PNG"),
        "koi8.txt": (UNKNOWN_8BIT, "a text file in an unknown 8-bit encoding"),
        "vanishing.txt": (
            GOOD["a.txt"].replace("12-KH", "77-KH").encode(),
            "a file that disappears mid-run",
        ),
        "locked.txt": (GOOD["a.txt"].encode(), "an unreadable file"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    (folder / "folder.pdf").mkdir()
    (folder / "loop.pdf").symlink_to("loop2.pdf")
    (folder / "loop2.pdf").symlink_to("loop.pdf")
    kinds = {name: what for name, (_, what) in files.items()}
    kinds.update(
        {
            "folder.pdf": "a directory named like a file",
            "loop.pdf": "a symlink loop",
            "loop2.pdf": "a symlink loop",
        }
    )
    return kinds
