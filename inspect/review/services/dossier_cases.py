"""Hồ sơ trễ hạn trong hàng chờ của thủ trưởng (issues 5 and 6).

A dossier whose stored verdict (the import or the nightly scan, ``congvu.rules.dossiers``)
carries a lateness flag is an item of kind ``dossier`` in the head's queue, sorted by
deadline with the findings. A head decides; nothing here punishes anyone by itself:

* **dismiss**: no case (the delay was the citizen's, the export is wrong ...); the
  reason is mandatory;
* **take up** with a named official: a ``Finding`` (code ``LATE_DOSSIER_HANDLING``, origin
  the dossier, no inspection) is recorded and notified at once. From there it is a
  finding like any other (``services.review``): the official may explain (giải trình)
  before the window closes, the head confirms or dismisses it with a reason and decides
  the follow-up; once confirmed it counts in ``prior_violations`` and the escalation
  window exactly like an inspection finding.

Idempotence. A decision is keyed on the dossier and the flags it was made on
(``DossierDecision.key``): a retried or concurrent request finds it. A decision covers
fault *families*, not spellings: a re-import that restates the same fault (an overdue
dossier later resolved late, a missing apology sent late) finds the dossier covered, so
it neither shows it again nor opens a second case. Only a new kind of fault (a second
re-set of the return date after the delay was dismissed) brings the dossier back.

Separation of duties as for findings: nobody decides about a dossier handled by
themself or by their superior, nor names them. Scope: the actor's unit subtree (404
outside). Every decision and every read of an item writes an AuditEvent on
("dossier", id); the case itself is audited on ("finding", id) from "finding_recorded".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.organisation.tables import Official
from congvu.inspect.review.services import findings as review
from congvu.inspect.review.services.findings import (
    REVIEWER_ROLES,
    BulkResult,
    Command,
    ItemKind,
    Suggestion,
)
from congvu.inspect.review.tables import DossierDecision, DossierOutcome
from congvu.rules.calendar import default_calendar
from congvu.rules.conduct import UnknownViolation
from congvu.rules.conduct import violation as conduct_violation
from congvu.rules.dossiers import VIETNAM_TIME, deadline_rules
from congvu.rules.escalation import ConfirmedViolation
from congvu.rules.packs import PackNotFound, format_date

LATE_CODE = "LATE_DOSSIER_HANDLING"

# The flags of issue 5 a head judges, by the fault they describe. DUE_WITHIN_24H is a
# reminder and DEADLINE_MOVED_EARLIER favours the citizen: neither is anyone's fault, so
# they stay on the dossier pages only.
FAMILIES = {
    "RESOLVED_LATE": "late",
    "OVERDUE_IN_PROGRESS": "late",
    "APOLOGY_MISSING": "apology",
    "APOLOGY_LATE": "apology",
    "SECOND_EXTENSION": "new_date",
    "DEADLINE_RESET": "new_date",
}

DOSSIER_CONFLICTS = (
    "Không được xem xét hồ sơ do chính mình xử lý.",
    "Không được xem xét hồ sơ do lãnh đạo cấp trên của mình xử lý.",
)


class DossierAction(StrEnum):
    take_up = "take_up"
    dismiss = "dismiss"


ACTION_LABELS = {
    DossierAction.take_up: "Đưa vào xem xét trách nhiệm cán bộ",
    DossierAction.dismiss: "Bỏ qua cảnh báo (không xem xét)",
}
OUTCOME_LABELS = {
    DossierOutcome.taken_up: "Đã đưa vào xem xét",
    DossierOutcome.dismissed: "Đã bỏ qua cảnh báo",
}


def lateness_flags(stored: str) -> tuple[str, ...]:
    """The flags a head judges among a dossier's stored ";"-joined flags, sorted."""
    return tuple(sorted({f for f in stored.split(";") if f in FAMILIES}))


def decision_key(dossier_id: int, flags: tuple[str, ...]) -> str:
    return f"{dossier_id}:{';'.join(flags)}"


def open_families(flags: tuple[str, ...], decided: list[str]) -> tuple[str, ...]:
    """The fault families of ``flags`` no earlier decision (its stored flags) judged."""
    judged = {FAMILIES[f] for text in decided for f in lateness_flags(text)}
    return tuple(sorted({FAMILIES[f] for f in flags} - judged))


def covered(flags: tuple[str, ...], decided: list[str]) -> bool:
    """Whether earlier decisions (their stored flags) already judged every fault."""
    return not open_families(flags, decided)


# --- loading -------------------------------------------------------------------------

