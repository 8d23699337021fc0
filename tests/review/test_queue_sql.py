"""The queue's flagged dossiers filtered, counted and paged in SQL (``queue_sql``) give
exactly what the Python index gives (``queue_index.entries`` cut by
``queue_view.window``, the oracle here): the same items on every page, in every order,
forwards and backwards, the same counts, cursors and deadlines, in a mixed world:
decisions that cover a dossier's faults and decisions that do not, flag strings a head
judges and flag strings they do not, missed dates around a conduct pack's first day and
around local midnight, review-deadline days missing from the table or stored from another
pack, and the head's own dossiers."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from typing import Any

import pytest
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.i18n import name_sort_key
from congvu.inspect.organisation import api as organisation
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.services import queue as review_queue
from congvu.inspect.review.services.queue_index import entries
from congvu.inspect.review.services.queue_view import (
    Matcher,
    QueueFilters,
    decode_cursor,
    encode_cursor,
    facets,
    window,
)
from congvu.inspect.review.tables import DossierDecision, ReviewDeadline
from congvu.inspect.settings import get_settings

from tests.worlds import MONDAY, ReviewWorld

pytestmark = pytest.mark.anyio

ZONE = get_settings().zone
NOW = datetime(2026, 3, 16, 9, 0, tzinfo=ZONE)  # a Monday
TODAY = NOW.date()

FLAGS = (
    "OVERDUE_IN_PROGRESS",
    "RESOLVED_LATE;APOLOGY_MISSING",
    "DUE_WITHIN_24H",  # a reminder: nobody's fault, never in the queue
    "APOLOGY_LATE;DEADLINE_MOVED_EARLIER",
    "SECOND_EXTENSION;OVERDUE_IN_PROGRESS",
    "DEADLINE_MOVED_EARLIER;RESOLVED_LATE_X",  # no fault: a flag only like a fault's
)
# Missed dates: around the 2025 conduct pack's first day, before and after today, the
# week ahead and later.
DAYS = (
    date(2025, 6, 30),
    date(2025, 7, 1),
    date(2026, 2, 12),
    date(2026, 3, 6),
    date(2026, 3, 18),
    date(2026, 4, 20),
)


async def _world(rw: ReviewWorld) -> None:
    await review.recompute_review_deadlines(today=TODAY)
    # A stale stretch (days missing, one from another pack): those are counted on the spot.
    await ReviewDeadline.delete().where(ReviewDeadline.day == date(2026, 3, 6))
    await ReviewDeadline.update({ReviewDeadline.rule_version: "old"}).where(
        ReviewDeadline.day == date(2025, 6, 30)
    )
    w = rw.world
    handlers = [
        (w.desk_a.id, w.official_a.id, ""),
        (w.commune_b.id, w.official_b.id, ""),
        (w.desk_a.id, rw.deputy.id, ""),  # deputy_a's own
        (w.commune_a.id, None, "Hoàng Văn Nam"),  # a name the import did not match
        (w.commune_b.id, None, ""),
    ]
    rows = []
    for n in range(48):
        unit, official, name = handlers[n % len(handlers)]
        day = DAYS[n % len(DAYS)]
        # Late evening and just after midnight, local time: the anchor is the local day.
        at = datetime.combine(day, time(23, 30) if n % 3 else time(0, 30), tzinfo=ZONE)
        rows.append(
            Dossier(
                code=f"MIX-{n:03d}",
                procedure="Chứng thực bản sao từ bản chính",
                sector="Chứng thực",
                unit=unit,
                official=official,
                official_name=name,
                received_at=at if n % 4 == 0 else datetime(2025, 6, 1, 8, 0, tzinfo=ZONE),
                due_at=None if n % 4 == 0 else at,
                status="overdue",
                working_days_late=3,
                flags=FLAGS[n % len(FLAGS)],
                evaluated_on=TODAY,
                updated_at=MONDAY,
            )
        )
    await Dossier.insert(*rows)
    ids = [r["id"] for r in await Dossier.select(Dossier.id).order_by(Dossier.id)]
    # Earlier decisions: on the same family (covered), on another family (still open).
    decisions = [
        (ids[0], "RESOLVED_LATE"),  # OVERDUE_IN_PROGRESS: the same family, covered
        (ids[1], "APOLOGY_LATE"),  # RESOLVED_LATE;APOLOGY_MISSING: lateness still open
        (ids[7], "OVERDUE_IN_PROGRESS"),  # the same flags, both families judged …
        (ids[7], "APOLOGY_MISSING"),  # … over two decisions: covered
        (ids[4], "RESOLVED_LATE"),  # SECOND_EXTENSION;OVERDUE_IN_PROGRESS: new date open
        (ids[9], "DEADLINE_RESET"),  # APOLOGY_LATE;…: the apology still open
        (ids[2], "OVERDUE_IN_PROGRESS"),  # DUE_WITHIN_24H: not in the queue either way
    ]
    for n, (dossier, flags) in enumerate(decisions):
        await DossierDecision.insert(
            DossierDecision(
                key=f"{dossier}:{flags}:{n}",
                dossier=dossier,
                flags=flags,
                outcome="dismissed",
                decided_at=MONDAY,
            )
        )
    admin = await rw.actor("admin")
    for n in range(6):
        official = w.official_a if n % 2 == 0 else w.official_b
        inspection = rw.inspection_a if n % 2 == 0 else rw.inspection_b
        finding = await rw.finding(official, "LATE_ARRIVAL", inspection=inspection)
        await review.transition(admin, finding, Command("notify"), now=MONDAY)
    # Findings counted in groups (``queue_findings``): observed on either side of the first
    # conduct pack's first day at local midnight (serious before, minor from it, though
    # both are the same UTC day), one outside the catalogue, one not notified (no
    # deadline), one explained (the review's deadline).
    for moment, code in (
        (datetime(2018, 12, 31, 23, 30, tzinfo=ZONE), "LATE_ARRIVAL"),
        (datetime(2019, 1, 1, 0, 30, tzinfo=ZONE), "LATE_ARRIVAL"),
        (datetime(2026, 3, 9, 8, 0, tzinfo=ZONE), "NOT_IN_THE_CATALOGUE"),
    ):
        finding = await rw.finding(w.official_b, code, observed_at=moment)
        await review.transition(admin, finding, Command("notify"), now=MONDAY)
    await rw.finding(w.official_a, "LATE_ARRIVAL")
    explained = await rw.finding(w.official_a, "LATE_ARRIVAL", inspection=rw.inspection_a)
    await review.transition(admin, explained, Command("notify"), now=MONDAY)
    await review.transition(
        await rw.actor("official_a"),
        explained,
        Command("explain", explanation="Tắc đường."),
        now=MONDAY,
    )


async def _oracle(rw: ReviewWorld, username: str, filters: QueueFilters, **cursor: Any) -> Any:
    actor = await rw.actor(username)
    everything = await entries(actor, now=NOW)
    units = await organisation.visible_units(actor)
    matcher = Matcher(filters, {u.id: u.path for u in units}, TODAY)
    classified = matcher.classify(everything)
    matching = [e for e, (_, misses) in zip(everything, classified, strict=True) if not misses]
    cut = window(
        matching,
        filters,
        decode_cursor(cursor.get("after"), filters, "after"),
        decode_cursor(cursor.get("before"), filters, "before"),
    )
    names = {e.official_id: e.official_name for e in everything if e.official_id}
    return cut, facets(Counter(classified), names, units), len(everything)


async def _same(rw: ReviewWorld, username: str, filters: QueueFilters, **cursor: Any) -> Any:
    page = await review_queue.queue_page(await rw.actor(username), filters, now=NOW, **cursor)
    cut, expected_facets, in_scope = await _oracle(rw, username, filters, **cursor)
    assert [(i.kind, i.id, i.deadline) for i in page.items] == [
        (e.kind, e.id, e.deadline) for e in cut.entries
    ]
    assert (page.total, page.number, page.pages, page.first, page.in_scope) == (
        cut.total,
        cut.number,
        cut.pages,
        cut.start + 1,
        in_scope,
    )
    assert page.next_cursor == (cut.next_key and encode_cursor(filters, cut.next_key))
    assert page.previous_cursor == (cut.previous_key and encode_cursor(filters, cut.previous_key))
    assert page.facets == expected_facets
    return page


async def _walk(rw: ReviewWorld, username: str, filters: QueueFilters) -> int:
    """Every page forwards, then back from the last; the number of pages seen."""
    page = await _same(rw, username, filters)
    seen = 1
    while page.next_cursor is not None:
        page = await _same(rw, username, filters, after=page.next_cursor)
        seen += 1
    while page.previous_cursor is not None:
        page = await _same(rw, username, filters, before=page.previous_cursor)
    return seen


@pytest.mark.parametrize("sort", ["deadline", "-deadline", "unit", "-official", "official"])
async def test_every_page_in_each_order_is_the_pythons(rw: ReviewWorld, sort: str) -> None:
    await _world(rw)
    assert await _walk(rw, "admin", QueueFilters.parse(sort=sort, size="10")) >= 3
    # 48 dossiers, 16 of them with no fault, two covered by earlier decisions; 11 findings.
    page = await _same(rw, "admin", QueueFilters.parse(sort=sort, size="10"))
    assert {o.value: o.count for o in page.facets["kind"]} == {"finding": 11, "dossier": 30}
    # Both sides of the pack's first day, a code outside the catalogue, no deadline yet.
    assert {o.value: o.count for o in page.facets["severity"]}["serious"] >= 2
    assert {o.value: o.count for o in page.facets["due"]}["none"] == 1


async def test_the_other_orders_and_the_heads_own_dossiers(rw: ReviewWorld) -> None:
    await _world(rw)
    for sort in ("severity", "-severity", "kind", "-unit"):
        await _walk(rw, "admin", QueueFilters.parse(sort=sort, size="10"))
    # deputy_a's own dossiers are not in their queue, in the SQL stream as in Python.
    await _walk(rw, "deputy_a", QueueFilters.parse(size="10"))
    await _walk(rw, "deputy_a", QueueFilters.parse(sort="-official", size="10"))


async def test_filters_and_their_counts_are_the_pythons(rw: ReviewWorld) -> None:
    await _world(rw)
    w = rw.world
    for params in (
        {"due": "overdue"},
        {"due": "week"},
        {"due": "later", "sort": "official"},
        {"due": "none"},
        {"official": str(w.official_a.id)},
        {"unit": str(w.commune_b.id), "sort": "-deadline"},
        {"unit": str(w.commune_a.id), "severity": "serious"},
        {"severity": "minor"},
        {"kind": "dossier", "state": "dossier_flagged"},
        {"kind": "finding"},
        {"state": "notified"},
    ):
        await _walk(rw, "admin", QueueFilters.parse(size="10", **params))


async def test_a_cursor_between_items_and_one_past_the_end(rw: ReviewWorld) -> None:
    await _world(rw)
    filters = QueueFilters.parse(sort="official", size="10")
    first = await _same(rw, "admin", filters)
    # An item decided while the head reads: the cursor names a place no item holds.
    await Dossier.update({Dossier.flags: "DUE_WITHIN_24H"}).where(Dossier.id == first.items[-1].id)
    page = await _same(rw, "admin", filters, after=first.next_cursor)
    await _same(rw, "admin", filters, before=page.previous_cursor)
    # A name between two officials' and one after everybody's.
    for name in ("Lê Văn Đ", "Ư"):
        for mark in ("after", "before"):
            key = (False, name_sort_key(name), False, TODAY.toordinal(), "", 0)
            cursor = encode_cursor(filters, key)
            await _same(rw, "admin", filters, **{mark: cursor})
