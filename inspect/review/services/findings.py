"""Xem xét phát hiện: the due process a finding goes through before anyone acts on it.

    recorded ─notify→ notified ─acknowledge→ awaiting_explanation
    notified | awaiting_explanation ─explain | waive | start_review→ under_review
    under_review ─confirm→ confirmed ─decide_follow_up→ follow_up_decided ─close→ closed
    under_review ─dismiss→ dismissed ─close→ closed

The official has the right to explain (giải trình) for a number of working days that a
rule pack (topic ``review``) sets; the window is skipped only by a waiver with a reason,
or by ``start_review`` once it has passed. Every transition is checked here, not in the
pages: state (409 with the allowed actions), unit scope (404), role and separation of
duties (403). Every transition and every read writes an AuditEvent on object
("finding", id), which is also the finding's history.

A finding comes from an inspection (once the minutes are submitted) or from a late
dossier a head took up (``review_dossiers``); the head's queue holds both, and the
dossiers not yet decided, as items of their own kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.capture import api as capture
from congvu.inspect.db import atomic
from congvu.inspect.errors import Conflict, Forbidden, Invalid, NotFound
from congvu.inspect.inspections.tables import (
    Evidence,
    Finding,
    FindingEvidence,
    Inspection,
    InspectionMember,
)
from congvu.inspect.organisation.tables import Official, User
from congvu.inspect.review.services import notifications
from congvu.inspect.review.tables import (
    Explanation,
    ExplanationEvidence,
    FindingReview,
    ReviewState,
)
from congvu.rules.calendar import default_calendar
from congvu.rules.conduct import UnknownViolation
from congvu.rules.conduct import violation as conduct_violation
from congvu.rules.escalation import ConfirmedViolation, FollowUp, suggest_follow_up
from congvu.rules.packs import PackNotFound, format_date, pack_for

if TYPE_CHECKING:
    from congvu.inspect.review.services.dossier_cases import DossierItem

S = ReviewState

STATE_LABELS = {
    S.recorded: "Mới ghi nhận",
    S.notified: "Đã thông báo",
    S.awaiting_explanation: "Chờ giải trình",
    S.under_review: "Đang xem xét",
    S.confirmed: "Đã xác nhận vi phạm",
    S.dismissed: "Không xác nhận vi phạm",
    S.follow_up_decided: "Đã quyết định biện pháp",
    S.closed: "Đã kết thúc",
}


class Action(StrEnum):
    notify = "notify"
    acknowledge = "acknowledge"
    explain = "explain"
    waive = "waive"
    start_review = "start_review"
    confirm = "confirm"
    dismiss = "dismiss"
    decide_follow_up = "decide_follow_up"
    close = "close"


ACTION_LABELS = {
    Action.notify: "Thông báo cho cán bộ",
    Action.acknowledge: "Xác nhận đã nhận thông báo",
    Action.explain: "Gửi giải trình",
    Action.waive: "Miễn thời hạn giải trình",
    Action.start_review: "Bắt đầu xem xét",
    Action.confirm: "Xác nhận vi phạm",
    Action.dismiss: "Không xác nhận vi phạm",
    Action.decide_follow_up: "Quyết định biện pháp",
    Action.close: "Kết thúc",
}

# The states in which the official may still explain (giải trình).
EXPLANATION_WINDOW = frozenset({S.notified, S.awaiting_explanation})
TRANSITIONS: dict[Action, tuple[frozenset[ReviewState], ReviewState]] = {
    Action.notify: (frozenset({S.recorded}), S.notified),
    Action.acknowledge: (frozenset({S.notified}), S.awaiting_explanation),
    Action.explain: (EXPLANATION_WINDOW, S.under_review),
    Action.waive: (EXPLANATION_WINDOW, S.under_review),
    Action.start_review: (EXPLANATION_WINDOW, S.under_review),
    Action.confirm: (frozenset({S.under_review}), S.confirmed),
    Action.dismiss: (frozenset({S.under_review}), S.dismissed),
    Action.decide_follow_up: (frozenset({S.confirmed}), S.follow_up_decided),
    Action.close: (frozenset({S.follow_up_decided, S.dismissed}), S.closed),
}

# The follow-ups of DOMAIN §2; FIX_DEADLINE is the corrective action for a unit finding.
FIX_DEADLINE = "FIX_DEADLINE"
FOLLOW_UP_LABELS = {
    FollowUp.REMIND.value: "Nhắc nhở",
    FollowUp.CRITICISE.value: "Phê bình",
    FollowUp.REQUIRE_SELF_REVIEW.value: "Yêu cầu kiểm điểm",
    FollowUp.REQUEST_HEAD_REVIEW.value: "Yêu cầu người đứng đầu kiểm điểm",
    FollowUp.PROPOSE_DISCIPLINE.value: "Đề nghị cấp có thẩm quyền xem xét kỷ luật",
    FIX_DEADLINE: "Yêu cầu khắc phục ngay",
}
REVIEWER_ROLES = ("unit_head", "admin")
NOTIFIER_ROLES = ("unit_head", "admin", "team_lead")
VERIFIER_ROLES = ("inspector", "team_lead", "admin")
BULK_ACTIONS = (Action.notify, Action.confirm, Action.dismiss)


def allowed_actions(state: ReviewState) -> list[Action]:
    return [action for action, (sources, _) in TRANSITIONS.items() if state in sources]


class ItemKind(StrEnum):
    """What a queue item is: a finding, or a flagged dossier not yet decided."""

    finding = "finding"
    dossier = "dossier"


# --- loading and access --------------------------------------------------------------


@dataclass(frozen=True)
class FindingRef:
    id: int
    inspection_id: int | None  # None for a late-dossier case
    inspection_status: str | None
    official_id: int | None
    official_name: str | None
    official_is_leader: bool
    official_unit_path: str | None
    unit_id: int
    unit_path: str
    unit_name: str
    violation_code: str
    rule_id: str
    rule_version: str
    legal_basis: str
    explanation_vi: str
    explanation_en: str
    facts: str
    observed_at: datetime
    recorded_by: int | None
    capture_status: str
    review: dict[str, Any] | None
    dossier_id: int | None = None
    dossier_code: str | None = None

    @property
    def ready(self) -> bool:
        """Open to the head and the subject: minutes submitted, or a dossier case."""
        return self.dossier_id is not None or self.inspection_status in ("submitted", "closed")

    @property
    def state(self) -> ReviewState:
        return ReviewState(self.review["state"]) if self.review else S.recorded

    @property
    def observed_on(self) -> date:
        return self.observed_at.astimezone(clock.zone()).date()

    def about(self, actor: Actor) -> bool:
        return self.official_id is not None and self.official_id == actor.official_id


_COLUMNS = (
    *Finding.all_columns(),
    Finding.inspection.status,
    Finding.official.full_name,
    Finding.official.is_leader,
    Finding.official._.unit._.path,
    Finding.unit.path,
    Finding.unit.name,
    Finding.dossier.code,
)


def _ref(row: dict[str, Any], review: dict[str, Any] | None) -> FindingRef:
    return FindingRef(
        id=row["id"],
        inspection_id=row["inspection"],
        inspection_status=row["inspection.status"],
        official_id=row["official"],
        official_name=row["official.full_name"],
        official_is_leader=bool(row["official.is_leader"]),
        official_unit_path=row["official.unit.path"],
        unit_id=row["unit"],
        unit_path=row["unit.path"],
        unit_name=row["unit.name"],
        violation_code=row["violation_code"],
        rule_id=row["rule_id"],
        rule_version=row["rule_version"],
        legal_basis=row["legal_basis"],
        explanation_vi=row["explanation_vi"],
        explanation_en=row["explanation_en"],
        facts=row["facts"],
        observed_at=row["observed_at"],
        recorded_by=row["recorded_by"],
        capture_status=row["status"],
        review=review,
        dossier_id=row["dossier"],
        dossier_code=row["dossier.code"],
    )


async def load_unchecked(finding_id: int) -> FindingRef | None:
    """A finding with its review row, or None; no access check (``readable`` does it,
    the reminder cron needs none)."""
    row = await Finding.select(*_COLUMNS).where(Finding.id == finding_id).first()
    if row is None:
        return None
    review = await FindingReview.select().where(FindingReview.finding == finding_id).first()
    return _ref(row, review)


async def _is_member(actor: Actor, inspection_id: int) -> bool:
    return await InspectionMember.exists().where(
        InspectionMember.inspection == inspection_id, InspectionMember.user == actor.id
    )


async def readable(actor: Actor, finding_id: int) -> FindingRef:
    """The current version of a finding the actor may see; 404 otherwise (scope does
    not reveal which findings exist).

    Its subject once notified; admins and team leads in scope; unit heads in scope once
    the minutes are submitted (a dossier case at once); inspectors of its team, and any
    inspector in scope for a unit finding whose correction awaits verification."""
    ref = await load_unchecked(finding_id)
    if ref is None or ref.capture_status != "recorded":
        raise NotFound("Không tìm thấy phát hiện.")
    if ref.about(actor) and ref.review is not None:
        return ref
    in_scope = actor.can_see_unit_path(ref.unit_path)
    if in_scope and actor.has_role("admin", "team_lead"):
        return ref
    if in_scope and actor.has_role("unit_head") and ref.ready:
        return ref
    if (
        ref.inspection_id is not None
        and actor.has_role("inspector", "team_lead")
        and await _is_member(actor, ref.inspection_id)
    ):
        return ref
    if (
        in_scope
        and actor.has_role("inspector")
        and ref.official_id is None
        and ref.state is S.follow_up_decided
    ):
        return ref
    raise NotFound("Không tìm thấy phát hiện.")


@dataclass(frozen=True)
class Person:
    official_id: int
    unit_path: str


async def own_official(actor: Actor) -> Person | None:
    if actor.official_id is None:
        return None
    row = (
        await Official.select(Official.id, Official.unit.path)
        .where(Official.id == actor.official_id)
        .first()
    )
    return Person(row["id"], row["unit.path"]) if row else None


class Subject(Protocol):
    """Whom a decision is about, as separation of duties needs it."""

    @property
    def official_id(self) -> int | None: ...

    @property
    def official_is_leader(self) -> bool: ...

    @property
    def official_unit_path(self) -> str | None: ...


SELF_CONFLICT = "Không được xem xét phát hiện về chính mình."
SUPERIOR_CONFLICT = "Không được xem xét phát hiện về lãnh đạo cấp trên của mình."


def duty_conflict(
    actor: Actor,
    me: Person | None,
    ref: Subject,
    messages: tuple[str, str] = (SELF_CONFLICT, SUPERIOR_CONFLICT),
) -> str | None:
    """Why the actor may not decide about this subject (separation of duties), or None.

    Nobody decides about themself, nor about their own superior: a leader (is_leader)
    of the decider's own unit or of a unit above it."""
    if ref.official_id is not None and ref.official_id == actor.official_id:
        return messages[0]
    if (
        me is not None
        and ref.official_id is not None
        and ref.official_is_leader
        and ref.official_unit_path is not None
        and me.unit_path.startswith(ref.official_unit_path)
    ):
        return messages[1]
    return None


