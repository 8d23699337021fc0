"""Bộ tài liệu kiểm chứng of a year as one ZIP: a folder per criterion code holding its
documents, named "<số ký hiệu> - <trích yếu>.ext", and ``Muc-luc.xlsx``, the index
sheet. Every file's hash is checked as it is packed: an upload against the hash taken
when it was filed, a produced document (rendered anew) against the one registered; a
mismatch is packed all the same and said in the index."""

from __future__ import annotations

import asyncio
import hashlib
import io
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from congvu.inspect import cpu_pool
from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.evidence.services.access import require_reader, sees_item
from congvu.inspect.evidence.services.criteria import code_order, criteria, index_order
from congvu.inspect.evidence.services.files import read_stored, safe_name
from congvu.inspect.evidence.services.labels import (
    CHANGED,
    MISSING,
    NO_FILE,
    SOURCE_LABELS,
    UNTAGGED,
)
from congvu.inspect.evidence.services.listing import issue_order, item_codes
from congvu.inspect.evidence.services.produced import content_sha256, render
from congvu.inspect.evidence.tables import EvidenceItem, SourceKind
from congvu.inspect.settings import get_settings

INDEX_NAME = "Muc-luc.xlsx"
INDEX_HEADER = (
    "STT",
    "Tiêu chí",
    "Số ký hiệu",
    "Ngày",
    "Trích yếu",
    "Nguồn",
    "Tên tệp",
    "SHA-256",
    "Ghi chú",
)


@dataclass
class IndexRow:
    code: str
    number: str
    issued_on: date | None
    summary: str
    source: str
    file_name: str  # "" when nothing was packed
    sha256: str  # of the bytes packed
    note: str


@dataclass
class Bundle:
    year: int
    rows: list[IndexRow] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    # (code, name, number of documents): the criteria without one stand out.
    criteria: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(1 for r in self.rows if r.note == CHANGED)


async def _document(item: dict[str, Any]) -> tuple[bytes | None, str]:
    """The item's bytes now and the note the index gives them."""
    if item["source_kind"] == SourceKind.UPLOADED or item["file_path"]:
        data = await asyncio.to_thread(read_stored, item["file_path"] or "")
        if data is None:
            return None, MISSING
        same = hashlib.sha256(data).hexdigest() == item["sha256"]
        return data, "" if same else CHANGED
    if not item["extension"]:
        return None, NO_FILE
    data = await render(item["source_ref"])
    if data is None:
        return None, MISSING
    return data, "" if content_sha256(data) == item["sha256"] else CHANGED


async def collect(year: int, actor: Actor = SYSTEM) -> Bundle:
    """The year's documents the actor may see (a unit head's: their subtree's)."""
    require_reader(actor)
    bundle = Bundle(year)
    items = await EvidenceItem.select(
        *EvidenceItem.all_columns(), EvidenceItem.issuer_unit.path.as_alias("unit_path")
    ).where(EvidenceItem.year == year)
    items = [i for i in items if sees_item(actor, i["unit_path"], i["source_kind"])]
    codes = await item_codes([i["id"] for i in items])
    counts: dict[str, int] = {}
    taken: set[str] = set()
    order = sorted(items, key=issue_order)
    placed: list[tuple[tuple[object, ...], IndexRow, bytes | None]] = []
    for item in order:
        data, note = await _document(item)
        digest = hashlib.sha256(data).hexdigest() if data is not None else ""
        for code in sorted(codes.get(item["id"], []), key=code_order) or [UNTAGGED]:
            counts[code] = counts.get(code, 0) + 1
            name = ""
            if data is not None:
                name = _unique(
                    f"{code}/{safe_name(item['number'], item['summary'], item['extension'])}",
                    taken,
                )
            row = IndexRow(
                code,
                item["number"],
                item["issued_on"],
                item["summary"],
                SOURCE_LABELS.get(item["source_kind"], item["source_kind"]),
                name,
                digest,
                note,
            )
            placed.append(((index_order(code, UNTAGGED), len(placed)), row, data))
    for _, row, data in sorted(placed, key=lambda p: p[0]):
        bundle.rows.append(row)
        if data is not None:
            bundle.files.append((row.file_name, data))
    bundle.criteria = [(c.code, c.name, counts.get(c.code, 0)) for c in await criteria(year)]
    return bundle


