"""Thematic campaign criteria (rules/README.md, "Thematic campaigns"): the catalogue read
from data, and verdicts computed by hand for officials and for collectives — every
criterion explained, met or not."""

from __future__ import annotations

from fractions import Fraction

import pytest
from congvu.rules.campaign import (
    CATALOGUE,
    COLLECTIVE,
    COLLECTIVE_ONLY,
    DEFAULT_MEMBERS_PERCENT,
    CampaignFacts,
    CollectiveFacts,
    Criterion,
    CriterionKind,
    criteria,
    criterion,
    evaluate,
    evaluate_collective,
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
    with pytest.raises(ValueError, match="at least one criterion for its officials"):
        criteria([{"kind": "members_eligible_share", "percent": "70"}])
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


def test_collective_readings_are_data() -> None:
    assert set(COLLECTIVE) == set(CriterionKind)
    assert {K.MEMBERS_ELIGIBLE_SHARE} == COLLECTIVE_ONLY
    assert DEFAULT_MEMBERS_PERCENT == 70
    share = criterion({"kind": "members_eligible_share", "percent": "75"})
    assert share.percent == 75 and share.as_json() == {
        "kind": "members_eligible_share",
        "percent": "75",
    }


def test_an_officials_verdict_skips_the_collective_only_criteria() -> None:
    chosen = criteria(
        [{"kind": "no_discipline"}, {"kind": "members_eligible_share", "percent": "70"}]
    )
    verdict = evaluate(chosen, CampaignFacts("1"))
    assert verdict.eligible and [r.criterion.kind for r in verdict.results] == [K.NO_DISCIPLINE]


COLLECTIVE_ALL = criteria(
    [
        {"kind": "members_eligible_share", "percent": "75"},
        {"kind": "no_confirmed_violation"},
        {"kind": "unit_on_time_rate", "percent": "90"},
        {"kind": "last_quarter_at_least", "level": "HTT"},
        {"kind": "no_discipline"},
    ]
)
# unit: (facts, eligible, [met per criterion of COLLECTIVE_ALL]) — computed by hand:
# 3/4 members = 75% meets ≥ 75, 2/3 = 66,67% does not; 9/10 dossiers = 90% meets ≥ 90,
# 8/10 = 80% does not; the quarter's level is read as a share of members against 75%.
C = CollectiveFacts
COLLECTIVES = {
    "clean": (C("1", 4, 3, 4, 0, 0, 0, 9, 10), True, [1, 1, 1, 1, 1]),
    "few eligible": (C("2", 3, 2, 3, 0, 0, 0, 9, 10), False, [0, 1, 1, 1, 1]),
    "violation": (C("3", 4, 3, 4, 2, 0, 0, 9, 10), False, [1, 0, 1, 1, 1]),
    "slow unit": (C("4", 4, 4, 4, 0, 0, 0, 8, 10), False, [1, 1, 0, 1, 1]),
    "low quarter": (C("5", 4, 3, 2, 0, 0, 0, 9, 10), False, [1, 1, 1, 0, 1]),
    "disciplined": (C("6", 4, 3, 4, 0, 1, 0, 9, 10), False, [1, 1, 1, 1, 0]),
    "open case": (C("7", 4, 3, 4, 0, 0, 1, 9, 10), False, [1, 1, 1, 1, 0]),
    "no member": (C("8"), False, [0, 1, 0, 0, 1]),
}


@pytest.mark.parametrize("case", list(COLLECTIVES))
def test_collective_verdicts_computed_by_hand(case: str) -> None:
    facts, eligible, met = COLLECTIVES[case]
    verdict = evaluate_collective(COLLECTIVE_ALL, facts)
    assert verdict.subject_id == facts.subject_id and verdict.eligible is eligible
    assert [int(r.met) for r in verdict.results] == met


def test_the_collective_explanations() -> None:
    clean = evaluate_collective(COLLECTIVE_ALL, COLLECTIVES["clean"][0]).reasons_vi
    assert clean == (
        "Tỷ lệ thành viên đủ điều kiện của đợt: 3/4 thành viên = 75% (cần ≥ 75%) — Đạt.",
        "Không thành viên nào có vi phạm được xác nhận trong đợt: không có — Đạt.",
        "Tỷ lệ hồ sơ đúng hạn của đơn vị: 9/10 hồ sơ đúng hạn = 90% (cần ≥ 90%) — Đạt.",
        "Tỷ lệ thành viên xếp loại quý gần nhất đạt mức yêu cầu: 4/4 thành viên = 100% "
        "(cần ≥ 75%), từ Hoàn thành tốt nhiệm vụ trở lên — Đạt.",
        "Không thành viên nào bị kỷ luật hoặc có vụ việc kỷ luật đang xem xét: không có — Đạt.",
    )
    few = evaluate_collective(COLLECTIVE_ALL, COLLECTIVES["few eligible"][0]).results[0]
    assert few.explanation_vi.endswith("2/3 thành viên = 66,67% (cần ≥ 75%) — Không đạt.")
    assert few.explanation_en == (
        "Share of members eligible for the campaign: 2/3 members = 66.67% (needs ≥ 75%) — Not met."
    )
    both = evaluate_collective(COLLECTIVE_ALL, C("9", 4, 0, 0, 3, 1, 2, 0, 0))
    assert both.reasons_vi[1].endswith("có 3 vi phạm được xác nhận — Không đạt.")
    assert both.reasons_vi[4].endswith(
        "1 người bị kỷ luật trong đợt; 2 vụ việc kỷ luật đang xem xét — Không đạt."
    )
    assert both.results[4].explanation_en.endswith(
        "1 disciplined; 2 case(s) under consideration — Not met."
    )
    assert both.results[1].explanation_en.endswith("3 confirmed violation(s) — Not met.")
    assert "đơn vị không có hồ sơ trong đợt" in both.reasons_vi[2]
    assert (
        both.results[3].explanation_en.endswith(
            "0/4 members = 0% (needs ≥ 75%), Satisfactorily completed tasks or better — Not met."
        )
        or "0/4 members = 0% (needs ≥ 75%)" in both.results[3].explanation_en
    )
    empty = evaluate_collective(COLLECTIVE_ALL, C("10")).results[0]
    assert empty.explanation_vi.endswith("tập thể không có thành viên (cần ≥ 75%) — Không đạt.")
    assert "the collective has no member (needs ≥ 75%)" in empty.explanation_en
    assert evaluate_collective(COLLECTIVE_ALL, C("11", 1, 1, 1, 0, 0, 0, 1, 1)).eligible


def test_a_collective_needs_the_default_share_when_the_campaign_sets_none() -> None:
    chosen = criteria([{"kind": "no_discipline"}])
    # 7/10 = 70% meets the default; 6/10 does not. The share comes first.
    passed = evaluate_collective(chosen, C("1", 10, 7))
    assert passed.eligible and passed.results[0].criterion.kind is K.MEMBERS_ELIGIBLE_SHARE
    assert "7/10 thành viên = 70% (cần ≥ 70%)" in passed.reasons_vi[0]
    assert not evaluate_collective(chosen, C("2", 10, 6)).eligible
