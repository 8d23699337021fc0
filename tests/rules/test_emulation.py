"""Emulation titles (rules/README.md, "Emulation").

"L23" = Luật Thi đua, khen thưởng 06/2022 Art. 23 (CSTĐCS); "L24/L27/L28" = the LĐTT and
collective-title articles (numbers per secondary sources); "152/4" = NĐ 152/2025 Art. 4
(blockers); "98/30.7" = NĐ 98/2023 Art. 30.7 (80% vote); "91/2017" = the expired 15% cap.
"""

from __future__ import annotations

from datetime import date

import pytest
from congvu.rules.discipline import Category, Form, decision_effect
from congvu.rules.emulation import (
    CapCandidate,
    Collective,
    EmulationPeriod,
    Individual,
    Member,
    Reason,
    Standing,
    Title,
    apply_cstdcs_cap,
    cstdcs,
    emulation_pack,
    ldtt,
    tap_the_ldtt,
    tap_the_ldxs,
)
from congvu.rules.packs import PackNotFound
from congvu.rules.rating import Level, rate_by_score
from hypothesis import given
from hypothesis import strategies as st

L = Level
Y2025 = EmulationPeriod.year(2025)
Y2026 = EmulationPeriod.year(2026)
D = date


# --- Lao động tiên tiến --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "reasons"),
    [
        pytest.param(Individual("p", L.HTT), (), id="L24-HTT"),
        pytest.param(Individual("p", L.HTXS), (), id="L24-HTXS"),
        pytest.param(Individual("p", L.HTNV), (Reason.RATING_TOO_LOW,), id="L24-HTNV-too-low"),
        pytest.param(Individual("p", L.KHT), (Reason.RATING_TOO_LOW,), id="L24-KHT"),
        pytest.param(Individual("p", None), (Reason.NOT_RATED,), id="L24-not-rated"),
        pytest.param(Individual("p", L.HTT, conduct=False), (Reason.CONDUCT,), id="L24-conduct"),
        pytest.param(
            Individual("p", L.HTT, standing=Standing(open_discipline_case=True)),
            (Reason.OPEN_DISCIPLINE_CASE,),
            id="152/4-open-discipline-case",
        ),
        pytest.param(
            Individual("p", L.HTT, standing=Standing(inspection_with_signs=True)),
            (Reason.INSPECTION_WITH_SIGNS,),
            id="152/4-inspection-with-signs",
        ),
        pytest.param(
            Individual("p", L.HTT, standing=Standing(complaint_verification=True)),
            (Reason.COMPLAINT_VERIFICATION,),
            id="152/4-complaint-verification",
        ),
        pytest.param(
            Individual("p", L.HTT, standing=Standing(discipline_ends_on=D(2024, 12, 31))),
            (),
            id="152/4-discipline-ended-before-the-period",
        ),
        pytest.param(
            Individual("p", L.HTT, standing=Standing(discipline_ends_on=D(2025, 1, 1))),
            (Reason.DISCIPLINE_PERIOD,),
            id="152/4-discipline-ends-on-the-first-day",
        ),
    ],
)
def test_ldtt(person: Individual, reasons: tuple[Reason, ...]) -> None:
    verdict = ldtt(person, Y2025)
    assert verdict.reasons == reasons and verdict.eligible is (not reasons)
    assert verdict.title is Title.LDTT and verdict.subject_id == "p"


def test_achievements_count_only_after_the_discipline_period() -> None:
    # A decision effective 01/03/2024 runs to the end of 01/03/2025 (NĐ 172/2.9).
    ends = decision_effect(D(2024, 3, 1), category=Category.CONG_CHUC, on=D(2025, 1, 1)).ends_on
    verdict = ldtt(Individual("p", L.HTT, standing=Standing(discipline_ends_on=ends)), Y2025)
    assert verdict.reasons == (Reason.DISCIPLINE_PERIOD,)
    assert verdict.explanation_vi == (
        "Lao động tiên tiến, kỳ 01/01/2025–31/12/2025: chưa đủ điều kiện vì đang trong thời gian "
        "kỷ luật (thành tích chỉ được tính từ ngày 02/03/2025) (Luật Thi đua, khen thưởng số "
        "06/2022/QH15; Nghị định 152/2025/NĐ-CP)."
    )
    assert "achievements count only from 02/03/2025" in verdict.explanation_en
    assert ldtt(Individual("p", L.HTT, standing=Standing(discipline_ends_on=ends)), Y2026).eligible