def _unique(path: str, taken: set[str]) -> str:
    stem, dot, ext = path.rpartition(".")
    candidate, n = path, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem} ({n}){dot}{ext}"
    taken.add(candidate.casefold())
    return candidate


def index_sheet(bundle: Bundle) -> bytes:
    """The index workbook: every document, then the criteria with their counts. Text is
    written as text (a summary starting with "=" is no formula)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "text_wrap": True, "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    day = book.add_format({"num_format": "dd/mm/yyyy", "valign": "top", "border": 1})
    sheet = book.add_worksheet("Mục lục")
    sheet.write_string(
        0, 0, f"DANH MỤC TÀI LIỆU KIỂM CHỨNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {bundle.year}"
    )
    for col, title in enumerate(INDEX_HEADER):
        sheet.write_string(2, col, title, bold)
    for n, row in enumerate(bundle.rows, start=1):
        r = n + 2
        sheet.write_number(r, 0, n, wrap)
        sheet.write_string(r, 1, row.code, wrap)
        sheet.write_string(r, 2, row.number, wrap)
        if row.issued_on is not None:
            sheet.write_datetime(r, 3, row.issued_on, day)
        else:
            sheet.write_blank(r, 3, None, wrap)
        for col, text in enumerate(
            (row.summary, row.source, row.file_name, row.sha256, row.note), start=4
        ):
            if text:
                sheet.write_string(r, col, text, wrap)
            else:
                sheet.write_blank(r, col, None, wrap)
    for col, width in enumerate((5, 9, 18, 11, 50, 24, 40, 66, 30)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(3, 0)
    totals = book.add_worksheet("Tiêu chí")
    missing = book.add_format({"bg_color": "#FDE2E1", "border": 1})
    for col, title in enumerate(("Mã tiêu chí", "Tên tiêu chí", "Số tài liệu")):
        totals.write_string(0, col, title, bold)
    for r, (code, name, count) in enumerate(bundle.criteria, start=1):
        fmt = missing if count == 0 else wrap
        totals.write_string(r, 0, code, fmt)
        totals.write_string(r, 1, name, fmt)
        totals.write_number(r, 2, count, fmt)
    totals.set_column(1, 1, 60)
    book.close()
    return out.getvalue()


def pack(bundle: Bundle) -> bytes:
    """The ZIP's bytes (off the event loop: xlsxwriter and deflate hold the GIL)."""
    cpu_pool.off_loop()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(INDEX_NAME, index_sheet(bundle))
        for name, data in bundle.files:
            archive.writestr(name, data)
    return out.getvalue()


def _write(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)


Progress = Callable[[int, int, str], Awaitable[None]]


async def _silent(done: int, total: int, message: str) -> None:
    return None


async def export_year(
    year: int, out: Path, progress: Progress = _silent, actor: Actor = SYSTEM
) -> Bundle:
    """Write the year's ZIP to ``out``; the bundle says what went in."""
    await progress(0, 2, "Đang gom và kiểm tra tài liệu")
    bundle = await collect(year, actor)
    await progress(1, 2, "Đang đóng gói tệp ZIP")
    data = await cpu_pool.run(pack, bundle)
    await asyncio.to_thread(_write, out, data)
    await progress(2, 2, "Đã đóng gói")
    return bundle


def export_file(job_id: str) -> Path:
    """Where the export job ``job_id`` writes its ZIP (under the media directory)."""
    return get_settings().media_dir / "par-exports" / f"{job_id}.zip"
