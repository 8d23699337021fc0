"""Hạn xem xét hồ sơ trễ hạn, stored: the review deadline of a late dossier depends only
on the local day its fault arose, so it is kept per day (``ReviewDeadline``) for every day
a flagged dossier can have, from the first rule pack to a few years ahead. The queue reads
it instead of counting working days item by item, and SQL can sort and filter on it.

It is kept right by ``recompute_review_deadlines``: after a calendar announcement (a
holiday moved, a swap day added: rules/README.md, "Working-day calendar") from the first
day the change touches, and when a new review pack comes into force. A day the table does
not hold, or holds from another pack than today's, is counted on the spot
(``review_deadline``), so a stale table gives late answers, never wrong ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from congvu.inspect import db
from congvu.inspect.review.tables import ReviewDeadline
from congvu.rules import review as rules
from congvu.rules.calendar import default_calendar

# The first day a fault can have arisen on (the oldest dossier rule pack) and how far ahead
# of today the table reaches: a flagged dossier's missed date lies in the past, a promised
# date a little ahead at most.
FIRST_DAY = date(2019, 1, 1)
HORIZON = timedelta(days=3 * 366)
# Four parameters a row; PostgreSQL takes at most 32,767 a statement.
_BATCH = 2000


def review_deadline(anchor: date, today: date) -> date:
    """The head has the review pack's review window from the missed date, as for a finding
    whose explanation window has closed (the lateness itself is the established fact)."""
    window = rules.windows(today).review_working_days
    return default_calendar().add_working_days(anchor, window)


async def recompute_review_deadlines(since: date | None = None, *, today: date) -> int:
    """Count again, and store, the review deadline of every day from ``since`` (default:
    the first) to the horizon after ``today``, with the review pack in force ``today``;
    the number of days written. One transaction: the queue never sees half a table."""
    first = max(since or FIRST_DAY, FIRST_DAY)
    last = today + HORIZON
    rule = rules.windows(today).rule
    rows = []
    day = first
    while day <= last:
        rows.append(
            ReviewDeadline(
                day=day,
                due=review_deadline(day, today),
                rule_id=rule.id,
                rule_version=rule.version,
            )
        )
        day += timedelta(days=1)
    async with db.atomic():
        await ReviewDeadline.delete().where(ReviewDeadline.day >= first)
        for start in range(0, len(rows), _BATCH):
            await ReviewDeadline.insert(*rows[start : start + _BATCH])
    return len(rows)


async def stored_deadlines(days: Iterable[date], today: date) -> dict[date, date]:
    """The review deadline of each of ``days``: stored, or counted when the table has no
    row for the day from today's review pack. One query."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    rule = rules.windows(today).rule
    found = {
        r["day"]: r["due"]
        for r in await ReviewDeadline.select(ReviewDeadline.day, ReviewDeadline.due).where(
            ReviewDeadline.day >= wanted[0],
            ReviewDeadline.day <= wanted[-1],
            ReviewDeadline.rule_id == rule.id,
            ReviewDeadline.rule_version == rule.version,
        )
    }
    return {d: found[d] if d in found else review_deadline(d, today) for d in wanted}