# --- Chiến sĩ thi đua cơ sở ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "reasons"),
    [
        pytest.param(Individual("p", L.HTXS), (), id="L23-LDTT+HTXS"),
        pytest.param(Individual("p", L.HTT, initiative_recognised=True), (), id="L23-initiative"),
        pytest.param(Individual("p", L.HTT, research_accepted=True), (), id="L23-research"),
        pytest.param(Individual("p", L.HTT), (Reason.NO_ACHIEVEMENT,), id="L23-HTT-alone"),
        pytest.param(
            Individual("p", L.HTNV, initiative_recognised=True),
            (Reason.NOT_LDTT,),
            id="L23-not-LDTT",
        ),
        pytest.param(
            Individual("p", L.HTXS, standing=Standing(open_discipline_case=True)),
            (Reason.NOT_LDTT, Reason.OPEN_DISCIPLINE_CASE),
            id="152/4-blocker-named",
        ),
    ],
)
def test_cstdcs_criteria(person: Individual, reasons: tuple[Reason, ...]) -> None:
    verdict = cstdcs(person, Y2025)
    assert verdict.reasons == reasons
    assert verdict.awaiting_vote is (not reasons)


@pytest.mark.parametrize(
    ("votes", "size", "eligible"),
    [
        pytest.param(8, 10, True, id="98/30.7-80pct-exactly"),
        pytest.param(7, 10, False, id="98/30.7-70pct"),
        pytest.param(4, 5, True, id="98/30.7-4-of-5"),
        pytest.param(11, 14, False, id="98/30.7-78.6pct"),
        pytest.param(12, 15, True, id="98/30.7-12-of-15"),
        pytest.param(9, 9, True, id="98/30.7-unanimous"),
    ],
)
def test_cstdcs_council_vote(votes: int, size: int, eligible: bool) -> None:
    verdict = cstdcs(Individual("p", L.HTXS), Y2025, votes_for=votes, council_size=size)
    assert verdict.eligible is eligible and verdict.awaiting_vote is False
    assert f"{votes}/{size}" in verdict.explanation_vi


@pytest.mark.parametrize(("votes", "size"), [(11, 10), (-1, 10), (0, 0)])
def test_impossible_votes_are_refused(votes: int, size: int) -> None:
    with pytest.raises(ValueError):
        cstdcs(Individual("p", L.HTXS), Y2025, votes_for=votes, council_size=size)


def test_cstdcs_explanations() -> None:
    waiting = cstdcs(Individual("p", L.HTXS), Y2025)
    assert waiting.explanation_vi == (
        "Chiến sĩ thi đua cơ sở, kỳ 01/01/2025–31/12/2025: đủ điều kiện; còn chờ Hội đồng bỏ "
        "phiếu (cần ≥ 80% tổng số thành viên) (Luật Thi đua, khen thưởng số 06/2022/QH15; "
        "Nghị định 152/2025/NĐ-CP)."
    )
    low = cstdcs(Individual("p", L.HTT), Y2025, votes_for=7, council_size=10)
    assert low.reasons == (Reason.NO_ACHIEVEMENT, Reason.VOTE_TOO_LOW)
    assert "not eligible: no excellent rating" in low.explanation_en


# --- collective titles ----------------------------------------------------------------------


def members(n: int, ldtt_count: int, **kw: object) -> tuple[Member, ...]:
    return tuple(
        Member(f"m{i:02}", L.HTT, ldtt=i < ldtt_count, cstdcs=i == 0, **kw)  # type: ignore[arg-type]
        for i in range(n)
    )


