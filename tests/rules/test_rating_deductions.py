"""Suggested deductions and the Mẫu số 01 sheet (rules/README.md, "Quality rating"):
hand-computed tables under the default provincial pack rating_deductions 2026.1."""

from __future__ import annotations

from datetime import date
from fractions import Fraction as F

import pytest
from congvu.rules.rating_deductions import (
    ConfirmedViolation,
    SourceKind,
    Weights,
    deductions_pack,
    suggest,
    weights_from_text,
    weights_of,
)
from congvu.rules.rating_sheet import (
    TaskResults,
    YearMethod,
    general_scores,
    score_sheet,
    year_score,
)

END_Q3 = date(2026, 9, 14)


def v(
    code: str,
    severity: str = "minor",
    *,
    kind: SourceKind = SourceKind.FINDING,
    source: int = 1,
    day: int = 1,
) -> ConfirmedViolation:
    return ConfirmedViolation(
        kind=kind,
        source_id=source,
        violation_code=code,
        rule_id=f"conduct.{code}",
        rule_version="2025.1",
        severity=severity,
        decided_on=date(2026, 8, day),
        legal_basis="CT 05/2008/CT-TTg",
        explanation="explained",
    )


def test_the_pack_is_a_provincial_rule_with_its_legal_basis() -> None:
    pack = deductions_pack(END_Q3)
    assert pack.parameters["provincial"] is True
    assert pack.ref().id == "rating_deductions" and pack.version == "2026.1"
    assert "335/2025" in pack.ref().legal_basis


@pytest.mark.parametrize(
    ("violations", "off", "timeliness"),
    [
        pytest.param([], {"I.1": 0, "I.2": 0, "II.4": 0}, 0, id="nothing"),
        pytest.param([v("LATE_ARRIVAL")], {"I.1": 0, "I.2": F(1, 2), "II.4": 0}, 0, id="minor-I.2"),
        pytest.param(
            [v("ABSENT_NO_PERMISSION", "serious")], {"I.1": 0, "I.2": 1, "II.4": 0}, 0, id="serious"
        ),
        pytest.param(
            [v("ALCOHOL_DUTY_DAY", "severe")], {"I.1": F(5, 2), "I.2": 0, "II.4": 0}, 0, id="I.1"
        ),
        pytest.param(
            [v("RUDE_ATTITUDE", "serious", source=i) for i in range(4)],
            {"I.1": 0, "I.2": 0, "II.4": F(5, 2)},
            0,
            id="II.4-floored-at-2.5",
        ),
        pytest.param(
            [v("UNLISTED_CODE", "unknown-severity")],
            {"I.1": 0, "I.2": 1, "II.4": 0},
            0,
            id="unknown-code-I.2-serious",
        ),
        pytest.param(
            [
                v("LATE_DOSSIER_HANDLING", "serious", kind=SourceKind.DOSSIER, source=i)
                for i in (7, 8)
            ],
            {"I.1": 0, "I.2": 0, "II.4": 0},
            10,
            id="two-dossier-cases-10-points-of-c",
        ),
        pytest.param(
            [
                v("LATE_DOSSIER_HANDLING", "serious", kind=SourceKind.DOSSIER, source=i)
                for i in range(25)
            ],
            {"I.1": 0, "I.2": 0, "II.4": 0},
            100,
            id="c-never-below-0",
        ),
    ],
)
def test_deduction_table(
    violations: list[ConfirmedViolation], off: dict[str, int | F], timeliness: int
) -> None:
    sheet = suggest(violations, on=END_Q3)
    assert sheet.general_off == {k: F(x) for k, x in off.items()}
    assert sheet.timeliness_off == timeliness
    assert len(sheet.deductions) == len(violations)


def test_each_suggestion_carries_its_source_and_is_ordered_by_decision() -> None:
    late = v("LATE_ARRIVAL", source=9, day=20)
    rude = v("RUDE_ATTITUDE", "serious", source=3, day=2)
    sheet = suggest([late, rude], on=END_Q3)
    assert [d.source for d in sheet.deductions] == [rude, late]
    first = sheet.deductions[0]
    assert (first.criterion, first.points) == ("II.4", 1)
    assert first.rule.id == "rating_deductions"
    assert first.explanation_vi.startswith(
        "Trừ 1 điểm tiêu chí II.4 (Thái độ phục vụ người dân, doanh nghiệp): "
    )
    assert first.explanation_vi.endswith(", vi phạm xác nhận ngày 02/08/2026.")
    assert first.source.rule_id == "conduct.RUDE_ATTITUDE"
    assert "0.5 points off I.2" in sheet.deductions[1].explanation_en
    assert sheet.deductions[1].explanation_vi.startswith("Trừ 0,5 điểm tiêu chí I.2")


