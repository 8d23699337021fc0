"""Hội đồng thi đua – khen thưởng: the council session's quorum and secret-ballot tally.

Luật Thi đua, khen thưởng 06/2022/QH15; NĐ 98/2023/NĐ-CP Art. 30.7 (to 30/06/2025) set the
numbers; from 01/07/2025 NĐ 152/2025/NĐ-CP Art. 6.2.c delegates the procedure of base-level
titles to each province, so they are the settings of the pack ``emulation`` (or a provincial
pack): a quorum of at least 2/3 of **all** members present, CSTĐCS approved by at least 80% of
**all** members (not of those present), higher titles (CSTĐ cấp tỉnh, Bằng khen) by at least
90%, and the written votes of absent members counting as ballots.

A ballot is secret: only counts per candidate and title are entered (đồng ý, không đồng ý,
không hợp lệ), never who voted how.

**A member's own candidacy** (no text settles it; the choice is written in rules/README.md):
the member recuses, so for that candidate and title the member is neither a voter nor a
member — out of the ballots allowed and out of the denominator. The law's "tổng số thành
viên Hội đồng" is then the members entitled to vote on that item; counting the candidate in
the denominator would make them a certain "no" on their own name. ``cstdcs`` receives that
denominator as ``council_size``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from math import ceil
from typing import Any

from congvu.rules.emulation import EmulationPeriod, Reason, emulation_pack


class Attendance(StrEnum):
    PRESENT = "present"  # có mặt
    WRITTEN = "written"  # vắng mặt, có phiếu bầu gửi Hội đồng
    ABSENT = "absent"  # vắng mặt, không có phiếu

    @property
    def label_vi(self) -> str:
        return _ATTENDANCE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _ATTENDANCE_LABELS[self][1]


_ATTENDANCE_LABELS = {
    Attendance.PRESENT: ("Có mặt", "Present"),
    Attendance.WRITTEN: ("Vắng mặt, có phiếu bằng văn bản", "Absent, written vote"),
    Attendance.ABSENT: ("Vắng mặt", "Absent"),
}


class VoteTitle(StrEnum):
    """The titles a council votes on: CSTĐCS at the base threshold, the others higher."""

    CSTDCS = "CSTDCS"
    CSTD_TINH = "CSTD_TINH"
    BANG_KHEN = "BANG_KHEN"

    @property
    def label_vi(self) -> str:
        return _VOTE_TITLE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _VOTE_TITLE_LABELS[self][1]


_VOTE_TITLE_LABELS = {
    VoteTitle.CSTDCS: ("Chiến sĩ thi đua cơ sở", "Grassroots Emulation Fighter"),
    VoteTitle.CSTD_TINH: ("Chiến sĩ thi đua cấp tỉnh", "Provincial Emulation Fighter"),
    VoteTitle.BANG_KHEN: ("Bằng khen", "Certificate of Merit"),
}


class TallyError(ValueError):
    """Counts that cannot come out of the ballot box; ``message_vi`` is for the form."""

    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi


@dataclass(frozen=True)
class CouncilSettings:
    """``quorum``: the share of all members who must be present; percents of all members."""

    quorum: Fraction
    cstdcs_percent: Fraction
    higher_percent: Fraction
    written_votes_count: bool

    def percent_for(self, title: VoteTitle) -> Fraction:
        return self.cstdcs_percent if title is VoteTitle.CSTDCS else self.higher_percent

    def as_json(self) -> dict[str, Any]:
        return {
            "council_quorum": str(self.quorum),
            "cstdcs_vote_percent": str(self.cstdcs_percent),
            "higher_title_vote_percent": str(self.higher_percent),
            "council_written_votes_count": self.written_votes_count,
        }


def council_settings(
    period: EmulationPeriod, overrides: Mapping[str, Any] | None = None
) -> CouncilSettings:
    """The pack's settings for the period, each one replaced by ``overrides`` when given
    (the what-if, or a settings snapshot frozen with a locked session)."""
    values = {**emulation_pack(period).parameters, **(overrides or {})}
    settings = CouncilSettings(
        quorum=Fraction(str(values["council_quorum"])),
        cstdcs_percent=Fraction(str(values["cstdcs_vote_percent"])),
        higher_percent=Fraction(str(values["higher_title_vote_percent"])),
        written_votes_count=bool(values["council_written_votes_count"]),
    )
    if not 0 < settings.quorum <= 1:
        raise ValueError(f"quorum {settings.quorum} is not a share of the members")
    for pct in (settings.cstdcs_percent, settings.higher_percent):
        if not 0 < pct <= 100:
            raise ValueError(f"vote threshold {pct}% is not a percentage")
    return settings


@dataclass(frozen=True)
class Seat:
    """A council member and how they took part in the session."""

    person_id: str
    attendance: Attendance


@dataclass(frozen=True)
class Quorum:
    members: int
    present: int
    required: int
    met: bool
    explanation_vi: str
    explanation_en: str


def _pct(value: Fraction) -> str:
    """80 -> "80"; 200/3 -> "66,67" (Vietnamese decimal comma)."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".replace(".", ",")


