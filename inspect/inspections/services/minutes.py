"""Biên bản kiểm tra: the minutes of an inspection in the NĐ 30/2020 layout, its history,
and closing the inspection once the minutes are submitted."""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Conflict, Forbidden, NotFound
from congvu.inspect.i18n import format_time
from congvu.inspect.inspections.services.access import (
    InspectionRef,
    audit_sealed_view,
    readable_inspection,
)
from congvu.inspect.inspections.services.labels import (
    KIND_LABELS,
    TOPIC_LABELS,
    history_label,
    rule_basis,
)
from congvu.inspect.inspections.services.plans import (
    MemberView,
    inspection_views,
)
from congvu.inspect.inspections.tables import (
    AttendanceCheck,
    Finding,
    FindingEvidence,
    FindingVersion,
    Inspection,
    InspectionMember,
    InspectionStatus,
    MemberRole,
    Signature,
)
from congvu.inspect.organisation.tables import Official, Unit, User
from congvu.inspect.settings import get_settings
from congvu.rules.conduct import catalogue
from congvu.rules.working_hours import AttendanceStatus

# --- minutes (biên bản kiểm tra) -----------------------------------------------------


def vn_date_line(day: date) -> str:
    """ "ngày 05 tháng 3 năm 2026": NĐ 30/2020 pads days below 10 and the months 1 and 2
    (so a digit cannot be added in front of them later)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@dataclass(frozen=True)
class MinutesAttendance:
    full_name: str
    position: str
    desk: str | None
    status: str
    time: str | None
    verdict_status: str
    explanation_vi: str
    # "căn cứ": the legal texts and the rule pack's version (rules/README.md).
    basis: str


@dataclass(frozen=True)
class MinutesFinding:
    subject: str
    label_vi: str
    facts: str
    explanation_vi: str
    legal_basis: str
    rule_version: str
    observed_at: datetime
    photos: int


@dataclass(frozen=True)
class MinutesSignature:
    role: str
    name: str
    refused: bool
    witness_name: str | None
    image_data_uri: str | None
    # When the image was deleted past its retention period (the minutes say so).
    image_purged_at: datetime | None = None


@dataclass(frozen=True)
class InspectionEvent:
    """One line of the inspection's history (lịch sử): its audit events."""

    occurred_at: datetime
    actor: str | None
    action: str
    # What people read: the action's label and the actor's display name.
    label: str = ""
    actor_name: str | None = None


@dataclass(frozen=True)
class Minutes:
    inspection: InspectionRef
    parent_body: str
    issuing_body: str
    number: str
    place_name: str
    date_line: str
    started_at: datetime | None
    submitted_at: datetime | None
    off_hours_reason: str
    place: str | None
    plan_title: str | None
    plan_document_no: str | None
    # "Quyết định số 125/QĐ-UBND ngày 18/02/2026", the team's basis; "" until recorded.
    team_decision: str
    kind_label: str
    topics: list[str]
    team: list[MemberView]
    attendance: list[MinutesAttendance]
    # Officials of the roster left unmarked, as the team lead confirmed at submit.
    unmarked: list[str]
    findings: list[MinutesFinding]
    signatures: dict[str, MinutesSignature]
    submitted: bool
    history: list[InspectionEvent]


def place_name(province_name: str) -> str:
    """The địa danh of the date line: "Thử Nghiệm" for "Tỉnh Thử Nghiệm" or "Ủy ban nhân
    dân tỉnh Thử Nghiệm"."""
    for prefix in ("Ủy ban nhân dân tỉnh ", "Ủy ban nhân dân thành phố ", "Tỉnh ", "Thành phố "):
        if province_name.startswith(prefix):
            return province_name[len(prefix) :]
    return province_name


def _latest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    replaced = {r["replaces"] for r in rows if r["replaces"] is not None}
    return [r for r in rows if r["client_uuid"] not in replaced]


def _signature_uri(relative: str | None) -> str | None:
    if relative is None:
        return None
    path = get_settings().media_dir / relative
    if not path.is_file():
        return None
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


