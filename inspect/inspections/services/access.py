"""Who may see an inspection (quyền xem cuộc kiểm tra): its team always, the approving
leader, and, once it is no longer sealed, team leads, admins and the unit's head within
their scope. A sealed surprise inspection is visible to its team and approver only, and
every read of it while sealed is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import NotFound
from congvu.inspect.inspections.tables import Inspection, InspectionMember


@dataclass(frozen=True)
class InspectionRef:
    """What capture and sync need to know about an inspection, loaded once per batch."""

    id: int
    unit_id: int
    unit_code: str
    unit_name: str
    unit_path: str
    kind: str
    scheduled_date: date
    status: str
    sealed: bool
    started_at: datetime | None
    plan_id: int | None
    member_ids: frozenset[int]
    approved_by: int | None

    def visible_to(self, actor: Actor) -> bool:
        return actor.id in self.member_ids or (
            actor.id == self.approved_by and self.approved_by is not None
        )


async def load_ref(inspection_id: int) -> InspectionRef | None:
    row = (
        await Inspection.select(
            *Inspection.all_columns(),
            Inspection.unit.code,
            Inspection.unit.name,
            Inspection.unit.path,
        )
        .where(Inspection.id == inspection_id)
        .first()
    )
    if row is None:
        return None
    members = await InspectionMember.select(InspectionMember.user).where(
        InspectionMember.inspection == inspection_id
    )
    return InspectionRef(
        id=row["id"],
        unit_id=row["unit"],
        unit_code=row["unit.code"],
        unit_name=row["unit.name"],
        unit_path=row["unit.path"],
        kind=row["kind"],
        scheduled_date=row["scheduled_date"],
        status=row["status"],
        sealed=row["sealed"],
        started_at=row["started_at"],
        plan_id=row["plan"],
        member_ids=frozenset(m["user"] for m in members),
        approved_by=row["approved_by"],
    )


async def member_inspection(actor: Actor, inspection_id: int) -> InspectionRef:
    """The inspection if the actor is on its team; otherwise 404, so an outsider cannot
    even learn that a (sealed) inspection exists."""
    ref = await load_ref(inspection_id)
    if ref is None or actor.id not in ref.member_ids:
        raise NotFound("Không tìm thấy cuộc kiểm tra được phân công.", field="inspection_id")
    return ref


async def readable_inspection(actor: Actor, inspection_id: int) -> InspectionRef:
    """For the minutes and the plan pages: the team and the approver always; otherwise
    team leads and admins within their scope, and the unit's head once submitted; a
    sealed inspection only to its team and approver."""
    ref = await load_ref(inspection_id)
    if ref is None:
        raise NotFound("Không tìm thấy cuộc kiểm tra.")
    if ref.visible_to(actor):
        return ref
    if ref.sealed or not actor.can_see_unit_path(ref.unit_path):
        raise NotFound("Không tìm thấy cuộc kiểm tra.")
    if actor.has_role(Role.ADMIN, Role.TEAM_LEAD):
        return ref
    if actor.has_role(Role.UNIT_HEAD) and ref.status in ("submitted", "closed"):
        return ref
    raise NotFound("Không tìm thấy cuộc kiểm tra.")


async def audit_sealed_view(actor: Actor, ref: InspectionRef, where: str) -> None:
    if ref.sealed:
        async with atomic():
            await audit.record(
                "sealed_inspection_viewed",
                "inspection",
                ref.id,
                actor=actor,
                after={"where": where},
            )
