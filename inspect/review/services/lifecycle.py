"""Vòng đời xem xét of a finding as the services see it: the transition table of
``congvu.rules.review`` over the stored ``ReviewState``, and who may act.

The table itself (which action applies in which state, and where it leads) is pure and
lives in ``congvu.rules.review``; this module only speaks the table's ``ReviewState``.
"""

from __future__ import annotations

from datetime import date, datetime

from congvu.inspect import clock
from congvu.inspect.actor import Role
from congvu.inspect.review.tables import ReviewState
from congvu.rules import review as rules
from congvu.rules.review import Action

__all__ = [
    "BULK_ACTIONS",
    "EXPLANATION_WINDOW",
    "NOTIFIER_ROLES",
    "REVIEWER_ROLES",
    "TRANSITIONS",
    "VERIFIER_ROLES",
    "Action",
    "allowed_actions",
    "local_day",
    "next_state",
    "rules_state",
]

# The states in which the official may still explain (giải trình).
EXPLANATION_WINDOW = frozenset(ReviewState(s.value) for s in rules.EXPLANATION_WINDOW)
TRANSITIONS: dict[Action, tuple[frozenset[ReviewState], ReviewState]] = {
    action: (frozenset(ReviewState(s.value) for s in sources), ReviewState(target.value))
    for action, (sources, target) in rules.TRANSITIONS.items()
}

REVIEWER_ROLES = (Role.UNIT_HEAD, Role.ADMIN)
NOTIFIER_ROLES = (Role.UNIT_HEAD, Role.ADMIN, Role.TEAM_LEAD)
VERIFIER_ROLES = (Role.INSPECTOR, Role.TEAM_LEAD, Role.ADMIN)
BULK_ACTIONS = (Action.notify, Action.confirm, Action.dismiss)


def rules_state(state: ReviewState) -> rules.State:
    return rules.State(state.value)


def allowed_actions(state: ReviewState) -> list[Action]:
    return rules.allowed_actions(rules_state(state))


def local_day(now: datetime) -> date:
    """The organisation's day a moment falls on: deadlines are judged on it."""
    return clock.local(now).date()


def next_state(state: ReviewState, action: Action) -> ReviewState | None:
    """Where ``action`` leads from ``state``; None when it does not apply there."""
    target = rules.next_state(rules_state(state), action)
    return None if target is None else ReviewState(target.value)
