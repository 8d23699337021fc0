"""Hostile uploads built in the test: small files that unpack or parse into a lot."""

from __future__ import annotations

import io
import zipfile

import xlsxwriter

SHEET_HEADER = ["Mã hồ sơ", "Tên thủ tục", "Đơn vị", "Ngày tiếp nhận"]


def small_xlsx(rows: list[list[str]] | None = None) -> bytes:
    """A real workbook (one sheet, shared strings) as Excel would write it."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Hồ sơ")
    for r, row in enumerate([SHEET_HEADER, *(rows or [])]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def replace_parts(workbook: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook with some of its parts replaced (or added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data, compresslevel=6)
    return out.getvalue()


def shared_strings_bomb(count: int) -> bytes:
    """A four-cell workbook (the header row) whose shared-string table holds ``count``
    distinct strings: a few MB zipped, and every one of them parsed (and kept) by a
    reader on opening."""
    header = b"".join(b"<si><t>%s</t></si>" % h.encode() for h in SHEET_HEADER)
    items = header + b"".join(b"<si><t>%d</t></si>" % i for i in range(count - len(SHEET_HEADER)))
    table = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        b' count="%d" uniqueCount="%d">' % (count, count) + items + b"</sst>"
    )
    return replace_parts(small_xlsx(), {"xl/sharedStrings.xml": table})


def zip_bomb(megabytes: int) -> bytes:
    """A workbook with a part of ``megabytes`` MB of one repeated byte (1000:1 zipped)."""
    return replace_parts(small_xlsx(), {"xl/media/padding.xml": b" " * (megabytes << 20)})


def jpeg() -> bytes:
    """The first bytes of a JPEG photo (JFIF header, then binary)."""
    return (
        bytes.fromhex("ffd8ffe000104a46494600010101004800480000ffdb004300") + bytes(range(256)) * 8
    )


def small_sheet_claiming(dimension: str) -> bytes:
    """A worksheet whose dimension announces ``dimension`` while it holds only the header
    row (shared strings 0–3), as a sheet cleared by hand may."""
    cells = b"".join(
        b'<c r="%s1" t="s"><v>%d</v></c>' % (col.encode(), i) for i, col in enumerate("ABCD")
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<dimension ref="%s"/><sheetData><row r="1">'
        % dimension.encode()
        + cells
        + b"</row></sheetData></worksheet>"
    )
