"""Inspections (cuộc kiểm tra công vụ): plans, teams, surprise draws, coverage, and who
may see an inspection.

A surprise inspection (kiểm tra đột xuất) is *sealed* until it starts: only its team
and the approving leader see it, and every read of it while sealed is audited.
"""

from __future__ import annotations

import base64
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.db import atomic
from congvu.inspect.errors import Conflict, Forbidden, Invalid, NotFound
from congvu.inspect.inspections.tables import (
    AttendanceCheck,
    Finding,
    FindingEvidence,
    Inspection,
    InspectionKind,
    InspectionMember,
    InspectionPlan,
    InspectionStatus,
    MemberRole,
    PeriodKind,
    Signature,
    SurpriseDraw,
)
from congvu.inspect.services import audit, audit_chain, organisation
from congvu.inspect.settings import get_settings
from congvu.inspect.tables import Unit, UnitKind, User
from congvu.rules.calendar import DEFAULT_SESSIONS, DaySessions
from congvu.rules.conduct import catalogue
from congvu.rules.working_hours import NoSeasonForDate, SeasonalSchedule

TOPICS = ("working_hours", "conduct", "one_stop")
TOPIC_LABELS = {
    "working_hours": "Thời giờ làm việc",
    "conduct": "Văn hóa công sở, quy tắc ứng xử",
    "one_stop": "Cơ chế một cửa",
}
KIND_LABELS = {
    "SCHEDULED": "Theo kế hoạch",
    "SURPRISE_UNANNOUNCED": "Đột xuất không báo trước",
    "SURPRISE_ANNOUNCED": "Đột xuất có báo trước",
}
STATUS_LABELS = {
    "planned": "Chưa bắt đầu",
    "in_progress": "Đang kiểm tra",
    "submitted": "Đã nộp biên bản",
    "closed": "Đã kết thúc",
}
MEMBER_ROLE_LABELS = {
    "truong_doan": "Trưởng đoàn",
    "pho_truong_doan": "Phó Trưởng đoàn",
    "thanh_vien": "Thành viên",
    "thu_ky": "Thư ký",
}
# Units an inspection team visits: bodies with staff of their own, not the province node.
INSPECTABLE_KINDS = (UnitKind.department, UnitKind.service_centre, UnitKind.commune)
SURPRISE_KINDS = (InspectionKind.SURPRISE_UNANNOUNCED, InspectionKind.SURPRISE_ANNOUNCED)


def local_zone() -> Any:
    return get_settings().zone


def local_today() -> date:
    return datetime.now(local_zone()).date()


# --- access --------------------------------------------------------------------------


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
    if actor.has_role("admin", "team_lead"):
        return ref
    if actor.has_role("unit_head") and ref.status in ("submitted", "closed"):
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


def sessions_for(schedule: SeasonalSchedule, on: date) -> DaySessions:
    try:
        return schedule.sessions_on(on)
    except NoSeasonForDate:
        # A gap in the province's seasons is theirs to fix; judge by the lenient default.
        return DEFAULT_SESSIONS


# --- the tablet's list ---------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class RosterEntry:
    id: int
    code: str
    full_name: str
    position: str
    desk: str | None
    unit_name: str


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label_vi: str
    label_en: str
    subject: str
    severity: str


@dataclass(frozen=True)
class Sessions:
    morning_start: str
    morning_end: str
    afternoon_start: str
    afternoon_end: str


@dataclass(frozen=True)
class AssignedInspection:
    id: int
    unit: UnitRef
    kind: str
    scheduled_date: date
    status: str
    topics: list[str]
    roster: list[RosterEntry]
    checklist: list[ChecklistItem]
    sessions: Sessions


def _hm(t: time) -> str:
    return t.strftime("%H:%M")


