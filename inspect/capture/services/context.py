"""The capture context (bối cảnh ghi nhận): one inspection as a sync batch sees it, read
in one round trip, and the checks every record of the batch passes (open inspection,
official in the unit's subtree, a sane moment, the version an edit replaces)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.inspections.api import InspectionRef
from congvu.inspect.inspections.tables import Inspection, InspectionStatus
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official
from congvu.rules.working_hours import SeasonalSchedule

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class ClientRecord:
    uuid: UUID
    type: str
    inspection_id: int
    replaces: UUID | None
    device_time: datetime | None
    payload: dict[str, Any]


@dataclass
class CaptureContext:
    """One inspection as a sync batch sees it; ``status`` follows the batch's own
    start and submit records. The unit's hours are read on first use (a finding needs
    none); whether an official is in the inspected unit's subtree (its unit scope) is
    known for those the batch names and read one by one for any other."""

    actor: Actor
    ref: InspectionRef
    status: str
    started: bool
    in_scope: dict[int, bool] = field(default_factory=dict)
    now: datetime = field(default_factory=clock.now)
    # An id drawn for the next finding (a record sent alone on PostgreSQL): knowing it
    # beforehand lets the finding, its evidence, its audit event and the sync receipt
    # be written as one statement (db.one_statement).
    finding_id: int | None = None
    _schedule: SeasonalSchedule | None = None

    async def has_official(self, official_id: int) -> bool:
        known = self.in_scope.get(official_id)
        if known is None:
            rows = await db.raw(
                Official, _OFFICIAL_IN_SCOPE_SQL, official_id, f"{self.ref.unit_path}%"
            )
            known = self.in_scope[official_id] = bool(rows)
        return known

    async def schedule(self) -> SeasonalSchedule:
        if self._schedule is None:
            self._schedule = await organisation.seasonal_schedule_for_path(self.ref.unit_path)
        return self._schedule


_OFFICIAL_IN_SCOPE_SQL = (
    "SELECT o.id FROM official o JOIN unit u ON u.id = o.unit WHERE o.id = {} AND u.path LIKE {}"
)
# The inspection, its unit, its team with each member's account state and the officials
# named by the batch who belong to the unit's subtree, in one round trip (a row per
# member and named official). It replaces four Piccolo selects (inspection, team,
# roster, working hours) that took over a third of a one-finding sync (tests/bench/README.md).
_CONTEXT_SQL = (
    "SELECT i.id, i.unit, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path,"
    " i.kind, i.scheduled_date, i.status, i.sealed, i.started_at, i.plan, i.approved_by,"
    ' m."user" AS member, a.active AS member_active, {official}'
    " FROM inspection i JOIN unit u ON u.id = i.unit"
    " LEFT JOIN inspection_member m ON m.inspection = i.id"
    ' LEFT JOIN account a ON a.id = m."user"'
    "{named}"
    " WHERE i.id = {{}}"
)
_NAMED_OFFICIALS = (
    " LEFT JOIN official o ON o.id IN ({ids})"
    " AND o.unit IN (SELECT s.id FROM unit s WHERE s.path LIKE u.path || '%')"
)


def context_sql(named: int) -> str:
    """The context query for ``named`` officials: its placeholders are their ids, then
    the inspection's id. Public because ``sync`` runs it inside a query of its own,
    with the record's receipt."""
    if not named:
        return _CONTEXT_SQL.format(official="NULL AS official", named="")
    ids = ", ".join("{}" for _ in range(named))
    return _CONTEXT_SQL.format(official="o.id AS official", named=_NAMED_OFFICIALS.format(ids=ids))


async def load_context(
    actor: Actor, inspection_id: int, named_officials: Collection[int] = ()
) -> CaptureContext:
    """The capture context of an inspection on whose team the actor serves with an
    active account; 404 for anyone else, so an outsider cannot even learn that a
    (sealed) inspection exists (the rule of ``inspections.member_inspection``). The
    account is read here, not taken from the session's actor, so a disabled account
    can capture nothing more from the moment it is disabled."""
    named = sorted(set(named_officials))
    rows = await db.raw(Inspection, context_sql(len(named)), *named, inspection_id)
    return context_from_rows(actor, rows, named)


def context_from_rows(
    actor: Actor, rows: list[dict[str, Any]], named: Collection[int]
) -> CaptureContext:
    """The context from the rows of ``context_sql`` (none: no such inspection)."""
    if not any(r["member"] == actor.id and r["member_active"] for r in rows):
        raise NotFound("Không tìm thấy cuộc kiểm tra được phân công.", field="inspection_id")
    row = rows[0]
    ref = InspectionRef(
        id=row["id"],
        unit_id=row["unit"],
        unit_code=row["unit_code"],
        unit_name=row["unit_name"],
        unit_path=row["unit_path"],
        kind=row["kind"],
        scheduled_date=row["scheduled_date"],
        status=row["status"],
        sealed=bool(row["sealed"]),
        started_at=row["started_at"],
        plan_id=row["plan"],
        member_ids=frozenset(r["member"] for r in rows if r["member"] is not None),
        approved_by=row["approved_by"],
    )
    found = {r["official"] for r in rows}
    return CaptureContext(
        actor=actor,
        ref=ref,
        status=ref.status,
        started=ref.started_at is not None,
        in_scope={official_id: official_id in found for official_id in named},
    )


def check_moment(ctx: CaptureContext, moment: datetime, field_name: str) -> None:
    """Not in the future (beyond clock skew), not before the inspection's day."""
    if moment > ctx.now + CLOCK_SKEW:
        raise Invalid("Thời điểm ở tương lai; kiểm tra đồng hồ của thiết bị.", field=field_name)
    day_start = datetime.combine(ctx.ref.scheduled_date, time(0), tzinfo=clock.zone())
    if moment < day_start:
        raise Invalid(
            "Thời điểm trước ngày kiểm tra theo kế hoạch "
            f"({ctx.ref.scheduled_date.strftime('%d/%m/%Y')}).",
            field=field_name,
        )


def require_open(ctx: CaptureContext) -> None:
    if ctx.status in (InspectionStatus.SUBMITTED, InspectionStatus.CLOSED):
        raise Conflict(
            "Biên bản đã được nộp; cuộc kiểm tra không nhận thêm bản ghi.", field="inspection_id"
        )


async def require_official(ctx: CaptureContext, official_id: int) -> None:
    if not await ctx.has_official(official_id):
        raise NotFound("Không tìm thấy cán bộ này trong đơn vị được kiểm tra.", field="official_id")


async def base_version(table: Any, ctx: CaptureContext, replaces: UUID | None) -> int:
    """The version number of an edit; only the latest version may be replaced (an edit
    made on a stale copy is a conflict, never last-write-wins). Raw SQL: the finding
    handler runs in ``db.one_statement``, which reads only through ``db.raw``."""
    if replaces is None:
        return 1
    name = table._meta.tablename
    rows = await db.raw(
        table,
        f"SELECT b.version, b.inspection, EXISTS (SELECT 1 FROM {name} n"
        f" WHERE n.replaces = b.client_uuid) AS replaced FROM {name} b WHERE b.client_uuid = {{}}",
        replaces,
    )
    if not rows or rows[0]["inspection"] != ctx.ref.id:
        raise Invalid("Không tìm thấy bản ghi cần sửa trong cuộc kiểm tra này.", field="replaces")
    if rows[0]["replaced"]:
        raise Conflict(
            "Bản ghi này đã có phiên bản mới hơn; hãy sửa từ phiên bản mới nhất.",
            field="replaces",
        )
    return int(rows[0]["version"]) + 1
