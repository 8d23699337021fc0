"""Who the minutes speak of: the roster's officials nobody marked at submit, and the team
lead whose name the minutes' signature block carries."""

from __future__ import annotations

import unicodedata

from congvu.inspect.actor import SYSTEM
from congvu.inspect.capture.services.context import CaptureContext
from congvu.inspect.inspections.tables import AttendanceCheck, InspectionMember, MemberRole
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.api import OfficialView


async def unmarked(ctx: CaptureContext) -> list[OfficialView]:
    """The officials of the inspected unit (and its sub-units) with no attendance mark in
    force, in Vietnamese name order: the tablet lists them before submitting."""
    rows = await AttendanceCheck.select(
        AttendanceCheck.official, AttendanceCheck.client_uuid, AttendanceCheck.replaces
    ).where(AttendanceCheck.inspection == ctx.ref.id)
    replaced = {r["replaces"] for r in rows if r["replaces"] is not None}
    marked = {r["official"] for r in rows if r["client_uuid"] not in replaced}
    roster = await organisation.officials_of_unit(SYSTEM, ctx.ref.unit_id)
    return [o for o in roster if o.id not in marked]


async def team_lead_names(inspection_id: int) -> list[str]:
    """The display names of the inspection's trưởng đoàn (usually one)."""
    rows = await InspectionMember.select(InspectionMember.user.display_name).where(
        InspectionMember.inspection == inspection_id,
        InspectionMember.role == MemberRole.TRUONG_DOAN.value,
    )
    return [r["user.display_name"] for r in rows if r["user.display_name"]]


def same_person_name(a: str, b: str) -> bool:
    """Names compared as a reader would: composed Unicode, case and spacing ignored (a
    tablet keyboard may send decomposed diacritics)."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return norm(a) == norm(b)
