"""Working hours (thời giờ làm việc): seasonal schedules and attendance verdicts at a spot check.

The provincial People's Committee fixes the clock times, often a summer and a winter schedule
(rules/README.md, "Working hours"); a unit's schedule is a :class:`SeasonalSchedule`. What a
check team saw (có mặt lúc, về lúc, vắng mặt, nghỉ phép / đi công tác) is judged against the
``working_hours`` pack in force on the day of the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from congvu.rules.calendar import (
    DEFAULT_SESSIONS,
    WEEKDAY_VI,
    DaySessions,
    WorkingCalendar,
    default_calendar,
)
from congvu.rules.packs import RulePack, RuleRef, format_date, pack_for

__all__ = [
    "Absent",
    "AttendanceStatus",
    "AttendanceVerdict",
    "AwayApproved",
    "AwayKind",
    "LeftAt",
    "NoSeasonForDate",
    "Observation",
    "OutsideHours",
    "PresentAt",
    "Season",
    "SeasonalSchedule",
    "judge_attendance",
    "outside_working_day",
    "outside_working_hours",
]

MonthDay = tuple[int, int]


def _check_month_day(md: MonthDay) -> None:
    month, day = md
    date(2000, month, day)  # a leap year, so 29/02 is a valid season boundary


@dataclass(frozen=True)
class Season:
    """A named period of the year (mùa hè, mùa đông) with its hours; bounds are inclusive.

    A season whose end comes before its start wraps the year end (e.g. 16/10 → 15/04).
    """

    name_vi: str
    start_month_day: MonthDay
    end_month_day: MonthDay
    sessions: DaySessions

    def __post_init__(self) -> None:
        _check_month_day(self.start_month_day)
        _check_month_day(self.end_month_day)

    def covers(self, d: date) -> bool:
        md = (d.month, d.day)
        if self.start_month_day <= self.end_month_day:
            return self.start_month_day <= md <= self.end_month_day
        return md >= self.start_month_day or md <= self.end_month_day


class NoSeasonForDate(LookupError):
    """The unit's schedule has no season for the date asked."""


@dataclass(frozen=True, init=False)  # own __init__: accepts any sequence, checks overlaps
class SeasonalSchedule:
    """A unit's hours through the year; seasons must not overlap (gaps are allowed but fail
    at lookup, so a missing winter schedule is noticed rather than guessed)."""

    seasons: tuple[Season, ...]

    def __init__(self, seasons: Sequence[Season]) -> None:
        object.__setattr__(self, "seasons", tuple(seasons))
        for k in range(366):  # every day of a leap year, 29/02 included
            day = date(2000, 1, 1) + timedelta(days=k)
            covering = [s.name_vi for s in self.seasons if s.covers(day)]
            if len(covering) > 1:
                raise ValueError(
                    f"seasons {' and '.join(covering)} overlap on {day.strftime('%d/%m')}"
                )

    @classmethod
    def all_year(cls, sessions: DaySessions, name_vi: str = "Cả năm") -> SeasonalSchedule:
        return cls([Season(name_vi, (1, 1), (12, 31), sessions)])

    def season_on(self, d: date) -> Season:
        for season in self.seasons:
            if season.covers(d):
                return season
        raise NoSeasonForDate(f"no working-hours season covers {format_date(d)}")

    def sessions_on(self, d: date) -> DaySessions:
        return self.season_on(d).sessions

    def sessions_or_default(self, d: date) -> DaySessions:
        """``sessions_on``, or the national default (QĐ 188/1999/QĐ-TTg) on a day no season
        covers: a gap in a unit's seasons is theirs to fix, and must not stop a spot check
        or an import, so the lenient default judges meanwhile."""
        try:
            return self.sessions_on(d)
        except NoSeasonForDate:
            return DEFAULT_SESSIONS


# --- observations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PresentAt:
    """Có mặt lúc HH:MM — the arrival time the team recorded."""

    at: time


@dataclass(frozen=True)
class LeftAt:
    """Rời cơ quan lúc HH:MM — a departure before closing time is early leave (về sớm)."""

    at: time


@dataclass(frozen=True)
class Absent:
    """Vắng mặt at the time of the check, no approved leave shown."""


class AwayKind(StrEnum):
    LEAVE = "nghỉ phép"
    BUSINESS_TRIP = "đi công tác"


_AWAY_EN = {AwayKind.LEAVE: "approved leave", AwayKind.BUSINESS_TRIP: "business trip"}


@dataclass(frozen=True)
class AwayApproved:
    """Away with approval (nghỉ phép, đi công tác) and the reason given."""

    kind: AwayKind
    reason: str


