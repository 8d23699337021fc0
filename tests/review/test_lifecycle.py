"""The finding lifecycle through the services: each transition, each refusal, and the
separation-of-duty rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.errors import Conflict, Forbidden, Invalid, NotFound
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.services import queue as review_queue
from congvu.inspect.review.services import reminders as review_reminders
from congvu.inspect.review.tables import Explanation, FindingReview, Notification

from tests.builders import photo
from tests.review.conftest import head_a_official
from tests.worlds import MONDAY, ReviewWorld, submitted_inspection

pytestmark = pytest.mark.anyio


async def _state(finding_id: int) -> str:
    row = await FindingReview.select(FindingReview.state).where(FindingReview.finding == finding_id)
    return row[0]["state"] if row else "recorded"


async def _to_review(rw: ReviewWorld, finding_id: int) -> None:
    head = await rw.actor("head_a")
    await review.transition(head, finding_id, Command("notify"), now=MONDAY)
    official = await rw.actor("official_a")
    await review.transition(
        official,
        finding_id,
        Command("explain", explanation="Xe hỏng trên đường đi làm."),
        now=MONDAY + timedelta(days=1),
    )


async def test_the_whole_lifecycle_of_a_personal_finding(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    head = await rw.actor("head_a")
    official = await rw.actor("official_a")

    assert await review.transition(head, finding, Command("notify"), now=MONDAY) == "notified"
    row = await FindingReview.select().where(FindingReview.finding == finding).first()
    # Monday + 5 working days = the next Monday; the window comes from the review pack.
    assert row["explanation_due"] == (MONDAY + timedelta(days=7)).date()
    assert (row["window_rule_id"], row["window_rule_version"]) == ("review", "2025.1")

    detail = await review.finding_detail(official, finding, now=MONDAY)
    assert detail.state == "awaiting_explanation"  # opening it acknowledges receipt
    state = await review.transition(
        official, finding, Command("explain", explanation="Xe hỏng."), now=MONDAY
    )
    assert state == "under_review"
    assert await Explanation.count() == 1
    assert await review.transition(
        head, finding, Command("confirm", reason="Không có giấy tờ chứng minh.")
    ) == ("confirmed")
    row = await FindingReview.select().where(FindingReview.finding == finding).first()
    assert row["suggested_follow_up"] == "REMIND"
    assert await review.transition(
        head, finding, Command("decide_follow_up", follow_up="REMIND")
    ) == ("follow_up_decided")
    assert await review.transition(head, finding, Command("close")) == "closed"

    actions = [
        e["action"]
        for e in await AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_type == "finding", AuditEvent.object_id == str(finding))
        .order_by(AuditEvent.id)
    ]
    assert [a for a in actions if a not in ("finding_viewed",)] == [
        "finding_notify",
        "finding_acknowledge",
        "finding_explain",
        "finding_confirm",
        "finding_decide_follow_up",
        "finding_close",
    ]
    assert "finding_viewed" in actions
    # The official was notified, and told the decision.
    kinds = {n["kind"] for n in await Notification.select(Notification.kind)}
    assert {"finding_notified", "explanation_submitted", "finding_decided"} <= kinds


async def test_an_illegal_transition_is_409_listing_the_allowed_ones(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    head = await rw.actor("head_a")
    with pytest.raises(Conflict) as caught:
        await review.transition(head, finding, Command("confirm", reason="x"))
    assert caught.value.status_code == 409
    assert "notify" in caught.value.message
    assert await _state(finding) == "recorded"


async def test_dismissal_needs_a_reason_and_closes(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    await _to_review(rw, finding)
    head = await rw.actor("head_a")
    with pytest.raises(Invalid) as caught:
        await review.transition(head, finding, Command("dismiss", reason="  "))
    assert caught.value.field == "reason"
    await review.transition(head, finding, Command("dismiss", reason="Có đơn xin phép."))
    assert await review.transition(head, finding, Command("close")) == "closed"
    row = await FindingReview.select().where(FindingReview.finding == finding).first()
    assert row["outcome"] == "dismissed"


async def test_explanation_after_the_deadline_is_refused(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("notify"), now=MONDAY)
    official = await rw.actor("official_a")
    late = MONDAY + timedelta(days=8)  # the Tuesday after the due Monday
    with pytest.raises(Conflict) as caught:
        await review.transition(official, finding, Command("explain", explanation="Muộn"), now=late)
    assert "quá hạn" in caught.value.message
    # On the due day itself it is still accepted.
    on_due = MONDAY + timedelta(days=7)
    await review.transition(official, finding, Command("explain", explanation="Kịp"), now=on_due)
    assert await _state(finding) == "under_review"


async def test_review_cannot_start_early_without_a_waiver_with_reason(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("notify"), now=MONDAY)
    with pytest.raises(Conflict):
        await review.transition(head, finding, Command("start_review"), now=MONDAY)
    with pytest.raises(Invalid):
        await review.transition(head, finding, Command("waive", reason=""), now=MONDAY)
    await review.transition(
        head, finding, Command("waive", reason="Cán bộ đã từ chối giải trình."), now=MONDAY
    )
    assert await _state(finding) == "under_review"


async def test_review_starts_once_the_window_has_passed(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("notify"), now=MONDAY)
    await review.transition(head, finding, Command("start_review"), now=MONDAY + timedelta(days=8))
    assert await _state(finding) == "under_review"


async def test_only_the_subject_may_explain(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("notify"), now=MONDAY)
    with pytest.raises(Forbidden):
        await review.transition(head, finding, Command("explain", explanation="x"), now=MONDAY)
    other = await rw.actor("official_b")
    with pytest.raises(NotFound):
        await review.transition(other, finding, Command("explain", explanation="x"), now=MONDAY)


async def test_the_recording_inspector_cannot_confirm(rw: ReviewWorld) -> None:
    # The province head recorded this one himself (e.g. joined the team).
    finding = await rw.finding(rw.world.official_a, recorded_by="head_p")
    await _to_review(rw, finding)
    head_p = await rw.actor("head_p")
    with pytest.raises(Forbidden) as caught:
        await review.transition(head_p, finding, Command("confirm", reason="x"))
    assert "ghi nhận" in caught.value.message
    head_a = await rw.actor("head_a")
    await review.transition(head_a, finding, Command("confirm", reason="Đúng sự thật."))


async def test_nobody_reviews_a_finding_about_themself(rw: ReviewWorld) -> None:
    finding = await rw.finding(await head_a_official(rw.world))
    head_p = await rw.actor("head_p")
    await review.transition(head_p, finding, Command("notify"), now=MONDAY)
    head_a = await rw.actor("head_a")
    await review.transition(head_a, finding, Command("explain", explanation="Đi họp"), now=MONDAY)
    with pytest.raises(Forbidden) as caught:
        await review.transition(head_a, finding, Command("confirm", reason="x"))
    assert "chính mình" in caught.value.message
    assert all(item.id != finding for item in await review_queue.queue(head_a))


async def test_nobody_reviews_a_finding_about_their_superior(rw: ReviewWorld) -> None:
    # The deputy (desk of commune A) may not review the chairman of commune A.
    finding = await rw.finding(await head_a_official(rw.world))
    head_p = await rw.actor("head_p")
    await review.transition(head_p, finding, Command("notify"), now=MONDAY)
    deputy = await rw.actor("deputy_a")
    with pytest.raises(Forbidden) as caught:
        await review.transition(
            deputy, finding, Command("start_review"), now=MONDAY + timedelta(days=8)
        )
    assert "cấp trên" in caught.value.message
    item = next(i for i in await review_queue.queue(deputy) if i.id == finding)
    assert item.conflict is not None
    await review.transition(
        head_p, finding, Command("start_review"), now=MONDAY + timedelta(days=8)
    )
    await review.transition(head_p, finding, Command("confirm", reason="Vắng họp giao ban"))


async def test_a_discipline_proposal_needs_another_person_than_the_reviewer(
    rw: ReviewWorld,
) -> None:
    finding = await rw.finding(rw.world.official_a, "HARASSMENT")
    await _to_review(rw, finding)
    head_a = await rw.actor("head_a")
    await review.transition(head_a, finding, Command("confirm", reason="Có người làm chứng."))
    item = await review.finding_detail(head_a, finding)
    assert item.suggestion is not None and item.suggestion.follow_up == "PROPOSE_DISCIPLINE"
    with pytest.raises(Forbidden):
        await review.transition(
            head_a, finding, Command("decide_follow_up", follow_up="PROPOSE_DISCIPLINE")
        )
    head_p = await rw.actor("head_p")
    await review.transition(
        head_p, finding, Command("decide_follow_up", follow_up="PROPOSE_DISCIPLINE")
    )
    assert await _state(finding) == "follow_up_decided"


async def test_choosing_another_follow_up_than_suggested_needs_a_reason(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    await _to_review(rw, finding)
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("confirm", reason="Đúng"))
    with pytest.raises(Invalid) as caught:
        await review.transition(head, finding, Command("decide_follow_up", follow_up="CRITICISE"))
    assert caught.value.field == "reason"
    with pytest.raises(Invalid):
        await review.transition(head, finding, Command("decide_follow_up", follow_up="JAIL"))
    await review.transition(
        head,
        finding,
        Command("decide_follow_up", follow_up="CRITICISE", reason="Đã nhắc miệng hai lần."),
    )
    row = await FindingReview.select().where(FindingReview.finding == finding).first()
    assert (row["follow_up"], row["follow_up_reason"]) == ("CRITICISE", "Đã nhắc miệng hai lần.")


async def _corrective(rw: ReviewWorld) -> int:
    finding = await rw.finding(None, "NO_NAMEPLATE")
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("notify"), now=MONDAY)
    await review.transition(head, finding, Command("explain", explanation="Đang làm"), now=MONDAY)
    head_p = await rw.actor("head_p")
    await review.transition(head_p, finding, Command("confirm", reason="Đúng"))
    await review.transition(head_p, finding, Command("decide_follow_up", follow_up="FIX_DEADLINE"))
    return finding


async def test_a_corrective_action_is_not_closed_on_word_alone(rw: ReviewWorld) -> None:
    finding = await _corrective(rw)
    head_p = await rw.actor("head_p")
    with pytest.raises(Invalid):
        await review.transition(head_p, finding, Command("close", reason="Đã làm xong"))
    # The inspector who recorded it cannot verify the photo of the fix.
    sha = await photo(await rw.actor("inspector2"))
    recorder = await rw.actor("inspector")
    with pytest.raises(Forbidden):
        await review.transition(recorder, finding, Command("close", evidence_sha256=sha))
    other = await rw.actor("inspector2")
    await review.transition(other, finding, Command("close", evidence_sha256=sha))
    assert await _state(finding) == "closed"
    # The proof of the fix is part of the finding's record: its reviewers can see it (the
    # view audited on the finding), through either photo route; an outsider cannot.
    assert (await review.photo(head_p, finding, sha))[0].exists()
    assert (await review.read_evidence(head_p, sha))[0].exists()
    viewed = await AuditEvent.select(AuditEvent.object_id, AuditEvent.actor_username).where(
        AuditEvent.action == "finding_photo_viewed"
    )
    assert viewed == [{"object_id": str(finding), "actor_username": "head_p"}] * 2
    with pytest.raises(NotFound):
        await review.read_evidence(await rw.actor("head_b"), sha)


async def test_a_corrective_action_closes_by_a_later_clean_inspection(rw: ReviewWorld) -> None:
    finding = await _corrective(rw)
    head_p = await rw.actor("head_p")
    later = await submitted_inspection(rw.world, rw.world.commune_a.id, MONDAY + timedelta(days=1))
    repeat = await rw.finding(None, "NO_NAMEPLATE", inspection=later)
    with pytest.raises(Conflict):
        await review.transition(head_p, finding, Command("close", inspection_id=later.id))
    with pytest.raises(Invalid):
        await review.transition(head_p, finding, Command("close", inspection_id=rw.inspection_b.id))
    from congvu.inspect.inspections.tables import Finding

    await Finding.update({Finding.version_state: "withdrawn"}).where(Finding.id == repeat)
    await review.transition(head_p, finding, Command("close", inspection_id=later.id))
    assert await _state(finding) == "closed"


async def test_findings_are_notified_only_after_the_minutes(rw: ReviewWorld) -> None:
    from congvu.inspect.inspections.tables import Inspection

    await Inspection.update({Inspection.status: "in_progress"}).where(
        Inspection.id == rw.inspection_a.id
    )
    finding = await rw.finding(rw.world.official_a)
    lead = await rw.actor("lead")
    with pytest.raises(Conflict):
        await review.transition(lead, finding, Command("notify"), now=MONDAY)


async def test_queue_is_the_head_subtree_sorted_by_deadline(rw: ReviewWorld) -> None:
    first = await rw.finding(rw.world.official_a)
    second = await rw.finding(rw.world.official_a, "NO_CARD")
    fresh = await rw.finding(rw.world.official_a, "DRESS")
    other = await rw.finding(rw.world.official_b, inspection=rw.inspection_b)
    head = await rw.actor("head_a")
    await review.transition(head, second, Command("notify"), now=MONDAY)
    await review.transition(head, first, Command("notify"), now=MONDAY + timedelta(days=1))
    ids = [i.id for i in await review_queue.queue(head)]
    assert ids == [second, first, fresh]
    assert other not in ids
    assert all(i.kind == "finding" for i in await review_queue.queue(head))
    with pytest.raises(Forbidden):
        await review_queue.queue(await rw.actor("official_a"))


async def test_queue_item_shows_history_and_suggestion(rw: ReviewWorld) -> None:
    old = await rw.finding(rw.world.official_a, "NO_CARD")
    await _to_review(rw, old)
    head = await rw.actor("head_a")
    await review.transition(head, old, Command("confirm", reason="Đúng"))
    new = await rw.finding(rw.world.official_a, "LATE_ARRIVAL")
    await _to_review(rw, new)
    item = next(i for i in await review_queue.queue(head) if i.id == new)
    assert [v.code for v in item.prior] == ["NO_CARD"]
    assert item.suggestion is not None and item.suggestion.follow_up == "CRITICISE"
    assert "1 vi phạm khác" in item.suggestion.explanation_vi
    assert item.explanations[0].text == "Xe hỏng trên đường đi làm."
    assert item.rule_explanation.startswith("LATE_ARRIVAL")


async def test_bulk_confirm_of_minor_findings_audits_each(rw: ReviewWorld) -> None:
    minor = [await rw.finding(rw.world.official_a, code) for code in ("NO_CARD", "DRESS")]
    severe = await rw.finding(rw.world.official_a, "HARASSMENT")
    for finding in [*minor, severe]:
        await _to_review(rw, finding)
    head = await rw.actor("head_a")
    results = await review_queue.bulk(head, [*minor, severe], "confirm", "Đã đối chiếu ảnh.")
    assert [r.ok for r in results] == [True, True, False]
    assert results[2].status == 400
    events = await AuditEvent.count().where(AuditEvent.action == "finding_confirm")
    assert events == 2
    assert await _state(severe) == "under_review"


async def test_the_official_sees_only_own_notified_findings(rw: ReviewWorld) -> None:
    mine = await rw.finding(rw.world.official_a)
    await rw.finding(rw.world.official_a, "DRESS")  # not yet notified
    other = await rw.finding(rw.world.official_b, inspection=rw.inspection_b)
    head = await rw.actor("head_a")
    await review.transition(head, mine, Command("notify"), now=MONDAY)
    await review.transition(await rw.actor("head_b"), other, Command("notify"), now=MONDAY)
    official = await rw.actor("official_a")
    assert [i.id for i in await review.mine(official)] == [mine]
    with pytest.raises(NotFound):
        await review.finding_detail(official, other)


async def test_history_lists_the_audit_events(rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    await _to_review(rw, finding)
    entries = await review.history(await rw.actor("head_a"), finding)
    assert [e.action for e in entries][:2] == ["finding_notify", "finding_explain"]
    assert entries[0].after["state"] == "notified"
    with pytest.raises(NotFound):
        await review.history(await rw.actor("head_b"), finding)


async def test_reminders_are_sent_once(rw: ReviewWorld) -> None:
    soon = await rw.finding(rw.world.official_a)
    passed = await rw.finding(rw.world.official_a, "DRESS")
    overdue = await rw.finding(rw.world.official_a, "NO_CARD")
    head = await rw.actor("head_a")
    await review.transition(head, soon, Command("notify"), now=MONDAY + timedelta(days=14))
    await review.transition(head, passed, Command("notify"), now=MONDAY)
    await review.transition(head, overdue, Command("notify"), now=MONDAY)
    await review.transition(head, overdue, Command("waive", reason="Vắng dài ngày"), now=MONDAY)
    # The Friday before "soon" is due (due = MONDAY + 21 days); everything else is past.
    friday = MONDAY + timedelta(days=18)
    counts = await review_reminders.remind_deadlines(friday)
    # Commune A has two heads (the chairman and the deputy): both are told.
    assert counts == {
        "due_soon": 1,
        "due_passed": 2,
        "review_overdue": 2,
        "dossier_review_overdue": 0,
    }
    assert await review_reminders.remind_deadlines(friday) == {
        "due_soon": 0,
        "due_passed": 0,
        "review_overdue": 0,
        "dossier_review_overdue": 0,
    }