async def assigned(actor: Actor) -> list[AssignedInspection]:
    """Inspections on which the actor is a team member and that are not closed, with
    what the tablet needs offline: roster, conduct checklist and the day's hours."""
    inspection_ids = [
        r["inspection"]
        for r in await InspectionMember.select(InspectionMember.inspection).where(
            InspectionMember.user == actor.id
        )
    ]
    if not inspection_ids:
        return []
    rows = (
        await Inspection.select(
            Inspection.id,
            Inspection.unit,
            Inspection.unit.code,
            Inspection.unit.name,
            Inspection.kind,
            Inspection.scheduled_date,
            Inspection.status,
            Inspection.topics,
            Inspection.sealed,
        )
        .where(
            Inspection.id.is_in(inspection_ids),
            Inspection.status != InspectionStatus.closed.value,
        )
        .order_by(Inspection.scheduled_date)
        .order_by(Inspection.id)
        .output(load_json=True)
    )
    result: list[AssignedInspection] = []
    sealed_ids: list[int] = []
    for row in rows:
        officials = await organisation.officials_of_unit(SYSTEM, row["unit"])
        schedule = await organisation.seasonal_schedule(row["unit.code"])
        day = sessions_for(schedule, row["scheduled_date"])
        items = catalogue(row["scheduled_date"]).values()
        result.append(
            AssignedInspection(
                id=row["id"],
                unit=UnitRef(row["unit"], row["unit.code"], row["unit.name"]),
                kind=row["kind"],
                scheduled_date=row["scheduled_date"],
                status=row["status"],
                topics=list(row["topics"] or []),
                roster=[
                    RosterEntry(o.id, o.code, o.full_name, o.position, o.desk, o.unit_name)
                    for o in officials
                ],
                checklist=[
                    ChecklistItem(v.code, v.label_vi, v.label_en, v.subject, v.severity)
                    for v in items
                ],
                sessions=Sessions(
                    _hm(day.morning_start),
                    _hm(day.morning_end),
                    _hm(day.afternoon_start),
                    _hm(day.afternoon_end),
                ),
            )
        )
        if row["sealed"]:
            sealed_ids.append(row["id"])
    if sealed_ids:
        async with atomic():
            for inspection_id in sealed_ids:
                await audit.record(
                    "sealed_inspection_viewed",
                    "inspection",
                    inspection_id,
                    actor=actor,
                    after={"where": "api.assigned"},
                )
    return result


# --- plans ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedVisit:
    unit_id: int
    scheduled_date: date


@dataclass(frozen=True)
class TeamMember:
    user_id: int
    role: str


@dataclass(frozen=True)
class PlanForm:
    title: str
    year: int
    quarter: int | None
    document_no: str | None
    topics: list[str]
    visits: list[PlannedVisit]
    team: list[TeamMember]


def _validate_topics(topics: list[str]) -> list[str]:
    unknown = [t for t in topics if t not in TOPICS]
    if unknown or not topics:
        raise Invalid("Chọn ít nhất một nội dung kiểm tra hợp lệ.", field="topics")
    return [t for t in TOPICS if t in topics]


async def _validate_team(team: list[TeamMember]) -> None:
    if not team:
        raise Invalid("Đoàn kiểm tra cần ít nhất một thành viên.", field="team")
    if sum(1 for m in team if m.role == MemberRole.truong_doan) != 1:
        raise Invalid("Đoàn kiểm tra cần đúng một Trưởng đoàn.", field="team")
    if any(m.role not in {r.value for r in MemberRole} for m in team):
        raise Invalid("Vai trò thành viên đoàn không hợp lệ.", field="team")
    ids = [m.user_id for m in team]
    if len(set(ids)) != len(ids):
        raise Invalid("Một người chỉ giữ một vai trò trong đoàn.", field="team")
    found = await User.select(User.id).where(
        User.id.is_in(ids),
        User.role.is_in(["inspector", "team_lead"]),
        User.active.eq(True),
    )
    if len(found) != len(ids):
        raise Invalid("Thành viên đoàn phải là tài khoản kiểm tra đang hoạt động.", field="team")


async def _inspectable_unit(actor: Actor, unit_id: int) -> organisation.UnitView:
    unit = await organisation.unit_in_scope(actor, unit_id)
    if unit.kind not in INSPECTABLE_KINDS or unit.valid_to is not None:
        raise Invalid(f"Không thể lập kế hoạch kiểm tra {unit.name}.", field="units")
    return unit


