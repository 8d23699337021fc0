"""Inspection plans (kế hoạch kiểm tra công vụ): plans, teams, the inspections they
schedule and the pages that list them. Who may see an inspection is ``access``, the
tablet's list ``assigned``; surprise draws, coverage and the minutes build on this module
(``surprise_draws``, ``coverage``, ``minutes``).

A surprise inspection (kiểm tra đột xuất) is *sealed* until it starts: only its team
and the approving leader see it, and every read of it while sealed is audited.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from congvu.inspect import clock
from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.inspections.tables import (
    Inspection,
    InspectionKind,
    InspectionMember,
    InspectionPlan,
    InspectionStatus,
    MemberRole,
    Topic,
)
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Unit, UnitKind, User
from congvu.rules.periods import PeriodKind
from congvu.rules.working_hours import outside_working_day

# Long enough for a sentence or two; the column holds 500 characters.
OFF_HOURS_REASON_MAX = 500

# Plain strings: the order a plan lists its topics in, as stored in the JSON column.
TOPICS = tuple(topic.value for topic in Topic)
# Units an inspection team visits: bodies with staff of their own, not the province node.
INSPECTABLE_KINDS = (UnitKind.DEPARTMENT, UnitKind.SERVICE_CENTRE, UnitKind.COMMUNE)
SURPRISE_KINDS = (InspectionKind.SURPRISE_UNANNOUNCED, InspectionKind.SURPRISE_ANNOUNCED)


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
    off_day_reason: str = ""
    # Who signs the plan (họ tên, chức vụ); the .docx leaves the name blank without one.
    signer_name: str = ""
    signer_title: str = ""


# Họ tên or chức vụ of a signer: a line, not a paragraph (the column holds 255).
SIGNER_MAX = 120


def plan_signer(name: str, title: str) -> tuple[str, str]:
    """The plan's signer trimmed: both or neither, each within ``SIGNER_MAX``."""
    name, title = " ".join(name.split()), " ".join(title.split())
    if title and not name:
        raise Invalid("Nhập họ tên người ký kế hoạch.", field="signer_name")
    if name and not title:
        raise Invalid("Nhập chức vụ của người ký kế hoạch.", field="signer_title")
    for value, field_name in ((name, "signer_name"), (title, "signer_title")):
        if len(value) > SIGNER_MAX:
            raise Invalid(f"Nội dung dài quá {SIGNER_MAX} ký tự.", field=field_name)
    return name, title


def off_day_reason(days: Iterable[date], reason: str) -> str:
    """The reason to record for checks scheduled on days off, or "" when every day is a
    working day. A day off needs a written reason: planning one by mistake is the common
    case (a weekend picked in the date field), a weekend shift the rare one."""
    off = [found for day in sorted(set(days)) if (found := outside_working_day(day))]
    if not off:
        return ""
    reason = reason.strip()
    if not reason:
        listed = "; ".join(o.explanation_vi for o in off)
        raise Invalid(
            f"{listed}. Chọn ngày làm việc, hoặc ghi lý do vẫn kiểm tra vào ngày này.",
            field="off_day_reason",
        )
    if len(reason) > OFF_HOURS_REASON_MAX:
        raise Invalid(f"Lý do dài quá {OFF_HOURS_REASON_MAX} ký tự.", field="off_day_reason")
    return reason


def validate_topics(topics: list[str]) -> list[str]:
    unknown = [t for t in topics if t not in TOPICS]
    if unknown or not topics:
        raise Invalid("Chọn ít nhất một nội dung kiểm tra hợp lệ.", field="topics")
    return [t for t in TOPICS if t in topics]


