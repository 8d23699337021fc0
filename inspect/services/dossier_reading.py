"""Reading one-stop exports: the dossier fields and their Vietnamese header presets,
encoding detection, CSV and XLSX sources (title rows above the header skipped) read in
chunks of text cells, and the mapping of their columns to fields."""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

# --- fields and header presets ---------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # Vietnamese column name, as shown on the mapping form
    kind: str  # text | date | count
    aliases: tuple[str, ...]


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "code",
        "Mã hồ sơ",
        "text",
        ("mã hồ sơ", "số hồ sơ", "mã số hồ sơ", "số biên nhận", "mã biên nhận", "code"),
    ),
    FieldSpec(
        "procedure",
        "Tên thủ tục",
        "text",
        ("tên thủ tục", "thủ tục", "tên thủ tục hành chính", "tên tthc", "procedure"),
    ),
    FieldSpec("sector", "Lĩnh vực", "text", ("lĩnh vực", "tên lĩnh vực", "sector")),
    FieldSpec(
        "unit",
        "Đơn vị",
        "text",
        (
            "đơn vị",
            "mã đơn vị",
            "đơn vị xử lý",
            "đơn vị tiếp nhận",
            "đơn vị giải quyết",
            "cơ quan giải quyết",
            "cơ quan thực hiện",
            "unit",
        ),
    ),
    FieldSpec(
        "official",
        "Cán bộ xử lý",
        "text",
        ("cán bộ xử lý", "người xử lý", "cán bộ thụ lý", "cán bộ giải quyết", "official"),
    ),
    FieldSpec(
        "channel",
        "Kênh nộp",
        "text",
        ("kênh nộp", "kênh tiếp nhận", "hình thức nộp", "hình thức tiếp nhận", "channel"),
    ),
    FieldSpec(
        "received_at",
        "Ngày tiếp nhận",
        "date",
        ("ngày tiếp nhận", "ngày nhận", "thời gian tiếp nhận", "ngày nộp", "received"),
    ),
    FieldSpec(
        "due_at",
        "Ngày hẹn trả",
        "date",
        ("ngày hẹn trả", "ngày hẹn trả kết quả", "hạn giải quyết", "hạn xử lý", "due"),
    ),
    FieldSpec(
        "finished_at",
        "Ngày có kết quả",
        "date",
        ("ngày có kết quả", "ngày hoàn thành", "ngày xử lý xong", "ngày kết thúc", "finished"),
    ),
    FieldSpec(
        "returned_at",
        "Ngày trả",
        "date",
        ("ngày trả", "ngày trả kết quả", "ngày trả kq", "returned"),
    ),
    FieldSpec(
        "source_status",
        "Trạng thái",
        "text",
        ("trạng thái", "tình trạng", "trạng thái hồ sơ", "status"),
    ),
    FieldSpec(
        "apology_at",
        "Thư xin lỗi",
        "date",
        (
            "thư xin lỗi",
            "ngày xin lỗi",
            "ngày gửi thư xin lỗi",
            "văn bản xin lỗi",
            "phiếu xin lỗi",
            "thư xin lỗi / gia hạn",
            "apology",
        ),
    ),
    FieldSpec(
        "extended_due_at",
        "Gia hạn",
        "date",
        ("gia hạn", "ngày gia hạn", "ngày hẹn trả mới", "ngày hẹn lại", "hẹn lại", "extended"),
    ),
    FieldSpec(
        "extension_count",
        "Số lần gia hạn",
        "count",
        ("số lần gia hạn", "số lần hẹn lại", "extensions"),
    ),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
DATE_FIELDS = tuple(f.name for f in FIELDS if f.kind == "date")


