"""Xem xét phát hiện: the pure part of a finding's due process.

    recorded ─notify→ notified ─acknowledge→ awaiting_explanation
    notified | awaiting_explanation ─explain | waive | start_review→ under_review
    under_review ─confirm→ confirmed ─decide_follow_up→ follow_up_decided ─close→ closed
    under_review ─dismiss→ dismissed ─close→ closed

The official has the right to explain (giải trình) for a number of working days that the
rule pack of topic ``review`` sets, counted from the day they are notified; once it has
closed, the head has the pack's review window to decide. Working days follow
``congvu.rules.calendar``: weekends and public holidays (Tết included) are skipped, a
make-up Saturday (ngày làm bù) counts.

Separation of duties: nobody decides about themself, nor about a leader (is_leader) of
their own unit or of a unit above it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from congvu.rules.calendar import WorkingCalendar, default_calendar
from congvu.rules.packs import RuleRef, pack_for


class State(StrEnum):
    """Trạng thái xem xét of a finding (the values the review table stores)."""

    recorded = "recorded"
    notified = "notified"
    awaiting_explanation = "awaiting_explanation"
    under_review = "under_review"
    confirmed = "confirmed"
    dismissed = "dismissed"
    follow_up_decided = "follow_up_decided"
    closed = "closed"


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


# The states in which the official may still explain (giải trình).
EXPLANATION_WINDOW = frozenset({State.notified, State.awaiting_explanation})

# Each action: the states it applies in, and the state it leads to.
TRANSITIONS: Mapping[Action, tuple[frozenset[State], State]] = {
    Action.notify: (frozenset({State.recorded}), State.notified),
    Action.acknowledge: (frozenset({State.notified}), State.awaiting_explanation),
    Action.explain: (EXPLANATION_WINDOW, State.under_review),
    Action.waive: (EXPLANATION_WINDOW, State.under_review),
    Action.start_review: (EXPLANATION_WINDOW, State.under_review),
    Action.confirm: (frozenset({State.under_review}), State.confirmed),
    Action.dismiss: (frozenset({State.under_review}), State.dismissed),
    Action.decide_follow_up: (frozenset({State.confirmed}), State.follow_up_decided),
    Action.close: (frozenset({State.follow_up_decided, State.dismissed}), State.closed),
}


def next_state(state: State, action: Action) -> State | None:
    """Where ``action`` leads from ``state``; None when it does not apply there."""
    sources, target = TRANSITIONS[action]
    return target if state in sources else None


def allowed_actions(state: State) -> list[Action]:
    """The actions that apply in ``state``, in the order of ``Action``."""
    return [action for action in Action if next_state(state, action) is not None]


class DutyConflict(StrEnum):
    """Why someone may not decide about a subject (separation of duties)."""

    self = "self"  # the subject is the decider
    superior = "superior"  # the subject leads the decider's unit or a unit above it


def duty_conflict(
    decider_official_id: int | None,
    decider_unit_path: str | None,
    subject_official_id: int | None,
    subject_is_leader: bool,
    subject_unit_path: str | None,
) -> DutyConflict | None:
    """Why the decider may not decide about the subject, or None when they may.

    Unit paths are materialised ("/1/4/"): a unit is inside another when its path starts
    with the other's. A subject without an official (a unit finding) conflicts with no one.
    """
    if subject_official_id is None:
        return None
    if subject_official_id == decider_official_id:
        return DutyConflict.self
    if (
        subject_is_leader
        and subject_unit_path is not None
        and decider_unit_path is not None
        and decider_unit_path.startswith(subject_unit_path)
    ):
        return DutyConflict.superior
    return None


@dataclass(frozen=True)
class Windows:
    """The review pack in force on a day: how many working days the official has to
    explain, and how many the head then has to decide."""

    rule: RuleRef
    explanation_working_days: int
    review_working_days: int


def windows(on: date) -> Windows:
    pack = pack_for("review", on)
    return Windows(
        rule=pack.ref(),
        explanation_working_days=int(pack.parameters["explanation_window_working_days"]),
        review_working_days=int(pack.parameters["review_window_working_days"]),
    )


def explanation_due(notified_on: date, calendar: WorkingCalendar | None = None) -> date:
    """Hạn giải trình: the last day an explanation is accepted, the window's working days
    after the day of notification (that day itself not counted)."""
    days = windows(notified_on).explanation_working_days
    return (calendar or default_calendar()).add_working_days(notified_on, days)


def review_due(on: date, calendar: WorkingCalendar | None = None) -> date:
    """Hạn xem xét: the review window's working days after ``on`` (the day the
    explanation came in, was waived, or its window was found closed)."""
    days = windows(on).review_working_days
    return (calendar or default_calendar()).add_working_days(on, days)
