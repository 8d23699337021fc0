"""Hypothesis stateful test: random sequences of transitions by random people at random
times, run through the services. No illegal state is ever reached, a refused step
changes nothing, and every transition that happened wrote exactly one audit event.

Hypothesis drives state machines synchronously, so the test owns one event loop and
runs each service call in it (the PostgreSQL pool must live in the loop that uses it).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, time, timedelta
from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.errors import DomainError
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.services.labels import FOLLOW_UP_LABELS
from congvu.inspect.review.services.lifecycle import TRANSITIONS, Action
from congvu.inspect.review.tables import Explanation, FindingReview, ReviewState
from congvu.inspect.settings import get_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests import builders
from tests.conftest import empty_database

ZONE = get_settings().zone
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZONE)
_HAPPY = {
    ReviewState.RECORDED: (Action.notify, "head_p"),
    ReviewState.NOTIFIED: (Action.acknowledge, "head_p"),
    ReviewState.AWAITING_EXPLANATION: (Action.waive, "head_p"),
    ReviewState.UNDER_REVIEW: (Action.confirm, "head_a"),
    ReviewState.CONFIRMED: (Action.decide_follow_up, "head_p"),
    ReviewState.DISMISSED: (Action.close, "head_p"),
    ReviewState.FOLLOW_UP_DECIDED: (Action.close, "head_p"),
}
ACTORS = ("head_a", "head_p", "official_x", "recorder", "lead")
FINDINGS = ("person", "unit", "head_self")


async def _build() -> tuple[dict[str, Actor], dict[str, int]]:
    await empty_database()
    await builders.unit("P", "Tỉnh", kind="province")
    commune = await builders.unit("P-A", "Phường A", parent="P", commune_type="phuong")
    x = await builders.official(commune, "X1", "Nguyễn Văn X")
    chief = await builders.official(
        commune, "H1", "Trần Văn Trưởng", category="can_bo", position="Chủ tịch", is_leader=True
    )
    actors: dict[str, Actor] = {}
    for name, role, unit, official in [
        ("head_a", "unit_head", "P-A", "H1"),
        ("head_p", "unit_head", "P", None),
        ("official_x", "official", "P-A", "X1"),
        ("recorder", "inspector", "P", None),
        ("lead", "team_lead", "P", None),
    ]:
        user = await builders.account(name, role=role, unit=unit, official=official)
        actors[name] = await builders.actor(user)
    day = START - timedelta(days=7)
    inspection = await builders.inspection(
        commune,
        day.date(),
        status="submitted",
        topics=["conduct"],
        members=[actors["recorder"].id],
        created_at=day,
    )
    findings: dict[str, int] = {}
    for key, official, code, recorder in [
        ("person", x.id, "NO_CARD", "recorder"),
        ("unit", None, "NO_NAMEPLATE", "recorder"),
        ("head_self", chief.id, "HARASSMENT", "head_p"),
    ]:
        moment = datetime.combine(day.date(), time(8, 10), tzinfo=ZONE)
        row = Finding(
            client_uuid=uuid.uuid4(),
            inspection=inspection.id,
            official=official,
            unit=commune.id,
            violation_code=code,
            rule_id=f"conduct.{code}",
            rule_version="2025.1",
            legal_basis="QĐ 129/2007/QĐ-TTg",
            explanation_vi=code,
            explanation_en=code,
            facts="",
            observed_at=moment,
            version_state="current",
            recorded_by=actors[recorder].id,
            created_at=moment,
        )
        await row.save()
        findings[key] = int(row.id)
    return actors, findings


class FindingLifecycle(RuleBasedStateMachine):
    loop: asyncio.AbstractEventLoop
    reached: set[ReviewState] = set()  # noqa: RUF012  (across examples, to see the walk is deep)

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    @initialize()
    def setup(self) -> None:
        self.actors, self.findings = self.run(_build())
        self.model = {key: ReviewState.RECORDED for key in FINDINGS}
        self.transitions = 0
        self.clock = START

    async def _state(self, finding_id: int) -> ReviewState:
        row = (
            await FindingReview.select(FindingReview.state)
            .where(FindingReview.finding == finding_id)
            .first()
        )
        return ReviewState(row["state"]) if row else ReviewState.RECORDED

    @rule(
        finding=st.sampled_from(FINDINGS),
        action=st.sampled_from(list(Action)),
        who=st.sampled_from(ACTORS),
        reason=st.sampled_from([None, "", "Có căn cứ."]),
        follow_up=st.sampled_from([None, *FOLLOW_UP_LABELS]),
        days=st.integers(min_value=0, max_value=3),
    )
    def act(
        self,
        finding: str,
        action: Action,
        who: str,
        reason: str | None,
        follow_up: str | None,
        days: int,
    ) -> None:
        self.clock += timedelta(days=days)
        command = Command(
            action=action.value,
            reason=reason,
            follow_up=follow_up,
            explanation="Tôi xin giải trình." if reason else None,
        )
        self._apply(finding, action, who, command)

    @rule(
        finding=st.sampled_from(FINDINGS),
        days=st.integers(min_value=0, max_value=2),
        dismiss=st.booleans(),
    )
    def progress(self, finding: str, days: int, dismiss: bool) -> None:
        """The next step a diligent reviewer would take, so walks also go deep."""
        self.clock += timedelta(days=days)
        state = self.model[finding]
        if state is ReviewState.CLOSED:
            return
        action, who = _HAPPY[state]
        if action is Action.confirm and dismiss:
            action = Action.dismiss
        command = Command(action=action.value, reason="Có căn cứ.", follow_up="REMIND")
        self._apply(finding, action, who, command)

    def _apply(self, finding: str, action: Action, who: str, command: Command) -> None:
        before = self.model[finding]
        try:
            after = self.run(
                review.transition(self.actors[who], self.findings[finding], command, now=self.clock)
            )
        except DomainError as error:
            assert error.status_code in (400, 403, 404, 409), error
            if before not in TRANSITIONS[action][0]:
                assert error.status_code in (404, 409), (before, action, error)
            return
        sources, target = TRANSITIONS[action]
        assert before in sources, f"{action} from {before} should have been refused"
        assert after == target
        self.model[finding] = target
        self.reached.add(target)
        self.transitions += 1

    @invariant()
    def stored_states_match_the_model(self) -> None:
        for key in FINDINGS:
            assert self.run(self._state(self.findings[key])) == self.model[key]

    @invariant()
    def every_transition_is_audited_once(self) -> None:
        count = self.run(AuditEvent.count().where(AuditEvent.object_type == "finding"))
        assert count == self.transitions

    @invariant()
    def decisions_respect_due_process(self) -> None:
        rows = self.run(FindingReview.select())
        for row in rows:
            state = ReviewState(row["state"])
            finding = next(k for k, v in self.findings.items() if v == row["finding"])
            if row["outcome"] is not None:
                assert row["decision_reason"], "a decision without a reason"
            if state not in (
                ReviewState.RECORDED,
                ReviewState.NOTIFIED,
                ReviewState.AWAITING_EXPLANATION,
            ):
                explained = self.run(Explanation.exists().where(Explanation.review == row["id"]))
                waited = self.clock.date() > row["explanation_due"]
                assert explained or row["waived_reason"] or waited
            if row["follow_up"] == "PROPOSE_DISCIPLINE":
                assert row["follow_up_by"] != row["decided_by"]
            if row["follow_up"] and row["follow_up"] != row["suggested_follow_up"]:
                assert row["follow_up_reason"]
            if finding == "head_self":
                # About head_a himself and recorded by head_p: neither may decide it, and
                # nobody else here is a reviewer.
                assert row["decided_by"] is None


def test_random_transition_sequences_never_reach_an_illegal_state() -> None:
    loop = asyncio.new_event_loop()
    FindingLifecycle.loop = loop
    loop.run_until_complete(db.prepare())
    try:
        FindingLifecycle.TestCase.settings = settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        FindingLifecycle.TestCase().runTest()
        assert set(ReviewState) - {ReviewState.RECORDED} <= FindingLifecycle.reached
    finally:
        loop.run_until_complete(empty_database())
        loop.run_until_complete(db.close())
        loop.close()
