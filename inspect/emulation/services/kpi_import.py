"""Nhập kết quả nhiệm vụ từ tệp: a unit's KPI export (CSV or XLSX, Vietnamese headers) read
into the head's Mẫu số 01 sheets, one row per official. Each row goes through the same
checks as the form; a refused row is reported with its row number and field, the others
are saved.

Headers (case and diacritics as typed by people are accepted): "Mã cán bộ", "a", "b", "c",
for leaders "d", "đ", "e", and optionally "Nhóm nhiệm vụ"."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.emulation.services.access import require_scorer_role
from congvu.inspect.emulation.services.facts import unit_by_code
from congvu.inspect.emulation.services.sheets import save_sheet
from congvu.inspect.emulation.tables import SheetAuthor
from congvu.inspect.errors import DomainError, Invalid, NotFound
from congvu.inspect.organisation.tables import Official

MAX_ROWS = 5000
_HEADERS = {
    "ma can bo": "code",
    "ma": "code",
    "a": "a",
    "b": "b",
    "c": "c",
    "d": "d",
    "dd": "dd",
    "e": "e",
    "nhom nhiem vu": "task_group",
}


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    field: str | None
    message: str


def _key(header: Any) -> str | None:
    text = unicodedata.normalize("NFD", str(header or "").strip().lower()).replace("đ", "dd")
    plain = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _HEADERS.get(" ".join(plain.replace("\u0111", "dd").split()))


def _rows(file_name: str, data: bytes) -> list[list[Any]]:
    if file_name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise Invalid("Tệp XLSX không đọc được.", field="file") from None
        return [list(r) for r in sheet.iter_rows(values_only=True)] if sheet else []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("Tệp CSV phải mã hóa UTF-8.", field="file") from None
    first = text.splitlines()[0] if text else ""
    # Vietnamese Excel saves CSV with ";" where the decimal mark is a comma.
    delimiter = max(",;\t", key=first.count)
    return [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)]


async def import_sheets(
    actor: Actor, period: str, unit_code: str, file_name: str, data: bytes
) -> dict[str, Any]:
    """Save the head's sheet of every row; ``{"saved": n, "errors": [RowError…]}``."""
    require_scorer_role(actor)
    unit = await unit_by_code(unit_code)
    if not actor.can_see_unit_path(str(unit["path"])):
        raise NotFound("Không có đơn vị này trong phạm vi của bạn.", field="unit")
    if not data:
        raise Invalid("Chọn tệp CSV hoặc XLSX.", field="file")
    rows = _rows(file_name, data)
    if not rows:
        raise Invalid("Tệp không có dòng nào.", field="file")
    columns = [_key(h) for h in rows[0]]
    if not {"code", "a", "b", "c"} <= set(columns):
        raise Invalid("Tệp cần các cột: Mã cán bộ, a, b, c.", field="file")
    if len(rows) > MAX_ROWS + 1:
        raise Invalid(f"Tệp có quá {MAX_ROWS} dòng.", field="file")
    officials = {
        r["code"]: r["id"]
        for r in await Official.select(Official.id, Official.code).where(
            Official.unit._.path.like(f"{unit['path']}%")
        )
    }
    saved, errors = 0, []
    for number, values in enumerate(rows[1:], start=2):
        record = {
            c: "" if v is None else str(v).strip()
            for c, v in zip(columns, values, strict=False)
            if c
        }
        if not any(record.values()):
            continue
        official_id = officials.get(record.get("code", ""))
        if official_id is None:
            errors.append(RowError(number, "code", "Không có cán bộ mã này trong đơn vị."))
            continue
        try:
            await save_sheet(actor, period, official_id, record, author=SheetAuthor.HEAD)
        except DomainError as error:
            errors.append(RowError(number, error.field, error.message))
            if error.field == "period":
                break
            continue
        saved += 1
    return {"saved": saved, "errors": errors}
