"""The pure review rules: transition table, allowed actions, separation of duties and the
explanation / review windows.

Windows are counted by hand from the shipped calendar (rules/calendars/vn-2026.yaml and
holidays 0.109): Tết Bính Ngọ 2026 is off Mon 16/02–Fri 20/02 (with the weekends around
it, Sat 14/02–Sun 22/02); Giỗ Tổ 26/04/2026 falls on a Sunday, nghỉ bù Mon 27/04;
Sat 22/08/2026 is a make-up working day for Mon 31/08; 01–02/09/2026 Quốc khánh;
Fri 02/01/2026 is off, swapped with Sat 10/01/2026; 24/11/2026 is worked. The
review pack (rules/packs/review--2025-07-01.yaml) gives 5 working days to explain and
10 to review.
"""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest
from congvu.rules.calendar import WorkingCalendar
from congvu.rules.packs import PackNotFound
from congvu.rules.review import (
    EXPLANATION_WINDOW,
    TRANSITIONS,
    Action,
    DutyConflict,
    State,
    allowed_actions,
    duty_conflict,
    explanation_due,
    next_state,
    review_due,
    windows,
)

S, A = State, Action

# Every legal (state, action) pair and where it leads; every other pair is illegal.
LEGAL: dict[tuple[State, Action], State] = {
    (S.recorded, A.notify): S.notified,
    (S.notified, A.acknowledge): S.awaiting_explanation,
    (S.notified, A.explain): S.under_review,
    (S.notified, A.waive): S.under_review,
    (S.notified, A.start_review): S.under_review,
    (S.awaiting_explanation, A.explain): S.under_review,
    (S.awaiting_explanation, A.waive): S.under_review,
    (S.awaiting_explanation, A.start_review): S.under_review,
    (S.under_review, A.confirm): S.confirmed,
    (S.under_review, A.dismiss): S.dismissed,
    (S.confirmed, A.decide_follow_up): S.follow_up_decided,
    (S.follow_up_decided, A.close): S.closed,
    (S.dismissed, A.close): S.closed,
}
ILLEGAL = sorted(set(product(State, Action)) - set(LEGAL))


@pytest.mark.parametrize(("state", "action", "target"), [(*k, v) for k, v in LEGAL.items()])
def test_legal_transitions(state: State, action: Action, target: State) -> None:
    assert next_state(state, action) is target


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_illegal_transitions(state: State, action: Action) -> None:
    assert next_state(state, action) is None


def test_the_table_counts() -> None:
    # 8 states × 9 actions: 13 legal pairs, 59 illegal ones, each checked above.
    assert len(LEGAL) == 13
    assert len(ILLEGAL) == 59
    assert set(TRANSITIONS) == set(Action)


@pytest.mark.parametrize(
    ("state", "actions"),
    [
        (S.recorded, [A.notify]),
        (S.notified, [A.acknowledge, A.explain, A.waive, A.start_review]),
        (S.awaiting_explanation, [A.explain, A.waive, A.start_review]),
        (S.under_review, [A.confirm, A.dismiss]),
        (S.confirmed, [A.decide_follow_up]),
        (S.dismissed, [A.close]),
        (S.follow_up_decided, [A.close]),
        (S.closed, []),
    ],
)
def test_allowed_actions(state: State, actions: list[Action]) -> None:
    assert allowed_actions(state) == actions


def test_explanation_window_states() -> None:
    assert frozenset({S.notified, S.awaiting_explanation}) == EXPLANATION_WINDOW


# --- separation of duties ----------------------------------------------------------------

ME = 7  # the decider's official id; their unit is /1/4/9/


@pytest.mark.parametrize(
    ("decider", "decider_unit", "subject", "leader", "subject_unit", "expected"),
    [
        # about themself, leader or not, wherever the unit
        (ME, "/1/4/9/", ME, False, "/1/4/9/", DutyConflict.self),
        (ME, "/1/4/9/", ME, True, "/1/4/9/", DutyConflict.self),
        (ME, None, ME, False, None, DutyConflict.self),
        # a leader of the decider's own unit, or of a unit above it
        (ME, "/1/4/9/", 8, True, "/1/4/9/", DutyConflict.superior),
        (ME, "/1/4/9/", 8, True, "/1/4/", DutyConflict.superior),
        (ME, "/1/4/9/", 8, True, "/1/", DutyConflict.superior),
        # a leader of a unit below, beside, or elsewhere: no conflict
        (ME, "/1/4/", 8, True, "/1/4/9/", None),
        (ME, "/1/4/9/", 8, True, "/1/5/", None),
        (ME, "/1/4/9/", 8, True, "/2/", None),
        # a colleague of the same unit who leads nothing
        (ME, "/1/4/9/", 8, False, "/1/4/9/", None),
        (ME, "/1/4/9/", 8, False, "/1/", None),
        # the decider is no official (an admin account): only a self-conflict is possible
        (None, None, 8, True, "/1/", None),
        # a leader whose unit is unknown
        (ME, "/1/4/9/", 8, True, None, None),
        # a unit finding (no official) conflicts with no one
        (ME, "/1/4/9/", None, False, "/1/4/9/", None),
        (None, None, None, False, None, None),
    ],
)
def test_duty_conflict(
    decider: int | None,
    decider_unit: str | None,
    subject: int | None,
    leader: bool,
    subject_unit: str | None,
    expected: DutyConflict | None,
) -> None:
    assert duty_conflict(decider, decider_unit, subject, leader, subject_unit) is expected


