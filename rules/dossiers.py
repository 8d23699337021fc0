"""Dossier deadlines and lateness (hạn giải quyết hồ sơ thủ tục hành chính, hồ sơ trễ hạn).

The law behind it: rules/README.md, "Dossier deadlines and lateness". One dossier in
(``DossierFacts``), one explained verdict out (``DossierVerdict``);
``congvu.rules.dossiers_vector`` gives the same answers for whole columns.

How a deadline is counted
-------------------------
* Counting starts at the **effective receipt**: ``WorkingCalendar.next_working_moment`` of the
  receipt (before opening → opening, at lunch → afternoon start, after closing or on a day off →
  the next working morning), the practice of one-stop software.
* ``working_days`` (ngày làm việc, the default): the due date is the N-th working day after the
  day of effective receipt — that day is never counted (Bộ luật Dân sự 2015 Điều 147: a term in
  days starts on the following day) — **at the clock time of the effective receipt**. Received
  Fri 24/01/2025 10:00 with 5 working days → due Fri 07/02/2025 10:00 (Tết 25/01–02/02 skipped).
  This is the one-stop practice of 8 working hours = 1 day (receipt + N×8 working hours lands
  on the N-th day at the same clock time) and the convention of ``calendar.explain_due``, so the
  dossier page and ``congvu calendar due`` never disagree. The only departure from pure hour
  arithmetic is a receipt exactly at opening, which hours would finish at closing of day N-1:
  we keep day N, the Civil Code date. N = 0 ("trong ngày") is due at closing of the start day.
  Statistics compare dates only, so the clock time matters just for "due within 24 h".
* ``calendar_days`` (ngày theo lịch): start date + N days, same clock time; a last day that is a
  weekend or holiday moves to the next working day (Bộ luật Dân sự 2015 Điều 148).
* ``hours`` (giờ làm việc): N working hours added inside the unit's sessions; a term that fills
  a session exactly ends at that session's end (11:30, 17:00), not at the next opening.
* ``same_day`` (trả trong ngày): due at closing of the start day, or of the next working day when
  the effective receipt is after the per-procedure cut-off (15:00 by default, pack parameter).
* A due date given by the source system (ngày hẹn trả on the receipt slip) wins over the computed
  one; a date without a clock time (or 00:00) means closing time of that day.
* A procedure whose term restarts once the complete dossier arrives (Nghị định 297/2025/NĐ-CP
  ngày 17/11/2025; ``restarted_at``, the moment the supplement completing the dossier was
  received) counts its whole term again from that moment, as from a receipt, instead of
  adding the days waited; waits and pauses before that day no longer matter. With a due date
  from the source system (the slip's appointment), its term — the working days from the
  effective receipt to that date — counts again from the complete dossier, clock time kept.
* Waiting for supplements or a pause (chờ bổ sung, tạm dừng) is not counted against the agency:
  each interval counts the working days d with start date < d ≤ end date (the same Điều 147
  counting; the union of overlapping intervals), and the due date moves that many working days
  later, clock time kept. An interval still running at the as-of date counts up to the first
  working day on or after it, so a dossier waiting for the citizen never turns overdue.

Status and flags
----------------
Dates only, as in one-stop statistics: resolved (có kết quả, else ngày trả) before / on / after
the due date → early / on_time / late (no due date → on_time); not resolved by the as-of date →
in_progress while due ≥ as-of, else overdue. An extension (hẹn lại) never removes lateness: the
appointment date is the yardstick. Events after the as-of moment are not known yet; a plain
as-of date means the end of that day.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from typing import Any

from congvu.rules.calendar import DEFAULT_SESSIONS, DaySessions, WorkingCalendar, default_calendar
from congvu.rules.packs import RulePack, RuleRef, format_date, pack_for

__all__ = [
    "SUPPLEMENT_RESTART_BASIS",
    "TOPIC",
    "VIETNAM_TIME",
    "ApologyForm",
    "DeadlineRules",
    "DossierFacts",
    "DossierFlag",
    "DossierStatus",
    "DossierVerdict",
    "ProcessingUnit",
    "compute_due",
    "deadline_rules",
    "evaluate_dossier",
]

TOPIC = "dossier_deadlines"

# All of Vietnam has kept UTC+7 without daylight saving since 1975: a fixed offset needs no tz
# database and cannot depend on the machine's zone. It is only the default of these pure
# functions for aware moments: the service hands them naive wall-clock times in its
# configured zone (CONGVU_TIME_ZONE, see ``congvu.inspect.clock``).
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")

SUPPLEMENT_RESTART_BASIS = "Nghị định 297/2025/NĐ-CP ngày 17/11/2025"


class ProcessingUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"
    SAME_DAY = "same_day"


class DossierStatus(StrEnum):
    """Values are the codes of ``congvu dossiers --format csv``."""

    EARLY = "early"  # trước hạn
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # trễ hạn
    IN_PROGRESS = "in_progress"  # đang giải quyết, trong hạn
    OVERDUE = "overdue"  # đang giải quyết, quá hạn


class DossierFlag(StrEnum):
    APOLOGY_LATE = "APOLOGY_LATE"
    APOLOGY_MISSING = "APOLOGY_MISSING"
    DEADLINE_MOVED_EARLIER = "DEADLINE_MOVED_EARLIER"
    DEADLINE_RESET = "DEADLINE_RESET"
    DUE_WITHIN_24H = "DUE_WITHIN_24H"
    OVERDUE_IN_PROGRESS = "OVERDUE_IN_PROGRESS"
    RESOLVED_LATE = "RESOLVED_LATE"
    SECOND_EXTENSION = "SECOND_EXTENSION"


@dataclass(frozen=True, kw_only=True)
class DossierFacts:
    """What is known about one dossier. Naive datetimes are local (Vietnam) wall-clock times;
    aware ones are converted. A plain ``date`` stands for that day (``due_at``: its closing)."""

    received_at: date | datetime
    processing_time: int | None = None  # None with same_day or with a source due_at
    processing_unit: ProcessingUnit | str = ProcessingUnit.WORKING_DAYS
    same_day_cutoff: time | None = None  # None = pack default
    due_at: date | datetime | None = None  # ngày hẹn trả from the source system
    finished_at: date | datetime | None = None  # ngày có kết quả
    returned_at: date | datetime | None = None  # ngày trả kết quả (used when finished_at is None)
    apology_at: date | datetime | None = None  # văn bản/phiếu xin lỗi sent
    extensions: Sequence[date | datetime] = ()  # new return dates set (hẹn lại)
    pauses: Sequence[tuple[date | datetime, date | datetime | None]] = ()  # (start, end or None)
    due_snapshots: Sequence[tuple[date | datetime, date | datetime]] = ()  # (seen_at, due_at)
    # Complete dossier received after a supplement request, for a procedure whose term then
    # restarts from zero (NĐ 297/2025); None for the default, where the wait only pauses it.
    restarted_at: date | datetime | None = None

    def __post_init__(self) -> None:
        ProcessingUnit(self.processing_unit)  # refuses an unknown unit now, not at evaluation
        if self.processing_time is not None and self.processing_time < 0:
            raise ValueError("processing_time must be a whole number ≥ 0")


@dataclass(frozen=True)
class DossierVerdict:
    status: DossierStatus
    due_at: datetime | None  # after pauses; None when the dossier has no deadline
    working_days_late: int
    flags: tuple[str, ...]  # sorted DossierFlag codes
    due_within_24h: bool
    paused_working_days: int
    rule: RuleRef
    calendar_version: str
    explanation_vi: str
    explanation_en: str


@dataclass(frozen=True)
class ApologyForm:
    code: str
    document: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class DeadlineRules:
    """The parameters of one ``dossier_deadlines`` pack, checked."""

    pack: RulePack
    same_day_cutoff: time
    apology_working_days_before_due: int
    max_extensions: int
    apology_form: ApologyForm

    @classmethod
    def from_pack(cls, pack: RulePack) -> DeadlineRules:
        params = pack.parameters

        def count(key: str) -> int:
            value = params.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise pack.parameter_error((key,), "must be a whole number ≥ 0")
            return value

        cutoff_text: Any = params.get("same_day_cutoff")
        try:
            cutoff = time.fromisoformat(cutoff_text)
        except (TypeError, ValueError):
            raise pack.parameter_error(
                ("same_day_cutoff",), 'must be a quoted clock time, e.g. "15:00"'
            ) from None
        form: Any = params.get("apology_form")
        keys = ("code", "document", "name_vi", "name_en")
        if not hasattr(form, "get") or not all(isinstance(form.get(k), str) for k in keys):
            raise pack.parameter_error(("apology_form",), f"must give texts {', '.join(keys)}")
        return cls(
            pack=pack,
            same_day_cutoff=cutoff,
            apology_working_days_before_due=count("apology_working_days_before_due"),
            max_extensions=count("max_extensions"),
            apology_form=ApologyForm(*(form[k] for k in keys)),
        )


@functools.cache
def _rules_of(pack: RulePack) -> DeadlineRules:
    return DeadlineRules.from_pack(pack)


def deadline_rules(on: date) -> DeadlineRules:
    """The dossier deadline rules in force on ``on``."""
    return _rules_of(pack_for(TOPIC, on))


# ---------------------------------------------------------------------------------------------
# Time helpers shared with the vectorised path


def local_moment(value: date | datetime) -> datetime:
    """Naive Vietnam wall-clock time; a plain date is its midnight."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time.min)
    if value.tzinfo is None:
        return value
    return value.astimezone(VIETNAM_TIME).replace(tzinfo=None)