_COLUMNS = (
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
class _Row:
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


def _row(r: dict[str, Any]) -> _Row:
    return _Row(
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


async def _decisions(where: Any) -> dict[int, list[dict[str, Any]]]:
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


def _review_deadline(anchor: date, today: date) -> date:
    # The head has the review pack's review window from the missed date, as for a finding
    # whose explanation window has closed (the lateness itself is the established fact).
    _, _, window = review.windows(today)
    return default_calendar().add_working_days(anchor, window)


def _decision_view(r: dict[str, Any]) -> DecisionView:
    outcome = DossierOutcome(r["outcome"])
    return DecisionView(
        outcome=outcome.value,
        outcome_label=OUTCOME_LABELS[outcome],
        flags=list(lateness_flags(r["flags"])),
        reason=r["reason"],
        official_name=r["official.full_name"],
        finding_id=r["finding"],
        decided_by=r["decided_by.display_name"],
        decided_at=r["decided_at"],
    )


_FactsCache = dict[tuple[int, str], review.EscalationFacts]


async def _item(
    actor: Actor,
    me: review.Person | None,
    row: _Row,
    decided: list[dict[str, Any]],
    today: date,
    cache: _FactsCache,
    *,
    explain: bool = False,
) -> DossierItem:
    # The queue lists the stored verdicts (a province can have thousands of flagged
    # dossiers); the item's own page adds the rules engine's explanation, from the dossier
    # pages' evaluation at the date the stored flags were computed, so the two agree.
    explanation = explanation_en = ""
    if explain:
        detail = await dossiers.dossier_detail(actor, row.id, row.evaluated_on or today)
        explanation, explanation_en = detail.explanation, detail.explanation_en
    prior: list[ConfirmedViolation] = []
    suggestion = None
    if row.official_id is not None:
        # One official's dossiers share their history: read it once per queue.
        key = (row.official_id, row.unit_path)
        if key not in cache:
            cache[key] = await review.escalation_facts(row.official_id, row.unit_path)
        prior = cache[key].history
        suggestion = review.suggestion_from(cache[key], LATE_CODE, row.anchor_day)
    open_ = bool(row.flags) and not covered(row.flags, [d["flags"] for d in decided])
    rule = deadline_rules(row.anchor_day).pack.ref()
    return DossierItem(
        kind=ItemKind.dossier,
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
        deadline=_review_deadline(row.anchor_day, today) if open_ else None,
        rule_explanation=explanation,
        rule_explanation_en=explanation_en,
        rule=f"{rule.id} {rule.version}",
        prior=prior,
        suggestion=suggestion,
        conflict=review.duty_conflict(actor, me, row, DOSSIER_CONFLICTS),
        actions=list(DossierAction) if open_ else [],
        decisions=[_decision_view(d) for d in decided],
    )


async def dossier_items(
    actor: Actor, me: review.Person | None, *, now: datetime | None = None
) -> list[DossierItem]:
    """The flagged dossiers of the actor's subtree not yet decided (one item per dossier),
    except those the actor handled themself."""
    today = review.local_day(now or datetime.now(UTC))
    items = []
    cache: _FactsCache = {}
    for row, earlier in await _undecided(actor.scope_path):
        if row.official_id is not None and row.official_id == actor.official_id:
            continue
        items.append(await _item(actor, me, row, earlier, today, cache))
    return items


async def _undecided(scope_path: str) -> list[tuple[_Row, list[dict[str, Any]]]]:
    """The flagged dossiers of a subtree ("" for all) whose faults are not all judged yet,
    each with its earlier decisions."""
    scope = f"{scope_path}%"
    rows = [
        _row(r)
        for r in await Dossier.select(*_COLUMNS).where(
            Dossier.unit.path.like(scope), Dossier.flags != ""
        )
    ]
    flagged = [r for r in rows if r.flags]
    if not flagged:
        return []
    decided = await _decisions(DossierDecision.dossier._.unit._.path.like(scope))
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
    today = review.local_day(now or datetime.now(UTC))
    return [
        OpenReview(
            id=row.id,
            code=row.code,
            unit_path=row.unit_path,
            unit_name=row.unit_name,
            families=open_families(row.flags, [d["flags"] for d in earlier]),
            deadline=_review_deadline(row.anchor_day, today),
        )
        for row, earlier in await _undecided("")
    ]


async def _load(actor: Actor, dossier_id: int, *, lock: bool = False) -> _Row:
    query = Dossier.select(*_COLUMNS).where(Dossier.id == dossier_id)
    if lock and not db.is_sqlite():
        # Two heads deciding the same dossier at once: the second waits, then sees the first.
        query = query.lock_rows(of=(Dossier,))
    found = await query.first()
    if found is None or not actor.can_see_unit_path(found["unit.path"]):
        raise NotFound("Không tìm thấy hồ sơ.")
    return _row(found)


def _require_reviewer(actor: Actor) -> None:
    if not actor.has_role(*REVIEWER_ROLES):
        raise Forbidden("Chỉ thủ trưởng đơn vị hoặc quản trị mới xem xét hồ sơ trễ hạn.")


async def dossier_item(
    actor: Actor, dossier_id: int, *, now: datetime | None = None
) -> DossierItem:
    """One flagged dossier with its earlier decisions and the officials the head may
    name; the read is audited."""
    _require_reviewer(actor)
    row = await _load(actor, dossier_id)
    decided = (await _decisions(DossierDecision.dossier == dossier_id)).get(dossier_id, [])
    today = review.local_day(now or datetime.now(UTC))
    me = await review.own_official(actor)
    item = await _item(actor, me, row, decided, today, {}, explain=True)
    item.candidates = await _candidates(actor, me, row)
    async with db.atomic():
        await audit.record("dossier_review_viewed", "dossier", dossier_id, actor=actor)
    return item


async def _candidates(actor: Actor, me: review.Person | None, row: _Row) -> list[tuple[int, str]]:
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
        if review.duty_conflict(actor, me, _Named(r["id"], bool(r["is_leader"]), r["unit.path"]))
        is None
    ]
    people.sort(key=lambda p: p[0] != row.official_id)
    return people


# --- deciding ------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierCommand:
    """What the item's form or the JSON body carries."""

    action: str
    reason: str | None = None
    official_id: int | None = None  # take_up: None means the export's official


@dataclass(frozen=True)
class DecisionResult:
    dossier_id: int
    outcome: str
    finding_id: int | None


@dataclass(frozen=True)
class _Named:
    official_id: int
    official_is_leader: bool
    official_unit_path: str | None


async def _named(actor: Actor, official_id: int | None) -> _Named:
    if official_id is None:
        raise Invalid("Chọn cán bộ chịu trách nhiệm về hồ sơ.", field="official_id")
    found = (
        await Official.select(Official.id, Official.is_leader, Official.unit.path)
        .where(Official.id == official_id, Official.active.eq(True))
        .first()
    )
    if found is None or not actor.can_see_unit_path(found["unit.path"]):
        raise Invalid("Cán bộ không thuộc đơn vị anh/chị quản lý.", field="official_id")
    return _Named(found["id"], bool(found["is_leader"]), found["unit.path"])


def _facts(row: _Row, detail: dossiers.DossierDetail) -> str:
    labels = "; ".join(dossiers.FLAG_LABELS.get(f, f) for f in row.flags)
    done = detail.row.finished_at
    finished = format_date(done.astimezone(VIETNAM_TIME)) if done else "chưa có"
    due = format_date(row.due_at.astimezone(VIETNAM_TIME)) if row.due_at else "không có"
    return (
        f"Hồ sơ {row.code} ({row.procedure}) tại {row.unit_name}: {labels}. "
        f"Tiếp nhận {format_date(row.received_at.astimezone(VIETNAM_TIME))}, hẹn trả {due}, "
        f"có kết quả {finished}; trễ {detail.row.working_days_late} ngày làm việc."
    )


async def _record_case(actor: Actor, row: _Row, official_id: int, key: str, now: datetime) -> int:
    """The Finding a take-up opens: bound to the conduct catalogue entry in force on the
    missed date and to the dossier rule's explanation at the last evaluation."""
    detail = await dossiers.dossier_detail(actor, row.id, row.evaluated_on or review.local_day(now))
    rule = deadline_rules(row.anchor_day).pack.ref()
    try:
        legal_basis = conduct_violation(LATE_CODE, row.anchor_day).ref.legal_basis
    except (UnknownViolation, PackNotFound):
        legal_basis = rule.legal_basis  # a lateness before the 2025 catalogue
    finding = Finding(
        # Derived from the key: a second insert for the same decision cannot succeed.
        client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"congvu:dossier-case:{key}"),
        inspection=None,
        dossier=row.id,
        official=official_id,
        unit=row.unit_id,
        violation_code=LATE_CODE,
        rule_id=rule.id,
        rule_version=rule.version,
        legal_basis=legal_basis,
        explanation_vi=detail.explanation,
        # The dossier pages explain in Vietnamese only; the English line names the facts.
        explanation_en=(
            f"Dossier {row.code}: {', '.join(row.flags)}; "
            f"{detail.row.working_days_late} working days late."
        ),
        facts=_facts(row, detail),
        observed_at=row.anchor,
        status="recorded",
        recorded_by=None,  # the rules engine flagged it; the head's take-up is audited
        created_at=now,
    )
    await finding.save()
    await audit.record(
        "finding_recorded",
        "finding",
        finding.id,
        actor=actor,
        after={
            "origin": "dossier",
            "dossier_id": row.id,
            "flags": list(row.flags),
            "violation_code": LATE_CODE,
            "official_id": official_id,
            "unit_id": row.unit_id,
        },
    )
    return int(finding.id)