@pytest.mark.parametrize(
    ("unit", "reasons"),
    [
        pytest.param(Collective("u", L.HTT, members(10, 7)), (), id="L28-70pct-boundary"),
        pytest.param(Collective("u", L.HTT, members(10, 6)), (Reason.LDTT_SHARE,), id="L28-60pct"),
        pytest.param(Collective("u", L.HTT, members(3, 2)), (Reason.LDTT_SHARE,), id="L28-66.7pct"),
        pytest.param(Collective("u", L.HTT, members(20, 14)), (), id="L28-14-of-20"),
        pytest.param(
            Collective("u", L.HTT, members(20, 13)), (Reason.LDTT_SHARE,), id="L28-13-of-20"
        ),
        pytest.param(Collective("u", L.HTXS, members(10, 10)), (), id="L28-HTXS-also-qualifies"),
        pytest.param(
            Collective("u", L.HTNV, members(10, 10)), (Reason.RATING_TOO_LOW,), id="L28-HTNV"
        ),
        pytest.param(
            Collective("u", None, members(10, 10)), (Reason.NOT_RATED,), id="L28-not-rated"
        ),
        pytest.param(
            Collective("u", L.HTT, members(10, 10), movement=False),
            (Reason.MOVEMENT,),
            id="L28-no-movement",
        ),
        pytest.param(
            Collective(
                "u", L.HTT, (*members(9, 9), Member("x", L.HTT, False, False, Form.KHIEN_TRACH))
            ),
            (),
            id="L28-member-reprimand-ok",
        ),
        pytest.param(
            Collective(
                "u", L.HTT, (*members(9, 9), Member("x", L.HTT, False, False, Form.CANH_CAO))
            ),
            (Reason.MEMBER_DISCIPLINED,),
            id="L28-member-warning-bars",
        ),
        pytest.param(
            Collective(
                "u", L.HTT, (*members(9, 9), Member("x", L.KHT, False, False, Form.BUOC_THOI_VIEC))
            ),
            (Reason.MEMBER_DISCIPLINED,),
            id="L28-member-forced-termination-bars",
        ),
        pytest.param(
            Collective("u", L.HTT, (*members(10, 7), Member("new", None, False))),
            (),
            id="L28-unrated-member-out-of-the-share",
        ),
        pytest.param(
            Collective("u", L.HTT, members(10, 10), standing=Standing(inspection_with_signs=True)),
            (Reason.INSPECTION_WITH_SIGNS,),
            id="152/4-collective-blocker",
        ),
    ],
)
def test_tap_the_ldtt(unit: Collective, reasons: tuple[Reason, ...]) -> None:
    assert tap_the_ldtt(unit, Y2025).reasons == reasons


@pytest.mark.parametrize(
    ("unit", "reasons"),
    [
        pytest.param(Collective("u", L.HTXS, members(10, 7)), (), id="L27-all-met"),
        pytest.param(
            Collective("u", L.HTT, members(10, 7)), (Reason.RATING_TOO_LOW,), id="L27-needs-HTXS"
        ),
        pytest.param(
            Collective("u", L.HTXS, members(10, 6)), (Reason.LDTT_SHARE,), id="L27-69pct-LDTT"
        ),
        pytest.param(
            Collective("u", L.HTXS, (*members(9, 7), Member("k", L.KHT, False))),
            (Reason.MEMBER_BELOW_HTNV,),
            id="L27-member-KHT",
        ),
        pytest.param(
            Collective("u", L.HTXS, (*members(9, 7), Member("h", L.HTNV, False))),
            (),
            id="L27-member-HTNV-ok",
        ),
        pytest.param(
            Collective("u", L.HTXS, tuple(Member(f"m{i}", L.HTT, True) for i in range(10))),
            (Reason.NO_CSTDCS,),
            id="L27-no-CSTDCS",
        ),
        pytest.param(
            Collective(
                "u", L.HTXS, (*members(9, 9), Member("x", L.HTT, False, False, Form.CANH_CAO))
            ),
            (Reason.MEMBER_DISCIPLINED,),
            id="L27-member-warning-bars",
        ),
    ],
)
def test_tap_the_ldxs(unit: Collective, reasons: tuple[Reason, ...]) -> None:
    assert tap_the_ldxs(unit, Y2025).reasons == reasons


def test_collective_explanation_and_empty_collective() -> None:
    verdict = tap_the_ldtt(Collective("phong-a", L.HTT, members(10, 6)), Y2025)
    assert verdict.explanation_vi == (
        "Tập thể lao động tiên tiến, kỳ 01/01/2025–31/12/2025: chưa đủ điều kiện vì tỷ lệ cá nhân "
        "đạt Lao động tiên tiến chưa đủ; 6/10 cá nhân đạt Lao động tiên tiến (cần ≥ 70%) (Luật "
        "Thi đua, khen thưởng số 06/2022/QH15; Nghị định 152/2025/NĐ-CP)."
    )
    with pytest.raises(ValueError, match="no members"):
        tap_the_ldtt(Collective("u", L.HTT, ()), Y2025)
    only_new = tap_the_ldtt(Collective("u", L.HTT, (Member("n", None, False),)), Y2025)
    assert only_new.reasons == (Reason.LDTT_SHARE,)


