"""One case and everything on it, read in a constant number of queries, and who may
see it: the personnel office and administrators within their unit scope, the subject
their own case; anyone else gets "not found" (the case's existence is not revealed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.discipline.tables import (
    Appeal,
    CaseSource,
    CaseStage,
    CaseStep,
    Conviction,
    ConvictionKind,
    CouncilMember,
    Deferral,
    DisciplineCase,
    ExcludedKind,
    ExcludedPeriod,
)
from congvu.inspect.errors import Forbidden, NotFound
from congvu.rules.discipline import Category, DateRange, Form, NoLimitation

MANAGERS = (Role.PERSONNEL, Role.ADMIN)
NOT_FOUND = "Không tìm thấy hồ sơ kỷ luật."


@dataclass(frozen=True)
class StepDone:
    stage: CaseStage
    done_on: date
    event_on: date | None
    note: str
    recorded_by: str | None  # display name of the account


@dataclass(frozen=True)
class Member:
    full_name: str
    duty: str
    account_id: int | None
    official_id: int | None
    relation: str | None


@dataclass(frozen=True)
class DeferralRow:
    id: int
    reason: str
    start: date
    end: date

    @property
    def range(self) -> DateRange:
        return DateRange(self.start, self.end)


@dataclass(frozen=True)
class ExcludedRow:
    """A criminal-procedure or complaint period, not counted (NĐ 172/2025 Art. 5.6)."""

    id: int
    kind: ExcludedKind
    start: date
    end: date
    note: str

    @property
    def range(self) -> DateRange:
        return DateRange(self.start, self.end)


@dataclass(frozen=True)
class Source:
    finding_id: int
    dossier_id: int | None
    violation_code: str
    observed_on: date


@dataclass(frozen=True)
class AppealRow:
    id: int
    text: str
    submitted_on: date
    outcome: str | None
    outcome_on: date | None
    outcome_reason: str | None


@dataclass(frozen=True)
class ConvictionRow:
    """The final judgment recorded on the case (NĐ 172/2025 Art. 21.2)."""

    judgment_number: str
    court: str
    kind: ConvictionKind
    received_on: date


@dataclass(frozen=True)
class PriorDecision:
    """Another decision (not annulled) about the same official."""

    case_id: int
    form: str
    decided_on: date
    effective_on: date
    party_decided_on: date | None


@dataclass(frozen=True)
class CaseFile:
    """A case as stored: its row (``case``, a dict of columns plus the official's name
    and the unit's path and name) and its children."""

    case: dict[str, Any]
    steps: dict[CaseStage, StepDone]
    members: tuple[Member, ...]
    deferrals: tuple[DeferralRow, ...]
    sources: tuple[Source, ...]
    appeals: tuple[AppealRow, ...]
    prior: tuple[PriorDecision, ...] = ()
    conviction: ConvictionRow | None = None
    excluded: tuple[ExcludedRow, ...] = ()
    # Days of the official's other violations taken up in discipline (other cases' acts and
    # their findings, closed-without-discipline and annulled cases left out): a new one
    # inside the running thời hiệu restarts it (NĐ 172/2025 Art. 5.1).
    other_violations: tuple[date, ...] = ()

    @property
    def id(self) -> int:
        return int(self.case["id"])

    @property
    def stage(self) -> CaseStage:
        return CaseStage(self.case["stage"])

    @property
    def category(self) -> Category:
        return Category(self.case["category"])

    @property
    def merited(self) -> Form:
        return Form(self.case["merited"])

    @property
    def pauses(self) -> list[DateRange]:
        return [d.range for d in self.deferrals]

    @property
    def not_counted(self) -> list[DateRange]:
        """Every period thời hiệu and thời hạn leave out: deferrals and excluded periods."""
        return self.pauses + [e.range for e in self.excluded]

    @property
    def no_limitation(self) -> NoLimitation | None:
        value = self.case.get("no_limitation")
        return NoLimitation(value) if value else None


CASE_COLUMNS: tuple[Any, ...] = (
    *DisciplineCase.all_columns(),
    DisciplineCase.official.full_name.as_alias("official_name"),
    DisciplineCase.official.sort_key.as_alias("official_sort_key"),
    DisciplineCase.unit.path.as_alias("unit_path"),
    DisciplineCase.unit.name.as_alias("unit_name"),
    DisciplineCase.unit.code.as_alias("unit_code"),
)


def may_manage(actor: Actor) -> bool:
    return actor.has_role(*MANAGERS)


def require_manager(actor: Actor) -> None:
    if not may_manage(actor):
        raise Forbidden("Chỉ cán bộ tổ chức hoặc quản trị mới được xử lý hồ sơ kỷ luật.")


def visible(actor: Actor, case: dict[str, Any]) -> bool:
    if may_manage(actor):
        return actor.can_see_unit_path(case["unit_path"])
    return actor.official_id is not None and actor.official_id == case["official"]


async def load(actor: Actor, case_id: int) -> CaseFile:
    """The case if the actor may see it, else ``NotFound``."""
    rows = await DisciplineCase.select(*CASE_COLUMNS).where(DisciplineCase.id == case_id)
    if not rows or not visible(actor, rows[0]):
        raise NotFound(NOT_FOUND)
    return await complete(rows[0])


async def complete(case: dict[str, Any]) -> CaseFile:
    case_id = case["id"]
    steps = await CaseStep.select(
        CaseStep.stage,
        CaseStep.done_on,
        CaseStep.event_on,
        CaseStep.note,
        CaseStep.recorded_by.display_name.as_alias("who"),
    ).where(CaseStep.case == case_id)
    members = await CouncilMember.select().where(CouncilMember.case == case_id)
    deferrals = await Deferral.select().where(Deferral.case == case_id).order_by(Deferral.starts_on)
    sources = (
        await CaseSource.select().where(CaseSource.case == case_id).order_by(CaseSource.observed_on)
    )
    appeals = await Appeal.select().where(Appeal.case == case_id).order_by(Appeal.id)
    convictions = await Conviction.select().where(Conviction.case == case_id)
    excluded = (
        await ExcludedPeriod.select()
        .where(ExcludedPeriod.case == case_id)
        .order_by(ExcludedPeriod.starts_on)
    )
    others = await DisciplineCase.select(DisciplineCase.id, DisciplineCase.violation_on).where(
        DisciplineCase.official == case["official"],
        DisciplineCase.id != case_id,
        DisciplineCase.stage != CaseStage.CLOSED.value,
        DisciplineCase.annulled_on.is_null(),
    )
    other_sources = (
        await CaseSource.select(CaseSource.observed_on).where(
            CaseSource.case.is_in([o["id"] for o in others])
        )
        if others
        else []
    )
    prior = (
        await DisciplineCase.select(
            DisciplineCase.id,
            DisciplineCase.decided_form,
            DisciplineCase.decided_on,
            DisciplineCase.effective_on,
            DisciplineCase.party_decided_on,
        )
        .where(
            DisciplineCase.official == case["official"],
            DisciplineCase.id != case_id,
            DisciplineCase.decided_form.is_not_null(),
            DisciplineCase.annulled_on.is_null(),
        )
        .order_by(DisciplineCase.decided_on)
    )
    return CaseFile(
        case=case,
        steps={
            CaseStage(s["stage"]): StepDone(
                CaseStage(s["stage"]), s["done_on"], s["event_on"], s["note"], s["who"]
            )
            for s in steps
        },
        members=tuple(
            Member(m["full_name"], m["duty"], m["account"], m["official"], m["relation"])
            for m in members
        ),
        deferrals=tuple(
            DeferralRow(d["id"], d["reason"], d["starts_on"], d["ends_on"]) for d in deferrals
        ),
        sources=tuple(
            Source(s["finding"], s["dossier"], s["violation_code"], s["observed_on"])
            for s in sources
        ),
        appeals=tuple(
            AppealRow(
                a["id"],
                a["text"],
                a["submitted_on"],
                a["outcome"],
                a["outcome_on"],
                a["outcome_reason"],
            )
            for a in appeals
        ),
        prior=tuple(
            PriorDecision(
                p["id"],
                p["decided_form"],
                p["decided_on"],
                p["effective_on"],
                p["party_decided_on"],
            )
            for p in prior
        ),
        conviction=next(
            (
                ConvictionRow(
                    c["judgment_number"], c["court"], ConvictionKind(c["kind"]), c["received_on"]
                )
                for c in convictions
            ),
            None,
        ),
        excluded=tuple(
            ExcludedRow(e["id"], ExcludedKind(e["kind"]), e["starts_on"], e["ends_on"], e["note"])
            for e in excluded
        ),
        other_violations=tuple(
            sorted({o["violation_on"] for o in others} | {s["observed_on"] for s in other_sources})
        ),
    )
