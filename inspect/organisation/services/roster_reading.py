"""Đọc danh sách cán bộ: a roster file (CSV or XLSX) read into rows of text, each with
the row number a person sees in Excel. The file is screened first, as every upload is
(``congvu.inspect.upload_screening``: a renamed image, an old .xls, a zip bomb are
refused before anything parses them). Blocking: run ``read_roster`` in the CPU pool.

The header is the first row (of the first 20) naming at least "Họ và tên" and
"Mã đơn vị"; title rows above it (UBND…, DANH SÁCH…) are skipped. Column names are
matched without regard to case, spacing or the order of the columns.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from congvu.inspect import cpu_pool
from congvu.inspect.errors import Invalid
from congvu.inspect.upload_screening import UploadLimits, is_xlsx_name, screen

MAX_ROWS = 5_000
MAX_BYTES = 10 << 20
SUFFIXES = (".csv", ".txt", ".xlsx")

# Field -> the column names people write for it (compared by ``header_key``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã", "Mã cán bộ", "Mã CBCCVC", "Mã số"),
    "full_name": ("Họ và tên", "Họ tên"),
    "gender": ("Giới tính",),
    "birth_date": ("Ngày sinh",),
    "category": ("Ngạch/loại", "Ngạch/Loại", "Ngạch", "Loại"),
    "position": ("Chức vụ",),
    "is_leader": ("Lãnh đạo",),
    "unit_code": ("Mã đơn vị",),
}
REQUIRED = ("code", "full_name", "unit_code")
LABELS = {field: names[0] for field, names in COLUMNS.items()}


def header_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


_BY_KEY = {header_key(name): field for field, names in COLUMNS.items() for name in names}


@dataclass(frozen=True)
class RawRow:
    number: int  # as Excel shows it: the header's row is counted
    cells: dict[str, str]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - screening refused undecodable text already
        raise Invalid("Tệp không đọc được bằng UTF-8 hay Windows-1258.", field="file")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # heavy: loaded only when an XLSX comes

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [
            [_cell(v) for v in row]
            for row in sheet.iter_rows(max_row=MAX_ROWS + 21, values_only=True)
        ]
    finally:
        book.close()


def read_roster(path: Path, file_name: str, limits: UploadLimits) -> list[RawRow]:
    """The file's rows under its header, blank rows left out; ``Invalid`` for a file that
    is not a roster (module docstring)."""
    cpu_pool.off_loop()
    name = Path(file_name).name
    if Path(name).suffix.lower() not in SUFFIXES:
        raise Invalid("Chỉ nhận tệp CSV hoặc XLSX.", field="file")
    screen(path, name, limits)
    rows = _xlsx_rows(path) if is_xlsx_name(name) else _csv_rows(path)
    header_at = next(
        (
            i
            for i, row in enumerate(rows[:20])
            if {"full_name", "unit_code"} <= {_BY_KEY.get(header_key(c)) for c in row}
        ),
        None,
    )
    if header_at is None:
        raise Invalid(
            f"Tệp {name} không có dòng tiêu đề với các cột"
            f" {', '.join(LABELS[f] for f in REQUIRED)}.",
            field="file",
        )
    columns = {
        index: _BY_KEY[header_key(cell)]
        for index, cell in enumerate(rows[header_at])
        if header_key(cell) in _BY_KEY
    }
    missing = [LABELS[f] for f in REQUIRED if f not in columns.values()]
    if missing:
        raise Invalid(f"Tệp {name} thiếu cột {', '.join(missing)}.", field="file")
    found: list[RawRow] = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(cell for cell in row):
            continue
        if len(found) == MAX_ROWS:
            raise Invalid(
                f"Tệp {name} có hơn {MAX_ROWS:,} dòng; hãy chia thành nhiều tệp.".replace(",", "."),
                field="file",
            )
        cells = {field: "" for field in COLUMNS}
        for index, field in columns.items():
            if index < len(row):
                cells[field] = row[index]
        found.append(RawRow(offset, cells))
    return found
