"""Vietnamese working-day calendar (lịch ngày làm việc) for public bodies.

Non-working days = Saturday and Sunday (QĐ 188/1999/QĐ-TTg Điều 1) + public holidays and
swap days from the ``holidays`` package (country VN: Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9,
nghỉ bù, hoán đổi ngày làm việc) + one override file per year in ``rules/calendars/``
(``vn-2026.yaml``) for what the package lags behind or what a province decides::

    year: 2026
    revision: 1
    extra_holidays:        # also renames a package holiday when the date is already one
      - {date: 2026-11-24, name_vi: "Ngày Văn hóa Việt Nam"}
    extra_working_days:    # make-up days (ngày làm bù), even on a Saturday
      - {date: 2026-08-22, name_vi: "Làm bù cho ngày 31/08/2026"}
    remove_holidays:       # a package holiday that public bodies do not take
      - {date: 2026-11-24, note: "Bộ luật Lao động chưa sửa Điều 112"}

A government announcement that comes between releases (an extra day off, a swapped working
Saturday) is entered by an administrator and reaches this module as ``Announcement`` entries
with the revision of the stored list: ``WorkingCalendar(announcements=..., revision=...)``
applies them on top of the files, so the module stays free of any storage.

Every result can be traced to ``WorkingCalendar.version``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays
from congvu.rules.packs import Checker, PackError, format_date, package_texts, parse_yaml

__all__ = [
    "DEFAULT_SESSIONS",
    "WEEKDAY_EN",
    "WEEKDAY_VI",
    "Announcement",
    "DaySessions",
    "DueExplanation",
    "WorkingCalendar",
    "default_calendar",
    "explain_due",
    "install_calendar",
    "shipped_calendar",
]

WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAKE_UP_DAY_VI = "Ngày làm bù"


@dataclass(frozen=True)
class DaySessions:
    """A unit's working hours on one day: morning and afternoon (buổi sáng, buổi chiều)."""

    morning_start: time
    morning_end: time
    afternoon_start: time
    afternoon_end: time

    def __post_init__(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValueError(f"working sessions out of order: {self}")

    def __str__(self) -> str:
        def hm(t: time) -> str:
            return t.strftime("%H:%M")

        return (
            f"{hm(self.morning_start)}–{hm(self.morning_end)}, "
            f"{hm(self.afternoon_start)}–{hm(self.afternoon_end)}"
        )


# Used only when a unit has no schedule of its own. The provincial schedules listed in
# rules/README.md ("Working hours") mostly open at 07:30 (Nghệ An winter, Thái Nguyên, Bắc
# Giang, Phú Yên, Hà Tĩnh) and work 13:30–17:00 in the afternoon. Of the common hours we take
# the latest openings and the earliest lunch break, so a default never makes anyone late, or
# early before lunch, who kept their own unit's hours (this totals 7.5 h, not the 8 h of
# QĐ 188/1999: leniency wins for a fallback). Its 17:00 close is the common one, later than
# the 16:30 of some winter schedules: such a unit needs its own schedule entered.
DEFAULT_SESSIONS = DaySessions(time(7, 30), time(11, 30), time(13, 30), time(17, 0))


@dataclass(frozen=True)
class Announcement:
    """One day a government announcement changes (thông báo nghỉ lễ, hoán đổi ngày làm
    việc): a day off (``working`` False) or a working day (True, e.g. a Saturday worked in
    exchange), with its name and the document that says so."""

    day: date
    working: bool
    name_vi: str
    document: str


@dataclass(frozen=True)
class _Override:
    source: str
    year: int
    revision: int
    extra_holidays: tuple[tuple[date, str, int], ...]  # (date, name, line)
    extra_working_days: tuple[tuple[date, str, int], ...]
    remove_holidays: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class _Year:
    off: Mapping[date, str]  # holidays and swap days, with names
    make_up: Mapping[date, str]  # weekend days that are working days


def _parse_override(text: str, source: str) -> _Override:
    data, lines = parse_yaml(text, source)
    check = Checker(source, lines)
    doc = check.mapping(
        data,
        (),
        ("year", "revision"),
        ("note", "extra_holidays", "extra_working_days", "remove_holidays"),
    )
    year = doc["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise check.error(("year",), "year must be a number, e.g. year: 2026")
    revision = doc["revision"]
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
        raise check.error(("revision",), "revision must be a whole number ≥ 1")

    def entries(key: str, required: tuple[str, ...], optional: tuple[str, ...]) -> list[Any]:
        items = doc.get(key) or []
        if not isinstance(items, list):
            raise check.error((key,), f"{key} must be a list")
        out = []
        for i, item in enumerate(items):
            entry = check.mapping(item, (key, i), required, optional)
            day = check.day(entry["date"], (key, i, "date"))
            if day.year != year:
                raise check.error((key, i, "date"), f"{format_date(day)} is not in {year}")
            name = check.text(entry.get("name_vi"), (key, i, "name_vi"), optional=True)
            check.text(entry.get("note"), (key, i, "note"), optional=True)
            out.append((day, name, lines[(key, i)]))
        return out

    extra = entries("extra_holidays", ("date", "name_vi"), ("note",))
    working = entries("extra_working_days", ("date",), ("name_vi", "note"))
    removed = entries("remove_holidays", ("date",), ("note",))
    seen: dict[date, int] = {}
    for day, _, line in [*extra, *working, *removed]:
        if day in seen:
            raise PackError(
                f"{source} line {line}: {format_date(day)} is already overridden"
                f" on line {seen[day]}"
            )
        seen[day] = line
    return _Override(
        source=source,
        year=year,
        revision=revision,
        extra_holidays=tuple((d, str(n), ln) for d, n, ln in extra),
        extra_working_days=tuple((d, n or MAKE_UP_DAY_VI, ln) for d, n, ln in working),
        remove_holidays=tuple((d, ln) for d, _, ln in removed),
    )


class WorkingCalendar:
    """Working days of Vietnamese public bodies.

    ``overrides`` maps file names to override YAML texts; ``None`` = the files shipped in
    ``rules/calendars/``. Invalid or stale overrides (removing a holiday the package does not
    have, a make-up day that is already a working day) fail here, naming file and line.
    """

    def __init__(
        self,
        overrides: Mapping[str, str] | None = None,
        *,
        announcements: Sequence[Announcement] = (),
        revision: int | None = None,
    ) -> None:
        """``announcements`` apply after the files, in order (a later entry for the same day
        wins); ``revision`` is the stored list's revision, part of ``version``."""
        if announcements and revision is None:
            raise ValueError("announcements need the revision of the list they come from")
        self._announcements: dict[int, list[Announcement]] = {}
        for a in announcements:
            self._announcements.setdefault(a.day.year, []).append(a)
        if overrides is None:
            overrides = package_texts("calendars")
        self._overrides: dict[int, _Override] = {}
        for source, text in overrides.items():
            override = _parse_override(text, source)
            if override.year in self._overrides:
                raise PackError(
                    f"{source} line 1: a second override for {override.year}"
                    f" (also {self._overrides[override.year].source})"
                )
            self._overrides[override.year] = override
        self._years: dict[int, _Year] = {}
        suffix = "".join(f"+vn-{y}.{o.revision}" for y, o in sorted(self._overrides.items()))
        if revision is not None:
            suffix += f"+announcements.{revision}"
        self.version = f"holidays-{holidays.__version__}{suffix}"
        for year in {*self._overrides, *self._announcements}:
            self._year(year)  # validate eagerly, not at the first deadline of that year

    def _year(self, year: int) -> _Year:
        if year not in self._years:
            self._years[year] = self._build_year(year)
        return self._years[year]

    def _build_year(self, year: int) -> _Year:
        package = holidays.VN(years=year, language="vi")
        off = {d: str(name) for d, name in package.items() if d.year == year}
        make_up = {d: MAKE_UP_DAY_VI for d in package.weekend_workdays if d.year == year}
        for day in make_up:
            # The package names the day off "Ngày nghỉ (thay cho ngày 22/08/2026)"; name the
            # make-up day after its day off so the pair reads back from either side.
            swapped = [off_day for off_day, name in off.items() if format_date(day) in name]
            if swapped:
                make_up[day] = f"Làm bù cho ngày nghỉ {format_date(swapped[0])}"
        override = self._overrides.get(year)
        if override is not None:
            where = override.source
            for day, line in override.remove_holidays:
                if off.pop(day, None) is None:
                    raise PackError(
                        f"{where} line {line}: {format_date(day)} is not a holiday in"
                        f" holidays {holidays.__version__}; nothing to remove"
                    )
            for day, name, _ in override.extra_holidays:
                make_up.pop(day, None)
                off[day] = name
            for day, name, line in override.extra_working_days:
                if day.weekday() < 5 and day not in off:
                    raise PackError(
                        f"{where} line {line}: {format_date(day)} is already a working day"
                    )
                off.pop(day, None)
                make_up[day] = name
        for a in self._announcements.get(year, ()):
            if a.working:
                if a.day.weekday() < 5 and a.day not in off:
                    raise PackError(f"{a.document}: {format_date(a.day)} is already a working day")
                off.pop(a.day, None)
                make_up[a.day] = a.name_vi
            else:
                make_up.pop(a.day, None)
                off[a.day] = a.name_vi
        return _Year(off=dict(sorted(off.items())), make_up=dict(sorted(make_up.items())))

    def is_working_day(self, d: date) -> bool:
        table = self._year(d.year)
        if d in table.off:
            return False
        return d in table.make_up or d.weekday() < 5

    def holiday_name(self, d: date) -> str | None:
        """Why ``d`` is not a working day (Vietnamese), or None when it is one."""
        table = self._year(d.year)
        if d in table.off:
            return table.off[d]
        if d in table.make_up or d.weekday() < 5:
            return None
        return WEEKDAY_VI[d.weekday()]

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (start itself not counted).

        ``n == 0`` gives ``start`` if it is a working day, else the next working day; a negative
        ``n`` counts backwards (the |n|-th working day before ``start``).
        """
        d = start
        if n == 0:
            while not self.is_working_day(d):
                d += timedelta(days=1)
            return d
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end; the negative count when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        days = (end - start).days
        return sum(self.is_working_day(start + timedelta(days=k)) for k in range(1, days + 1))

    def next_working_moment(self, at: datetime, sessions: DaySessions) -> datetime:
        """The first moment at or after ``at`` inside working hours.

        Before opening → opening; at lunch → afternoon start; after closing or on a non-working
        day → the next working morning (practice of one-stop software; rules/README.md,
        "Dossier deadlines and lateness").
        Times are naive local wall-clock times; an aware datetime is refused rather than
        silently mixed with local session times.
        """
        if at.tzinfo is not None:
            raise ValueError("next_working_moment expects a naive local datetime")
        day, clock = at.date(), at.time()
        if self.is_working_day(day):
            if clock < sessions.morning_start:
                return datetime.combine(day, sessions.morning_start)
            if clock < sessions.morning_end:
                return at
            if clock < sessions.afternoon_start:
                return datetime.combine(day, sessions.afternoon_start)
            if clock < sessions.afternoon_end:
                return at
        return datetime.combine(self.add_working_days(day, 1), sessions.morning_start)

    def non_working_days(self, year: int) -> list[tuple[date, str]]:
        """Holidays and swap days of ``year`` with their names (ordinary weekends left out)."""
        return list(self._year(year).off.items())

    def make_up_days(self, year: int) -> list[tuple[date, str]]:
        """Weekend days of ``year`` that are working days (ngày làm bù)."""
        return list(self._year(year).make_up.items())


@functools.cache
def shipped_calendar() -> WorkingCalendar:
    """The calendar of the package and the override files alone."""
    return WorkingCalendar()


# The calendar with the stored announcements, once a caller has installed one: this
# module reads no storage; the service installs what it read (and replaces it when the
# stored list's revision changes).
_installed: list[WorkingCalendar] = []


def install_calendar(calendar: WorkingCalendar | None) -> None:
    """Make ``calendar`` what ``default_calendar`` answers in this process; None goes back
    to the shipped calendar."""
    _installed[:] = [] if calendar is None else [calendar]


def default_calendar() -> WorkingCalendar:
    """The installed calendar, else the shipped one."""
    return _installed[0] if _installed else shipped_calendar()


@dataclass(frozen=True)
class DueExplanation:
    """How a due date was counted, for people (CLI, dossier page) to check by hand."""

    received: datetime
    start: datetime
    working_days: int
    due: datetime
    counted_days: tuple[date, ...]
    skipped: tuple[tuple[date, str], ...]  # non-working days from receipt to due date, with reasons
    calendar_version: str
    explanation_vi: str
    explanation_en: str


def explain_due(
    received: datetime,
    working_days: int,
    sessions: DaySessions = DEFAULT_SESSIONS,
    calendar: WorkingCalendar | None = None,
) -> DueExplanation:
    """Due moment for a processing time in working days (ngày làm việc), with the counting shown.

    Counting starts at the next working moment after receipt (after closing → next working
    morning, as one-stop software counts); that day is not counted, as a term starts the day
    after the event (Bộ luật Dân sự 2015 Điều 147), so the due date is the n-th working day
    after it. The due
    time repeats the start's clock time (8 working hours = 1 day in one-stop software); zero
    days ("trong ngày") is due at closing time of the start day.
    """
    if working_days < 0:
        raise ValueError("working_days must be 0 or more")
    cal = calendar or default_calendar()
    start = cal.next_working_moment(received, sessions)
    counted: list[date] = []
    day = start.date()
    for _ in range(working_days):
        day = cal.add_working_days(day, 1)
        counted.append(day)
    if counted:
        due = datetime.combine(counted[-1], start.time())
    else:
        due = datetime.combine(start.date(), sessions.afternoon_end)
    skipped = []
    day = received.date()
    while day <= due.date():
        reason = cal.holiday_name(day)
        if reason is not None:
            skipped.append((day, reason))
        day += timedelta(days=1)

    def dt(moment: datetime) -> str:
        return moment.strftime("%d/%m/%Y %H:%M")

    return DueExplanation(
        received=received,
        start=start,
        working_days=working_days,
        due=due,
        counted_days=tuple(counted),
        skipped=tuple(skipped),
        calendar_version=cal.version,
        explanation_vi=(
            f"Nhận lúc {dt(received)}, bắt đầu tính từ {dt(start)}, cộng {working_days} ngày"
            f" làm việc (bỏ qua {len(skipped)} ngày nghỉ): hạn {dt(due)}"
        ),
        explanation_en=(
            f"Received {dt(received)}, counted from {dt(start)}, plus {working_days} working"
            f" days ({len(skipped)} non-working days skipped): due {dt(due)}"
        ),
    )