async def create_plan(actor: Actor, form: PlanForm) -> int:
    """Lập kế hoạch kiểm tra: the plan, one scheduled inspection per visit, the team."""
    title = form.title.strip()
    if not title:
        raise Invalid("Nhập tên kế hoạch.", field="title")
    if not 2019 <= form.year <= 2100:
        raise Invalid("Năm không hợp lệ.", field="year")
    if form.quarter is not None and form.quarter not in (1, 2, 3, 4):
        raise Invalid("Quý phải từ 1 đến 4.", field="quarter")
    topics = _validate_topics(form.topics)
    if not form.visits:
        raise Invalid("Chọn ít nhất một đơn vị được kiểm tra.", field="units")
    first, last = period_bounds(form.year, form.quarter)
    for visit in form.visits:
        await _inspectable_unit(actor, visit.unit_id)
        if not first <= visit.scheduled_date <= last:
            raise Invalid("Ngày kiểm tra phải nằm trong kỳ của kế hoạch.", field="scheduled_date")
    await _validate_team(form.team)
    now = datetime.now(UTC)
    async with atomic():
        plan = InspectionPlan(
            title=title,
            period_kind=PeriodKind.year if form.quarter is None else PeriodKind.quarter,
            year=form.year,
            quarter=form.quarter,
            document_no=(form.document_no or "").strip() or None,
            topics=topics,
            created_by=actor.id or None,
            created_at=now,
        )
        await plan.save()
        for visit in form.visits:
            await _create_inspection(
                actor,
                unit_id=visit.unit_id,
                kind=InspectionKind.SCHEDULED,
                scheduled_date=visit.scheduled_date,
                topics=topics,
                team=form.team,
                plan_id=plan.id,
            )
        await audit.record(
            "inspection_plan_created",
            "inspection_plan",
            plan.id,
            actor=actor,
            after={
                "title": title,
                "year": form.year,
                "quarter": form.quarter,
                "units": [v.unit_id for v in form.visits],
                "team": [m.user_id for m in form.team],
            },
        )
    return int(plan.id)


async def _create_inspection(
    actor: Actor,
    *,
    unit_id: int,
    kind: InspectionKind,
    scheduled_date: date,
    topics: list[str],
    team: list[TeamMember],
    plan_id: int | None = None,
    approved_by: int | None = None,
    draw_id: int | None = None,
    draw_seed: str | None = None,
) -> int:
    inspection = Inspection(
        plan=plan_id,
        unit=unit_id,
        kind=kind.value,
        scheduled_date=scheduled_date,
        topics=topics,
        status=InspectionStatus.planned.value,
        sealed=kind in SURPRISE_KINDS,
        approved_by=approved_by,
        draw=draw_id,
        draw_seed=draw_seed,
        created_by=actor.id or None,
        created_at=datetime.now(UTC),
    )
    await inspection.save()
    for member in team:
        await InspectionMember.insert(
            InspectionMember(inspection=inspection.id, user=member.user_id, role=member.role)
        )
    return int(inspection.id)


def period_bounds(year: int, quarter: int | None) -> tuple[date, date]:
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return first, last


@dataclass(frozen=True)
class PlanSummary:
    id: int
    title: str
    year: int
    quarter: int | None
    document_no: str | None
    topics: list[str]
    inspections: int
    created_at: datetime


