"""The council's quorum and tally (rules/council.py), by hand-computed tables: 15 members,
12 in favour = 80% passes and 11 = 73,3% fails; 19 members, 15 = 78,9% fails and 16 = 84,2%
passes; a member's own candidacy leaves them out of the ballots and of the denominator."""

from __future__ import annotations

from fractions import Fraction

import pytest
from congvu.rules.council import (
    Attendance,
    Seat,
    Tally,
    TallyError,
    VoteTitle,
    ballot,
    ballots_allowed,
    council_settings,
    quorum,
)
from congvu.rules.emulation import EmulationPeriod, Individual, Reason, cstdcs
from congvu.rules.rating import Level

Y2025 = EmulationPeriod.year(2025)
P, W, A = Attendance.PRESENT, Attendance.WRITTEN, Attendance.ABSENT
SETTINGS = council_settings(Y2025)


def seats(present: int, written: int = 0, absent: int = 0) -> tuple[Seat, ...]:
    kinds = [P] * present + [W] * written + [A] * absent
    return tuple(Seat(f"m{i}", k) for i, k in enumerate(kinds, start=1))


def test_the_pack_defaults() -> None:
    assert SETTINGS.quorum == Fraction(2, 3)
    assert SETTINGS.cstdcs_percent == 80 and SETTINGS.higher_percent == 90
    assert SETTINGS.written_votes_count is True
    assert SETTINGS.percent_for(VoteTitle.CSTDCS) == 80
    assert SETTINGS.percent_for(VoteTitle.BANG_KHEN) == 90
    assert SETTINGS.as_json() == {
        "council_quorum": "2/3",
        "cstdcs_vote_percent": "80",
        "higher_title_vote_percent": "90",
        "council_written_votes_count": True,
    }
    # The 2024 pack (NĐ 98/2023 Art. 30.7) carries the same numbers.
    assert council_settings(EmulationPeriod.year(2024)) == SETTINGS


def test_overrides_and_bad_settings() -> None:
    s = council_settings(Y2025, {"cstdcs_vote_percent": "75", "council_quorum": "1/2"})
    assert s.cstdcs_percent == 75 and s.quorum == Fraction(1, 2)
    with pytest.raises(ValueError, match="quorum"):
        council_settings(Y2025, {"council_quorum": "3/2"})
    with pytest.raises(ValueError, match="percentage"):
        council_settings(Y2025, {"higher_title_vote_percent": 0})


@pytest.mark.parametrize(
    ("present", "written", "absent", "required", "met"),
    [
        (10, 0, 5, 10, True),  # 15 members: 2/3 = 10 exactly
        (9, 1, 5, 10, False),  # a written vote is a ballot, not attendance
        (13, 0, 6, 13, True),  # 19 members: 2/3 × 19 = 12,67 → 13
        (12, 2, 5, 13, False),
        (2, 0, 1, 2, True),
    ],
)
def test_quorum(present: int, written: int, absent: int, required: int, met: bool) -> None:
    q = quorum(seats(present, written, absent), SETTINGS)
    assert (q.required, q.met, q.present) == (required, met, present)
    assert f"Có mặt {present}/{present + written + absent}" in q.explanation_vi
    assert ("chưa đủ" in q.explanation_vi) is (not met)
    assert ("not met" in q.explanation_en) is (not met)


def test_an_empty_council_has_no_quorum() -> None:
    assert not quorum((), SETTINGS).met


@pytest.mark.parametrize(
    ("present", "written", "absent", "in_favour", "needed", "passed", "share"),
    [
        (15, 0, 0, 12, 12, True, "80"),  # 12/15 = 80%
        (15, 0, 0, 11, 12, False, "73,33"),  # 11/15 = 73,3%
        (19, 0, 0, 15, 16, False, "78,95"),  # 15/19 = 78,9%
        (19, 0, 0, 16, 16, True, "84,21"),  # 16/19 = 84,2%
        # Absent members count in the denominator whether or not they voted in writing.
        (11, 2, 2, 12, 12, True, "80"),
        (13, 0, 2, 11, 12, False, "73,33"),
    ],
)
def test_cstdcs_threshold_is_of_all_members(
    present: int, written: int, absent: int, in_favour: int, needed: int, passed: bool, share: str
) -> None:
    roll = seats(present, written, absent)
    tally = Tally(in_favour, present + written - in_favour)
    v = ballot(VoteTitle.CSTDCS, "c", roll, tally, SETTINGS)
    assert (v.voters, v.needed, v.passed, v.recused) == (len(roll), needed, passed, False)
    assert v.reasons == (() if passed else (Reason.VOTE_TOO_LOW,))
    assert f"{in_favour}/{len(roll)} thành viên đồng ý ({share}%)" in v.explanation_vi
    assert ("không đạt" in v.explanation_vi) is (not passed)
    assert ("not passed" in v.explanation_en) is (not passed)
    # The existing CSTĐCS verdict agrees with the ballot on the same numbers.
    person = Individual("c", Level.HTXS)
    verdict = cstdcs(person, Y2025, votes_for=in_favour, council_size=v.voters)
    assert verdict.eligible is passed