def header_key(text: str) -> str:
    """Headers compared without case, tone marks or punctuation ("Ngày tiếp nhận (*)" =
    "ngay tiep nhan"): exports of the same system differ in exactly these."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


_PRESET = {header_key(alias): f.name for f in FIELDS for alias in f.aliases}


def _map_headers(headers: list[str], saved: dict[str, str] | None) -> dict[str, int]:
    """field → column position: a saved mapping first, the presets for the rest."""
    keys = [header_key(h) for h in headers]
    mapping: dict[str, int] = {}
    for name, header in (saved or {}).items():
        if name in FIELD_BY_NAME and header_key(header) in keys:
            mapping[name] = keys.index(header_key(header))
    taken = set(mapping.values())
    for position, key in enumerate(keys):
        preset = _PRESET.get(key)
        if preset and preset not in mapping and position not in taken:
            mapping[preset] = position
            taken.add(position)
    return mapping


# --- reading files ----------------------------------------------------------------------

_VIETNAMESE_1258 = set(b"\xc3\xd0\xd5\xdd\xe3\xf0\xf5\xfd")  # Ă Đ Ơ Ư ă đ ơ ư
_TONE_MARKS_1258 = set(b"\xcc\xd2\xde\xec\xf2")  # combining grave, hook, tilde, acute, dot


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1258 when the bytes read as Vietnamese
    (tone marks after letters, ă đ ơ ư), else Windows-1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    letters = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | _VIETNAMESE_1258
    marks = sum(
        1
        for before, byte in itertools.pairwise(sample)
        if byte in _TONE_MARKS_1258 and (before in letters or before >= 0xC0)
    )
    vietnamese = sum(1 for byte in sample if byte in _VIETNAMESE_1258)
    return "cp1258" if marks or vietnamese > len(sample) // 2000 else "cp1252"


@dataclass
class Source:
    """An export opened for reading: where the header is and how to get the chunks."""

    path: Path
    kind: str  # csv | xlsx
    encoding: str
    delimiter: str
    header_row: int  # 0-based line/row of the header
    headers: list[str]
    estimated_rows: int


def _find_header(rows: list[list[str]]) -> int:
    """Title rows (UBND …, BÁO CÁO …) often precede the header: take the first row with
    at least three recognised column names."""
    for index, row in enumerate(rows):
        if sum(1 for cell in row if header_key(cell) in _PRESET) >= 3:
            return index
    return 0


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def open_source(path: Path) -> Source:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_xlsx(path)
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="ignore")
    lines = text.splitlines()[:40]
    first = next((line for line in lines if line.count(",") + line.count(";") >= 2), "")
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    header_row = _find_header(rows)
    headers = [unicodedata.normalize("NFC", h).strip() for h in rows[header_row]] if rows else []
    bytes_per_row = max(1, len(sample) // max(1, text.count("\n")))
    size = path.stat().st_size
    return Source(
        path, "csv", encoding, delimiter, header_row, headers, size // bytes_per_row - header_row
    )


def _open_xlsx(path: Path) -> Source:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = [
            [_cell_text(v) for v in row] for row in sheet.iter_rows(max_row=40, values_only=True)
        ]
        header_row = _find_header(rows)
        headers = (
            [unicodedata.normalize("NFC", h).strip() for h in rows[header_row]] if rows else []
        )
        total = (sheet.max_row or 0) - header_row - 1
    finally:
        book.close()
    return Source(path, "xlsx", "xlsx", "", header_row, headers, max(total, 0))


def _chunks(source: Source, columns: list[int], chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Frames of text cells (one column per mapped position), in file order."""
    if source.kind == "csv":
        reader = pd.read_csv(
            source.path,
            sep=source.delimiter,
            encoding=source.encoding,
            header=None,
            skiprows=source.header_row + 1,
            usecols=columns,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            chunksize=chunk_rows,
            encoding_errors="replace",
        )
        for frame in reader:
            yield frame.reindex(columns=columns, fill_value="")
        return
    from openpyxl import load_workbook

    book = load_workbook(source.path, read_only=True, data_only=True)
    try:
        batch: list[list[str]] = []
        for row in book.worksheets[0].iter_rows(min_row=source.header_row + 2, values_only=True):
            cells = [_cell_text(row[c]) if c < len(row) else "" for c in columns]
            if any(cells):
                batch.append(cells)
            if len(batch) >= chunk_rows:
                yield pd.DataFrame(batch, columns=columns, dtype=object)
                batch = []
        if batch:
            yield pd.DataFrame(batch, columns=columns, dtype=object)
    finally:
        book.close()
