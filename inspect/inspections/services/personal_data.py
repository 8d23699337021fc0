"""What the inspections hold about one official, for the personal-data export (Luật
91/2025/QH15): their attendance checks (điểm danh) and the minutes' signatures they
gave. A signature names its signer as typed on the tablet, not an official: one
concerns the official when it is their name on a check of their own unit."""

from __future__ import annotations

from typing import Any

from congvu.inspect.inspections.tables import AttendanceCheck, Signature


async def attendance_of(official_id: int) -> list[dict[str, Any]]:
    return list(
        await AttendanceCheck.select(
            AttendanceCheck.id,
            AttendanceCheck.inspection,
            AttendanceCheck.status,
            AttendanceCheck.arrival_time,
            AttendanceCheck.left_time,
            AttendanceCheck.away_kind,
            AttendanceCheck.reason,
            AttendanceCheck.observed_at,
            AttendanceCheck.verdict_status,
            AttendanceCheck.minutes,
            AttendanceCheck.violation_code,
            AttendanceCheck.rule_id,
            AttendanceCheck.rule_version,
            AttendanceCheck.legal_basis,
            AttendanceCheck.version,
        )
        .where(AttendanceCheck.official == official_id)
        .order_by(AttendanceCheck.observed_at)
        .order_by(AttendanceCheck.id)
    )


async def signatures_of(full_name: str, unit_id: int) -> list[dict[str, Any]]:
    """Chữ ký under the official's name on the minutes of checks of their unit."""
    return list(
        await Signature.select(
            Signature.id,
            Signature.inspection,
            Signature.role,
            Signature.name,
            Signature.refused,
            Signature.witness_name,
            Signature.image_path,
            Signature.version,
            Signature.created_at,
        )
        .where(Signature.name == full_name, Signature.inspection._.unit == unit_id)
        .order_by(Signature.id)
    )