@pytest.mark.parametrize(("in_favour", "passed"), [(13, False), (14, True)])
def test_higher_titles_need_90_percent(in_favour: int, passed: bool) -> None:
    # 15 members: 90% = 13,5 → 14.
    v = ballot(VoteTitle.BANG_KHEN, "c", seats(15), Tally(in_favour, 15 - in_favour), SETTINGS)
    assert (v.needed, v.passed) == (14, passed)
    assert "Bằng khen" in v.explanation_vi and "≥ 90%" in v.explanation_vi


def test_a_member_never_counts_on_their_own_candidacy() -> None:
    roll = seats(15)  # m1..m15, all present; m3 is proposed
    assert ballots_allowed(roll, "m3", SETTINGS) == 14
    with pytest.raises(TallyError, match=r"\(15\).*\(14\)"):
        ballot(VoteTitle.CSTDCS, "m3", roll, Tally(15, 0), SETTINGS)
    # 14 voters: 80% = 11,2 → 12 needed; 12/14 = 85,7% passes, 11/14 = 78,6% fails.
    ok = ballot(VoteTitle.CSTDCS, "m3", roll, Tally(12, 2), SETTINGS)
    assert (ok.voters, ok.needed, ok.passed, ok.recused) == (14, 12, True, True)
    assert "không tính vào tổng số" in ok.explanation_vi
    assert "their own item" in ok.explanation_en
    low = ballot(VoteTitle.CSTDCS, "m3", roll, Tally(11, 3), SETTINGS)
    assert not low.passed and low.reasons == (Reason.VOTE_TOO_LOW,)
    assert cstdcs(Individual("m3", Level.HTXS), Y2025, votes_for=12, council_size=14).eligible


def test_written_votes_count_unless_the_province_says_otherwise() -> None:
    roll = seats(10, written=3, absent=2)
    assert ballots_allowed(roll, "c", SETTINGS) == 13
    assert ballot(VoteTitle.CSTDCS, "c", roll, Tally(12, 1), SETTINGS).passed
    no_written = council_settings(Y2025, {"council_written_votes_count": False})
    assert ballots_allowed(roll, "c", no_written) == 10
    with pytest.raises(TallyError, match="nhiều hơn"):
        ballot(VoteTitle.CSTDCS, "c", roll, Tally(12, 1), no_written)


@pytest.mark.parametrize("tally", [Tally(-1, 0), Tally(0, -1), Tally(0, 0, -1)])
def test_negative_counts_are_refused(tally: Tally) -> None:
    with pytest.raises(TallyError, match="âm"):
        ballot(VoteTitle.CSTDCS, "c", seats(5), tally, SETTINGS)


def test_invalid_ballots_count_towards_the_box_not_the_approval() -> None:
    v = ballot(VoteTitle.CSTDCS, "c", seats(5), Tally(4, 0, 1), SETTINGS)
    assert v.passed and v.needed == 4
    with pytest.raises(TallyError):
        ballot(VoteTitle.CSTDCS, "c", seats(5), Tally(4, 1, 1), SETTINGS)


def test_a_council_of_only_the_candidate_cannot_vote() -> None:
    with pytest.raises(TallyError, match="không có thành viên"):
        ballot(VoteTitle.CSTDCS, "m1", seats(1), Tally(0, 0), SETTINGS)


def test_a_province_threshold_reaches_the_cstdcs_verdict() -> None:
    person = Individual("c", Level.HTXS)
    assert not cstdcs(person, Y2025, votes_for=11, council_size=15).eligible
    lowered = cstdcs(person, Y2025, votes_for=11, council_size=15, vote_percent="70")
    assert lowered.eligible and "cần ≥ 70%" in lowered.explanation_vi


def test_labels() -> None:
    assert VoteTitle.CSTD_TINH.label_vi == "Chiến sĩ thi đua cấp tỉnh"
    assert VoteTitle.CSTDCS.label_en == "Grassroots Emulation Fighter"
    assert W.label_vi == "Vắng mặt, có phiếu bằng văn bản" and A.label_en == "Absent"