Observation = PresentAt | LeftAt | Absent | AwayApproved


class AttendanceStatus(StrEnum):
    ON_TIME = "ON_TIME"
    LATE = "LATE"
    LEFT_EARLY = "LEFT_EARLY"
    ABSENT_NO_PERMISSION = "ABSENT_NO_PERMISSION"
    AWAY_APPROVED = "AWAY_APPROVED"
    # Not a working day, or a moment outside the unit's sessions: nobody is due at the desk.
    NOT_ON_DUTY = "NOT_ON_DUTY"


# Conduct catalogue codes (congvu.rules.conduct) for the statuses that are violations.
_VIOLATION = {
    AttendanceStatus.LATE: "LATE_ARRIVAL",
    AttendanceStatus.LEFT_EARLY: "EARLY_LEAVE",
    AttendanceStatus.ABSENT_NO_PERMISSION: "ABSENT_NO_PERMISSION",
}


@dataclass(frozen=True)
class AttendanceVerdict:
    status: AttendanceStatus
    minutes: int  # minutes late / early (0 when not applicable)
    violation_code: str | None
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def _hm(t: time) -> str:
    return t.strftime("%H:%M")


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _in_session(moment: time, sessions: DaySessions) -> bool:
    return (
        sessions.morning_start <= moment < sessions.morning_end
        or sessions.afternoon_start <= moment < sessions.afternoon_end
    )


def judge_attendance(
    observation: Observation,
    sessions: DaySessions,
    checked_at: datetime,
    pack: RulePack | None = None,
    calendar: WorkingCalendar | None = None,
) -> AttendanceVerdict:
    """Verdict on one observation at a spot check (kiểm tra đột xuất / theo kế hoạch).

    On a day that is not a working day (weekend, holiday, a swapped day off; a make-up
    Saturday is a working day) nobody is on duty, and nothing is judged. An arrival is
    compared with the start of the session it belongs to: before the morning ends, the
    morning's start, whenever the check took place; later, the afternoon's. A departure is
    compared with the end of the session it interrupts. Absence counts only at a moment
    inside a session: before opening, in the lunch break or after closing nobody is due at
    the desk. Minutes count whole clock minutes; a delay within the pack's
    ``grace_minutes`` is on time, beyond it the full delay is reported. ``pack`` defaults
    to the ``working_hours`` pack in force on the day of the check, ``calendar`` to the
    Vietnamese working-day calendar.
    """
    if pack is None:
        pack = pack_for("working_hours", checked_at.date())
    if pack.topic != "working_hours" or not pack.covers(checked_at.date()):
        raise ValueError(
            f"pack {pack.id} {pack.version} ({pack.validity()}) is not the working_hours pack"
            f" in force on {format_date(checked_at.date())}"
        )
    grace = pack.parameters.get("grace_minutes", 0)
    if not isinstance(grace, int) or isinstance(grace, bool) or grace < 0:
        raise pack.parameter_error(("grace_minutes",), "must be a whole number of minutes ≥ 0")
    rule = pack.ref()

    def verdict(status: AttendanceStatus, minutes: int, vi: str, en: str) -> AttendanceVerdict:
        return AttendanceVerdict(status, minutes, _VIOLATION.get(status), rule, vi, en)

    day = checked_at.date()
    calendar = calendar or default_calendar()
    if not calendar.is_working_day(day):
        reason = calendar.holiday_name(day) or WEEKDAY_VI[day.weekday()]
        return verdict(
            AttendanceStatus.NOT_ON_DUTY,
            0,
            f"{format_date(day)} ({reason}) không phải ngày làm việc: không xét giờ giấc",
            f"{format_date(day)} ({reason}) is not a working day: attendance is not judged",
        )

    def timing(
        delay: int, late: AttendanceStatus, vi: str, en: str, word_vi: str, word_en: str
    ) -> AttendanceVerdict:
        if delay <= 0:
            return verdict(AttendanceStatus.ON_TIME, 0, f"{vi}, đúng giờ", f"{en}, on time")
        if delay <= grace:
            return verdict(
                AttendanceStatus.ON_TIME,
                0,
                f"{vi}, {word_vi} {delay} phút, trong {grace} phút cho phép",
                f"{en}, {delay} minutes {word_en}, within the {grace}-minute grace period",
            )
        vi_grace = f" (quá {grace} phút cho phép)" if grace else ""
        en_grace = f" (beyond the {grace}-minute grace period)" if grace else ""
        return verdict(
            late,
            delay,
            f"{vi}, {word_vi} {delay} phút{vi_grace}",
            f"{en}, {delay} minutes {word_en}{en_grace}",
        )

    match observation:
        case PresentAt(at=arrival):
            afternoon = arrival >= sessions.morning_end
            start = sessions.afternoon_start if afternoon else sessions.morning_start
            return timing(
                _minutes(arrival) - _minutes(start),
                AttendanceStatus.LATE,
                f"Có mặt lúc {_hm(arrival)}, giờ làm việc bắt đầu {_hm(start)}",
                f"Present at {_hm(arrival)}, working hours start at {_hm(start)}",
                "muộn",
                "late",
            )
        case LeftAt(at=departure):
            # Leaving during the lunch break is judged against the morning's end.
            if departure < sessions.afternoon_start:
                end = sessions.morning_end
            else:
                end = sessions.afternoon_end
            return timing(
                _minutes(end) - _minutes(departure),
                AttendanceStatus.LEFT_EARLY,
                f"Rời cơ quan lúc {_hm(departure)}, giờ làm việc kết thúc {_hm(end)}",
                f"Left at {_hm(departure)}, working hours end at {_hm(end)}",
                "về sớm",
                "early",
            )
        case Absent():
            when = checked_at.strftime("%H:%M %d/%m/%Y")
            if not _in_session(checked_at.time(), sessions):
                return verdict(
                    AttendanceStatus.NOT_ON_DUTY,
                    0,
                    f"Lúc kiểm tra {when} ngoài giờ làm việc ({sessions}): vắng mặt không"
                    " phải vi phạm",
                    f"The check at {when} was outside working hours ({sessions}): absence"
                    " is not a violation",
                )
            return verdict(
                AttendanceStatus.ABSENT_NO_PERMISSION,
                0,
                f"Vắng mặt lúc kiểm tra {when}, không có lý do được chấp thuận",
                f"Absent at the check at {when} without approved leave",
            )
        case AwayApproved(kind=kind, reason=reason):
            return verdict(
                AttendanceStatus.AWAY_APPROVED,
                0,
                f"Vắng mặt có phép ({kind.value}): {reason}",
                f"Away with approval ({_AWAY_EN[kind]}): {reason}",
            )
    raise TypeError(f"not an attendance observation: {observation!r}")


