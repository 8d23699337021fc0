"""Quality rating and the HTXS quota (rules/README.md, "Quality rating").

"335" = NĐ 335/2025/NĐ-CP (công chức from 2026); "90/48" = NĐ 90/2020 as amended by NĐ 48/2023
(công chức before 2026, viên chức), with the article of the level checked; "38.4" = Luật CBCC
2025 Art. 38.4.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from congvu.rules.discipline import Category
from congvu.rules.packs import PackNotFound
from congvu.rules.rating import (
    Cap,
    CriteriaAssessment,
    Facts,
    General,
    LeaderResults,
    Level,
    Number,
    RatedEntry,
    apply_htxs_quota,
    band_for_score,
    htxs_allowed,
    rate_by_criteria,
    rate_by_score,
    rating_pack,
)
from hypothesis import given
from hypothesis import strategies as st

CC, VC, CB = Category.CONG_CHUC, Category.VIEN_CHUC, Category.CAN_BO
L = Level


# --- NĐ 335 score bands ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "level"),
    [
        pytest.param(100, L.HTXS, id="335-100"),
        pytest.param(90, L.HTXS, id="335-90-HTXS"),
        pytest.param(89.99, L.HTT, id="335-89.99-HTT"),
        pytest.param(Decimal("89.99"), L.HTT, id="335-89.99-decimal"),
        pytest.param(70, L.HTT, id="335-70-HTT"),
        pytest.param(69.99, L.HTNV, id="335-69.99-HTNV"),
        pytest.param(Fraction(139, 2), L.HTNV, id="335-69.5-fraction"),
        pytest.param(50, L.HTNV, id="335-50-HTNV"),
        pytest.param(49.99, L.KHT, id="335-49.99-KHT"),
        pytest.param(0, L.KHT, id="335-0-KHT"),
    ],
)
def test_score_bands(score: Number, level: Level) -> None:
    assert band_for_score(score, year=2026) is level
    assert rate_by_score(score, year=2026).level is level


@pytest.mark.parametrize("score", [-0.01, 100.01, 120])
def test_score_outside_0_100_is_refused(score: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        band_for_score(score, year=2026)


@pytest.mark.parametrize(
    ("facts", "level", "caps"),
    [
        pytest.param(Facts(), L.HTXS, (), id="335-no-cap"),
        pytest.param(Facts(degradation=True), L.KHT, (Cap.DEGRADATION,), id="335-degradation"),
        pytest.param(
            Facts(disciplined_in_year=True), L.KHT, (Cap.DISCIPLINE,), id="335-duty-discipline"
        ),
        pytest.param(
            Facts(disciplined_in_year=True, discipline_duty_related=False),
            L.HTXS,
            (),
            id="38.4-discipline-unrelated-to-duty-not-counted",
        ),
        pytest.param(
            Facts(disciplined_in_year=True, discipline_already_counted=True),
            L.HTXS,
            (),
            id="48-already-counted-in-an-earlier-year",
        ),
        pytest.param(
            Facts(leader_unit_sanctioned=True),
            L.KHT,
            (Cap.LEADER_UNIT_SANCTIONED,),
            id="335-leader-unit-corruption",
        ),
        pytest.param(
            Facts(degradation=True, disciplined_in_year=True),
            L.KHT,
            (Cap.DEGRADATION, Cap.DISCIPLINE),
            id="335-two-caps",
        ),
    ],
)
def test_caps_to_kht_under_nd_335(facts: Facts, level: Level, caps: tuple[Cap, ...]) -> None:
    verdict = rate_by_score(95, year=2026, facts=facts)
    assert (verdict.level, verdict.caps, verdict.merited) == (level, caps, L.HTXS)


def test_score_explanations() -> None:
    capped = rate_by_score(95, year=2026, facts=Facts(disciplined_in_year=True))
    assert capped.explanation_vi == (
        "Năm 2026: 95 điểm, thuộc mức Hoàn thành xuất sắc nhiệm vụ. Xếp loại Không hoàn thành "
        "nhiệm vụ vì bị xử lý kỷ luật trong năm đánh giá. Kết quả: Không hoàn thành nhiệm vụ "
        "(Nghị định 335/2025/NĐ-CP)."
    )
    unrelated = rate_by_score(
        95, year=2026, facts=Facts(disciplined_in_year=True, discipline_duty_related=False)
    )
    assert "không liên quan đến thực thi nhiệm vụ" in unrelated.explanation_vi
    counted = rate_by_score(
        95, year=2026, facts=Facts(disciplined_in_year=True, discipline_already_counted=True)
    )
    assert "đã được tính khi xếp loại năm trước" in counted.explanation_vi
    assert "already counted" in counted.explanation_en
    assert capped.rule.id == "rating_cong_chuc" and capped.rule.version == "2026.1"


@pytest.mark.parametrize(
    ("score", "vi", "en"),
    [
        pytest.param(Fraction(853, 10), "85,3", "85.3", id="fraction-one-decimal"),
        pytest.param(Fraction(161, 3), "53,67", "53.67", id="fraction-two-decimals"),
        pytest.param(Decimal("90.50"), "90,5", "90.5", id="decimal-trailing-zero"),
        pytest.param(89.99, "89,99", "89.99", id="float"),
        pytest.param(95, "95", "95", id="integer"),
    ],
)
def test_score_is_printed_as_a_decimal(score: Number, vi: str, en: str) -> None:
    verdict = rate_by_score(score, year=2026)
    assert verdict.explanation_vi.startswith(f"Năm 2026: {vi} điểm, thuộc mức ")
    assert verdict.explanation_en.startswith(f"Year 2026: {en} points, in the band ")
    assert "/" not in verdict.explanation_vi.split("(")[0]


def test_score_explanation_names_the_period_when_given() -> None:
    verdict = rate_by_score(
        Fraction(853, 10),
        year=2026,
        period_vi="Kỳ đến 30/09/2026",
        period_en="Period to 30/09/2026",
    )
    assert verdict.explanation_vi == (
        "Kỳ đến 30/09/2026: 85,3 điểm, thuộc mức Hoàn thành tốt nhiệm vụ. Kết quả: Hoàn thành "
        "tốt nhiệm vụ (Nghị định 335/2025/NĐ-CP)."
    )
    assert verdict.explanation_en.startswith("Period to 30/09/2026: 85.3 points, in the band ")


@pytest.mark.parametrize(
    ("call", "error"),
    [
        pytest.param(lambda: rate_by_score(80, year=2025), ValueError, id="2025-is-criteria"),
        pytest.param(
            lambda: rate_by_score(80, year=2026, category=VC), ValueError, id="VC-criteria"
        ),
        pytest.param(
            lambda: rate_by_criteria(CriteriaAssessment(General.TOT, 1, 1), year=2026, category=CC),
            ValueError,
            id="2026-CC-is-score",
        ),
        pytest.param(lambda: rating_pack(CB, 2026), ValueError, id="can-bo-not-encoded"),
        pytest.param(lambda: rating_pack(CC, 2022), PackNotFound, id="before-48-not-encoded"),
    ],
)
def test_the_law_in_force_decides_the_method(call: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("category", "year", "version"),
    [
        pytest.param(CC, 2025, "2023.1", id="CC-2025-ND90/48"),
        pytest.param(CC, 2026, "2026.1", id="CC-2026-ND335"),
        pytest.param(VC, 2026, "2023.1", id="VC-2026-still-ND90/48"),
    ],
)
def test_pack_by_assessment_year(category: Category, year: int, version: str) -> None:
    assert rating_pack(category, year).version == version


# --- NĐ 90/48 criteria ----------------------------------------------------------------------


def a(
    general: General = General.TOT,
    done: int = 10,
    exceeded: int = 0,
    unfinished: int = 0,
    months: int = 12,
    leave: Number = 0,
    maternity: bool = False,
    leader: LeaderResults | None = None,
) -> CriteriaAssessment:
    return CriteriaAssessment(
        general, 10, done, exceeded, unfinished, months, leave, maternity, leader
    )


@pytest.mark.parametrize(
    ("assessment", "level", "review"),
    [
        pytest.param(a(exceeded=5), L.HTXS, False, id="90/48-Art8-100pct-half-exceeded"),
        pytest.param(a(exceeded=4), L.HTT, False, id="90/48-Art9-49pct-exceeded"),
        pytest.param(a(General.DAT, exceeded=10), L.HTNV, False, id="90/48-Art10-general-only-met"),
        pytest.param(a(done=8), L.HTNV, False, id="90/48-Art10-20pct-short"),
        pytest.param(a(done=7), L.HTNV, True, id="90/48-gap-30pct-short-for-council"),
        pytest.param(
            a(done=5, unfinished=5), L.HTNV, True, id="90/48-Art11-50pct-unfinished-not-over"
        ),
        pytest.param(a(done=4, unfinished=6), L.KHT, False, id="90/48-Art11-over-50pct-unfinished"),
        pytest.param(a(General.KHONG_DAT), L.KHT, False, id="90/48-Art11-general-not-met"),
    ],
)
def test_criteria_levels(assessment: CriteriaAssessment, level: Level, review: bool) -> None:
    verdict = rate_by_criteria(assessment, year=2025, category=CC)
    assert (verdict.level, verdict.needs_review) == (level, review)


LEAD_OK = LeaderResults(100, 50, 100, 70)


@pytest.mark.parametrize(
    ("leader", "level"),
    [
        pytest.param(LEAD_OK, L.HTXS, id="90/48-leader-HTXS"),
        pytest.param(LeaderResults(100, 50, 100, 69), L.HTT, id="90/48-leader-subunits-69pct-HTT"),
        pytest.param(LeaderResults(100, 49, 100, 70), L.HTT, id="90/48-leader-unit-49pct-exceeded"),
        pytest.param(LeaderResults(99, 50, 100, 70), L.HTNV, id="90/48-leader-unit-99pct-HTNV"),
        pytest.param(LeaderResults(100, 50, 99, 70), L.HTNV, id="90/48-leader-subunit-below-HTNV"),
        pytest.param(LeaderResults(70, 0, 0, 0), L.HTNV, id="90/48-leader-unit-70pct"),
        pytest.param(LeaderResults(50, 0, 0, 0), L.HTNV, id="90/48-leader-unit-50pct-gap"),
        pytest.param(LeaderResults(49.9, 0, 0, 0), L.KHT, id="90/48-leader-unit-under-50pct"),
    ],
)
def test_leader_criteria(leader: LeaderResults, level: Level) -> None:
    verdict = rate_by_criteria(a(exceeded=5, leader=leader), year=2025, category=VC)
    assert verdict.level is level


@pytest.mark.parametrize(
    ("months", "leave", "maternity", "level"),
    [
        pytest.param(5, 0, False, None, id="90/48-under-6-months-worked-not-rated"),
        pytest.param(5, 0, True, L.HTXS, id="90/48-maternity-counts-as-worked"),
        pytest.param(6, 0, False, L.HTXS, id="90/48-6-months-worked-rated"),
        pytest.param(10, 2.9, False, L.HTXS, id="90/48-leave-under-3-months-not-capped"),
        pytest.param(9, 3, False, L.HTNV, id="90/48-leave-3-months-at-most-HTNV"),
        pytest.param(7, 5.9, False, L.HTNV, id="90/48-leave-under-6-months-at-most-HTNV"),
        pytest.param(6, 6, False, L.HTXS, id="90/48-leave-6-months-outside-the-cap"),
    ],
)
def test_months_worked_and_leave(
    months: int, leave: Number, maternity: bool, level: Level | None
) -> None:
    verdict = rate_by_criteria(
        a(exceeded=5, months=months, leave=leave, maternity=maternity), year=2025, category=VC
    )
    assert verdict.level is level


def test_leave_does_not_lift_a_lower_level() -> None:
    verdict = rate_by_criteria(a(done=8, leave=4), year=2025, category=VC)
    assert verdict.level is L.HTNV and "Nghỉ 4 tháng" not in verdict.explanation_vi


def test_criteria_explanations() -> None:
    verdict = rate_by_criteria(a(exceeded=5), year=2025, category=CC)
    assert verdict.explanation_vi == (
        "Năm 2025: hoàn thành tốt 10/10 nhiệm vụ (5 vượt mức, 0 chưa hoàn thành); tiêu chí chung: "
        "thực hiện tốt. Đạt tiêu chí mức Hoàn thành xuất sắc nhiệm vụ. Kết quả: Hoàn thành xuất "
        "sắc nhiệm vụ (Nghị định 90/2020/NĐ-CP)."
    )
    gap = rate_by_criteria(a(done=7), year=2025, category=CC)
    assert (
        "đề nghị Hội đồng xem xét" in gap.explanation_vi and "for the council" in gap.explanation_en
    )
    short = rate_by_criteria(a(exceeded=5, months=8, leave=4), year=2025, category=CC)
    assert "Nghỉ 4 tháng nên không xếp loại cao hơn mức Hoàn thành nhiệm vụ" in short.explanation_vi
    assert "On leave 4 months" in short.explanation_en
    unrated = rate_by_criteria(a(months=4), year=2025, category=CC)
    assert unrated.explanation_vi == (
        "Năm 2025 chỉ làm việc 4 tháng (dưới 6 tháng): không đánh giá, xếp loại "
        "(Nghị định 90/2020/NĐ-CP)."
    )


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        pytest.param(Facts(disciplined_in_year=True), L.KHT, id="48-discipline-in-year"),
        pytest.param(
            Facts(disciplined_in_year=True, discipline_duty_related=False),
            L.KHT,
            id="48-any-discipline-counts-before-2026",
        ),
        pytest.param(
            Facts(disciplined_in_year=True, discipline_already_counted=True),
            L.HTXS,
            id="48-counted-once",
        ),
    ],
)
def test_discipline_caps_under_nd_90_48(facts: Facts, level: Level) -> None:
    assert rate_by_criteria(a(exceeded=5), year=2025, category=CC, facts=facts).level is level


@pytest.mark.parametrize(
    "counts",
    [(10, 11, 0, 0), (10, 5, 6, 0), (10, 5, 0, 6), (0, 0, 0, 0)],
    ids=["done>assigned", "exceeded>done", "unfinished>rest", "no-tasks"],
)
def test_inconsistent_counts_are_refused(counts: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        CriteriaAssessment(General.TOT, *counts)


def test_level_labels_and_order() -> None:
    assert [lv.label_vi for lv in L] == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ]
    assert L.HTXS.at_least(L.HTT) and not L.HTNV.at_least(L.HTT)
    assert L.KHT.label_en == "Unsatisfactory performance"


# --- HTXS quota (335: ≤ 20% of HTT, floor) ----------------------------------------------------


@pytest.mark.parametrize(
    ("htt", "allowed", "percent"),
    [
        pytest.param(9, 1, None, id="335-9-HTT-1"),
        pytest.param(10, 2, None, id="335-10-HTT-2"),
        pytest.param(4, 0, None, id="335-4-HTT-0"),
        pytest.param(5, 1, None, id="335-5-HTT-1"),
        pytest.param(14, 2, None, id="335-14-HTT-2"),
        pytest.param(15, 3, None, id="335-15-HTT-3"),
        pytest.param(0, 0, None, id="335-0-HTT-0"),
        pytest.param(10, 3, 30, id="335-outstanding-unit-30pct"),
        pytest.param(9, 2, "25", id="335-outstanding-unit-25pct"),
    ],
)
def test_htxs_allowed_rounds_down(htt: int, allowed: int, percent: Number | None) -> None:
    assert htxs_allowed(htt, year=2026, category=CC, percent=percent) == allowed


def people(
    htt: int, htxs: list[tuple[str, Number | None, Number | None]], group: str = ""
) -> list[RatedEntry]:
    rows = [RatedEntry(f"{group}t{i:02}", L.HTT, 80, 56, group) for i in range(htt)]
    rows += [RatedEntry(pid, L.HTXS, score, results, group) for pid, score, results in htxs]
    return rows


@pytest.mark.parametrize(
    ("htt", "proposed", "kept"),
    [
        pytest.param(9, 1, 1, id="335-quota-9+1-keep-1"),
        pytest.param(9, 3, 2, id="335-quota-9+3-keep-2-on-final-10-HTT"),
        pytest.param(4, 1, 0, id="335-quota-4+1-keep-0"),
        pytest.param(10, 2, 2, id="335-quota-10+2-keep-2"),
        pytest.param(8, 2, 1, id="335-quota-8+2-keep-1"),
        pytest.param(0, 5, 0, id="335-quota-no-HTT-none"),
        pytest.param(20, 6, 4, id="335-quota-20+6-keep-4"),
    ],
)
def test_quota_keeps_the_most_htxs_the_final_ratio_allows(
    htt: int, proposed: int, kept: int
) -> None:
    entries = people(htt, [(f"x{i}", 99 - i, 60) for i in range(proposed)])
    verdict = apply_htxs_quota(entries, year=2026, category=CC)
    (group,) = verdict.groups
    assert group.htxs_kept == kept and group.htt_final == htt + proposed - kept
    assert kept <= htxs_allowed(group.htt_final, year=2026, category=CC)


def test_tie_break_score_then_results_then_id() -> None:
    # 9 HTT + 4 HTXS proposals → 2 kept. 93/66 beats 93/60 on task results.
    entries = people(9, [("d", 93, 60), ("a", 91, 70), ("c", 93, 66), ("b", 95, 50)])
    verdict = apply_htxs_quota(entries, year=2026, category=CC)
    final = {d.person_id: (d.final, d.rank) for d in verdict.decisions if d.proposed is L.HTXS}
    assert final == {
        "b": (L.HTXS, 1),
        "c": (L.HTXS, 2),
        "d": (L.HTT, 3),
        "a": (L.HTT, 4),
    }
    assert verdict.groups[0].tie_at_cutoff is False


def test_full_tie_falls_back_to_person_id_and_is_flagged() -> None:
    entries = people(9, [("z", 93, 60), ("y", 93, 60), ("x", 95, 60)])
    verdict = apply_htxs_quota(list(reversed(entries)), year=2026, category=CC)
    final = {d.person_id: d.final for d in verdict.decisions if d.proposed is L.HTXS}
    assert final == {"x": L.HTXS, "y": L.HTXS, "z": L.HTT}
    assert verdict.groups[0].tie_at_cutoff is True
    demoted = next(d for d in verdict.decisions if d.person_id == "z")
    assert "Đồng điểm ở ngưỡng: Hội đồng quyết định." in demoted.explanation_vi
    assert "Tie at the cut-off" in demoted.explanation_en


def test_missing_scores_rank_last() -> None:
    entries = people(5, [("n", None, None), ("m", 91, None)])
    verdict = apply_htxs_quota(entries, year=2026, category=CC)
    final = {d.person_id: d.final for d in verdict.decisions if d.proposed is L.HTXS}
    assert final == {"m": L.HTXS, "n": L.HTT}


def test_groups_are_separate_and_order_of_input_is_kept() -> None:
    entries = people(9, [("a1", 95, 60), ("a2", 94, 60)], "A") + people(4, [("b1", 99, 70)], "B")
    entries.append(RatedEntry("k", L.KHT, 40, 30, "A"))
    verdict = apply_htxs_quota(entries, year=2026, category=CC)
    assert [d.person_id for d in verdict.decisions] == [e.person_id for e in entries]
    assert {g.group: g.htxs_kept for g in verdict.groups} == {"A": 1, "B": 0}
    kht = verdict.decisions[-1]
    assert (kht.final, kht.rank, kht.explanation_vi) == (L.KHT, None, "")
    assert verdict.explanation_vi == (
        "Tỷ lệ Hoàn thành xuất sắc nhiệm vụ không quá 20% số Hoàn thành tốt nhiệm vụ trong từng "
        "nhóm, làm tròn xuống; 2 người chuyển xuống Hoàn thành tốt nhiệm vụ "
        "(Nghị định 335/2025/NĐ-CP)."
    )


def test_demotion_is_explained_to_the_person() -> None:
    verdict = apply_htxs_quota(people(9, [("a", 95, 60), ("b", 94, 60)]), year=2026, category=CC)
    kept, moved = (d for d in verdict.decisions if d.proposed is L.HTXS)
    assert kept.explanation_vi == (
        "Giữ mức Hoàn thành xuất sắc nhiệm vụ: xếp thứ 1/2, trong hạn mức 1 (không quá 20% của "
        "10 người Hoàn thành tốt nhiệm vụ)."
    )
    assert moved.explanation_vi.startswith(
        "Chuyển xuống Hoàn thành tốt nhiệm vụ: xếp thứ 2/2, ngoài hạn mức 1 người"
    )


def test_vien_chuc_quota_uses_the_nd_90_48_pack() -> None:
    verdict = apply_htxs_quota(people(10, [("a", None, None)]), year=2025, category=VC)
    assert verdict.rule.id == "rating_vien_chuc" and verdict.groups[0].htxs_kept == 1


def test_duplicate_people_are_refused() -> None:
    with pytest.raises(ValueError, match="once"):
        apply_htxs_quota([RatedEntry("a", L.HTT), RatedEntry("a", L.HTXS)], year=2026, category=CC)


_entry = st.tuples(
    st.sampled_from(list(L)),
    st.one_of(st.none(), st.integers(0, 100)),
    st.one_of(st.none(), st.integers(0, 70)),
    st.sampled_from(["A", "B"]),
)


@given(st.lists(_entry, max_size=40), st.sampled_from([None, 20, 25, 30]))
def test_quota_is_never_exceeded_and_never_over_demotes(
    rows: list[tuple[Level, int | None, int | None, str]], percent: int | None
) -> None:
    entries = [RatedEntry(f"p{i}", lv, s, r, g) for i, (lv, s, r, g) in enumerate(rows)]
    verdict = apply_htxs_quota(entries, year=2026, category=CC, percent=percent)
    pct = Fraction(percent or 20)
    for g in verdict.groups:
        finals = [d.final for d in verdict.decisions if d.group == g.group]
        htxs, htt = finals.count(L.HTXS), finals.count(L.HTT)
        assert htxs <= pct * htt / 100
        # Keeping one more would break the ratio (or there was no one more to keep).
        assert htxs == g.htxs_proposed or htxs + 1 > pct * (htt - 1) / 100
    shuffled = apply_htxs_quota(list(reversed(entries)), year=2026, category=CC, percent=percent)
    assert {d.person_id: d.final for d in shuffled.decisions} == {
        d.person_id: d.final for d in verdict.decisions
    }


@given(st.integers(0, 10000), st.integers(0, 10000))
def test_band_is_monotone_in_score(x: int, y: int) -> None:
    low, high = sorted((Fraction(x, 100), Fraction(y, 100)))
    assert band_for_score(high, year=2026).at_least(band_for_score(low, year=2026))
