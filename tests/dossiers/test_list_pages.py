"""The dossier list's filters and pager as a browser sends them (an empty select is
``name=``), and the flagged-dossier list a page at a time with its true count."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.settings import get_settings

from tests.conftest import login
from tests.worlds import MONDAY, World

pytestmark = pytest.mark.anyio

ZONE = get_settings().zone


async def dossiers(world: World, count: int, *, flags: str, prefix: str, late: int = 0) -> None:
    rows = []
    for n in range(count):
        received = datetime(2026, 2, 2, 8, 0, tzinfo=ZONE) + timedelta(hours=n)
        rows.append(
            Dossier(
                code=f"{prefix}-{n:04d}",
                procedure="Chứng thực chữ ký",
                sector="Chứng thực",
                unit=world.desk_a.id,
                official=world.official_a.id if n % 2 else None,
                official_name="",
                channel="direct",
                received_at=received,
                due_at=datetime.combine(date(2026, 2, 10), time(17, 0), tzinfo=ZONE),
                status="overdue" if flags else "in_progress",
                # Ties on days late, so that the pages are cut inside a run of equal keys.
                working_days_late=late + n % 3,
                flags=flags,
                evaluated_on=date(2026, 3, 2),
                updated_at=MONDAY,
            )
        )
    await Dossier.insert(*rows)


def _link(text: str, rel: str) -> str:
    return text.split(f'rel="{rel}" href="')[1].split('"')[0].replace("&amp;", "&")


async def test_empty_filters_and_the_pager_are_not_a_400(client, world: World) -> None:
    await dossiers(world, 130, flags="", prefix="L")
    await login(client, "admin")
    url = f"/dossiers/units/{world.commune_a.id}"
    # The filter form submitted with every select on "Tất cả".
    page = await client.get(f"{url}?status=&procedure=&official=&channel=&period=")
    assert page.status_code == 200
    assert "Trang 1 / 2" in page.text
    following = page.text.split('">Trang sau</a>')[0].rsplit('href="', 1)[1]
    assert "official=&" in following
    second = await client.get(url + following.replace("&amp;", "&"))
    assert second.status_code == 200 and "Trang 2 / 2" in second.text
    chosen = await client.get(f"{url}?official={world.official_a.id}&status=&page=")
    assert chosen.status_code == 200 and "(65 hồ sơ)" in chosen.text
    assert (await client.get(f"{url}?official=abc")).status_code == 400


async def test_flagged_dossiers_are_paged_with_their_true_count(client, world: World) -> None:
    await dossiers(world, 250, flags="OVERDUE_IN_PROGRESS", prefix="F", late=2)
    await dossiers(world, 5, flags="DUE_WITHIN_24H", prefix="SOON")
    await login(client, "head_a")
    unit = await client.get(f"/dossiers/units/{world.commune_a.id}")
    assert "Hồ sơ cần xem xét (250)" in unit.text

    url = f"/dossiers/units/{world.commune_a.id}/flagged"
    seen: list[str] = []
    page = await client.get(url)
    assert "250 hồ sơ · Trang 1 / 3" in page.text and 'rel="prev"' not in page.text
    pages = [page.text]
    while 'rel="next"' in page.text:
        page = await client.get(url + _link(page.text, "next"))
        assert page.status_code == 200
        pages.append(page.text)
    for text in pages:
        seen += [part.split("<")[0] for part in text.split('">F-')[1:]]
    assert len(pages) == 3 and "Trang 3 / 3" in pages[-1]
    assert len(seen) == len(set(seen)) == 250
    assert "SOON-" not in "".join(pages)
    # Most days late first, then the earliest received.
    first = [int(code) for code in seen[:100]]
    assert all(n % 3 == 2 for n in first[:83])

    back = await client.get(url + _link(pages[-1], "prev"))
    assert "Trang 2 / 3" in back.text
    assert back.text.split('">F-')[1:] == pages[1].split('">F-')[1:]
    assert (await client.get(f"{url}?after=%%%")).status_code == 400