def source_due(value: date | datetime, sessions: DaySessions) -> datetime:
    """A due moment from a source system; exports often carry only the date (00:00)."""
    moment = local_moment(value)
    if moment.time() == time.min:
        return datetime.combine(moment.date(), sessions.afternoon_end)
    return moment


def as_of_moment(as_of: date | datetime) -> tuple[date, datetime]:
    """(day compared with due dates, last moment whose events are known)."""
    if isinstance(as_of, datetime):
        moment = local_moment(as_of)
        return moment.date(), moment
    return as_of, datetime.combine(as_of, time.max)


def _dt(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


def _hm(clock: time) -> str:
    return clock.strftime("%H:%M")


def _days_en(n: int) -> str:
    return f"{n} working day" + ("" if n == 1 else "s")


# ---------------------------------------------------------------------------------------------
# Due date


def _add_working_hours(
    cal: WorkingCalendar, start: datetime, hours: int, sessions: DaySessions
) -> datetime:
    # ``start`` is inside a session (next_working_moment); a term that fills a session exactly
    # ends at that session's end rather than at the next opening.
    remaining = timedelta(hours=hours)
    day, clock = start.date(), start.time()
    while True:
        for opens, closes in (
            (sessions.morning_start, sessions.morning_end),
            (sessions.afternoon_start, sessions.afternoon_end),
        ):
            begin = max(clock, opens)
            if begin >= closes:
                continue
            available = datetime.combine(day, closes) - datetime.combine(day, begin)
            if remaining <= available:
                return datetime.combine(day, begin) + remaining
            remaining -= available
        day, clock = cal.add_working_days(day, 1), time.min


def _due_and_start(
    received: datetime,
    processing_time: int | None,
    unit: ProcessingUnit,
    cal: WorkingCalendar,
    sessions: DaySessions,
    cutoff: time,
) -> tuple[datetime, datetime]:
    start = cal.next_working_moment(received, sessions)
    if unit is ProcessingUnit.SAME_DAY:
        day = start.date() if start.time() <= cutoff else cal.add_working_days(start.date(), 1)
        return datetime.combine(day, sessions.afternoon_end), start
    if processing_time is None or processing_time < 0:
        raise ValueError(f"processing_time must be a whole number ≥ 0 for unit {unit}")
    if unit is ProcessingUnit.HOURS:
        if processing_time == 0:
            return start, start
        return _add_working_hours(cal, start, processing_time, sessions), start
    if processing_time == 0:
        return datetime.combine(start.date(), sessions.afternoon_end), start
    if unit is ProcessingUnit.CALENDAR_DAYS:
        day = cal.add_working_days(start.date() + timedelta(days=processing_time), 0)
    else:
        day = cal.add_working_days(start.date(), processing_time)
    return datetime.combine(day, start.time()), start


def compute_due(
    received_at: date | datetime,
    processing_time: int | None,
    unit: ProcessingUnit | str = ProcessingUnit.WORKING_DAYS,
    *,
    calendar: WorkingCalendar | None = None,
    sessions: DaySessions = DEFAULT_SESSIONS,
    same_day_cutoff: time | None = None,
) -> datetime:
    """Due moment for a processing time (module docstring: how a deadline is counted)."""
    cal = calendar or default_calendar()
    received = local_moment(received_at)
    cutoff = same_day_cutoff or deadline_rules(received.date()).same_day_cutoff
    due, _ = _due_and_start(received, processing_time, ProcessingUnit(unit), cal, sessions, cutoff)
    return due


def _deadline_sentences(
    received: datetime,
    start: datetime,
    facts: DossierFacts,
    unit: ProcessingUnit,
    cutoff: time,
    due: datetime,
    restarted: bool = False,
) -> tuple[str, str]:
    n = facts.processing_time
    if unit is ProcessingUnit.SAME_DAY:
        term_vi = (
            f"giải quyết trong ngày, tiếp nhận sau {_hm(cutoff)} thì trả vào ngày làm việc"
            " tiếp theo"
        )
        term_en = f"same day, next working day when received after {_hm(cutoff)}"
    elif unit is ProcessingUnit.HOURS:
        term_vi, term_en = f"thời hạn {n} giờ làm việc", f"{n} working hours"
    elif unit is ProcessingUnit.CALENDAR_DAYS:
        term_vi = (
            f"thời hạn {n} ngày theo lịch, ngày cuối là ngày nghỉ thì chuyển sang ngày làm việc"
            " tiếp theo"
        )
        term_en = f"{n} calendar days, moved to the next working day when the last day is off"
    else:
        term_vi = f"thời hạn {n} ngày làm việc, không tính ngày tiếp nhận và ngày nghỉ"
        term_en = f"{n} working days, not counting the day of receipt or days off"
    moved_vi = moved_en = ""
    if start != received:
        moved_vi = f" (ngoài giờ làm việc, tính từ {_dt(start)})"
        moved_en = f" (outside office hours, counted from {_dt(start)})"
    event_vi, event_en = "Tiếp nhận", "Received"
    if restarted:
        event_vi = "Nhận đủ hồ sơ bổ sung, tính lại thời hạn từ đầu"
        event_en = "Complete dossier received, term counted again from zero"
    return (
        f"{event_vi} {_dt(received)}{moved_vi}; {term_vi}: hạn giải quyết {_dt(due)}.",
        f"{event_en} {_dt(received)}{moved_en}; {term_en}: due {_dt(due)}.",
    )


# ---------------------------------------------------------------------------------------------
# Verdict


def _known(value: date | datetime | None, cutoff: datetime) -> datetime | None:
    if value is None:
        return None
    moment = local_moment(value)
    return moment if moment <= cutoff else None


def _paused_working_days(
    cal: WorkingCalendar,
    pauses: Sequence[tuple[date | datetime, date | datetime | None]],
    as_of_day: date,
    cutoff: datetime,
    floor: date = date.min,
) -> int:
    """Working days waited after ``floor`` (the day the term restarted, if it did)."""
    # A still running wait counts through the next working day: on a Sunday as-of date the
    # dossier must not look overdue and then turn back to in progress on Monday.
    running_until = cal.add_working_days(as_of_day, 0)
    spans = []
    for start, end in pauses:
        begin = local_moment(start)
        if begin > cutoff:
            continue
        last = running_until if end is None else min(local_moment(end).date(), running_until)
        spans.append((max(begin.date(), floor), last))
    # Overlapping intervals (a pause inside a supplement wait) must not count a day twice.
    total, covered = 0, date.min
    for begin_day, last in sorted(spans):
        begin_day = max(begin_day, covered)
        if last > begin_day:
            total += cal.working_days_between(begin_day, last)
        covered = max(covered, last)
    return total


def _snapshot_findings(
    snapshots: Sequence[tuple[date | datetime, date | datetime]],
    cutoff: datetime,
    resolved: datetime | None,
    apology: datetime | None,
    form: ApologyForm,
) -> list[tuple[DossierFlag, str, str]]:
    """Due dates moved between successive exports (phát hiện lùi hạn): later without an
    apology or after the old date had passed unresolved → reset; earlier → moved earlier."""
    # Stable sort on the time seen only: two exports seen at the same moment keep their order.
    seen_dues = sorted(
        (
            (seen, local_moment(snap_due).date())
            for seen, snap_due in ((local_moment(s), d) for s, d in snapshots)
            if seen <= cutoff
        ),
        key=lambda snapshot: snapshot[0],
    )
    findings = []
    for (_, before_day), (seen, after_day) in itertools.pairwise(seen_dues):
        moved = (
            f"từ {format_date(before_day)} sang {format_date(after_day)}"
            f" (dữ liệu ngày {format_date(seen.date())})"
        )
        moved_en = (
            f"from {format_date(before_day)} to {format_date(after_day)}"
            f" (data of {format_date(seen.date())})"
        )
        if after_day < before_day:
            findings.append(
                (
                    DossierFlag.DEADLINE_MOVED_EARLIER,
                    f"Hạn giải quyết bị đổi sớm hơn, {moved}.",
                    f"The due date was moved earlier, {moved_en}.",
                )
            )
        elif after_day > before_day:
            was_overdue = before_day < seen.date() and (
                resolved is None or resolved.date() > before_day
            )
            if was_overdue:
                findings.append(
                    (
                        DossierFlag.DEADLINE_RESET,
                        f"Hạn giải quyết bị lùi khi hồ sơ đã quá hạn, {moved}.",
                        f"The due date was moved later after it had passed, {moved_en}.",
                    )
                )
            elif apology is None or apology > seen:
                findings.append(
                    (
                        DossierFlag.DEADLINE_RESET,
                        f"Hạn giải quyết bị lùi mà không có {form.name_vi}, {moved}.",
                        f"The due date was moved later with no {form.name_en}, {moved_en}.",
                    )
                )
    return findings


def evaluate_dossier(
    facts: DossierFacts,
    as_of: date | datetime,
    *,
    calendar: WorkingCalendar | None = None,
    sessions: DaySessions = DEFAULT_SESSIONS,
) -> DossierVerdict:
    """Status, working days late and flags of one dossier at ``as_of``, explained.

    The rule cited is the ``dossier_deadlines`` pack in force on the due date (when the
    lateness and the duty to apologise arise, so the form name is the one then in force);
    on the receipt date when there is no due date. The processing terms themselves (same-day
    cut-off) come from the pack in force on the receipt date.
    """
    cal = calendar or default_calendar()
    as_of_day, cutoff = as_of_moment(as_of)
    unit = ProcessingUnit(facts.processing_unit)
    received = local_moment(facts.received_at)
    vi: list[str] = []
    en: list[str] = []

    due: datetime | None = None
    floor = date.min  # waits on or before this day are not counted (a restarted term)
    if facts.due_at is not None:
        due = source_due(facts.due_at, sessions)
        vi.append(f"Tiếp nhận {_dt(received)}; ngày hẹn trả theo phiếu hẹn: {_dt(due)}.")
        en.append(f"Received {_dt(received)}; return date on the receipt slip: {_dt(due)}.")
        restart = _known(facts.restarted_at, cutoff)
        if restart is not None:
            # The slip's term (working days from the effective receipt to the return date)
            # counts again from the complete dossier.
            first = cal.next_working_moment(received, sessions).date()
            term = max(0, cal.working_days_between(first, due.date()))
            start = cal.next_working_moment(restart, sessions)
            due = datetime.combine(cal.add_working_days(start.date(), term), due.time())
            floor = restart.date()
            vi.append(
                f"Nhận đủ hồ sơ bổ sung {_dt(restart)}: thủ tục tính lại thời hạn từ đầu"
                f" ({SUPPLEMENT_RESTART_BASIS}), {term} ngày làm việc như phiếu hẹn tính từ"
                f" {_dt(start)}: hạn giải quyết {_dt(due)}."
            )
            en.append(
                f"Complete dossier received {_dt(restart)}: the term restarts from zero"
                f" ({SUPPLEMENT_RESTART_BASIS}), the slip's {_days_en(term)} counted from"
                f" {_dt(start)}: due {_dt(due)}."
            )
    elif facts.processing_time is not None or unit is ProcessingUnit.SAME_DAY:
        day_cutoff = facts.same_day_cutoff or deadline_rules(received.date()).same_day_cutoff
        restart = _known(facts.restarted_at, cutoff)
        if restart is not None:
            vi.append(
                f"Tiếp nhận {_dt(received)}; thủ tục tính lại thời hạn từ đầu khi nhận đủ hồ sơ"
                f" bổ sung ({SUPPLEMENT_RESTART_BASIS})."
            )
            en.append(
                f"Received {_dt(received)}; the procedure's term restarts from zero once the"
                f" complete dossier arrives ({SUPPLEMENT_RESTART_BASIS})."
            )
            floor = restart.date()
        counted_from = restart or received
        due, start = _due_and_start(
            counted_from, facts.processing_time, unit, cal, sessions, day_cutoff
        )
        sentence_vi, sentence_en = _deadline_sentences(
            counted_from, start, facts, unit, day_cutoff, due, restarted=restart is not None
        )
        vi.append(sentence_vi)
        en.append(sentence_en)
    else:
        vi.append(f"Tiếp nhận {_dt(received)}; hồ sơ không có thời hạn giải quyết.")
        en.append(f"Received {_dt(received)}; the dossier has no processing deadline.")

    paused = _paused_working_days(cal, facts.pauses, as_of_day, cutoff, floor)
    if due is not None and paused:
        due = datetime.combine(cal.add_working_days(due.date(), paused), due.time())
        vi.append(
            f"Thời gian chờ bổ sung, tạm dừng ({paused} ngày làm việc) không tính vào thời hạn:"
            f" hạn lùi đến {_dt(due)}."
        )
        en.append(
            f"{_days_en(paused)} waiting for supplements or paused not counted:"
            f" due moved to {_dt(due)}."
        )

    rules = deadline_rules(due.date() if due is not None else received.date())
    form = rules.apology_form
    flags: set[DossierFlag] = set()

    finished = facts.finished_at if facts.finished_at is not None else facts.returned_at
    resolved = _known(finished, cutoff)
    late_days = 0
    due_within_24h = False
    if resolved is not None:
        done = format_date(resolved.date())
        if due is None or resolved.date() == due.date():
            status = DossierStatus.ON_TIME
            vi.append(f"Có kết quả ngày {done}, đúng hạn.")
            en.append(f"Resolved on {done}, on time.")
        elif resolved.date() < due.date():
            status = DossierStatus.EARLY
            vi.append(f"Có kết quả ngày {done}, trước hạn.")
            en.append(f"Resolved on {done}, before the due date.")
        else:
            status = DossierStatus.LATE
            # Finished on a weekend after a Friday deadline is still one day late.
            late_days = max(1, cal.working_days_between(due.date(), resolved.date()))
            flags.add(DossierFlag.RESOLVED_LATE)
            vi.append(f"Có kết quả ngày {done}, trễ hạn {late_days} ngày làm việc.")
            en.append(f"Resolved on {done}, {_days_en(late_days)} late.")
    elif due is None or due.date() >= as_of_day:
        status = DossierStatus.IN_PROGRESS
        due_within_24h = due is not None and due <= cutoff + timedelta(hours=24)
        vi.append(f"Đến ngày {format_date(as_of_day)} đang giải quyết, trong hạn.")
        en.append(f"On {format_date(as_of_day)} in progress, within the deadline.")
        if due_within_24h:
            flags.add(DossierFlag.DUE_WITHIN_24H)
            vi.append("Sắp hết hạn: hạn giải quyết trong vòng 24 giờ.")
            en.append("Due within 24 hours.")
    else:
        status = DossierStatus.OVERDUE
        late_days = max(1, cal.working_days_between(due.date(), as_of_day))
        flags.add(DossierFlag.OVERDUE_IN_PROGRESS)
        vi.append(
            f"Đến ngày {format_date(as_of_day)} chưa có kết quả, quá hạn {late_days} ngày làm việc."
        )
        en.append(f"On {format_date(as_of_day)} not resolved, {_days_en(late_days)} overdue.")

    apology = _known(facts.apology_at, cutoff)
    if apology is None and status in (DossierStatus.LATE, DossierStatus.OVERDUE):
        flags.add(DossierFlag.APOLOGY_MISSING)
        vi.append(f"Không có {form.name_vi} ({form.code}, {form.document}).")
        en.append(f"No {form.name_en} ({form.code}, {form.document}) was sent.")
    if apology is not None and due is not None:
        before = rules.apology_working_days_before_due
        # Working days from the sending day up to, not including, the due day.
        margin = cal.working_days_between(
            apology.date() - timedelta(days=1), due.date() - timedelta(days=1)
        )
        if margin < before:
            flags.add(DossierFlag.APOLOGY_LATE)
            deadline = format_date(cal.add_working_days(due.date(), -before))
            vi.append(
                f"{form.name_vi} gửi ngày {format_date(apology.date())}, sau hạn gửi {deadline}"
                f" (chậm nhất {before} ngày làm việc trước hạn giải quyết)."
            )
            en.append(
                f"The {form.name_en} was sent on {format_date(apology.date())}, after {deadline}"
                f" ({_days_en(before)} before the due date at the latest)."
            )

    extensions = {local_moment(e).date() for e in facts.extensions}
    if len(extensions) > rules.max_extensions:
        flags.add(DossierFlag.SECOND_EXTENSION)
        vi.append(
            f"Ngày hẹn trả được đặt lại {len(extensions)} lần; chỉ được hẹn lại tối đa"
            f" {rules.max_extensions} lần."
        )
        en.append(
            f"The return date was re-set {len(extensions)} times; at most"
            f" {rules.max_extensions} re-set is allowed."
        )

    for flag, sentence_vi, sentence_en in _snapshot_findings(
        facts.due_snapshots, cutoff, resolved, apology, rules.apology_form
    ):
        flags.add(flag)
        vi.append(sentence_vi)
        en.append(sentence_en)

    rule = rules.pack.ref()
    vi.append(f"Căn cứ: {rule.legal_basis}.")
    en.append(f"Legal basis: {rule.legal_basis}.")
    return DossierVerdict(
        status=status,
        due_at=due,
        working_days_late=late_days,
        flags=tuple(sorted(flag.value for flag in flags)),
        due_within_24h=due_within_24h,
        paused_working_days=paused,
        rule=rule,
        calendar_version=cal.version,
        explanation_vi=" ".join(vi),
        explanation_en=" ".join(en),
    )