@given(st.integers(1, 60), st.data())
def test_collective_70_percent_rule(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    verdict = tap_the_ldtt(Collective("u", L.HTT, members(n, k)), Y2025)
    assert verdict.eligible is (10 * k >= 7 * n)


# --- the chain, packs, periods --------------------------------------------------------------


def test_the_chain_rating_to_titles() -> None:
    # 2026 scores → levels (NĐ 335) → LĐTT/CSTĐCS → the collective's titles.
    scores = {"a": 95, "b": 91, "c": 85, "d": 80, "e": 72, "f": 60}
    levels = {pid: rate_by_score(s, year=2026).level for pid, s in scores.items()}
    people = [Individual(pid, lv) for pid, lv in levels.items()]
    ldtts = {p.person_id for p in people if ldtt(p, Y2026).eligible}
    fighters = {
        p.person_id for p in people if cstdcs(p, Y2026, votes_for=9, council_size=11).eligible
    }
    assert ldtts == {"a", "b", "c", "d", "e"} and fighters == {"a", "b"}
    unit = Collective(
        "u",
        L.HTXS,
        tuple(
            Member(p.person_id, p.rating, p.person_id in ldtts, p.person_id in fighters)
            for p in people
        ),
    )
    assert tap_the_ldtt(unit, Y2026).eligible
    assert tap_the_ldxs(unit, Y2026).eligible  # 5/6 ≥ 70%, all ≥ HTNV, 2 CSTĐCS


@pytest.mark.parametrize(
    ("period", "version", "decree"),
    [
        pytest.param(Y2025, "2025.1", "Nghị định 152/2025/NĐ-CP", id="152-from-1-July-2025"),
        pytest.param(
            EmulationPeriod.year(2024), "2024.1", "Nghị định 98/2023/NĐ-CP", id="98-in-2024"
        ),
        pytest.param(
            EmulationPeriod(D(2025, 1, 1), D(2025, 6, 30)),
            "2024.1",
            "Nghị định 98/2023/NĐ-CP",
            id="98-H1-2025",
        ),
    ],
)
def test_the_decree_follows_the_period_end(
    period: EmulationPeriod, version: str, decree: str
) -> None:
    assert emulation_pack(period).version == version
    assert decree in ldtt(Individual("p", L.HTT), period).explanation_vi


def test_no_pack_before_the_2022_law() -> None:
    with pytest.raises(PackNotFound):
        ldtt(Individual("p", L.HTT), EmulationPeriod.year(2023))


def test_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        EmulationPeriod(D(2025, 2, 1), D(2025, 1, 1))


def test_title_labels() -> None:
    assert [t.label_vi for t in Title] == [
        "Lao động tiên tiến",
        "Chiến sĩ thi đua cơ sở",
        "Tập thể lao động tiên tiến",
        "Tập thể lao động xuất sắc",
    ]
    assert Title.CSTDCS.label_en == "Grassroots Emulation Fighter"


# --- optional CSTĐCS cap (none nationally since 01/01/2024) -----------------------------------


def cand(pid: str, votes: int, rating: Level = L.HTT, female: bool = False) -> CapCandidate:
    return CapCandidate(
        Individual(pid, rating, initiative_recognised=True, female=female), votes, 10
    )


def test_no_cap_by_default_because_91_2017_expired() -> None:
    verdict = apply_cstdcs_cap([cand("b", 8), cand("a", 9)], ldtt_count=10, period=Y2025)
    assert verdict.limit is None and verdict.selected == ("a", "b") and verdict.not_selected == ()
    assert "hết hiệu lực từ 01/01/2024" in verdict.explanation_vi
    assert emulation_pack(Y2025).parameters["cstdcs_cap_percent_of_ldtt"] is None


@pytest.mark.parametrize(
    ("pct", "ldtt_count", "limit"),
    [
        pytest.param(15, 20, 3, id="province-15pct-of-20"),
        pytest.param(15, 19, 2, id="province-15pct-of-19-floor"),
        pytest.param("12.5", 16, 2, id="province-12.5pct-of-16"),
        pytest.param(15, 6, 0, id="province-15pct-of-6-none"),
    ],
)
def test_a_province_cap_rounds_down(pct: int | str, ldtt_count: int, limit: int) -> None:
    verdict = apply_cstdcs_cap(
        [cand(c, 8) for c in "abcd"], ldtt_count=ldtt_count, period=Y2025, cap_percent=pct
    )
    assert verdict.limit == limit and len(verdict.selected) == limit


def test_cap_order_votes_then_htxs_then_women_then_id() -> None:
    pool = [
        cand("e", 8),
        cand("d", 8, female=True),
        cand("c", 8, rating=L.HTXS),
        cand("b", 9),
        cand("a", 8),
    ]
    verdict = apply_cstdcs_cap(pool, ldtt_count=20, period=Y2025, cap_percent=15)
    assert verdict.selected == ("b", "c", "d") and verdict.not_selected == ("a", "e")
    assert "không quá 15% của 20 Lao động tiên tiến, tức 3 người" in verdict.explanation_vi