# --- when a check may be held -----------------------------------------------------------------


@dataclass(frozen=True)
class OutsideHours:
    """Why a day or a moment is outside the unit's working time. A check may still be held
    then (an evening duty, a weekend one-stop shift), but it judges nobody by the clock and
    the team records why it went ahead, so a reviewer can tell a mistake from a choice."""

    explanation_vi: str
    explanation_en: str


def outside_working_day(day: date, calendar: WorkingCalendar | None = None) -> OutsideHours | None:
    """The reason ``day`` is not a working day (a weekend, a holiday, a swapped day off), or
    None on a working day (a make-up Saturday included)."""
    calendar = calendar or default_calendar()
    if calendar.is_working_day(day):
        return None
    reason = calendar.holiday_name(day) or WEEKDAY_VI[day.weekday()]
    return OutsideHours(
        f"{format_date(day)} ({reason}) không phải ngày làm việc",
        f"{format_date(day)} ({reason}) is not a working day",
    )


def outside_working_hours(
    at: datetime, sessions: DaySessions, calendar: WorkingCalendar | None = None
) -> OutsideHours | None:
    """Why the local moment ``at`` is outside working time: not a working day, before
    opening, in the lunch break or after closing; None inside a session."""
    day_off = outside_working_day(at.date(), calendar)
    if day_off is not None:
        return day_off
    moment = at.time()
    if _in_session(moment, sessions):
        return None
    when = f"{_hm(moment)} ngày {format_date(at.date())}"
    when_en = f"{_hm(moment)} on {format_date(at.date())}"
    if moment < sessions.morning_start:
        return OutsideHours(
            f"{when} trước giờ làm việc (bắt đầu {_hm(sessions.morning_start)})",
            f"{when_en} is before opening ({_hm(sessions.morning_start)})",
        )
    if moment < sessions.afternoon_start:
        lunch = f"{_hm(sessions.morning_end)}–{_hm(sessions.afternoon_start)}"
        return OutsideHours(
            f"{when} trong giờ nghỉ trưa ({lunch})",
            f"{when_en} is in the lunch break ({lunch})",
        )
    return OutsideHours(
        f"{when} sau giờ làm việc (kết thúc {_hm(sessions.afternoon_end)})",
        f"{when_en} is after closing ({_hm(sessions.afternoon_end)})",
    )