async def decide(
    actor: Actor, dossier_id: int, command: DossierCommand, *, now: datetime | None = None
) -> DecisionResult:
    """Take up or dismiss a flagged dossier, in one transaction. Repeating the same
    decision on the same flags answers with the first one and writes nothing."""
    try:
        action = DossierAction(command.action)
    except ValueError:
        raise Invalid(f"Hành động không hợp lệ: {command.action!r}.", field="action") from None
    _require_reviewer(actor)
    now = now or datetime.now(UTC)
    async with db.atomic():
        row = await _load(actor, dossier_id, lock=True)
        if not row.flags:
            raise Conflict("Hồ sơ không có cảnh báo trễ hạn cần xem xét.", field="action")
        key = decision_key(row.id, row.flags)
        decided = (await _decisions(DossierDecision.dossier == row.id)).get(row.id, [])
        same = next((d for d in decided if d["key"] == key), None)
        if same is not None and _repeats(same, action, command, row):
            return DecisionResult(row.id, same["outcome"], same["finding"])
        if covered(row.flags, [d["flags"] for d in decided]):
            raise Conflict("Cảnh báo của hồ sơ này đã được xem xét.", field="action")
        me = await review.own_official(actor)
        problem = review.duty_conflict(actor, me, row, DOSSIER_CONFLICTS)
        if problem:
            raise Forbidden(problem)
        if action is DossierAction.dismiss:
            why = review.required_reason(command.reason, "Bỏ qua cảnh báo phải ghi rõ lý do.")
            await _store(actor, row, key, DossierOutcome.dismissed, why, row.official_id, None, now)
            return DecisionResult(row.id, DossierOutcome.dismissed.value, None)
        named = await _named(actor, command.official_id or row.official_id)
        problem = review.duty_conflict(actor, me, named)
        if problem:
            raise Forbidden(problem)
        reason = (command.reason or "").strip() or None
        if named.official_id != row.official_id and reason is None:
            raise Invalid(
                "Quy trách nhiệm cho cán bộ khác với cán bộ xử lý trong dữ liệu phải ghi rõ lý do.",
                field="reason",
            )
        finding_id = await _record_case(actor, row, named.official_id, key, now)
        await _store(
            actor, row, key, DossierOutcome.taken_up, reason, named.official_id, finding_id, now
        )
        # The same lifecycle as an inspection finding, from its first step.
        await review.transition(actor, finding_id, Command(action="notify"), now=now)
    return DecisionResult(row.id, DossierOutcome.taken_up.value, finding_id)


