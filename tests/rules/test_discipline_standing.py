"""Hand-computed cases: how a discipline record caps a rating and blocks titles."""

from __future__ import annotations

from datetime import date

import pytest
from congvu.rules.discipline import Form
from congvu.rules.discipline_standing import (
    DecisionInForce,
    DisciplineStanding,
    emulation_standing,
    heaviest_form,
    rating_facts,
)


def decision(form: Form, decided: date, *, duty: bool = True, case: int = 1) -> DecisionInForce:
    # 12 months of effect from the decision day (NĐ 172/2025 Art. 2.9), written out by hand.
    ends = date(decided.year + 1, decided.month, decided.day)
    return DecisionInForce(case, form, decided, decided, ends, duty)


KHIEN_TRACH_2026 = decision(Form.KHIEN_TRACH, date(2026, 3, 16))
CANH_CAO_2025 = decision(Form.CANH_CAO, date(2025, 11, 3), case=2)
NOT_DUTY_2026 = decision(Form.KHIEN_TRACH, date(2026, 5, 4), duty=False, case=3)


@pytest.mark.parametrize(
    ("decisions", "year", "disciplined", "duty"),
    [
        ((), 2026, False, False),
        ((KHIEN_TRACH_2026,), 2026, True, True),
        # Decided in November 2025: caps 2025, not 2026, though still in force in 2026.
        ((CANH_CAO_2025,), 2026, False, False),
        ((CANH_CAO_2025,), 2025, True, True),
        ((NOT_DUTY_2026,), 2026, True, False),
        ((NOT_DUTY_2026, KHIEN_TRACH_2026), 2026, True, True),
    ],
)
def test_rating_facts_count_decisions_made_in_the_year(
    decisions: tuple[DecisionInForce, ...], year: int, disciplined: bool, duty: bool
) -> None:
    facts = rating_facts(DisciplineStanding(7, decisions), year)
    assert (facts.disciplined_in_year, facts.discipline_duty_related) == (disciplined, duty)


@pytest.mark.parametrize(
    ("standing", "on", "open_case", "ends_on"),
    [
        (DisciplineStanding(7), date(2026, 12, 10), False, None),
        (DisciplineStanding(7, open_case_since=date(2026, 11, 2)), date(2026, 12, 10), True, None),
        # A case opened after the review day does not block that review.
        (
            DisciplineStanding(7, open_case_since=date(2026, 12, 11)),
            date(2026, 12, 10),
            False,
            None,
        ),
        (
            DisciplineStanding(7, (CANH_CAO_2025, KHIEN_TRACH_2026)),
            date(2026, 12, 10),
            False,
            date(2027, 3, 16),
        ),
    ],
)
def test_emulation_standing(
    standing: DisciplineStanding, on: date, open_case: bool, ends_on: date | None
) -> None:
    result = emulation_standing(standing, on=on, complaint_verification=True)
    assert result.open_discipline_case is open_case
    assert result.discipline_ends_on == ends_on
    assert result.complaint_verification is True
    assert result.inspection_with_signs is False


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), Form.CANH_CAO),  # both overlap: the heavier
        (date(2026, 11, 4), date(2026, 12, 31), Form.KHIEN_TRACH),  # cảnh cáo ended 03/11/2026
        (date(2025, 1, 1), date(2025, 10, 31), None),  # before either took effect
    ],
)
def test_heaviest_form_in_force_during_the_period(
    start: date, end: date, expected: Form | None
) -> None:
    standing = DisciplineStanding(7, (CANH_CAO_2025, KHIEN_TRACH_2026))
    assert heaviest_form(standing, start, end) == expected