def test_a_dossier_case_explains_the_timeliness_deduction() -> None:
    case = v("LATE_DOSSIER_HANDLING", "serious", kind=SourceKind.DOSSIER, source=4)
    (d,) = suggest([case], on=END_Q3).deductions
    assert d.criterion == "c" and d.points == 5
    assert d.explanation_vi.startswith("Trừ 5 điểm phần trăm tỷ lệ đúng hạn (c)")
    assert d.explanation_en.startswith("5 percentage points off timeliness (c)")


def test_a_code_the_catalogue_does_not_know_is_named_by_its_code() -> None:
    (d,) = suggest([v("UNLISTED_CODE")], on=END_Q3).deductions
    assert "(Ý thức kỷ luật, kỷ cương): UNLISTED_CODE, vi phạm xác nhận" in d.explanation_vi
    (d,) = suggest([v("LATE_ARRIVAL")], on=END_Q3).deductions
    assert ": Đi làm muộn, vi phạm xác nhận ngày 01/08/2026." in d.explanation_vi


# --- the sheet ------------------------------------------------------------------------------


def test_a_clean_full_sheet_is_100() -> None:
    score = score_sheet(TaskResults(F(100), F(100), F(100)), suggest([], on=END_Q3))
    assert (score.total, score.results, sum(score.general.values())) == (100, 70, 30)


@pytest.mark.parametrize(
    ("results", "violations", "total", "part"),
    [
        # (90 + 80 + 70) / 3 x 0.7 = 56; general 30 -> 86.
        pytest.param(TaskResults(F(90), F(80), F(70)), [], 86, 56, id="staff"),
        # c 70 - 10 = 60 -> (90+80+60)/3 x .7 = 161/3; general 30 - 0.5 - 1 = 28.5.
        pytest.param(
            TaskResults(F(90), F(80), F(70)),
            [
                v("LATE_ARRIVAL"),
                v("RUDE_ATTITUDE", "serious", source=2),
                v("LATE_DOSSIER_HANDLING", kind=SourceKind.DOSSIER, source=3),
                v("LATE_DOSSIER_HANDLING", kind=SourceKind.DOSSIER, source=4),
            ],
            F(57, 2) + F(161, 3),
            F(161, 3),
            id="staff-with-deductions",
        ),
        # Leader: (100+100+100+50+100+100)/6 x .7 = 385/6.
        pytest.param(
            TaskResults(F(100), F(100), F(100), F(50), F(100), F(100)),
            [],
            30 + F(385, 6),
            F(385, 6),
            id="leader-d-50",
        ),
        # c 10 - 25 floors at 0: (100 + 100 + 0)/3 x .7 = 140/3.
        pytest.param(
            TaskResults(F(100), F(100), F(10)),
            [v("X", kind=SourceKind.DOSSIER, source=i) for i in range(5)],
            30 + F(140, 3),
            F(140, 3),
            id="c-floored",
        ),
    ],
)
def test_sheet_table(
    results: TaskResults, violations: list[ConfirmedViolation], total: F, part: F
) -> None:
    score = score_sheet(results, suggest(violations, on=END_Q3))
    assert score.results == part
    assert score.total == total


def test_entered_general_scores_take_the_deductions_and_never_go_below_zero() -> None:
    entered = {"I.2": F(1, 2), "III": F(8)}
    score = score_sheet(
        TaskResults(F(100), F(100), F(100)),
        suggest([v("ABSENT_NO_PERMISSION", "serious")], on=END_Q3),
        entered,
    )
    assert score.general["I.2"] == 0
    assert score.general["III"] == 8
    assert score.total == 5 + 0 + 10 + 8 + 70


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        ({"IV": F(1)}, "unknown criteria"),
        ({"II.4": F(3)}, "outside 0–5/2"),
        ({"I.1": F(-1)}, "outside 0–5"),
    ],
)
def test_bad_general_scores_are_refused(entered: dict[str, F], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        general_scores(entered)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"a": F(101), "b": F(0), "c": F(0)},
        {"a": F(50), "b": F(50), "c": F(50), "d": F(50)},
        {"a": F(50), "b": F(50), "c": F(50), "d": F(50), "dd": F(50), "e": F(-1)},
    ],
)
def test_bad_task_results_are_refused(kwargs: dict[str, F]) -> None:
    with pytest.raises(ValueError):
        TaskResults(**kwargs)