def _repeats(
    earlier: dict[str, Any], action: DossierAction, command: DossierCommand, row: _Row
) -> bool:
    if action is DossierAction.dismiss:
        return bool(earlier["outcome"] == DossierOutcome.dismissed)
    wanted = command.official_id or row.official_id
    return bool(earlier["outcome"] == DossierOutcome.taken_up and earlier["official"] == wanted)


async def _store(
    actor: Actor,
    row: _Row,
    key: str,
    outcome: DossierOutcome,
    reason: str | None,
    official_id: int | None,
    finding_id: int | None,
    now: datetime,
) -> None:
    await DossierDecision.insert(
        DossierDecision(
            key=key,
            dossier=row.id,
            flags=";".join(row.flags),
            outcome=outcome.value,
            reason=reason,
            official=official_id,
            finding=finding_id,
            decided_by=actor.id or None,
            decided_at=now,
        )
    )
    await audit.record(
        f"dossier_{'take_up' if outcome is DossierOutcome.taken_up else 'dismiss'}",
        "dossier",
        row.id,
        actor=actor,
        after={
            "outcome": outcome.value,
            "flags": list(row.flags),
            "official_id": official_id,
            "finding_id": finding_id,
        },
        reason=reason,
    )


async def bulk_one(actor: Actor, dossier_id: int, action: str, reason: str | None) -> BulkResult:
    """One dossier of a bulk request: take up with the export's official, or dismiss."""
    try:
        if action not in {a.value for a in DossierAction}:
            raise Invalid("Hành động này chỉ áp dụng cho phát hiện.", field="action")
        result = await decide(actor, dossier_id, DossierCommand(action=action, reason=reason))
        label = OUTCOME_LABELS[DossierOutcome(result.outcome)]
        return BulkResult(result.finding_id, True, 200, label, ItemKind.dossier, dossier_id)
    except DomainError as error:
        return BulkResult(
            None, False, error.status_code, error.message, ItemKind.dossier, dossier_id
        )
