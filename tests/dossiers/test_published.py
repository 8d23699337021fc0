"""Giá trị công bố: the 766 values an official copies from the national portal for a
unit's quarter. Entered through the service or the unit page's form, replaced in place,
audited with what they replaced, refused with the reason beside the field, and shown
beside the estimates (which keep saying "ước tính")."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.dossiers.tables import PublishedIndex
from congvu.inspect.errors import Forbidden, Invalid, NotFound
from congvu.inspect.periods import report_scheme
from congvu.rules.periods import PeriodKind, period_of

from tests.conftest import csrf, login
from tests.dossiers.conftest import HEADER, actor, run_import, write
from tests.screen_text import visible_text
from tests.worlds import World

pytestmark = pytest.mark.anyio

ACTION = "published_index_recorded"
SOURCE = "Cổng DVCQG, tra cứu ngày 05/10/2026"


def _quarter(day: date) -> str:
    return period_of(day, PeriodKind.QUARTER, report_scheme()).name


# A quarter long finished, and one that has not begun.
PAST = _quarter(clock.today() - timedelta(days=200))
FUTURE = _quarter(clock.today() + timedelta(days=200))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _events() -> list[dict[str, Any]]:
    rows = (
        await AuditEvent.select(
            AuditEvent.actor_username, AuditEvent.object_id, AuditEvent.before, AuditEvent.after
        )
        .where(AuditEvent.action == ACTION)
        .order_by(AuditEvent.id)
    )
    return [{**r, "before": _json(r["before"]), "after": _json(r["after"])} for r in rows]


@pytest.fixture
async def head_a(world: World) -> Actor:
    return await actor(world, "head_a")


async def test_an_entry_is_replaced_in_place_and_audited_with_old_and_new(
    world: World, head_a: Actor
) -> None:
    first = await dossiers.record_published(
        head_a, world.commune_a.id, PAST.lower(), "92,4", "61,0", f"  {SOURCE} "
    )
    assert (first.period, first.timeliness, first.online, first.source) == (
        PAST,
        92.4,
        61.0,
        SOURCE,
    )
    assert first.entered_by == world.users["head_a"].display_name

    admin = await actor(world, "admin")
    await dossiers.record_published(admin, world.commune_a.id, PAST, "93.1", "", "")
    values = await dossiers.published_values(world.commune_a.id)
    assert list(values) == [PAST]
    again = values[PAST]
    assert (again.timeliness, again.online, again.source) == (93.1, None, "")
    assert again.entered_by == world.users["admin"].display_name
    assert again.entered_at >= first.entered_at
    assert await PublishedIndex.count() == 1

    created, replaced = await _events()
    assert created["actor_username"] == "head_a" and created["before"] is None
    assert created["after"] == {
        "period": PAST,
        "timeliness": 92.4,
        "online": 61.0,
        "source": SOURCE,
    }
    assert replaced["actor_username"] == "admin"
    assert replaced["before"] == created["after"]
    assert replaced["after"] == {"period": PAST, "timeliness": 93.1, "online": None, "source": ""}
    assert created["object_id"] == replaced["object_id"]


async def test_two_first_entries_at_once_leave_one_row_the_second_replacing_the_first(
    world: World, head_a: Actor
) -> None:
    admin = await actor(world, "admin")
    await asyncio.gather(
        dossiers.record_published(head_a, world.commune_a.id, PAST, "90", "50", "head"),
        dossiers.record_published(admin, world.commune_a.id, PAST, "91", "51", "admin"),
    )
    assert await PublishedIndex.count() == 1
    first, second = await _events()
    assert first["before"] is None
    assert second["before"] == first["after"] != second["after"]
    stored = (await dossiers.published_values(world.commune_a.id))[PAST]
    assert stored.source == second["after"]["source"]


async def test_values_belong_to_the_unit_itself_not_its_parent(world: World, head_a: Actor) -> None:
    await dossiers.record_published(head_a, world.desk_a.id, PAST, "97", "70", SOURCE)
    assert await dossiers.published_values(world.commune_a.id) == {}
    assert (await dossiers.published_values(world.desk_a.id))[PAST].timeliness == 97.0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("95,5", 95.5), ("95.5", 95.5), (" 88,75 ", 88.75), ("100", 100.0), ("0", 0.0), ("61%", 61.0)],
)
async def test_a_percent_is_read_as_vietnamese_users_type_it(
    world: World, head_a: Actor, typed: str, stored: float
) -> None:
    value = await dossiers.record_published(head_a, world.commune_a.id, PAST, typed, typed, "")
    assert value.timeliness == stored and value.online == stored


@pytest.mark.parametrize("typed", ["100,1", "101", "-1", "abc", "95,555", "9 5", "1e2", "nan"])
@pytest.mark.parametrize("field", ["timeliness", "online"])
async def test_a_value_outside_0_to_100_or_not_a_number_is_refused_on_its_field(
    world: World, head_a: Actor, typed: str, field: str
) -> None:
    values = {"timeliness": "90", "online": "50", field: typed}
    with pytest.raises(Invalid) as refused:
        await dossiers.record_published(
            head_a, world.commune_a.id, PAST, values["timeliness"], values["online"], ""
        )
    assert refused.value.field == field
    assert await PublishedIndex.count() == 0 and await _events() == []


async def test_at_least_one_of_the_two_values_is_needed(world: World, head_a: Actor) -> None:
    with pytest.raises(Invalid) as refused:
        await dossiers.record_published(head_a, world.commune_a.id, PAST, " ", "", SOURCE)
    assert refused.value.field == "timeliness"
    assert "ít nhất một giá trị" in refused.value.message
    assert await PublishedIndex.count() == 0 and await _events() == []


@pytest.mark.parametrize(
    "period", ["2026-13", "Quý 3", "", "2026", "2026-09", FUTURE], ids=lambda p: p or "empty"
)
async def test_a_period_that_is_not_a_started_quarter_is_refused(
    world: World, head_a: Actor, period: str
) -> None:
    with pytest.raises(Invalid) as refused:
        await dossiers.record_published(head_a, world.commune_a.id, period, "90", "50", "")
    assert refused.value.field == "period"
    assert await PublishedIndex.count() == 0


async def test_a_unit_outside_the_scope_is_not_found(world: World) -> None:
    head_b = await actor(world, "head_b")
    with pytest.raises(NotFound):
        await dossiers.record_published(head_b, world.commune_a.id, PAST, "90", "50", "")
    assert await PublishedIndex.count() == 0 and await _events() == []


async def test_a_role_that_may_not_import_is_refused(world: World) -> None:
    inspector = await actor(world, "inspector")  # staff, sees every unit, imports nothing
    with pytest.raises(Forbidden):
        await dossiers.record_published(inspector, world.commune_a.id, PAST, "90", "50", "")
    assert await PublishedIndex.count() == 0 and await _events() == []


async def test_a_source_longer_than_500_characters_is_refused(world: World, head_a: Actor) -> None:
    with pytest.raises(Invalid) as refused:
        await dossiers.record_published(head_a, world.commune_a.id, PAST, "90", "", "x" * 501)
    assert refused.value.field == "source"


# --- the unit page --------------------------------------------------------------------

LINES = [
    HEADER,
    "A-LATE,Đăng ký khai sinh,Hộ tịch,P-A-PVHCC,Nguyễn Thị Lan,Trực tuyến,"
    "23/01/2025 09:00,24/01/2025,03/02/2025 10:00,,,,",
    "A-EARLY,Đăng ký kết hôn,Hộ tịch,P-A,,Trực tiếp,20/01/2025 09:00,05/02/2025,04/02/2025,,,,",
]
QUARTER = "2025-Q1"  # the quarter those dossiers were received in, under either scheme


@pytest.fixture
async def imported(world: World, tmp_path: Path) -> None:
    await run_import(await actor(world, "admin"), write(tmp_path, LINES), as_of=date(2025, 2, 10))


def _form(page: str) -> str:
    start = page.index('id="published-form"')
    return page[start : page.index("</form>", start)]


def _row(page: str, period: str) -> str:
    start = page.index(f'data-period="{period}"')
    return page[start : page.index("</tr>", start)]


def _token(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', _form(page))
    assert found is not None
    return found.group(1)


async def test_a_refused_entry_shows_the_error_beside_its_field_and_keeps_the_typed_values(
    client, world: World, imported: None
) -> None:
    await login(client, "head_a")
    address = f"/dossiers/units/{world.commune_a.id}"
    page = await client.get(address)
    assert f'<option value="{QUARTER}"' in _form(page.text)

    typed = {"period": QUARTER, "timeliness": "101,5", "online": "61,0", "source": SOURCE}
    refused = await client.post(
        f"{address}/published",
        data={**typed, "_csrf_token": _token(page.text)},
        follow_redirects=False,
    )
    assert refused.status_code == 400
    form = _form(refused.text)
    # The message right under the input it is about, which points at it.
    timeliness = form[form.index('id="published-timeliness"') : form.index('id="published-online"')]
    assert (
        'aria-invalid="true"' in timeliness and 'aria-describedby="error-timeliness"' in timeliness
    )
    assert "phải nằm trong khoảng từ 0 đến 100" in timeliness
    assert 'value="101,5"' in timeliness
    assert 'value="61,0"' in form and f'value="{SOURCE}"' in form
    assert re.search(rf'<option value="{QUARTER}"\s+selected', form)
    assert form.count('class="error"') == 1
    assert await PublishedIndex.count() == 0

    saved = await client.post(
        f"{address}/published",
        data={**typed, "timeliness": "92,4", "_csrf_token": _token(refused.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    shown = await client.get(saved.headers["location"])
    assert "Đã ghi giá trị công bố." in shown.text
    row = visible_text(_row(shown.text, QUARTER))
    assert "92,4%" in row and "61,0%" in row
    assert SOURCE in shown.text and world.users["head_a"].display_name in shown.text
    # The system's own figures stay marked as estimates beside the published ones.
    text = visible_text(shown.text)
    assert "Đúng hạn (ước tính)" in text and "Đúng hạn (công bố)" in text
    assert "Trực tuyến (ước tính)" in text and "Trực tuyến (công bố)" in text


async def test_the_page_shows_a_dash_until_a_value_is_entered_and_each_locale_its_decimal(
    client, world: World, imported: None
) -> None:
    await login(client, "head_a")
    address = f"/dossiers/units/{world.commune_a.id}"
    before = visible_text(_row((await client.get(address)).text, QUARTER))
    assert before.count("—") == 2

    head_a = await actor(world, "head_a")
    await dossiers.record_published(head_a, world.commune_a.id, QUARTER, "88,75", "", "")
    await dossiers.record_published(head_a, world.commune_a.id, "2024-Q4", "", "40,5", SOURCE)
    page = (await client.get(address)).text
    row = visible_text(_row(page, QUARTER))
    assert "88,75%" in row and row.count("—") == 1
    # A quarter with no dossier here still shows what was published for it.
    assert "40,5%" in visible_text(_row(page, "2024-Q4"))

    await client.post("/locale", data={"code": "en"}, headers=csrf(client))
    english = (await client.get(address)).text
    assert "88.75%" in visible_text(_row(english, QUARTER))
    assert "On time (published)" in english and "On time (estimate)" in english


async def test_who_may_not_enter_values_reads_them_without_the_form(
    client, world: World, imported: None
) -> None:
    head_a = await actor(world, "head_a")
    await dossiers.record_published(head_a, world.commune_a.id, QUARTER, "92,4", "61,0", "")
    await login(client, "inspector")
    page = await client.get(f"/dossiers/units/{world.commune_a.id}")
    assert page.status_code == 200
    assert "92,4%" in visible_text(_row(page.text, QUARTER))
    assert 'id="published-form"' not in page.text
    refused = await client.post(
        f"/dossiers/units/{world.commune_a.id}/published",
        data={"period": QUARTER, "timeliness": "10", "online": "", "source": ""},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert (await dossiers.published_values(world.commune_a.id))[QUARTER].timeliness == 92.4
