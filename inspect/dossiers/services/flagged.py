"""Hồ sơ cần xem xét of a unit, a page at a time: dossiers with a flag a unit head must
look at, most working days late first, with their true number.

After a province's one-stop import a unit can hold tens of thousands: the list is cut
into keyset pages (the cursor is the last or first row's sort key: days late, receipt,
id), never an OFFSET that reads and drops every earlier row.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services.queries import ROW_COLUMNS, DossierRow, dossier_row
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation import api as organisation
from congvu.rules.dossiers import DossierFlag

PAGE_SIZE = 100


@dataclass(frozen=True)
class FlaggedPage:
    unit: organisation.UnitView
    rows: list[DossierRow]
    total: int
    number: int  # from 1
    pages: int
    first: int  # position of the first row, from 1
    next_cursor: str | None
    previous_cursor: str | None


def _attention(unit_path: str) -> list[Any]:
    # Every flag but the 24-hour reminder is a fault to look at: a dossier is listed
    # unless it has no flag or that one alone.
    return [
        Dossier.unit.path.like(f"{unit_path}%"),
        Dossier.flags != "",
        Dossier.flags != DossierFlag.DUE_WITHIN_24H.value,
    ]


Key = tuple[int, datetime, int]


def _key(row: DossierRow) -> Key:
    return (row.working_days_late, row.received_at, row.id)


def encode(key: Key) -> str:
    raw = f"{key[0]}|{key[1].isoformat()}|{key[2]}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(token: str | None, name: str) -> Key | None:
    text = (token or "").strip()
    if not text:
        return None
    try:
        late, received, row_id = (
            base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode().split("|")
        )
        return (int(late), datetime.fromisoformat(received), int(row_id))
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise Invalid("Liên kết trang không hợp lệ.", field=name) from error


def _before(key: Key) -> Any:
    """Rows listed before ``key``: more days late, or as late and received earlier."""
    late, received, row_id = key
    return (Dossier.working_days_late > late) | (
        (Dossier.working_days_late == late)
        & (
            (Dossier.received_at < received)
            | ((Dossier.received_at == received) & (Dossier.id < row_id))
        )
    )


def _after(key: Key) -> Any:
    late, received, row_id = key
    return (Dossier.working_days_late < late) | (
        (Dossier.working_days_late == late)
        & (
            (Dossier.received_at > received)
            | ((Dossier.received_at == received) & (Dossier.id > row_id))
        )
    )


async def flagged_page(
    actor: Actor,
    unit_id: int,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> FlaggedPage:
    """One page of the unit's flagged dossiers, after (or before) a cursor. Each row is
    attributed to its unit and, where the export names them, its handling official; a
    head decides what follows (nothing here punishes anyone)."""
    unit = await organisation.unit_in_scope(actor, unit_id)
    where = _attention(unit.path)
    after_key, before_key = decode(after, "after"), decode(before, "before")
    query = Dossier.select(*ROW_COLUMNS).limit(size)
    if after_key is None and before_key is not None:
        # The page before: read backwards from the cursor, then put it in order.
        rows = await (
            query.where(*where, _before(before_key))
            .order_by(Dossier.working_days_late)
            .order_by(Dossier.received_at, Dossier.id, ascending=False)
        )
        rows.reverse()
        if len(rows) < size:  # near the start: the first page, full
            rows = await _first(where, size)
    else:
        clauses = [*where, _after(after_key)] if after_key is not None else where
        rows = await (
            query.where(*clauses)
            .order_by(Dossier.working_days_late, ascending=False)
            .order_by(Dossier.received_at, Dossier.id)
        )
    found = [dossier_row(r) for r in rows]
    total = await Dossier.count().where(*where)
    earlier = await Dossier.count().where(*where, _before(_key(found[0]))) if found else 0
    pages = max(1, -(-total // size))
    shown = earlier + len(found)
    return FlaggedPage(
        unit=unit,
        rows=found,
        total=total,
        number=min(pages, -(-earlier // size) + 1),
        pages=pages,
        first=earlier + 1,
        next_cursor=encode(_key(found[-1])) if found and shown < total else None,
        previous_cursor=encode(_key(found[0])) if found and earlier > 0 else None,
    )


async def _first(where: list[Any], size: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await (
        Dossier.select(*ROW_COLUMNS)
        .where(*where)
        .order_by(Dossier.working_days_late, ascending=False)
        .order_by(Dossier.received_at, Dossier.id)
        .limit(size)
    )
    return rows