async def _require_reviewer(actor: Actor, ref: FindingRef) -> None:
    if not actor.has_role(*REVIEWER_ROLES):
        raise Forbidden("Chỉ thủ trưởng đơn vị hoặc quản trị mới được xem xét phát hiện.")
    problem = duty_conflict(actor, await own_official(actor), ref)
    if problem:
        raise Forbidden(problem)


def required_reason(reason: str | None, message: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid(message, field="reason")
    return text


# --- the window and the suggestion ---------------------------------------------------


def local_day(now: datetime) -> date:
    return now.astimezone(clock.zone()).date()


def windows(on: date) -> tuple[Any, int, int]:
    pack = pack_for("review", on)
    return (
        pack,
        int(pack.parameters["explanation_window_working_days"]),
        int(pack.parameters["review_window_working_days"]),
    )


@dataclass(frozen=True)
class Suggestion:
    follow_up: str
    label: str
    head_action: str | None
    explanation_vi: str
    rule: str


async def _confirmed_before(where: Any, exclude: int) -> list[tuple[str, datetime, int | None]]:
    rows = await FindingReview.select(
        FindingReview.finding.violation_code,
        FindingReview.finding.observed_at,
        FindingReview.finding,
        FindingReview.follow_up,
        FindingReview.follow_up_at,
    ).where(FindingReview.outcome == "confirmed", where, FindingReview.finding != exclude)
    return [(r["finding.violation_code"], r["finding.observed_at"], r["finding"]) for r in rows]


async def confirmed_history(official_id: int, exclude: int = 0) -> list[ConfirmedViolation]:
    """An official's confirmed violations (tái phạm history), oldest first, whatever their
    origin (inspection or late dossier); ``exclude`` is the finding being judged."""
    zone = clock.zone()
    rows = await _confirmed_before(FindingReview.finding.official == official_id, exclude)
    return sorted(
        (ConfirmedViolation(code, moment.astimezone(zone).date()) for code, moment, _ in rows),
        key=lambda v: v.on,
    )


async def prior_violations(ref: FindingRef) -> list[ConfirmedViolation]:
    """The person's confirmed violations (tái phạm history), oldest first."""
    if ref.official_id is None:
        return []
    return await confirmed_history(ref.official_id, ref.id)


async def suggestion_for(ref: FindingRef) -> Suggestion | None:
    """The escalation rules' follow-up, with their explanation; None when the rules have
    nothing to say (a code outside the conduct catalogue)."""
    if ref.official_id is None:
        return Suggestion(
            follow_up=FIX_DEADLINE,
            label=FOLLOW_UP_LABELS[FIX_DEADLINE],
            head_action=None,
            explanation_vi="Vi phạm của đơn vị: yêu cầu thủ trưởng khắc phục ngay; chỉ kết "
            "thúc khi một cuộc kiểm tra sau hoặc ảnh do kiểm tra viên khác xác minh cho "
            "thấy đã khắc phục.",
            rule="",
        )
    facts = await escalation_facts(ref.official_id, ref.unit_path, ref.id)
    return suggestion_from(facts, ref.violation_code, ref.observed_on)


@dataclass(frozen=True)
class EscalationFacts:
    """What the escalation rules count for one official in one unit: their confirmed
    violations, the unit's, and the days its head was asked for a review."""

    history: list[ConfirmedViolation]
    unit_history: list[ConfirmedViolation]
    head_reviews: list[date]


async def escalation_facts(official_id: int, unit_path: str, exclude: int = 0) -> EscalationFacts:
    """Every confirmed finding, whatever its origin; ``exclude`` is the one being judged."""
    zone = clock.zone()
    unit_rows = await _confirmed_before(
        FindingReview.finding._.unit._.path.like(f"{unit_path}%"), exclude
    )
    head_rows = await FindingReview.select(FindingReview.follow_up_at).where(
        FindingReview.finding._.unit._.path.like(f"{unit_path}%"),
        FindingReview.follow_up == FollowUp.REQUEST_HEAD_REVIEW.value,
    )
    return EscalationFacts(
        history=await confirmed_history(official_id, exclude),
        unit_history=[
            ConfirmedViolation(other, moment.astimezone(zone).date())
            for other, moment, _ in unit_rows
        ],
        head_reviews=[
            r["follow_up_at"].astimezone(zone).date() for r in head_rows if r["follow_up_at"]
        ],
    )


def suggestion_from(facts: EscalationFacts, code: str, on: date) -> Suggestion | None:
    """The escalation rules' follow-up for a confirmed violation ``code`` on ``on``."""
    try:
        verdict = suggest_follow_up(
            ConfirmedViolation(code, on),
            facts.history,
            unit_history=facts.unit_history,
            head_reviews=facts.head_reviews,
        )
    except (UnknownViolation, PackNotFound):
        return None
    follow_up = verdict.follow_up.value
    return Suggestion(
        follow_up=follow_up,
        label=FOLLOW_UP_LABELS[follow_up],
        head_action=verdict.head_action.value if verdict.head_action else None,
        explanation_vi=verdict.explanation_vi,
        rule=f"{verdict.rule.id} {verdict.rule.version}",
    )


# --- transitions ---------------------------------------------------------------------


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


def _illegal(action: Action, state: ReviewState) -> Conflict:
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
        sources, target = TRANSITIONS[action]
        if ref.state not in sources:
            raise _illegal(action, ref.state)
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
        await _announce(action, ref, target, changes)
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
    pack, window, _ = windows(today)
    due = default_calendar().add_working_days(today, window)
    return {
        "notified_at": now,
        "notified_by": actor.id or None,
        "explanation_due": due,
        "window_rule_id": pack.id,
        "window_rule_version": pack.version,
    }, None


async def _acknowledge(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    # A head may record receipt on the official's behalf (a notice handed over on paper).
    if not ref.about(actor):
        await _require_reviewer(actor, ref)
    return {"acknowledged_at": now}, None


async def _may_explain(actor: Actor, ref: FindingRef) -> None:
    """The subject explains; for a unit finding, a head of that unit (not the reviewer's
    job, but the unit's answer)."""
    if ref.about(actor):
        return
    if ref.official_id is None and actor.has_role("unit_head"):
        return
    raise Forbidden("Chỉ người bị ghi nhận vi phạm mới được giải trình.")


def _require_open_window(ref: FindingRef, now: datetime) -> None:
    assert ref.review is not None
    due: date = ref.review["explanation_due"]
    if local_day(now) > due:
        raise Conflict(f"Đã quá hạn giải trình (hạn cuối {format_date(due)}).", field="explanation")


def _review_due(now: datetime) -> date:
    today = local_day(now)
    _, _, review_window = windows(today)
    return default_calendar().add_working_days(today, review_window)


async def _explain(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    await _may_explain(actor, ref)
    _require_open_window(ref, now)
    text = (command.explanation or "").strip()
    if not text:
        raise Invalid("Nhập nội dung giải trình.", field="explanation")
    if len(text) > 20_000:
        raise Invalid("Nội dung giải trình quá dài (tối đa 20.000 ký tự).", field="explanation")
    hashes = list(dict.fromkeys(h.lower() for h in command.attachments))
    stored = (
        await Evidence.select(Evidence.id, Evidence.sha256).where(Evidence.sha256.is_in(hashes))
        if hashes
        else []
    )
    if len(stored) != len(hashes):
        raise Invalid("Tệp đính kèm chưa được tải lên.", field="attachments")
    assert ref.review is not None
    explanation = Explanation(
        review=ref.review["id"], text=text, submitted_by=actor.id or None, submitted_at=now
    )
    await explanation.save()
    for row in stored:
        await ExplanationEvidence.insert(
            ExplanationEvidence(explanation=explanation.id, evidence=row["id"])
        )
    return {"review_due": _review_due(now)}, None


async def _waive(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    if not ref.about(actor):
        await _require_reviewer(actor, ref)
    reason = required_reason(command.reason, "Miễn thời hạn giải trình phải ghi rõ lý do.")
    return {"waived_reason": reason, "review_due": _review_due(now)}, reason


async def _start_review(actor: Actor, ref: FindingRef, command: Command, now: datetime) -> Changes:
    await _require_reviewer(actor, ref)
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
    await _require_reviewer(actor, ref)
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
    await _require_reviewer(actor, ref)
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
        Finding.status == "recorded",
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
        await _require_reviewer(actor, ref)
        return changes, (command.reason or "").strip() or None
    if command.inspection_id is not None:
        if not actor.has_role(*REVIEWER_ROLES, "team_lead"):
            raise Forbidden("Bạn không được kết thúc phát hiện này.")
        changes["verified_by_inspection"] = await _later_inspection(ref, command.inspection_id)
        return changes, None
    if command.evidence_sha256:
        if not actor.has_role(*VERIFIER_ROLES):
            raise Forbidden("Ảnh khắc phục phải do một kiểm tra viên xác minh.")
        if ref.recorded_by is not None and actor.id == ref.recorded_by:
            raise Forbidden("Ảnh khắc phục phải do kiểm tra viên khác với người ghi nhận xác minh.")
        photo = (
            await Evidence.select(Evidence.id)
            .where(Evidence.sha256 == command.evidence_sha256.lower())
            .first()
        )
        if photo is None:
            raise Invalid("Ảnh khắc phục chưa được tải lên.", field="evidence_sha256")
        changes["verified_by_evidence"] = photo["id"]
        changes["verified_by"] = actor.id or None
        return changes, None
    raise Invalid(
        "Biện pháp khắc phục chỉ kết thúc khi có cuộc kiểm tra sau hoặc ảnh đã được kiểm "
        "tra viên khác xác minh.",
        field="inspection_id",
    )


_HANDLERS = {
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


async def subject_users(ref: FindingRef) -> list[int]:
    if ref.official_id is None:
        return []
    rows = await User.select(User.id).where(User.official == ref.official_id, User.active.eq(True))
    return [r["id"] for r in rows]


async def head_users(unit_path: str) -> list[int]:
    """The nearest unit heads above (or of) the unit: their scope is the longest prefix."""
    rows = await User.select(User.id, User.scope_unit.path).where(
        User.role == "unit_head", User.active.eq(True)
    )
    covering = [
        r for r in rows if r["scope_unit.path"] and unit_path.startswith(r["scope_unit.path"])
    ]
    if not covering:
        return []
    nearest = max(len(r["scope_unit.path"]) for r in covering)
    return [r["id"] for r in covering if len(r["scope_unit.path"]) == nearest]


def _what(ref: FindingRef) -> str:
    return f"hồ sơ {ref.dossier_code} trễ hạn" if ref.dossier_code else ref.violation_code


async def _announce(
    action: Action, ref: FindingRef, target: ReviewState, changes: dict[str, Any]
) -> None:
    link = f"/findings/{ref.id}"
    if action is Action.notify:
        due = format_date(changes["explanation_due"])
        await notifications.send(
            await subject_users(ref),
            f"notified:{ref.id}",
            "finding_notified",
            f"Có phát hiện về anh/chị ({_what(ref)}); giải trình trước hết ngày {due}.",
            link,
        )
        await notifications.send(
            await head_users(ref.unit_path),
            f"notified-head:{ref.id}",
            "finding_notified",
            f"Phát hiện mới tại {ref.unit_name} ({_what(ref)}); hạn giải trình {due}.",
            link,
        )
    elif action is Action.explain:
        await notifications.send(
            await head_users(ref.unit_path),
            f"explained:{ref.id}",
            "explanation_submitted",
            f"{ref.official_name or ref.unit_name} đã gửi giải trình; chờ xem xét.",
            link,
        )
    elif target in (S.confirmed, S.dismissed):
        await notifications.send(
            await subject_users(ref),
            f"decided:{ref.id}",
            "finding_decided",
            f"Phát hiện đã được xem xét: {STATE_LABELS[target]}.",
            link,
        )


# --- submitting an explanation from a page (with files) --------------------------------


async def submit_explanation(
    actor: Actor,
    finding_id: int,
    text: str,
    files: Sequence[bytes] = (),
    *,
    now: datetime | None = None,
) -> ReviewState:
    """Giải trình with attachments: checked before any file is kept, so a stranger cannot
    store files through this door; photos are stored like inspection capture."""
    import hashlib

    ref = await readable(actor, finding_id)
    if ref.state not in TRANSITIONS[Action.explain][0]:
        raise _illegal(Action.explain, ref.state)
    await _may_explain(actor, ref)
    _require_open_window(ref, now or datetime.now(UTC))
    hashes = []
    for data in files:
        if not data:
            continue
        sha = hashlib.sha256(data).hexdigest()
        await capture.store(actor, sha, data, None)
        hashes.append(sha)
    return await transition(
        actor,
        finding_id,
        Command(action="explain", explanation=text, attachments=tuple(hashes)),
        now=now,
    )


# --- bulk ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkResult:
    """One item's outcome; for a dossier, ``finding_id`` is the case it opened, if any."""

    finding_id: int | None
    ok: bool
    status: int
    message: str
    kind: ItemKind = ItemKind.finding
    dossier_id: int | None = None


def severity(ref: FindingRef) -> str:
    try:
        return conduct_violation(ref.violation_code, ref.observed_on).severity
    except (UnknownViolation, PackNotFound):
        return "serious"


def violation_label(ref: FindingRef) -> str:
    try:
        return conduct_violation(ref.violation_code, ref.observed_on).label_vi
    except (UnknownViolation, PackNotFound):
        return ref.violation_code


# --- reading: queue, detail, own findings, history ------------------------------------


@dataclass(frozen=True)
class ExplanationView:
    text: str
    submitted_at: datetime
    submitted_by: str | None
    attachments: list[str]


@dataclass(frozen=True)
class HistoryEntry:
    occurred_at: datetime
    actor: str | None
    role: str | None
    action: str
    before: Any
    after: Any
    reason: str | None


@dataclass
class FindingItem:
    """One item of a queue or a page. ``kind`` lets the other item kind (a flagged
    dossier, ``review_dossiers.DossierItem``) share the queue and its ordering."""

    kind: ItemKind
    id: int
    state: ReviewState
    state_label: str
    deadline: date | None
    official_name: str | None
    unit_name: str
    violation_code: str
    violation_label: str
    severity: str
    facts: str
    observed_at: datetime
    rule_explanation: str
    legal_basis: str
    rule: str
    photos: list[str]
    explanations: list[ExplanationView]
    prior: list[ConfirmedViolation]
    suggestion: Suggestion | None
    decision_reason: str | None
    outcome: str | None
    follow_up: str | None
    follow_up_reason: str | None
    waived_reason: str | None
    explanation_due: date | None
    review_due: date | None
    conflict: str | None
    about_me: bool
    actions: list[Action] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    # A late-dossier case: the dossier it was taken up from.
    dossier_id: int | None = None
    dossier_code: str | None = None


def _deadline(ref: FindingRef) -> date | None:
    if ref.review is None:
        return None
    if ref.state in EXPLANATION_WINDOW:
        return ref.review["explanation_due"]
    return ref.review["review_due"]


async def _explanations(ref: FindingRef) -> list[ExplanationView]:
    if ref.review is None:
        return []
    rows = (
        await Explanation.select(
            Explanation.id,
            Explanation.text,
            Explanation.submitted_at,
            Explanation.submitted_by.display_name,
        )
        .where(Explanation.review == ref.review["id"])
        .order_by(Explanation.id)
    )
    views = []
    for r in rows:
        files = await ExplanationEvidence.select(ExplanationEvidence.evidence.sha256).where(
            ExplanationEvidence.explanation == r["id"]
        )
        views.append(
            ExplanationView(
                text=r["text"],
                submitted_at=r["submitted_at"],
                submitted_by=r["submitted_by.display_name"],
                attachments=[f["evidence.sha256"] for f in files],
            )
        )
    return views


async def _photos(finding_id: int) -> list[str]:
    rows = await FindingEvidence.select(FindingEvidence.evidence.sha256).where(
        FindingEvidence.finding == finding_id
    )
    return [r["evidence.sha256"] for r in rows]


async def _item(actor: Actor, me: Person | None, ref: FindingRef) -> FindingItem:
    review = ref.review or {}
    conflict = duty_conflict(actor, me, ref)
    return FindingItem(
        kind=ItemKind.finding,
        id=ref.id,
        state=ref.state,
        state_label=STATE_LABELS[ref.state],
        deadline=_deadline(ref),
        official_name=ref.official_name,
        unit_name=ref.unit_name,
        violation_code=ref.violation_code,
        violation_label=violation_label(ref),
        severity=severity(ref),
        facts=ref.facts,
        observed_at=ref.observed_at,
        rule_explanation=ref.explanation_vi,
        legal_basis=ref.legal_basis,
        rule=f"{ref.rule_id} {ref.rule_version}",
        photos=await _photos(ref.id),
        explanations=await _explanations(ref),
        prior=await prior_violations(ref),
        suggestion=await suggestion_for(ref) if ref.state is not S.closed else None,
        decision_reason=review.get("decision_reason"),
        outcome=review.get("outcome"),
        follow_up=review.get("follow_up"),
        follow_up_reason=review.get("follow_up_reason"),
        waived_reason=review.get("waived_reason"),
        explanation_due=review.get("explanation_due"),
        review_due=review.get("review_due"),
        conflict=conflict,
        about_me=ref.about(actor),
        actions=allowed_actions(ref.state),
        dossier_id=ref.dossier_id,
        dossier_code=ref.dossier_code,
    )


async def audit_listing(
    actor: Actor, listing: str, items: Sequence[FindingItem | DossierItem]
) -> None:
    """A list shows each finding's facts, so reading it is a read of those findings: one
    event per list view names them all (one per item would flood the trail)."""
    if not items:
        return
    async with atomic():
        await audit.record(
            "findings_listed",
            "finding_list",
            listing,
            actor=actor,
            after={
                "findings": [i.id for i in items if i.kind == ItemKind.finding],
                "dossiers": [i.id for i in items if i.kind == ItemKind.dossier],
            },
        )


async def finding_items(actor: Actor, me: Person | None) -> list[FindingItem]:
    rows = (
        await Finding.select(*_COLUMNS)
        .where(
            Finding.unit.path.like(f"{actor.scope_path}%"),
            Finding.status == "recorded",
            Finding.inspection.status.is_in(["submitted", "closed"])
            | Finding.dossier.is_not_null(),
        )
        .order_by(Finding.id)
    )
    reviews = {
        r["finding"]: r
        for r in (
            await FindingReview.select().where(
                FindingReview.finding.is_in([row["id"] for row in rows])
            )
            if rows
            else []
        )
    }
    items = []
    for row in rows:
        ref = _ref(row, reviews.get(row["id"]))
        if ref.state is S.closed or ref.about(actor):
            continue
        items.append(await _item(actor, me, ref))
    return items


async def finding_detail(
    actor: Actor, finding_id: int, *, now: datetime | None = None
) -> FindingItem:
    """A finding with its history; the read is audited. The subject opening a notified
    finding acknowledges it (their explanation window is already counting)."""
    ref = await readable(actor, finding_id)
    async with atomic():
        await audit.record("finding_viewed", "finding", ref.id, actor=actor)
    if ref.about(actor) and ref.state is S.notified:
        await transition(actor, finding_id, Command(action="acknowledge"), now=now)
        ref = await readable(actor, finding_id)
    item = await _item(actor, await own_official(actor), ref)
    item.history = await history(actor, finding_id, audited=False)
    return item


async def mine(actor: Actor) -> list[FindingItem]:
    """Phát hiện về tôi: findings about the actor's own official record, once notified."""
    if actor.official_id is None:
        return []
    rows = (
        await Finding.select(*_COLUMNS)
        .where(Finding.official == actor.official_id, Finding.status == "recorded")
        .order_by(Finding.observed_at, ascending=False)
    )
    reviews = {
        r["finding"]: r
        for r in (
            await FindingReview.select().where(
                FindingReview.finding.is_in([row["id"] for row in rows])
            )
            if rows
            else []
        )
    }
    items = []
    for row in rows:
        if row["id"] in reviews:
            items.append(await _item(actor, None, _ref(row, reviews[row["id"]])))
    await audit_listing(actor, "mine", items)
    return items


async def history(actor: Actor, finding_id: int, *, audited: bool = True) -> list[HistoryEntry]:
    """Lịch sử: the finding's AuditEvents, oldest first."""
    if audited:
        ref = await readable(actor, finding_id)
        async with atomic():
            await audit.record("finding_history_viewed", "finding", ref.id, actor=actor)
    rows = (
        await AuditEvent.select(
            AuditEvent.occurred_at,
            AuditEvent.actor_username,
            AuditEvent.actor_role,
            AuditEvent.action,
            AuditEvent.before,
            AuditEvent.after,
            AuditEvent.reason,
        )
        .where(AuditEvent.object_type == "finding", AuditEvent.object_id == str(finding_id))
        .order_by(AuditEvent.id)
        .output(load_json=True)
    )
    return [
        HistoryEntry(
            occurred_at=r["occurred_at"],
            actor=r["actor_username"],
            role=r["actor_role"],
            action=r["action"],
            before=r["before"],
            after=r["after"],
            reason=r["reason"],
        )
        for r in rows
    ]


async def photo(actor: Actor, finding_id: int, sha256: str) -> tuple[Path, str]:
    """A photo of the finding, of its explanations or of the verification that closed its
    corrective action, through the finding's access rules; every view is audited."""
    ref = await readable(actor, finding_id)
    sha256 = sha256.lower()
    attached = (
        sha256 in await _photos(ref.id)
        or any(sha256 in e.attachments for e in await _explanations(ref))
        or await FindingReview.exists().where(
            FindingReview.finding == ref.id,
            FindingReview.verified_by_evidence._.sha256 == sha256,
        )
    )
    if not attached:
        raise NotFound("Không tìm thấy ảnh chứng cứ.", field="sha256")
    async with atomic():
        await audit.record(
            "finding_photo_viewed", "finding", ref.id, actor=actor, after={"sha256": sha256}
        )
    return await capture.evidence_file(sha256)


async def read_evidence(
    actor: Actor, sha256: str, *, request_id: str | None = None
) -> tuple[Path, str]:
    """Xem ảnh chứng cứ: through a finding the photo documents (or whose giải trình it is
    attached to) that the actor may read, audited on that finding exactly as the review
    page's photo route does; otherwise only its uploader, audited on the photo. Anyone
    else gets 404, as if it did not exist."""
    sha256 = sha256.lower()
    row = (
        await Evidence.select(Evidence.id, Evidence.uploaded_by)
        .where(Evidence.sha256 == sha256)
        .first()
    )
    if row is None:
        raise NotFound("Không tìm thấy ảnh chứng cứ.", field="sha256")
    for finding_id in await _findings_citing(row["id"]):
        try:
            return await photo(actor, finding_id, sha256)
        except NotFound:
            continue
    if not actor.id or row["uploaded_by"] != actor.id:
        raise NotFound("Không tìm thấy ảnh chứng cứ.", field="sha256")
    async with atomic():
        await audit.record(
            "evidence_viewed", "evidence", sha256, actor=actor, request_id=request_id
        )
    return await capture.evidence_file(sha256)


async def _findings_citing(evidence_id: int) -> list[int]:
    """Findings with the photo as evidence, as an attachment of their explanations, or as
    the proof that closed their corrective action."""
    direct = await FindingEvidence.select(FindingEvidence.finding).where(
        FindingEvidence.evidence == evidence_id
    )
    explained = await ExplanationEvidence.select(
        ExplanationEvidence.explanation._.review._.finding
    ).where(ExplanationEvidence.evidence == evidence_id)
    # A photo verifying a corrective action (the review's closing proof).
    verified = await FindingReview.select(FindingReview.finding).where(
        FindingReview.verified_by_evidence == evidence_id
    )
    found = [r["finding"] for r in direct]
    found += [r["explanation.review.finding"] for r in explained]
    found += [r["finding"] for r in verified]
    return sorted(set(found))