async def validate_team(team: list[TeamMember]) -> None:
    if not team:
        raise Invalid("Đoàn kiểm tra cần ít nhất một thành viên.", field="team")
    if sum(1 for m in team if m.role == MemberRole.TRUONG_DOAN) != 1:
        raise Invalid("Đoàn kiểm tra cần đúng một Trưởng đoàn.", field="team")
    if any(m.role not in {r.value for r in MemberRole} for m in team):
        raise Invalid("Vai trò thành viên đoàn không hợp lệ.", field="team")
    ids = [m.user_id for m in team]
    if len(set(ids)) != len(ids):
        raise Invalid("Một người chỉ giữ một vai trò trong đoàn.", field="team")
    found = await User.select(User.id).where(
        User.id.is_in(ids),
        User.role.is_in([Role.INSPECTOR, Role.TEAM_LEAD]),
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
    topics = validate_topics(form.topics)
    if not form.visits:
        raise Invalid("Chọn ít nhất một đơn vị được kiểm tra.", field="units")
    first, last = period_bounds(form.year, form.quarter)
    for visit in form.visits:
        await _inspectable_unit(actor, visit.unit_id)
        if not first <= visit.scheduled_date <= last:
            raise Invalid("Ngày kiểm tra phải nằm trong kỳ của kế hoạch.", field="scheduled_date")
    await validate_team(form.team)
    reason = off_day_reason((v.scheduled_date for v in form.visits), form.off_day_reason)
    signer_name, signer_title = plan_signer(form.signer_name, form.signer_title)
    now = clock.now()
    async with atomic():
        plan = InspectionPlan(
            title=title,
            period_kind=PeriodKind.YEAR if form.quarter is None else PeriodKind.QUARTER,
            year=form.year,
            quarter=form.quarter,
            document_no=(form.document_no or "").strip() or None,
            topics=topics,
            signer_name=signer_name,
            signer_title=signer_title,
            created_by=actor.id or None,
            created_at=now,
        )
        await plan.save()
        for visit in form.visits:
            await create_inspection(
                actor,
                unit_id=visit.unit_id,
                kind=InspectionKind.SCHEDULED,
                scheduled_date=visit.scheduled_date,
                topics=topics,
                team=form.team,
                plan_id=plan.id,
                off_hours_reason=reason if outside_working_day(visit.scheduled_date) else "",
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
                **({"off_day_reason": reason} if reason else {}),
                **({"signer": signer_name, "signer_title": signer_title} if signer_name else {}),
            },
        )
    return int(plan.id)


async def create_inspection(
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
    off_hours_reason: str = "",
) -> int:
    inspection = Inspection(
        plan=plan_id,
        unit=unit_id,
        kind=kind.value,
        scheduled_date=scheduled_date,
        topics=topics,
        status=InspectionStatus.PLANNED.value,
        sealed=kind in SURPRISE_KINDS,
        approved_by=approved_by,
        draw=draw_id,
        draw_seed=draw_seed,
        off_hours_reason=off_hours_reason,
        created_by=actor.id or None,
        created_at=clock.now(),
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
    signer_name: str = ""
    signer_title: str = ""


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
            signer_name=r["signer_name"],
            signer_title=r["signer_title"],
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
    # Quyết định thành lập đoàn: its số ký hiệu and day, None until recorded.
    team_decision_number: str | None = None
    team_decision_date: date | None = None


@dataclass(frozen=True)
class PlanDetail:
    plan: PlanSummary
    inspections: list[InspectionView]


async def inspection_views(actor: Actor, rows: list[dict[str, Any]]) -> list[InspectionView]:
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
                team_decision_number=r.get("team_decision_number"),
                team_decision_date=r.get("team_decision_date"),
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
    Inspection.team_decision_number,
    Inspection.team_decision_date,
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
    return PlanDetail(plan, await inspection_views(actor, list(rows)))


async def set_plan_signer(actor: Actor, plan_id: int, name: str, title: str) -> None:
    """Ghi người ký kế hoạch on a plan the actor may see; audited with what it replaced."""
    plan = (await plan_detail(actor, plan_id)).plan
    name, title = plan_signer(name, title)
    if not name:
        raise Invalid("Nhập họ tên người ký kế hoạch.", field="signer_name")
    if (name, title) == (plan.signer_name, plan.signer_title):
        return
    async with atomic():
        await InspectionPlan.update(
            {InspectionPlan.signer_name: name, InspectionPlan.signer_title: title}
        ).where(InspectionPlan.id == plan_id)
        await audit.record(
            "inspection_plan_signer_set",
            "inspection_plan",
            plan_id,
            actor=actor,
            before={"signer": plan.signer_name, "signer_title": plan.signer_title},
            after={"signer": name, "signer_title": title},
        )


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
    views = await inspection_views(actor, list(rows))
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
        .where(User.role.is_in([Role.INSPECTOR, Role.TEAM_LEAD]), User.active.eq(True))
        .order_by(User.display_name)
    )
    return units, [
        Choice(p["id"], p["display_name"], p["official.unit.name"] or "") for p in people
    ]
