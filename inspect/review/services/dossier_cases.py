"""Hồ sơ trễ hạn trong hàng chờ của thủ trưởng: the head's decision on a flagged dossier.

A dossier whose stored verdict (the import or the nightly scan, ``congvu.rules.dossiers``)
carries a lateness flag is an item of kind ``dossier`` in the head's queue, sorted by
deadline with the findings. A head decides; nothing here punishes anyone by itself:

* **dismiss**: no case (the delay was the citizen's, the export is wrong ...); the
  reason is mandatory;
* **take up** with a named official: a ``Finding`` (code ``LATE_DOSSIER_HANDLING``, origin
  the dossier, no inspection) is recorded and notified at once. From there it is a
  finding like any other (``transitions``): the official may explain (giải trình)
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
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.errors import Conflict, DomainError, Forbidden, Invalid
from congvu.inspect.inspections.tables import Finding, FindingVersion
from congvu.inspect.organisation.tables import Official
from congvu.inspect.review.services.access import duty_conflict, own_official, required_reason
from congvu.inspect.review.services.dossier_flags import (
    DOSSIER_CONFLICTS,
    LATE_CODE,
    DossierAction,
    covered,
    decision_key,
)
from congvu.inspect.review.services.dossier_items import (
    DossierRow,
    Named,
    decisions_by_dossier,
    load_dossier,
    require_dossier_reviewer,
)
from congvu.inspect.review.services.items import BulkResult, ItemKind
from congvu.inspect.review.services.labels import DOSSIER_OUTCOME_LABELS
from congvu.inspect.review.services.lifecycle import local_day
from congvu.inspect.review.services.transitions import Command, transition
from congvu.inspect.review.tables import DossierDecision, DossierOutcome
from congvu.rules.conduct import UnknownViolation
from congvu.rules.conduct import violation as conduct_violation
from congvu.rules.dossiers import VIETNAM_TIME, deadline_rules
from congvu.rules.packs import PackNotFound, format_date


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


async def _named(actor: Actor, official_id: int | None) -> Named:
    if official_id is None:
        raise Invalid("Chọn cán bộ chịu trách nhiệm về hồ sơ.", field="official_id")
    found = (
        await Official.select(Official.id, Official.is_leader, Official.unit.path)
        .where(Official.id == official_id, Official.active.eq(True))
        .first()
    )
    if found is None or not actor.can_see_unit_path(found["unit.path"]):
        raise Invalid("Cán bộ không thuộc đơn vị anh/chị quản lý.", field="official_id")
    return Named(found["id"], bool(found["is_leader"]), found["unit.path"])


def _facts(row: DossierRow, detail: dossiers.DossierDetail) -> str:
    labels = "; ".join(dossiers.FLAG_LABELS.get(f, f) for f in row.flags)
    done = detail.row.finished_at
    finished = format_date(done.astimezone(VIETNAM_TIME)) if done else "chưa có"
    due = format_date(row.due_at.astimezone(VIETNAM_TIME)) if row.due_at else "không có"
    return (
        f"Hồ sơ {row.code} ({row.procedure}) tại {row.unit_name}: {labels}. "
        f"Tiếp nhận {format_date(row.received_at.astimezone(VIETNAM_TIME))}, hẹn trả {due}, "
        f"có kết quả {finished}; trễ {detail.row.working_days_late} ngày làm việc."
    )


async def _record_case(
    actor: Actor, row: DossierRow, official_id: int, key: str, now: datetime
) -> int:
    """The Finding a take-up opens: bound to the conduct catalogue entry in force on the
    missed date and to the dossier rule's explanation at the last evaluation."""
    detail = await dossiers.dossier_detail(actor, row.id, row.evaluated_on or local_day(now))
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
        version_state=FindingVersion.CURRENT,
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
    require_dossier_reviewer(actor)
    now = now or datetime.now(UTC)
    async with db.atomic():
        row = await load_dossier(actor, dossier_id, lock=True)
        if not row.flags:
            raise Conflict("Hồ sơ không có cảnh báo trễ hạn cần xem xét.", field="action")
        key = decision_key(row.id, row.flags)
        decided = (await decisions_by_dossier(DossierDecision.dossier == row.id)).get(row.id, [])
        same = next((d for d in decided if d["key"] == key), None)
        if same is not None and _repeats(same, action, command, row):
            return DecisionResult(row.id, same["outcome"], same["finding"])
        if covered(row.flags, [d["flags"] for d in decided]):
            raise Conflict("Cảnh báo của hồ sơ này đã được xem xét.", field="action")
        me = await own_official(actor)
        problem = duty_conflict(actor, me, row, DOSSIER_CONFLICTS)
        if problem:
            raise Forbidden(problem)
        if action is DossierAction.DISMISS:
            why = required_reason(command.reason, "Bỏ qua cảnh báo phải ghi rõ lý do.")
            await _store(actor, row, key, DossierOutcome.DISMISSED, why, row.official_id, None, now)
            return DecisionResult(row.id, DossierOutcome.DISMISSED.value, None)
        named = await _named(actor, command.official_id or row.official_id)
        problem = duty_conflict(actor, me, named)
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
            actor, row, key, DossierOutcome.TAKEN_UP, reason, named.official_id, finding_id, now
        )
        # The same lifecycle as an inspection finding, from its first step.
        await transition(actor, finding_id, Command(action="notify"), now=now)
    return DecisionResult(row.id, DossierOutcome.TAKEN_UP.value, finding_id)


def _repeats(
    earlier: dict[str, Any], action: DossierAction, command: DossierCommand, row: DossierRow
) -> bool:
    if action is DossierAction.DISMISS:
        return bool(earlier["outcome"] == DossierOutcome.DISMISSED)
    wanted = command.official_id or row.official_id
    return bool(earlier["outcome"] == DossierOutcome.TAKEN_UP and earlier["official"] == wanted)


async def _store(
    actor: Actor,
    row: DossierRow,
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
        f"dossier_{'take_up' if outcome is DossierOutcome.TAKEN_UP else 'dismiss'}",
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
        label = DOSSIER_OUTCOME_LABELS[DossierOutcome(result.outcome)]
        return BulkResult(result.finding_id, True, 200, label, ItemKind.DOSSIER, dossier_id)
    except DomainError as error:
        return BulkResult(
            None, False, error.status_code, error.message, ItemKind.DOSSIER, dossier_id
        )
