"""The rejected rows of an import batch (dòng bị loại), as CSV for whoever may see it."""

from __future__ import annotations

import csv
import io
from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.dossiers.tables import ImportBatch, RejectedRow
from congvu.inspect.errors import NotFound


async def rejected_rows_csv(actor: Actor, batch_id: int) -> str:
    """The rejected rows of a batch as CSV (UTF-8 with BOM, so Excel shows Vietnamese),
    the cells as read plus the row number, column and reason."""
    batch = (
        await ImportBatch.select(
            ImportBatch.id,
            ImportBatch.requested_by,
            ImportBatch.unit.path,
            ImportBatch.requested_by._.scope_unit._.path.as_alias("starter_path"),
        )
        .where(ImportBatch.id == batch_id)
        .first()
    )
    if batch is None or not may_see_batch(actor, batch):
        raise NotFound("Không tìm thấy lô nhập.")
    rows = (
        await RejectedRow.select()
        .where(RejectedRow.batch == batch_id)
        .order_by(RejectedRow.row_number)
        .output(load_json=True)
    )
    headers: list[str] = []
    for row in rows:
        headers += [h for h in row["cells"] if h not in headers]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["dòng", *(inert(h) for h in headers), "cột", "lý do"])
    for row in rows:
        writer.writerow(
            [
                row["row_number"],
                *(inert(row["cells"].get(h, "")) for h in headers),
                inert(row["column"]),
                row["reason"],
            ]
        )
    return out.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: object) -> str:
    """A cell from the uploaded file as a spreadsheet shows it but never runs it: one
    starting like a formula (= + - @, or a tab or carriage return before one) gets the
    apostrophe spreadsheets read as "text follows"."""
    value = "" if text is None else str(text)
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def may_see_batch(actor: Actor, batch: dict[str, Any]) -> bool:
    """Its starter, and whoever's scope holds its unit; a whole-province import (no unit):
    the administrators whose scope holds its starter's unit. The import history
    (``dossiers.recent_batches``) lists by the same rule."""
    if batch["requested_by"] == actor.id:
        return True
    path = batch.get("unit.path")
    if path is not None:
        return actor.can_see_unit_path(path)
    return actor.role == Role.ADMIN and actor.can_see_unit_path(batch.get("starter_path") or "")
