"""Hồ sơ trễ hạn in the head's queue, read side: a dossier whose stored verdict (the
import or the nightly scan, ``congvu.rules.dossiers``) carries a lateness flag not yet
judged is an item of kind ``dossier``, sorted by deadline with the findings; its own page
adds the rules engine's explanation, the earlier decisions and the officials the head may
name. Scope: the actor's unit subtree (404 outside); every read of an item writes an
AuditEvent on ("dossier", id). Deciding is ``dossier_cases``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.errors import Forbidden, NotFound
from congvu.inspect.organisation.tables import Official
from congvu.inspect.review.services.access import Person, duty_conflict, own_official
from congvu.inspect.review.services.deadlines import review_deadline, stored_deadlines
from congvu.inspect.review.services.dossier_flags import (
    DOSSIER_CONFLICTS,
    LATE_CODE,
    DossierAction,
    covered,
    lateness_flags,
    open_families,
)
from congvu.inspect.review.services.items import ItemKind
from congvu.inspect.review.services.labels import DOSSIER_OUTCOME_LABELS
from congvu.inspect.review.services.lifecycle import REVIEWER_ROLES, local_day
from congvu.inspect.review.services.record import severity_of
from congvu.inspect.review.services.suggestions import (
    EscalationFacts,
    Suggestion,
    escalation_facts,
    suggestion_from,
)
from congvu.inspect.review.tables import DossierDecision, DossierOutcome
from congvu.rules.dossiers import VIETNAM_TIME, deadline_rules
from congvu.rules.escalation import ConfirmedViolation

DOSSIER_COLUMNS = (
    Dossier.id,
    Dossier.code,
    Dossier.procedure,
    Dossier.unit,
    Dossier.unit.path,
    Dossier.unit.name,
    Dossier.official,
    Dossier.official.full_name,
    Dossier.official.is_leader,
    Dossier.official._.unit._.path,
    Dossier.official_name,
    Dossier.received_at,
    Dossier.due_at,
    Dossier.finished_at,
    Dossier.status,
    Dossier.working_days_late,
    Dossier.flags,
    Dossier.evaluated_on,
)


@dataclass(frozen=True)
class DossierRow:
    """A flagged dossier as separation of duties and the queue need it."""

    id: int
    code: str
    procedure: str
    unit_id: int
    unit_path: str
    unit_name: str
    official_id: int | None
    official_is_leader: bool
    official_unit_path: str | None
    official_name: str | None  # the matched official's, else as written in the export
    received_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    status: str
    working_days_late: int
    flags: tuple[str, ...]
    evaluated_on: date | None

    @property
    def anchor(self) -> datetime:
        """When the fault arose: the missed return date (receipt when there is none)."""
        return self.due_at or self.received_at

    @property
    def anchor_day(self) -> date:
        return self.anchor.astimezone(VIETNAM_TIME).date()


def dossier_row(r: dict[str, Any]) -> DossierRow:
    return DossierRow(
        id=r["id"],
        code=r["code"],
        procedure=r["procedure"],
        unit_id=r["unit"],
        unit_path=r["unit.path"],
        unit_name=r["unit.name"],
        official_id=r["official"],
        official_is_leader=bool(r["official.is_leader"]),
        official_unit_path=r["official.unit.path"],
        official_name=r["official.full_name"] or r["official_name"] or None,
        received_at=r["received_at"],
        due_at=r["due_at"],
        finished_at=r["finished_at"],
        status=r["status"],
        working_days_late=r["working_days_late"],
        flags=lateness_flags(r["flags"]),
        evaluated_on=r["evaluated_on"],
    )


async def decisions_by_dossier(where: Any) -> dict[int, list[dict[str, Any]]]:
    rows = (
        await DossierDecision.select(
            *DossierDecision.all_columns(),
            DossierDecision.decided_by.display_name,
            DossierDecision.official.full_name,
        )
        .where(where)
        .order_by(DossierDecision.id)
    )
    grouped: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        grouped.setdefault(r["dossier"], []).append(r)
    return grouped


# --- items ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionView:
    outcome: str
    outcome_label: str
    flags: list[str]
    reason: str | None
    official_name: str | None
    finding_id: int | None
    decided_by: str | None
    decided_at: datetime


@dataclass
class DossierItem:
    """A flagged dossier in the head's queue: facts, flags, the dossier rule's
    explanation, the handling official's confirmed history and what the escalation rules
    would suggest if a case about them were confirmed."""

    kind: ItemKind
    id: int
    code: str
    procedure: str
    unit_name: str
    official_id: int | None
    official_name: str | None
    official_matched: bool
    flags: list[str]
    flag_labels: list[str]
    status: str
    status_label: str
    received_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    working_days_late: int
    evaluated_on: date | None
    deadline: date | None  # hạn xem xét: the review window after the missed date
    rule_explanation: str
    rule_explanation_en: str
    rule: str
    prior: list[ConfirmedViolation]
    suggestion: Suggestion | None
    conflict: str | None
    actions: list[DossierAction] = field(default_factory=list)
    decisions: list[DecisionView] = field(default_factory=list)
    # Officials the head may name (the export's first); filled on the item's own page.
    candidates: list[tuple[int, str]] = field(default_factory=list)
    # The conduct catalogue's severity of the case a head would open (LATE_DOSSIER_HANDLING).
    severity: str = "serious"


def _decision_view(r: dict[str, Any]) -> DecisionView:
    outcome = DossierOutcome(r["outcome"])
    return DecisionView(
        outcome=outcome.value,
        outcome_label=DOSSIER_OUTCOME_LABELS[outcome],
        flags=list(lateness_flags(r["flags"])),
        reason=r["reason"],
        official_name=r["official.full_name"],
        finding_id=r["finding"],
        decided_by=r["decided_by.display_name"],
        decided_at=r["decided_at"],
    )


def dossier_item_from(
    actor: Actor,
    me: Person | None,
    row: DossierRow,
    decided: list[dict[str, Any]],
    today: date,
    facts: EscalationFacts | None,
    explanation: tuple[str, str] = ("", ""),
) -> DossierItem:
    """The item of a flagged dossier, from its row, its earlier decisions and the handling
    official's escalation facts (None when no official is matched)."""
    prior: list[ConfirmedViolation] = []
    suggestion = None
    if facts is not None:
        prior = facts.history
        suggestion = suggestion_from(facts, LATE_CODE, row.anchor_day)
    open_ = bool(row.flags) and not covered(row.flags, [d["flags"] for d in decided])
    rule = deadline_rules(row.anchor_day).pack.ref()
    return DossierItem(
        kind=ItemKind.DOSSIER,
        id=row.id,
        code=row.code,
        procedure=row.procedure,
        unit_name=row.unit_name,
        official_id=row.official_id,
        official_name=row.official_name,
        official_matched=row.official_id is not None,
        flags=list(row.flags),
        flag_labels=[dossiers.FLAG_LABELS.get(f, f) for f in row.flags],
        status=row.status,
        status_label=dossiers.STATUS_LABELS.get(row.status, row.status),
        received_at=row.received_at,
        due_at=row.due_at,
        finished_at=row.finished_at,
        working_days_late=row.working_days_late,
        evaluated_on=row.evaluated_on,
        deadline=review_deadline(row.anchor_day, today) if open_ else None,
        rule_explanation=explanation[0],
        rule_explanation_en=explanation[1],
        rule=f"{rule.id} {rule.version}",
        prior=prior,
        suggestion=suggestion,
        conflict=duty_conflict(actor, me, row, DOSSIER_CONFLICTS),
        actions=list(DossierAction) if open_ else [],
        decisions=[_decision_view(d) for d in decided],
        severity=severity_of(LATE_CODE, row.anchor_day),
    )