def quorum(seats: Sequence[Seat], settings: CouncilSettings) -> Quorum:
    """Members present in person against ``quorum`` of all members; written votes are
    ballots, not attendance."""
    members = len(seats)
    present = sum(1 for s in seats if s.attendance is Attendance.PRESENT)
    required = ceil(settings.quorum * members)
    met = members > 0 and present >= required
    share = _pct(settings.quorum * 100)
    status_vi = "đủ" if met else "chưa đủ"
    status_en = "met" if met else "not met"
    return Quorum(
        members=members,
        present=present,
        required=required,
        met=met,
        explanation_vi=(
            f"Có mặt {present}/{members} thành viên, cần ít nhất {required} "
            f"(≥ {share}% tổng số thành viên): {status_vi} điều kiện họp."
        ),
        explanation_en=(
            f"{present}/{members} members present, at least {required} needed "
            f"(≥ {share}% of all members): quorum {status_en}."
        ),
    )


@dataclass(frozen=True)
class Tally:
    """Kết quả kiểm phiếu for one candidate and title: counts only."""

    in_favour: int
    against: int
    invalid: int = 0

    @property
    def ballots(self) -> int:
        return self.in_favour + self.against + self.invalid


@dataclass(frozen=True)
class BallotVerdict:
    """``voters``: the denominator (all members, less a recused candidate); ``needed``: the
    fewest votes in favour that pass; ``passed`` is the vote alone, before the criteria."""

    title: VoteTitle
    candidate_id: str
    voters: int
    ballots_allowed: int
    votes_for: int
    needed: int
    percent: Fraction
    passed: bool
    recused: bool
    reasons: tuple[Reason, ...]
    explanation_vi: str
    explanation_en: str


def ballots_allowed(seats: Sequence[Seat], candidate_id: str, settings: CouncilSettings) -> int:
    """Members present, plus written votes when they count, less the candidate."""
    kinds = {Attendance.PRESENT}
    if settings.written_votes_count:
        kinds.add(Attendance.WRITTEN)
    return sum(1 for s in seats if s.person_id != candidate_id and s.attendance in kinds)


def ballot(
    title: VoteTitle,
    candidate_id: str,
    seats: Sequence[Seat],
    tally: Tally,
    settings: CouncilSettings,
) -> BallotVerdict:
    """The vote on one candidate for one title. Raises ``TallyError`` on counts that cannot
    be (negative, or more ballots than members present plus written votes)."""
    if min(tally.in_favour, tally.against, tally.invalid) < 0:
        raise TallyError("Số phiếu không được âm.")
    recused = any(s.person_id == candidate_id for s in seats)
    voters = len(seats) - (1 if recused else 0)
    if voters < 1:
        raise TallyError("Hội đồng không có thành viên nào được bỏ phiếu cho người này.")
    allowed = ballots_allowed(seats, candidate_id, settings)
    if tally.ballots > allowed:
        raise TallyError(
            f"Tổng số phiếu ({tally.ballots}) nhiều hơn số thành viên được bỏ phiếu "
            f"có mặt hoặc gửi phiếu ({allowed})."
        )
    percent = settings.percent_for(title)
    needed = ceil(percent * voters / 100)
    passed = tally.in_favour >= needed
    share = _pct(Fraction(100 * tally.in_favour, voters))
    vi = (
        f"{title.label_vi}: {tally.in_favour}/{voters} thành viên đồng ý ({share}%), cần ít "
        f"nhất {needed} (≥ {_pct(percent)}% tổng số thành viên): "
        + ("đạt" if passed else "không đạt")
    )
    en = (
        f"{title.label_en}: {tally.in_favour}/{voters} members in favour ({share}%), at least "
        f"{needed} needed (≥ {_pct(percent)}% of all members): "
        + ("passed" if passed else "not passed")
    )
    if recused:
        vi += (
            "; người được đề nghị là thành viên Hội đồng nên không bỏ phiếu cho mình và "
            "không tính vào tổng số"
        )
        en += "; the candidate is a member, so neither votes on nor counts towards their own item"
    return BallotVerdict(
        title=title,
        candidate_id=candidate_id,
        voters=voters,
        ballots_allowed=allowed,
        votes_for=tally.in_favour,
        needed=needed,
        percent=percent,
        passed=passed,
        recused=recused,
        reasons=() if passed else (Reason.VOTE_TOO_LOW,),
        explanation_vi=vi + ".",
        explanation_en=en + ".",
    )