# --- windows ---------------------------------------------------------------------------


def test_windows_of_the_review_pack() -> None:
    found = windows(date(2026, 3, 2))
    assert (found.rule.id, found.rule.version) == ("review", "2025.1")
    assert (found.explanation_working_days, found.review_working_days) == (5, 10)


def test_no_window_before_the_pack() -> None:
    with pytest.raises(PackNotFound):
        explanation_due(date(2025, 6, 30))


@pytest.mark.parametrize(
    ("notified_on", "due"),
    [
        # Mon 02/03/2026: Tue 03 … Fri 06, (weekend), Mon 09
        (date(2026, 3, 2), date(2026, 3, 9)),
        # Thu 05/03: Fri 06, (weekend), Mon 09, Tue 10, Wed 11, Thu 12
        (date(2026, 3, 5), date(2026, 3, 12)),
        # notified on a Saturday: Mon 09 … Fri 13
        (date(2026, 3, 7), date(2026, 3, 13)),
        # Thu 12/02/2026: Fri 13, then Tết and its weekends 14–22/02 skipped,
        # Mon 23, Tue 24, Wed 25, Thu 26
        (date(2026, 2, 12), date(2026, 2, 26)),
        # notified during Tết (Tue 17/02): Mon 23 … Fri 27
        (date(2026, 2, 17), date(2026, 2, 27)),
        # Tue 21/04/2026: Wed 22, Thu 23, Fri 24, (weekend, Mon 27 nghỉ bù Giỗ Tổ),
        # Tue 28, Wed 29
        (date(2026, 4, 21), date(2026, 4, 29)),
        # Mon 17/08/2026: Tue 18, Wed 19, Thu 20, Fri 21, Sat 22 (make-up day) counts
        (date(2026, 8, 17), date(2026, 8, 22)),
        # Wed 26/08/2026: Thu 27, Fri 28, Sat 29 is no make-up day, (Sun 30, Mon 31 swap,
        # 01–02/09 Quốc khánh), Thu 03, Fri 04, Mon 07
        (date(2026, 8, 26), date(2026, 9, 7)),
        # Thu 19/11/2026: Fri 20, Mon 23, Tue 24 (worked: no text made it a day off in
        # 2026), Wed 25, Thu 26
        (date(2026, 11, 19), date(2026, 11, 26)),
        # Tết Dương lịch: Wed 31/12/2025 → (Thu 01/01, Fri 02/01 swapped off by Công văn
        # 12729/VPCP-KGVX, weekend) Mon 05, Tue 06, Wed 07, Thu 08, Fri 09
        (date(2025, 12, 31), date(2026, 1, 9)),
        # Fri 09/01/2026: Sat 10 (worked in exchange for 02/01) counts, Mon 12 … Thu 15
        (date(2026, 1, 9), date(2026, 1, 15)),
    ],
)
def test_explanation_due(notified_on: date, due: date) -> None:
    assert explanation_due(notified_on) == due


@pytest.mark.parametrize(
    ("on", "due"),
    [
        # Tue 10/02/2026: Wed 11, Thu 12, Fri 13, (Tết) Mon 23 … Fri 27, Mon 02/03, Tue 03/03
        (date(2026, 2, 10), date(2026, 3, 3)),
        # Mon 24/08/2026: 25, 26, 27, 28, (29–30 weekend, 31/08–02/09 off) Thu 03, Fri 04,
        # Mon 07, Tue 08, Wed 09, Thu 10
        (date(2026, 8, 24), date(2026, 9, 10)),
        # Mon 10/08/2026: 11, 12, 13, 14, Mon 17, 18, 19, 20, 21, Sat 22 (make-up)
        (date(2026, 8, 10), date(2026, 8, 22)),
    ],
)
def test_review_due(on: date, due: date) -> None:
    assert review_due(on) == due


def test_windows_follow_the_calendar_given() -> None:
    # Without the 2026 override file the package alone still knows Tết and the swap.
    bare = WorkingCalendar(overrides={})
    assert explanation_due(date(2026, 2, 12), bare) == date(2026, 2, 26)
    assert review_due(date(2026, 8, 10), bare) == date(2026, 8, 22)
