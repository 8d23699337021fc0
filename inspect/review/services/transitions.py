"""Chuyển trạng thái of a finding: one transition per request, in its own transaction,
checked here and not in the pages: state (409 with the allowed actions), unit scope
(404), role and separation of duties (403). Every transition writes an AuditEvent on
("finding", id), which is also the finding's history, and tells whom it concerns.

The table (which action applies in which state) is ``congvu.rules.review``; the handlers
below check who may act and what the action needs (a reason, an explanation, a proof
of correction) and say what changes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.capture import api as capture
from congvu.inspect.db import atomic
from congvu.inspect.errors import Conflict, Forbidden, Invalid
from congvu.inspect.inspections.tables import Finding, FindingVersion, Inspection
from congvu.inspect.review.services.access import (
    FindingRef,
    readable,
    require_reviewer,
    required_reason,
)
from congvu.inspect.review.services.announcements import announce
from congvu.inspect.review.services.labels import ACTION_LABELS, FOLLOW_UP_LABELS, STATE_LABELS
from congvu.inspect.review.services.lifecycle import (
    NOTIFIER_ROLES,
    REVIEWER_ROLES,
    VERIFIER_ROLES,
    Action,
    allowed_actions,
    local_day,
    next_state,
)
from congvu.inspect.review.services.suggestions import suggestion_for
from congvu.inspect.review.tables import (
    Explanation,
    ExplanationEvidence,
    FindingReview,
    ReviewState,
)
from congvu.rules import review as rules
from congvu.rules.escalation import FollowUp
from congvu.rules.packs import format_date


@dataclass(frozen=True)
class Command:
    """One transition request: what the page form or the JSON body carries."""

    action: str
    reason: str | None = None
    follow_up: str | None = None
    explanation: str | None = None
    inspection_id: int | None = None
    evidence_sha256: str | None = None
    attachments: tuple[str, ...] = ()


def _parse_action(value: str) -> Action:
    try:
        return Action(value)
    except ValueError:
        raise Invalid(f"Hành động không hợp lệ: {value!r}.", field="action") from None


def illegal(action: Action, state: ReviewState) -> Conflict:
    """The 409 of an action that does not apply in ``state``, naming those that do."""
    allowed = allowed_actions(state)
    listed = ", ".join(a.value for a in allowed) or "không có"
    return Conflict(
        f"Không thể “{ACTION_LABELS[action]}” khi phát hiện đang ở trạng thái "
        f"“{STATE_LABELS[state]}”. Hành động được phép: {listed}.",
        field="action",
    )


async def transition(
    actor: Actor, finding_id: int, command: Command, *, now: datetime | None = None
) -> ReviewState:
    """Apply one transition in its own transaction; returns the new state."""
    action = _parse_action(command.action)
    now = now or datetime.now(UTC)
    async with atomic():
        ref = await readable(actor, finding_id)
        target = next_state(ref.state, action)
        if target is None:
            raise illegal(action, ref.state)
        changes, reason = await _HANDLERS[action](actor, ref, command, now)
        before = {"state": ref.state.value}
        after = {"state": target.value, **_jsonable(changes)}
        if ref.review is None:
            await FindingReview.insert(
                FindingReview(finding=ref.id, state=target.value, updated_at=now, **changes)
            )
        else:
            await FindingReview.update(
                {"state": target.value, "updated_at": now, **changes}  # type: ignore[dict-item]
            ).where(FindingReview.id == ref.review["id"])
        await audit.record(
            f"finding_{action.value}",
            "finding",
            ref.id,
            actor=actor,
            before=before,
            after=after,
            reason=reason,
        )
        await announce(action, ref, target, changes)
    return target


def _jsonable(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, date | datetime) else value
        for key, value in changes.items()
        if key not in ("updated_at",)
    }


Changes = tuple[dict[str, Any], str | None]


async def _notify(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    if not actor.has_role(*NOTIFIER_ROLES) or ref.about(actor):
        raise Forbidden("Bạn không được thông báo phát hiện này.")
    if not ref.ready:
        raise Conflict("Chỉ thông báo phát hiện sau khi đoàn đã nộp biên bản.", field="action")
    today = local_day(now)
    window = rules.windows(today)
    return {
        "notified_at": now,
        "notified_by": actor.id or None,
        "explanation_due": rules.explanation_due(today),
        "window_rule_id": window.rule.id,
        "window_rule_version": window.rule.version,
    }, None


async def _acknowledge(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    # A head may record receipt on the official's behalf (a notice handed over on paper).
    if not ref.about(actor):
        await require_reviewer(actor, ref)
    return {"acknowledged_at": now}, None


async def may_explain(actor: Actor, ref: FindingRef) -> None:
    """The subject explains; for a unit finding, a head of that unit (not the reviewer's
    job, but the unit's answer)."""
    if ref.about(actor):
        return
    if ref.official_id is None and actor.has_role(Role.UNIT_HEAD):
        return
    raise Forbidden("Chỉ người bị ghi nhận vi phạm mới được giải trình.")


def require_open_window(ref: FindingRef, now: datetime) -> None:
    assert ref.review is not None
    due: date = ref.review["explanation_due"]
    if local_day(now) > due:
        raise Conflict(f"Đã quá hạn giải trình (hạn cuối {format_date(due)}).", field="explanation")


def _review_due(now: datetime) -> date:
    return rules.review_due(local_day(now))


async def _explain(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    await may_explain(actor, ref)
    require_open_window(ref, now)
    text = (command.explanation or "").strip()
    if not text:
        raise Invalid("Nhập nội dung giải trình.", field="explanation")
    if len(text) > 20_000:
        raise Invalid("Nội dung giải trình quá dài (tối đa 20.000 ký tự).", field="explanation")
    # Only photos this account uploaded: a hash alone is no right to another's photo.
    stored = await capture.owned(actor.id, list(command.attachments), field="attachments")
    assert ref.review is not None
    explanation = Explanation(
        review=ref.review["id"], text=text, submitted_by=actor.id or None, submitted_at=now
    )
    await explanation.save()
    for evidence_id in stored.values():
        await ExplanationEvidence.insert(
            ExplanationEvidence(explanation=explanation.id, evidence=evidence_id)
        )
    return {"review_due": _review_due(now)}, None


async def _waive(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    if not ref.about(actor):
        await require_reviewer(actor, ref)
    reason = required_reason(command.reason, "Miễn thời hạn giải trình phải ghi rõ lý do.")
    return {"waived_reason": reason, "review_due": _review_due(now)}, reason


async def _start_review(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    await require_reviewer(actor, ref)
    assert ref.review is not None
    due: date = ref.review["explanation_due"]
    if local_day(now) <= due:
        raise Conflict(
            f"Cán bộ còn quyền giải trình đến hết ngày {format_date(due)}; muốn xem xét "
            "sớm hơn phải miễn thời hạn giải trình và ghi lý do.",
            field="action",
        )
    return {"review_due": _review_due(now)}, None


async def _decide(actor: Actor, ref: FindingRef, command: Command, outcome: str) -> Changes:
    await require_reviewer(actor, ref)
    if ref.recorded_by is not None and actor.id == ref.recorded_by:
        raise Forbidden("Người ghi nhận phát hiện không được tự xem xét phát hiện đó.")
    reason = required_reason(command.reason, "Quyết định phải ghi rõ lý do.")
    return {
        "outcome": outcome,
        "decided_by": actor.id or None,
        "decision_reason": reason,
    }, reason


async def _confirm(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    changes, reason = await _decide(actor, ref, command, "confirmed")
    suggestion = await suggestion_for(ref)
    changes["decided_at"] = now
    if suggestion is not None:
        changes["suggested_follow_up"] = suggestion.follow_up
        changes["suggestion_vi"] = suggestion.explanation_vi
    return changes, reason


async def _dismiss(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    changes, reason = await _decide(actor, ref, command, "dismissed")
    changes["decided_at"] = now
    return changes, reason


async def _decide_follow_up(
    actor: Actor, ref: FindingRef, command: Command, now: datetime
) -> Changes:
    await require_reviewer(actor, ref)
    assert ref.review is not None
    choice = (command.follow_up or "").strip()
    if choice not in FOLLOW_UP_LABELS:
        raise Invalid("Chọn một biện pháp trong danh sách.", field="follow_up")
    suggested = ref.review["suggested_follow_up"]
    reason = (command.reason or "").strip() or None
    if choice != suggested and reason is None:
        raise Invalid(
            "Chọn biện pháp khác với đề xuất phải ghi rõ lý do.",
            field="reason",
        )
    if choice == FollowUp.PROPOSE_DISCIPLINE.value and actor.id == ref.review["decided_by"]:
        raise Forbidden(
            "Đề nghị xem xét kỷ luật phải do người khác với người đã xác nhận vi phạm quyết định."
        )
    return {
        "follow_up": choice,
        "follow_up_reason": reason,
        "follow_up_by": actor.id or None,
        "follow_up_at": now,
    }, reason


async def _later_inspection(ref: FindingRef, inspection_id: int) -> int:
    row = await Inspection.select().where(Inspection.id == inspection_id).first()
    if (
        row is None
        or row["unit"] != ref.unit_id
        or row["status"] not in ("submitted", "closed")
        or row["scheduled_date"] <= ref.observed_on
    ):
        raise Invalid(
            "Cần một cuộc kiểm tra sau của cùng đơn vị, đã nộp biên bản.", field="inspection_id"
        )
    repeated = await Finding.exists().where(
        Finding.inspection == inspection_id,
        Finding.version_state == FindingVersion.CURRENT,
        Finding.violation_code == ref.violation_code,
        Finding.official.is_null(),
    )
    if repeated:
        raise Conflict(
            "Cuộc kiểm tra sau vẫn ghi nhận vi phạm này: chưa khắc phục.", field="inspection_id"
        )
    return int(row["id"])


async def _close(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    assert ref.review is not None
    changes: dict[str, Any] = {"closed_by": actor.id or None, "closed_at": now}
    corrective = ref.official_id is None and ref.review["outcome"] == "confirmed"
    if not corrective:
        await require_reviewer(actor, ref)
        return changes, (command.reason or "").strip() or None
    if command.inspection_id is not None:
        if not actor.has_role(*REVIEWER_ROLES, Role.TEAM_LEAD):
            raise Forbidden("Bạn không được kết thúc phát hiện này.")
        changes["verified_by_inspection"] = await _later_inspection(ref, command.inspection_id)
        return changes, None
    if command.evidence_sha256:
        if not actor.has_role(*VERIFIER_ROLES):
            raise Forbidden("Ảnh khắc phục phải do một kiểm tra viên xác minh.")
        if ref.recorded_by is not None and actor.id == ref.recorded_by:
            raise Forbidden("Ảnh khắc phục phải do kiểm tra viên khác với người ghi nhận xác minh.")
        photo = await capture.owned(actor.id, [command.evidence_sha256], field="evidence_sha256")
        changes["verified_by_evidence"] = next(iter(photo.values()))
        changes["verified_by"] = actor.id or None
        return changes, None
    raise Invalid(
        "Biện pháp khắc phục chỉ kết thúc khi có cuộc kiểm tra sau hoặc ảnh đã được kiểm "
        "tra viên khác xác minh.",
        field="inspection_id",
    )


Handler = Callable[[Actor, FindingRef, Command, datetime], Awaitable[Changes]]

_HANDLERS: dict[Action, Handler] = {
    Action.notify: _notify,
    Action.acknowledge: _acknowledge,
    Action.explain: _explain,
    Action.waive: _waive,
    Action.start_review: _start_review,
    Action.confirm: _confirm,
    Action.dismiss: _dismiss,
    Action.decide_follow_up: _decide_follow_up,
    Action.close: _close,
}
