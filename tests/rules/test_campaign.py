"""Thematic campaign criteria (rules/README.md, "Thematic campaigns"): the catalogue read
from data, and verdicts computed by hand — every criterion explained, met or not."""

from __future__ import annotations

from fractions import Fraction

import pytest
from congvu.rules.campaign import (
    CATALOGUE,
    CampaignFacts,
    Criterion,
    CriterionKind,
    criteria,
    criterion,
    evaluate,
)
from congvu.rules.rating import Level

K = CriterionKind
ALL = criteria(
    [
        {"kind": "no_confirmed_violation"},
        {"kind": "unit_on_time_rate", "percent": "95"},
        {"kind": "last_quarter_at_least", "level": "HTT"},
        {"kind": "no_discipline"},
    ]
)


def test_the_catalogue_is_data_and_reads_back() -> None:
    assert set(CATALOGUE) == set(CriterionKind)
    assert [c.as_json() for c in ALL] == [
        {"kind": "no_confirmed_violation"},
        {"kind": "unit_on_time_rate", "percent": "95"},
        {"kind": "last_quarter_at_least", "level": "HTT"},
        {"kind": "no_discipline"},
    ]
    assert criterion({"kind": "unit_on_time_rate", "percent": "92,5"}).percent == Fraction(185, 2)
    assert criteria([c.as_json() for c in ALL]) == ALL


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "bonus"}, "unknown criterion"),
        ({}, "unknown criterion"),
        ({"kind": "unit_on_time_rate", "percent": "nhiều"}, "not a number"),
        ({"kind": "unit_on_time_rate", "percent": "1/0"}, "not a number"),
        ({"kind": "unit_on_time_rate", "percent": "100,5"}, "between 0 and 100"),
        ({"kind": "unit_on_time_rate", "percent": "-1"}, "between 0 and 100"),
        ({"kind": "last_quarter_at_least", "level": "TOT"}, "unknown level"),
    ],
)
def test_a_criterion_that_cannot_be_read_is_refused(data: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        criterion(data)


def test_a_campaign_needs_criteria_each_once() -> None:
    with pytest.raises(ValueError, match="at least one"):
        criteria([])
    with pytest.raises(ValueError, match="twice"):
        criteria([{"kind": "no_discipline"}, {"kind": "no_discipline"}])


# subject: (facts, eligible, [met per criterion of ALL]) — computed by hand:
# 19/20 = 95% meets ≥ 95; 37/40 = 92,5% does not; HTNV is below HTT.
CASES = {
    "clean": (CampaignFacts("1", 0, False, False, 19, 20, Level.HTXS), True, [1, 1, 1, 1]),
    "violation": (CampaignFacts("2", 2, False, False, 19, 20, Level.HTT), False, [0, 1, 1, 1]),
    "slow unit": (CampaignFacts("3", 0, False, False, 37, 40, Level.HTT), False, [1, 0, 1, 1]),
    "no dossier": (CampaignFacts("4", 0, False, False, 0, 0, Level.HTT), False, [1, 0, 1, 1]),
    "low quarter": (CampaignFacts("5", 0, False, False, 20, 20, Level.HTNV), False, [1, 1, 0, 1]),
    "not rated": (CampaignFacts("6", 0, False, False, 20, 20, None), False, [1, 1, 0, 1]),
    "disciplined": (CampaignFacts("7", 0, True, False, 20, 20, Level.HTT), False, [1, 1, 1, 0]),
    "open case": (CampaignFacts("8", 0, False, True, 20, 20, Level.HTT), False, [1, 1, 1, 0]),
    "both": (CampaignFacts("9", 1, True, True, 0, 0, None), False, [0, 0, 0, 0]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_verdicts_computed_by_hand(case: str) -> None:
    facts, eligible, met = CASES[case]
    verdict = evaluate(ALL, facts)
    assert verdict.subject_id == facts.subject_id
    assert verdict.eligible is eligible
    assert [int(r.met) for r in verdict.results] == met
    assert len(verdict.reasons_vi) == len(ALL)  # every criterion explained, met or not


def test_the_explanations() -> None:
    texts = evaluate(ALL, CASES["clean"][0]).reasons_vi
    assert texts == (
        "Không có vi phạm được xác nhận trong đợt: không có — Đạt.",
        "Tỷ lệ hồ sơ đúng hạn của đơn vị: 19/20 hồ sơ đúng hạn = 95% (cần ≥ 95%) — Đạt.",
        "Xếp loại quý gần nhất: Hoàn thành xuất sắc nhiệm vụ (cần từ Hoàn thành tốt nhiệm vụ "
        "trở lên) — Đạt.",
        "Không bị kỷ luật, không có vụ việc kỷ luật đang xem xét: không có — Đạt.",
    )
    worst = evaluate(ALL, CASES["both"][0])
    assert worst.reasons_vi[0] == (
        "Không có vi phạm được xác nhận trong đợt: có 1 vi phạm được xác nhận — Không đạt."
    )
    assert "không có hồ sơ trong đợt để tính tỷ lệ (cần ≥ 95%)" in worst.reasons_vi[1]
    assert "chưa được xếp loại quý" in worst.reasons_vi[2]
    assert worst.reasons_vi[3].endswith(
        "bị kỷ luật trong đợt; có vụ việc kỷ luật đang xem xét — Không đạt."
    )
    assert worst.results[3].explanation_en == (
        "No discipline and no discipline case under consideration: disciplined during the "
        "campaign; a discipline case under consideration — Not met."
    )
    slow = evaluate(ALL, CASES["slow unit"][0]).results[1]
    assert "37/40 hồ sơ đúng hạn = 92,5% (cần ≥ 95%)" in slow.explanation_vi
    thirds = evaluate(
        [Criterion(K.UNIT_ON_TIME_RATE, percent=Fraction(60))],
        CampaignFacts("10", dossiers_on_time=2, dossiers=3),
    )
    assert thirds.eligible and "2/3 hồ sơ đúng hạn = 66,67% (cần ≥ 60%)" in thirds.reasons_vi[0]
    assert "2/3 dossiers on time = 66.67% (needs ≥ 60%)" in thirds.results[0].explanation_en
    assert evaluate([Criterion(K.NO_DISCIPLINE)], CampaignFacts("11")).eligible