async def _undecided(scope_path: str) -> list[tuple[DossierRow, list[dict[str, Any]]]]:
    """The flagged dossiers of a subtree ("" for all) whose faults are not all judged yet,
    each with its earlier decisions."""
    scope = f"{scope_path}%"
    rows = [
        dossier_row(r)
        for r in await Dossier.select(*DOSSIER_COLUMNS).where(
            Dossier.unit.path.like(scope), Dossier.flags != ""
        )
    ]
    flagged = [r for r in rows if r.flags]
    if not flagged:
        return []
    decided = await decisions_by_dossier(DossierDecision.dossier._.unit._.path.like(scope))
    return [
        (row, decided.get(row.id, []))
        for row in flagged
        if not covered(row.flags, [d["flags"] for d in decided.get(row.id, [])])
    ]


@dataclass(frozen=True)
class OpenReview:
    """A flagged dossier awaiting the head's decision, as the reminder cron needs it."""

    id: int
    code: str
    unit_path: str
    unit_name: str
    families: tuple[str, ...]  # the fault families no decision judged yet
    deadline: date  # hạn xem xét, as the queue shows it


async def open_reviews(*, now: datetime | None = None) -> list[OpenReview]:
    """Every flagged dossier not yet decided, whoever handled it (no actor: the cron)."""
    today = local_day(now or datetime.now(UTC))
    undecided = await _undecided("")
    deadlines = await stored_deadlines((row.anchor_day for row, _ in undecided), today)
    return [
        OpenReview(
            id=row.id,
            code=row.code,
            unit_path=row.unit_path,
            unit_name=row.unit_name,
            families=open_families(row.flags, [d["flags"] for d in earlier]),
            deadline=deadlines[row.anchor_day],
        )
        for row, earlier in undecided
    ]