async def list_plans(actor: Actor) -> list[PlanSummary]:
    """Plans with an inspection in the actor's unit scope, counting only those: a plan
    of other units is not shown, not even its title."""
    counts = Counter(
        r["plan"]
        for r in await Inspection.select(Inspection.plan).where(
            Inspection.plan.is_not_null(), Inspection.unit.path.like(f"{actor.scope_path}%")
        )
    )
    if not counts:
        return []
    rows = (
        await InspectionPlan.select()
        .where(InspectionPlan.id.is_in(list(counts)))
        .order_by(InspectionPlan.year, ascending=False)
        .order_by(InspectionPlan.quarter, ascending=False)
        .order_by(InspectionPlan.id, ascending=False)
        .output(load_json=True)
    )
    return [
        PlanSummary(
            id=r["id"],
            title=r["title"],
            year=r["year"],
            quarter=r["quarter"],
            document_no=r["document_no"],
            topics=list(r["topics"] or []),
            inspections=counts[r["id"]],
            created_at=r["created_at"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class MemberView:
    user_id: int
    display_name: str
    role: str


@dataclass(frozen=True)
class InspectionView:
    id: int
    unit_id: int
    unit_code: str
    unit_name: str
    kind: str
    scheduled_date: date
    status: str
    sealed: bool
    started_at: datetime | None
    minutes_number: str | None
    team: list[MemberView]
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlanDetail:
    plan: PlanSummary
    inspections: list[InspectionView]


async def _inspection_views(actor: Actor, rows: list[dict[str, Any]]) -> list[InspectionView]:
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    members = await InspectionMember.select(
        InspectionMember.inspection,
        InspectionMember.user,
        InspectionMember.role,
        InspectionMember.user.display_name,
        InspectionMember.user._.official._.unit._.path,
        InspectionMember.user._.official._.full_name,
    ).where(InspectionMember.inspection.is_in(ids))
    by_inspection: dict[int, list[dict[str, Any]]] = {}
    for m in members:
        by_inspection.setdefault(m["inspection"], []).append(m)
    views: list[InspectionView] = []
    for r in rows:
        team = by_inspection.get(r["id"], [])
        visible = (
            not r["sealed"] or actor.id in {m["user"] for m in team} or r["approved_by"] == actor.id
        )
        if not visible:
            continue
        views.append(
            InspectionView(
                id=r["id"],
                unit_id=r["unit"],
                unit_code=r["unit.code"],
                unit_name=r["unit.name"],
                kind=r["kind"],
                scheduled_date=r["scheduled_date"],
                status=r["status"],
                sealed=r["sealed"],
                started_at=r["started_at"],
                minutes_number=r["minutes_number"],
                team=[
                    MemberView(m["user"], m["user.display_name"], m["role"])
                    for m in sorted(team, key=lambda m: list(MemberRole).index(m["role"]))
                ],
                warnings=[
                    f"{m['user.display_name']} thuộc đơn vị được kiểm tra ({r['unit.name']})."
                    for m in team
                    if _belongs_to(m["user.official.unit.path"], r["unit.path"])
                ],
            )
        )
    return views


def _belongs_to(official_unit_path: str | None, inspected_path: str) -> bool:
    """An inspector whose own unit lies in the inspected unit's subtree inspects
    themself (xung đột lợi ích)."""
    return bool(official_unit_path) and str(official_unit_path).startswith(inspected_path)


_VIEW_COLUMNS = (
    Inspection.id,
    Inspection.unit,
    Inspection.unit.code,
    Inspection.unit.name,
    Inspection.unit.path,
    Inspection.kind,
    Inspection.scheduled_date,
    Inspection.status,
    Inspection.sealed,
    Inspection.started_at,
    Inspection.minutes_number,
    Inspection.approved_by,
)


async def plan_detail(actor: Actor, plan_id: int) -> PlanDetail:
    plan = next((p for p in await list_plans(actor) if p.id == plan_id), None)
    if plan is None:
        raise NotFound("Không tìm thấy kế hoạch kiểm tra.")
    rows = (
        await Inspection.select(*_VIEW_COLUMNS)
        .where(Inspection.plan == plan_id, Inspection.unit.path.like(f"{actor.scope_path}%"))
        .order_by(Inspection.scheduled_date)
    )
    return PlanDetail(plan, await _inspection_views(actor, list(rows)))


async def surprise_inspections(actor: Actor) -> list[InspectionView]:
    """Đột xuất inspections the actor may see (sealed ones only as team or approver)."""
    rows = (
        await Inspection.select(*_VIEW_COLUMNS)
        .where(
            Inspection.kind.is_in([k.value for k in SURPRISE_KINDS]),
            Inspection.unit.path.like(f"{actor.scope_path}%"),
        )
        .order_by(Inspection.scheduled_date, ascending=False)
    )
    views = await _inspection_views(actor, list(rows))
    sealed = [v.id for v in views if v.sealed]
    if sealed:
        async with atomic():
            for inspection_id in sealed:
                await audit.record(
                    "sealed_inspection_viewed",
                    "inspection",
                    inspection_id,
                    actor=actor,
                    after={"where": "plans.draw"},
                )
    return views


async def team_conflicts(actor: Actor, unit_ids: list[int], user_ids: list[int]) -> list[str]:
    """Warnings for a team about to be assigned: members whose own unit is inside an
    inspected unit's subtree. Units outside the actor's scope are ignored (their names
    are not the actor's to read)."""
    if not unit_ids or not user_ids:
        return []
    units = await Unit.select(Unit.name, Unit.path).where(
        Unit.id.is_in(unit_ids), Unit.path.like(f"{actor.scope_path}%")
    )
    users = await User.select(User.display_name, User.official._.unit._.path).where(
        User.id.is_in(user_ids)
    )
    return [
        f"{u['display_name']} thuộc đơn vị được kiểm tra ({unit['name']})."
        for unit in units
        for u in users
        if _belongs_to(u["official.unit.path"], unit["path"])
    ]


@dataclass(frozen=True)
class Choice:
    id: int
    label: str
    detail: str = ""


async def plan_choices(actor: Actor) -> tuple[list[Choice], list[Choice]]:
    """Units that can be inspected and people who can be on a team, for the forms."""
    units = [
        Choice(u.id, u.name, u.code)
        for u in await organisation.visible_units(actor)
        if u.kind in INSPECTABLE_KINDS and u.valid_to is None
    ]
    people = await (
        User.select(User.id, User.display_name, User.role, User.official._.unit._.name)
        .where(User.role.is_in(["inspector", "team_lead"]), User.active.eq(True))
        .order_by(User.display_name)
    )
    return units, [
        Choice(p["id"], p["display_name"], p["official.unit.name"] or "") for p in people
    ]


# --- surprise draw -------------------------------------------------------------------


def draw_units(seed: str, weights: dict[str, int], count: int) -> list[str]:
    """Weighted sampling without replacement, fully determined by ``seed``: the same
    seed and weights give the same units, so a draw can be re-checked later."""
    rng = random.Random(seed)
    pool = sorted(weights)  # a fixed order: dict order must not change the outcome
    chosen: list[str] = []
    while pool and len(chosen) < count:
        pick = rng.choices(pool, weights=[weights[c] for c in pool], k=1)[0]
        chosen.append(pick)
        pool.remove(pick)
    return chosen


async def risk_weights(actor: Actor, as_of: date, days: int = 365) -> dict[str, int]:
    """1 + the unit's findings of the last ``days`` days: every unit can be drawn, the
    units with recent violations more often."""
    units = [
        u
        for u in await organisation.visible_units(actor)
        if u.kind in INSPECTABLE_KINDS and u.valid_to is None
    ]
    since = datetime.combine(as_of - timedelta(days=days), time(0), tzinfo=local_zone())
    findings = await Finding.select(Finding.unit.path).where(
        Finding.status == "recorded", Finding.observed_at >= since
    )
    weights: dict[str, int] = {}
    for unit in units:
        weights[unit.code] = 1 + sum(
            1 for f in findings if str(f["unit.path"]).startswith(unit.path)
        )
    return weights


@dataclass(frozen=True)
class DrawForm:
    count: int
    scheduled_date: date
    kind: str
    topics: list[str]
    team: list[TeamMember]


async def draw_surprise(actor: Actor, form: DrawForm, seed: str | None = None) -> int:
    """Bốc thăm: pick units by risk weight and create one sealed surprise inspection per
    unit, approved by the actor. Seed, weights and result are stored with the draw."""
    if form.kind not in {k.value for k in SURPRISE_KINDS}:
        raise Invalid("Hình thức kiểm tra đột xuất không hợp lệ.", field="kind")
    if not 1 <= form.count <= 20:
        raise Invalid("Số đơn vị bốc thăm từ 1 đến 20.", field="count")
    if form.scheduled_date < local_today():
        raise Invalid("Ngày kiểm tra không được ở quá khứ.", field="scheduled_date")
    topics = _validate_topics(form.topics)
    await _validate_team(form.team)
    weights = await risk_weights(actor, local_today())
    if not weights:
        raise Invalid("Không có đơn vị nào trong phạm vi để bốc thăm.", field="count")
    seed = seed or secrets.token_hex(16)
    chosen = draw_units(seed, weights, form.count)
    units = {
        u["code"]: u["id"]
        for u in await Unit.select(Unit.id, Unit.code).where(Unit.code.is_in(chosen))
    }
    async with atomic():
        draw = SurpriseDraw(
            seed=seed,
            weights=weights,
            result=chosen,
            units_drawn=form.count,
            created_by=actor.id or None,
            created_at=datetime.now(UTC),
        )
        await draw.save()
        for code in chosen:
            await _create_inspection(
                actor,
                unit_id=units[code],
                kind=InspectionKind(form.kind),
                scheduled_date=form.scheduled_date,
                topics=topics,
                team=form.team,
                approved_by=actor.id or None,
                draw_id=draw.id,
                draw_seed=seed,
            )
        await audit.record(
            "surprise_draw",
            "surprise_draw",
            draw.id,
            actor=actor,
            after={"seed": seed, "weights": weights, "result": chosen},
        )
    return int(draw.id)


@dataclass(frozen=True)
class DrawCheck:
    id: int
    seed: str
    weights: dict[str, int]
    result: list[str]
    rerun: list[str]

    @property
    def reproducible(self) -> bool:
        return self.result == self.rerun


async def recheck_draw(actor: Actor, draw_id: int) -> DrawCheck:
    """Re-run a stored draw from its seed and weights (kiểm tra lại kết quả bốc thăm)."""
    row = (
        await SurpriseDraw.select().where(SurpriseDraw.id == draw_id).output(load_json=True).first()
    )
    # The result names the units about to be visited: only the approver sees it.
    if row is None or row["created_by"] != actor.id:
        raise NotFound("Không tìm thấy lượt bốc thăm.")
    weights = {str(k): int(v) for k, v in row["weights"].items()}
    return DrawCheck(
        id=row["id"],
        seed=row["seed"],
        weights=weights,
        result=list(row["result"]),
        rerun=draw_units(row["seed"], weights, row["units_drawn"]),
    )


async def list_draws(actor: Actor) -> list[DrawCheck]:
    rows = (
        await SurpriseDraw.select(SurpriseDraw.id)
        .where(SurpriseDraw.created_by == actor.id)
        .order_by(SurpriseDraw.id, ascending=False)
    )
    return [await recheck_draw(actor, r["id"]) for r in rows[:20]]


# --- coverage ------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    unit_id: int
    unit_code: str
    unit_name: str
    planned_in_period: int
    inspected_in_period: int
    last_inspected: date | None
    days_since: int | None


@dataclass(frozen=True)
class Coverage:
    year: int
    quarter: int
    as_of: date
    stale_days: int
    rows: list[CoverageRow]

    @property
    def never(self) -> list[CoverageRow]:
        return [r for r in self.rows if r.last_inspected is None]

    @property
    def stale(self) -> list[CoverageRow]:
        return [
            r for r in self.rows if r.days_since is not None and r.days_since >= self.stale_days
        ]


async def coverage(actor: Actor, year: int, quarter: int, stale_days: int = 180) -> Coverage:
    """Độ bao phủ: per unit, what the quarter plans and what was actually inspected, the
    last inspection ever, and how long ago (as of the quarter's end or today)."""
    if quarter not in (1, 2, 3, 4):
        raise Invalid("Quý phải từ 1 đến 4.", field="quarter")
    if stale_days < 1:
        raise Invalid("Số ngày phải lớn hơn 0.", field="days")
    first, last = period_bounds(year, quarter)
    as_of = min(last, local_today())
    units = [
        u
        for u in await organisation.visible_units(actor)
        if u.kind in INSPECTABLE_KINDS and u.valid_to is None
    ]
    rows = await Inspection.select(
        Inspection.id,
        Inspection.unit,
        Inspection.scheduled_date,
        Inspection.started_at,
        Inspection.sealed,
        Inspection.approved_by,
    ).where(Inspection.unit.path.like(f"{actor.scope_path}%"))
    member_of = {
        r["inspection"]
        for r in await InspectionMember.select(InspectionMember.inspection).where(
            InspectionMember.user == actor.id
        )
    }
    zone = local_zone()
    result: list[CoverageRow] = []
    for unit in units:
        mine = [r for r in rows if r["unit"] == unit.id]
        visible = [
            r
            for r in mine
            if not r["sealed"] or r["id"] in member_of or r["approved_by"] == actor.id
        ]
        done = sorted(
            r["started_at"].astimezone(zone).date()
            for r in mine
            if r["started_at"] is not None and r["started_at"].astimezone(zone).date() <= as_of
        )
        last_done = done[-1] if done else None
        result.append(
            CoverageRow(
                unit_id=unit.id,
                unit_code=unit.code,
                unit_name=unit.name,
                planned_in_period=sum(1 for r in visible if first <= r["scheduled_date"] <= last),
                inspected_in_period=sum(1 for d in done if first <= d <= last),
                last_inspected=last_done,
                days_since=(as_of - last_done).days if last_done else None,
            )
        )
    return Coverage(year, quarter, as_of, stale_days, result)


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
    rule: str


@dataclass(frozen=True)
class MinutesFinding:
    subject: str
    label_vi: str
    facts: str
    explanation_vi: str
    legal_basis: str
    rule: str
    observed_at: datetime
    photos: int


@dataclass(frozen=True)
class MinutesSignature:
    role: str
    name: str
    refused: bool
    witness_name: str | None
    image_data_uri: str | None


@dataclass(frozen=True)
class InspectionEvent:
    """One line of the inspection's history (lịch sử): its audit events."""

    occurred_at: datetime
    actor: str | None
    action: str


@dataclass(frozen=True)
class Minutes:
    inspection: InspectionRef
    parent_body: str
    issuing_body: str
    number: str
    place_name: str
    date_line: str
    started_at: datetime | None
    place: str | None
    plan_title: str | None
    plan_document_no: str | None
    kind_label: str
    topics: list[str]
    team: list[MemberView]
    attendance: list[MinutesAttendance]
    findings: list[MinutesFinding]
    signatures: dict[str, MinutesSignature]
    submitted: bool
    history: list[InspectionEvent]


def _place_name(province_name: str) -> str:
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
    rows = await audit_chain.history("inspection", inspection_id)
    return [InspectionEvent(r["occurred_at"], r["actor_username"], r["action"]) for r in rows]


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
    zone = local_zone()
    day = row["started_at"].astimezone(zone).date() if row["started_at"] else ref.scheduled_date
    (view,) = await _inspection_views(
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
        .where(Finding.inspection == inspection_id, Finding.status == "recorded")
        .order_by(Finding.observed_at)
    ]
    if findings:
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
    status_words = {
        "present": "Có mặt",
        "late": "Đi muộn",
        "absent": "Vắng mặt",
        "away": "Vắng có phép",
    }
    return Minutes(
        inspection=ref,
        parent_body=province.upper(),
        issuing_body="ĐOÀN KIỂM TRA CÔNG VỤ",
        number=row["minutes_number"] or "…/BB-ĐKTCV",
        place_name=_place_name(province),
        date_line=vn_date_line(day),
        started_at=row["started_at"],
        place=row["place"],
        plan_title=row["plan.title"],
        plan_document_no=row["plan.document_no"],
        kind_label=KIND_LABELS[row["kind"]],
        topics=[TOPIC_LABELS.get(t, t) for t in row["topics"] or []],
        team=view.team,
        attendance=[
            MinutesAttendance(
                full_name=c["official.full_name"],
                position=c["official.position"],
                desk=c["official.desk"],
                status=status_words.get(c["status"], c["status"]),
                time=(c["arrival_time"] or c["left_time"]).strftime("%H:%M")
                if (c["arrival_time"] or c["left_time"])
                else None,
                verdict_status=c["verdict_status"],
                explanation_vi=c["explanation_vi"],
                rule=f"{c['rule_id']} {c['rule_version']}",
            )
            for c in sorted(checks, key=lambda c: c["official.sort_key"])
        ],
        findings=[
            MinutesFinding(
                subject=f["official.full_name"] or f["unit.name"],
                label_vi=labels[f["id"]],
                facts=f["facts"],
                explanation_vi=f["explanation_vi"],
                legal_basis=f["legal_basis"],
                rule=f"{f['rule_id']} {f['rule_version']}",
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
                image_data_uri=_signature_uri(s["image_path"]),
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
        InspectionMember.role == MemberRole.truong_doan.value,
    )
    if not is_lead:
        raise Forbidden("Chỉ Trưởng đoàn được kết thúc cuộc kiểm tra.")
    if ref.status != InspectionStatus.submitted:
        raise Conflict("Chỉ kết thúc được cuộc kiểm tra đã nộp biên bản.", field="status")
    async with atomic():
        await Inspection.update({Inspection.status: InspectionStatus.closed.value}).where(
            Inspection.id == inspection_id
        )
        await audit.record("inspection_closed", "inspection", inspection_id, actor=actor)