async def history(inspection_id: int) -> list[InspectionEvent]:
    """Lịch sử: the inspection's audit events, oldest first (callers authorise)."""
    rows = await audit.history("inspection", inspection_id)
    usernames = sorted({r["actor_username"] for r in rows if r["actor_username"]})
    names = {
        u["username"]: u["display_name"]
        for u in await User.select(User.username, User.display_name).where(
            User.username.is_in(usernames or [""])
        )
    }
    return [
        InspectionEvent(
            r["occurred_at"],
            r["actor_username"],
            r["action"],
            label=history_label(r["action"]),
            actor_name=names.get(r["actor_username"])
            or ("Hệ thống" if r["actor_username"] else None),
        )
        for r in rows
    ]


async def minutes(actor: Actor, inspection_id: int) -> Minutes:
    """Biên bản kiểm tra: everything recorded, latest versions only, in document order,
    and the inspection's history. The findings it shows are read: each read is audited."""
    ref = await readable_inspection(actor, inspection_id)
    await audit_sealed_view(actor, ref, "minutes")
    row = (
        await Inspection.select(
            *Inspection.all_columns(), Inspection.plan.title, Inspection.plan.document_no
        )
        .where(Inspection.id == inspection_id)
        .output(load_json=True)
        .first()
    )
    if row is None:  # deleted between the two reads
        raise NotFound("Không tìm thấy cuộc kiểm tra.")
    root_code = ref.unit_path.strip("/").split("/")[0]
    root = await Unit.select(Unit.name).where(Unit.code == root_code).first()
    province = root["name"] if root else ref.unit_name
    zone = clock.zone()
    day = row["started_at"].astimezone(zone).date() if row["started_at"] else ref.scheduled_date
    (view,) = await inspection_views(
        SYSTEM,
        [
            {
                **row,
                "unit": ref.unit_id,
                "unit.code": ref.unit_code,
                "unit.name": ref.unit_name,
                "unit.path": ref.unit_path,
                "sealed": False,
            }
        ],
    )
    checks = _latest(
        list(
            await AttendanceCheck.select(
                *AttendanceCheck.all_columns(),
                AttendanceCheck.official.full_name,
                AttendanceCheck.official.position,
                AttendanceCheck.official.desk,
                AttendanceCheck.official.sort_key,
            ).where(AttendanceCheck.inspection == inspection_id)
        )
    )
    findings = [
        f
        for f in await Finding.select(
            *Finding.all_columns(), Finding.official.full_name, Finding.unit.name
        )
        .where(Finding.inspection == inspection_id, Finding.version_state == FindingVersion.CURRENT)
        .order_by(Finding.observed_at)
    ]
    # A person's read is audited. The evidence register renders every minutes of the year
    # each day to file them: that is the system filing a document (its registration is
    # audited), not anybody reading the findings, and would add a row per finding per day.
    if findings and actor != SYSTEM:
        async with atomic():
            for f in findings:
                await audit.record(
                    "finding_viewed", "finding", f["id"], actor=actor, after={"where": "minutes"}
                )
    photos = Counter(
        r["finding"]
        for r in await FindingEvidence.select(FindingEvidence.finding).where(
            FindingEvidence.finding.is_in([f["id"] for f in findings] or [0])
        )
    )
    labels = {}
    for f in findings:
        try:
            labels[f["id"]] = catalogue(f["observed_at"].astimezone(zone).date())[
                f["violation_code"]
            ].label_vi
        except (KeyError, LookupError):
            labels[f["id"]] = f["violation_code"]
    signatures = _latest(
        list(await Signature.select().where(Signature.inspection == inspection_id))
    )
    unmarked_ids = list(row["unmarked_at_submit"] or [])
    unmarked = [
        r["full_name"]
        for r in await Official.select(Official.full_name)
        .where(Official.id.is_in(unmarked_ids or [0]))
        .order_by(Official.sort_key)
    ]
    # The column states the verdict, not the button pressed on the tablet: a person marked
    # "late" who arrived within the session's start is present on time, and the minutes
    # must not say "Đi muộn" beside "đúng giờ".
    marked_words = {
        "present": "Có mặt",
        "late": "Đi muộn",
        "absent": "Vắng mặt",
        "away": "Vắng có phép",
    }
    verdict_words = {
        AttendanceStatus.ON_TIME: "Có mặt",
        AttendanceStatus.LATE: "Đi muộn",
        AttendanceStatus.LEFT_EARLY: "Về sớm",
        AttendanceStatus.ABSENT_NO_PERMISSION: "Vắng mặt không có lý do",
        AttendanceStatus.AWAY_APPROVED: "Vắng có lý do",
        AttendanceStatus.NOT_ON_DUTY: "Ngoài giờ làm việc",
    }
    return Minutes(
        inspection=ref,
        parent_body=province.upper(),
        issuing_body="ĐOÀN KIỂM TRA CÔNG VỤ",
        number=row["minutes_number"] or "…/BB-ĐKTCV",
        place_name=place_name(province),
        date_line=vn_date_line(day),
        started_at=row["started_at"],
        submitted_at=row["submitted_at"],
        off_hours_reason=row["off_hours_reason"],
        place=row["place"],
        plan_title=row["plan.title"],
        plan_document_no=row["plan.document_no"],
        team_decision=(
            f"Quyết định số {row['team_decision_number']} ngày {row['team_decision_date']:%d/%m/%Y}"
            if row["team_decision_number"] and row["team_decision_date"]
            else ""
        ),
        kind_label=KIND_LABELS[row["kind"]],
        topics=[TOPIC_LABELS.get(t, t) for t in row["topics"] or []],
        team=view.team,
        attendance=[
            MinutesAttendance(
                full_name=c["official.full_name"],
                position=c["official.position"],
                desk=c["official.desk"],
                status=verdict_words.get(
                    c["verdict_status"], marked_words.get(c["status"], c["status"])
                ),
                time=format_time(c["arrival_time"] or c["left_time"]) or None,
                verdict_status=c["verdict_status"],
                explanation_vi=c["explanation_vi"],
                basis=rule_basis(c["rule_id"], c["rule_version"]),
            )
            for c in sorted(checks, key=lambda c: c["official.sort_key"])
        ],
        unmarked=unmarked,
        findings=[
            MinutesFinding(
                subject=f["official.full_name"] or f["unit.name"],
                label_vi=labels[f["id"]],
                facts=f["facts"],
                explanation_vi=f["explanation_vi"],
                legal_basis=f["legal_basis"],
                rule_version=f["rule_version"],
                observed_at=f["observed_at"],
                photos=photos[f["id"]],
            )
            for f in findings
        ],
        signatures={
            s["role"]: MinutesSignature(
                role=s["role"],
                name=s["name"],
                refused=s["refused"],
                witness_name=s["witness_name"],
                image_data_uri=None if s["image_purged_at"] else _signature_uri(s["image_path"]),
                image_purged_at=s["image_purged_at"],
            )
            for s in signatures
        },
        submitted=row["status"] in ("submitted", "closed"),
        history=await history(inspection_id),
    )


async def close_inspection(actor: Actor, inspection_id: int) -> None:
    """Kết thúc cuộc kiểm tra: the team lead closes submitted minutes; the tablets stop
    listing the inspection."""
    ref = await readable_inspection(actor, inspection_id)
    is_lead = await InspectionMember.exists().where(
        InspectionMember.inspection == inspection_id,
        InspectionMember.user == actor.id,
        InspectionMember.role == MemberRole.TRUONG_DOAN.value,
    )
    if not is_lead:
        raise Forbidden("Chỉ Trưởng đoàn được kết thúc cuộc kiểm tra.")
    if ref.status != InspectionStatus.SUBMITTED:
        raise Conflict("Chỉ kết thúc được cuộc kiểm tra đã nộp biên bản.", field="status")
    async with atomic():
        await Inspection.update({Inspection.status: InspectionStatus.CLOSED.value}).where(
            Inspection.id == inspection_id
        )
        await audit.record("inspection_closed", "inspection", inspection_id, actor=actor)