async def load_dossier(actor: Actor, dossier_id: int, *, lock: bool = False) -> DossierRow:
    query = Dossier.select(*DOSSIER_COLUMNS).where(Dossier.id == dossier_id)
    if lock and not db.is_sqlite():
        # Two heads deciding the same dossier at once: the second waits, then sees the first.
        query = query.lock_rows(of=(Dossier,))
    found = await query.first()
    if found is None or not actor.can_see_unit_path(found["unit.path"]):
        raise NotFound("Không tìm thấy hồ sơ.")
    return dossier_row(found)


def require_dossier_reviewer(actor: Actor) -> None:
    if not actor.has_role(*REVIEWER_ROLES):
        raise Forbidden("Chỉ thủ trưởng đơn vị hoặc quản trị mới xem xét hồ sơ trễ hạn.")


async def dossier_item(
    actor: Actor, dossier_id: int, *, now: datetime | None = None
) -> DossierItem:
    """One flagged dossier with its earlier decisions and the officials the head may
    name; the read is audited."""
    require_dossier_reviewer(actor)
    row = await load_dossier(actor, dossier_id)
    decided = (await decisions_by_dossier(DossierDecision.dossier == dossier_id)).get(
        dossier_id, []
    )
    today = local_day(now or datetime.now(UTC))
    me = await own_official(actor)
    # The item's own page adds the rules engine's explanation, from the dossier pages'
    # evaluation at the date the stored flags were computed, so the two agree.
    detail = await dossiers.dossier_detail(actor, row.id, row.evaluated_on or today)
    facts = (
        None if row.official_id is None else await escalation_facts(row.official_id, row.unit_path)
    )
    explanation = (detail.explanation, detail.explanation_en)
    item = dossier_item_from(actor, me, row, decided, today, facts, explanation)
    if item.deadline is not None:  # the stored one, as the queue shows it
        item.deadline = (await stored_deadlines([row.anchor_day], today))[row.anchor_day]
    item.candidates = await _candidates(actor, me, row)
    async with db.atomic():
        await audit.record("dossier_review_viewed", "dossier", dossier_id, actor=actor)
    return item


@dataclass(frozen=True)
class Named:
    """An official a head may name as responsible, as separation of duties needs it."""

    official_id: int
    official_is_leader: bool
    official_unit_path: str | None


async def _candidates(actor: Actor, me: Person | None, row: DossierRow) -> list[tuple[int, str]]:
    """Active officials of the dossier unit's parent subtree (a one-stop centre and the
    offices that resolve its dossiers) within the actor's scope, except the actor and
    their superiors (they may not be named); the export's official first."""
    parent = row.unit_path[: row.unit_path.rstrip("/").rfind("/") + 1] or row.unit_path
    prefix = max(parent, actor.scope_path, key=len)
    found = (
        await Official.select(
            Official.id,
            Official.full_name,
            Official.is_leader,
            Official.unit.path,
            Official.unit.name,
        )
        .where(Official.unit.path.like(f"{prefix}%"), Official.active.eq(True))
        .order_by(Official.sort_key)
    )
    people = [
        (r["id"], f"{r['full_name']} ({r['unit.name']})")
        for r in found
        if duty_conflict(actor, me, Named(r["id"], bool(r["is_leader"]), r["unit.path"])) is None
    ]
    people.sort(key=lambda p: p[0] != row.official_id)
    return people
