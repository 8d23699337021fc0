"""The head's queue at real volume: keyset pages, filters that combine and count, empty
select values meaning "any", and a constant number of queries whatever the page size."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.errors import Invalid
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.services import queue as review_queue
from congvu.inspect.review.services.queue_view import QueueFilters, due_bucket
from congvu.inspect.review.tables import FindingReview
from congvu.inspect.settings import get_settings

from tests.conftest import csrf, login
from tests.worlds import MONDAY, ReviewWorld

pytestmark = pytest.mark.anyio

ZONE = get_settings().zone
NOW = datetime(2026, 3, 16, 9, 0, tzinfo=ZONE)  # a Monday


async def flagged(rw: ReviewWorld, count: int, *, prefix: str = "D", start: int = 0) -> None:
    """``count`` overdue dossiers, half handled by official A (commune A's desk), half by
    official B (commune B), their missed dates spread over February and March 2026."""
    rows = []
    for n in range(start, start + count):
        a = n % 2 == 0
        due = date(2026, 2, 2) + timedelta(days=n % 45)
        rows.append(
            Dossier(
                code=f"{prefix}-{n:05d}",
                procedure="Chứng thực bản sao từ bản chính",
                sector="Chứng thực",
                unit=(rw.world.desk_a if a else rw.world.commune_b).id,
                official=(rw.world.official_a if a else rw.world.official_b).id,
                official_name="",
                received_at=datetime(2026, 1, 26, 8, 0, tzinfo=ZONE),
                due_at=datetime.combine(due, time(17, 0), tzinfo=ZONE),
                status="overdue",
                working_days_late=3,
                flags="OVERDUE_IN_PROGRESS",
                evaluated_on=date(2026, 3, 16),
                updated_at=MONDAY,
            )
        )
    await Dossier.insert(*rows)


async def notified_findings(rw: ReviewWorld, count: int) -> list[int]:
    admin = await rw.actor("admin")
    ids = []
    for n in range(count):
        official = rw.world.official_a if n % 2 == 0 else rw.world.official_b
        inspection = rw.inspection_a if n % 2 == 0 else rw.inspection_b
        finding = await rw.finding(official, "LATE_ARRIVAL", inspection=inspection)
        await review.transition(admin, finding, Command("notify"), now=MONDAY)
        ids.append(finding)
    return ids


async def _page(rw: ReviewWorld, username: str = "admin", **params: str) -> Any:
    filters = QueueFilters.parse(
        **{k: v for k, v in params.items() if k not in ("after", "before")}
    )
    return await review_queue.queue_page(
        await rw.actor(username),
        filters,
        after=params.get("after"),
        before=params.get("before"),
        now=NOW,
    )


def _keys(page: Any) -> list[tuple[str, int]]:
    return [(i.kind.value, i.id) for i in page.items]


async def test_keyset_pages_walk_the_whole_queue_forward_and_back(rw: ReviewWorld) -> None:
    await flagged(rw, 33)
    await notified_findings(rw, 4)
    everything = [
        (i.kind.value, i.id) for i in await review_queue.queue(await rw.actor("admin"), now=NOW)
    ]
    assert len(everything) == 37

    seen: list[list[tuple[str, int]]] = []
    page = await _page(rw, size="10")
    assert (page.number, page.pages, page.total, page.previous_cursor) == (1, 4, 37, None)
    while True:
        seen.append(_keys(page))
        if page.next_cursor is None:
            break
        page = await _page(rw, size="10", after=page.next_cursor)
    assert [len(p) for p in seen] == [10, 10, 10, 7]
    assert [k for p in seen for k in p] == everything
    assert page.number == 4

    back = await _page(rw, size="10", before=page.previous_cursor)
    assert _keys(back) == seen[2] and back.number == 3


async def test_an_item_decided_on_page_one_does_not_shift_page_two(rw: ReviewWorld) -> None:
    await flagged(rw, 25)
    first = await _page(rw, size="10")
    second = _keys(await _page(rw, size="10", after=first.next_cursor))
    admin = await rw.actor("admin")
    decided = [i.id for i in first.items[:3]]
    results = await review_queue.bulk(admin, [], "dismiss", "Dữ liệu xuất sai ngày hẹn.", decided)
    assert all(r.ok for r in results)
    # An OFFSET would now start page 2 three items later; the cursor names the item.
    assert _keys(await _page(rw, size="10", after=first.next_cursor)) == second


async def test_filters_combine_and_each_value_is_counted(rw: ReviewWorld) -> None:
    await flagged(rw, 20)
    await notified_findings(rw, 6)
    official_b = str(rw.world.official_b.id)

    page = await _page(rw, official=official_b, kind="dossier", size="100")
    assert page.total == 10 == len(page.items)
    assert {i.official_name for i in page.items} == {"Lê Văn Đức"}
    assert {i.kind.value for i in page.items} == {"dossier"}
    assert page.in_scope == 26
    # Each filter's counts are those of the other filters chosen.
    kinds = {o.value: o.count for o in page.facets["kind"]}
    assert kinds == {"finding": 3, "dossier": 10}
    officials = {o.label: o.count for o in page.facets["official"]}
    assert officials == {"Nguyễn Thị Lan": 10, "Lê Văn Đức": 10}
    units = {o.label: o.count for o in page.facets["unit"]}
    assert units["Tỉnh Thử Nghiệm"] == 10 and units["Xã Bình Minh"] == 10
    assert units["Phường An Hòa"] == 0
    states = {o.value: o.count for o in page.facets["state"]}
    assert states["dossier_flagged"] == 10 and states["notified"] == 0

    unit_a = str(rw.world.commune_a.id)
    in_a = await _page(rw, unit=unit_a, state="notified", size="100")
    assert in_a.total == 3
    assert {i.unit_name for i in in_a.items} == {"Phường An Hòa"}
    everything = await review_queue.queue(await rw.actor("admin"), now=NOW)
    late = [i for i in everything if i.deadline is not None and i.deadline < NOW.date()]
    overdue = await _page(rw, due="overdue", size="100")
    assert 0 < overdue.total == len(late)
    assert {(i.kind, i.id) for i in overdue.items} == {(i.kind, i.id) for i in late}


async def test_empty_values_mean_any_and_bad_values_are_400(rw: ReviewWorld) -> None:
    await flagged(rw, 3)
    blank = await _page(
        rw, kind="", unit="", official="", state="", severity="", due="", sort="", size=""
    )
    assert blank.total == 3
    with pytest.raises(Invalid) as refused:
        await _page(rw, official="abc")
    assert refused.value.field == "official"
    with pytest.raises(Invalid):
        await _page(rw, unit=str(rw.world.commune_a.id), username="head_b")
    with pytest.raises(Invalid):
        await _page(rw, due="tomorrow")


def test_review_deadlines_fall_in_buckets() -> None:
    monday = date(2026, 3, 16)
    assert due_bucket(None, monday) == "none"
    assert due_bucket(date(2026, 3, 13), monday) == "overdue"
    assert due_bucket(monday, monday) == "week"
    assert due_bucket(date(2026, 3, 22), monday) == "week"  # Sunday
    assert due_bucket(date(2026, 3, 23), monday) == "later"


async def test_a_page_costs_the_same_queries_whatever_its_size(
    rw: ReviewWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    await flagged(rw, 150)
    findings = await notified_findings(rw, 6)
    admin = await rw.actor("admin")
    official = await rw.actor("official_a")
    await review.transition(
        official, findings[0], Command("explain", explanation="Tắc đường."), now=MONDAY
    )
    await review.transition(admin, findings[1], Command("waive", reason="Ốm."), now=MONDAY)
    await review.transition(admin, findings[1], Command("confirm", reason="Đúng."), now=MONDAY)
    assert await FindingReview.count().where(FindingReview.outcome == "confirmed") == 1

    engine = type(FindingReview._meta.db)
    run = engine.run_querystring
    count = 0

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        return await run(self, *args, **kwargs)

    async def queries(call: Callable[[], Awaitable[Any]]) -> tuple[int, Any]:
        nonlocal count
        count = 0
        monkeypatch.setattr(engine, "run_querystring", counted)
        try:
            result = await call()
        finally:
            monkeypatch.setattr(engine, "run_querystring", run)
        return count, result

    # Findings first ("-kind"): each page holds both kinds, with explanations and history.
    small, ten = await queries(lambda: _page(rw, sort="-kind", size="10"))
    large, hundred = await queries(lambda: _page(rw, sort="-kind", size="100"))
    assert {i.kind.value for i in ten.items} == {i.kind.value for i in hundred.items}
    assert len(ten.items) == 10 and len(hundred.items) == 100
    assert any(i.kind.value == "finding" and i.explanations for i in ten.items)
    assert small == large


async def test_the_page_filters_pages_and_highlights_overdue(client, rw: ReviewWorld) -> None:
    await flagged(rw, 30)
    await login(client, "admin")
    official_b = rw.world.official_b.id
    # The filter form as a browser sends it: every empty select as "name=".
    page = await client.get(
        f"/review?kind=&unit=&official={official_b}&state=&severity=&due=&size=10&sort="
    )
    assert page.status_code == 200
    assert "Trang 1 / 2" in page.text
    assert page.text.count('class="queue-item kind-dossier overdue"') == 10
    assert f'<option value="{official_b}" selected>Lê Văn Đức (15)</option>' in page.text
    following = page.text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    query = parse_qs(urlsplit(following).query)
    assert query["official"] == [str(official_b)] and "after" in query
    second = await client.get(following)
    assert second.status_code == 200 and "Trang 2 / 2" in second.text
    assert second.text.count('class="queue-item kind-dossier overdue"') == 5
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text

    everything = await client.get("/review?official=&size=")
    assert everything.status_code == 200 and "Trang 1 / 2" in everything.text
    assert (await client.get("/review?official=x")).status_code == 400


async def test_bulk_from_a_filtered_page_shows_that_page_again(client, rw: ReviewWorld) -> None:
    await flagged(rw, 12)
    await login(client, "admin")
    page = await client.get(f"/review?official={rw.world.official_a.id}&size=10")
    ids = [int(p.split('"')[0]) for p in page.text.split('name="dossier_ids" value="')[1:3]]
    done = await client.post(
        "/review/bulk",
        data={
            "action": "dismiss",
            "reason": "Trùng hồ sơ.",
            "dossier_ids": [str(i) for i in ids],
            "official": str(rw.world.official_a.id),
            "size": "10",
        },
        headers=csrf(client),
    )
    assert done.status_code == 200
    assert done.text.count("Đã bỏ qua cảnh báo") >= 2
    assert "Trang 1 / 1" in done.text  # 6 of official A's dossiers, 4 left after the two
    assert done.text.count('class="queue-item kind-dossier') == 4


async def test_the_json_queue_pages_with_link_headers(client, rw: ReviewWorld) -> None:
    await flagged(rw, 12)
    await login(client, "admin")
    first = await client.get("/api/v1/findings/queue?size=10&official=&kind=dossier")
    assert first.status_code == 200
    assert len(first.json()) == 10 and first.headers["x-total-count"] == "12"
    link = first.headers["link"]
    assert 'rel="next"' in link and 'rel="prev"' not in link
    second = await client.get(link.split(">")[0].lstrip("<"))
    assert len(second.json()) == 2 and 'rel="prev"' in second.headers["link"]
    codes = [i["code"] for i in first.json() + second.json()]
    assert len(set(codes)) == 12