@pytest.mark.parametrize(
    ("quarters", "method", "year"),
    [
        pytest.param({1: F(80), 2: F(90), 3: F(100)}, YearMethod.MEAN, 90, id="mean-of-three"),
        pytest.param({1: F(91), 2: F(89)}, YearMethod.MEAN, 90, id="mean-of-two"),
        # mean 85, Q4 95 -> 90.
        pytest.param(
            {1: F(80), 2: F(80), 3: F(85), 4: F(95)}, YearMethod.Q4_AND_MEAN, 90, id="q4-and-mean"
        ),
    ],
)
def test_year_score(quarters: dict[int, F], method: YearMethod, year: int) -> None:
    assert year_score(quarters, method) == year


@pytest.mark.parametrize(
    ("quarters", "method", "message"),
    [
        ({}, YearMethod.MEAN, "no quarter"),
        ({5: F(1)}, YearMethod.MEAN, "quarters are 1–4"),
        ({1: F(90)}, YearMethod.Q4_AND_MEAN, "fourth quarter"),
    ],
)
def test_year_score_refuses(quarters: dict[int, F], method: YearMethod, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        year_score(quarters, method)


# What-if on the weights: the same violations under weights a province tries (points by
# severity, percentage points per late-dossier case), computed by hand.
TRIED = Weights(minor=F(1), serious=F(2), severe=F(4), per_case=F(10))


@pytest.mark.parametrize(
    ("violations", "off", "timeliness"),
    [
        # minor 1 on I.2 + serious 2 on I.2 = 3 (of 5).
        pytest.param(
            [v("LATE_ARRIVAL"), v("LATE_ARRIVAL", "serious", source=2)],
            {"I.1": 0, "I.2": 3, "II.4": 0},
            0,
            id="two-on-I.2",
        ),
        # Two severe on I.2 = 8, floored at the criterion's 5.
        pytest.param(
            [v("LATE_ARRIVAL", "severe"), v("LATE_ARRIVAL", "severe", source=2)],
            {"I.1": 0, "I.2": 5, "II.4": 0},
            0,
            id="floored",
        ),
        # Two late-dossier cases: 2 × 10 points off timeliness.
        pytest.param(
            [
                v("DOSSIER_LATE", kind=SourceKind.DOSSIER),
                v("DOSSIER_LATE", kind=SourceKind.DOSSIER, source=2),
            ],
            {"I.1": 0, "I.2": 0, "II.4": 0},
            20,
            id="dossier-cases",
        ),
    ],
)
def test_tried_weights_replace_the_packs(
    violations: list[ConfirmedViolation], off: dict[str, int], timeliness: int
) -> None:
    sheet = suggest(violations, on=END_Q3, weights=TRIED)
    assert sheet.general_off == {k: F(x) for k, x in off.items()}
    assert sheet.timeliness_off == timeliness


def test_the_packs_weights_and_those_typed_in_a_form() -> None:
    pack = weights_of(deductions_pack(END_Q3))
    assert pack == Weights(minor=F(1, 2), serious=F(1), severe=F(5, 2), per_case=pack.per_case)
    assert suggest([v("LATE_ARRIVAL")], on=END_Q3, weights=pack) == suggest(
        [v("LATE_ARRIVAL")], on=END_Q3
    )
    typed = weights_from_text({"minor": "0,75", "severe": " ", "csrf": "x"}, pack)
    assert typed == Weights(minor=F(3, 4), serious=F(1), severe=F(5, 2), per_case=pack.per_case)
    assert weights_from_text({}, pack) == pack


@pytest.mark.parametrize(
    ("field", "text"),
    [("minor", "-1"), ("severe", "5,5"), ("per_case", "101"), ("serious", "một"), ("minor", "1/0")],
)
def test_a_weight_outside_its_room_is_refused_by_name(field: str, text: str) -> None:
    with pytest.raises(ValueError, match=field):
        weights_from_text({field: text}, weights_of(deductions_pack(END_Q3)))
