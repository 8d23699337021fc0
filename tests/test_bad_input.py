"""No input answers 500: each kind of malformed value an attack run sent gets a 4xx
that names the field (ids beyond the database's integers, Unicode digits, dates at the
ends of the calendar, JSON nested beyond reason, a form without its file field, a
``%`` in a message shown on an HTML error page, free text beyond its limit)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.capture.services.payloads import FACTS_CHARS
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.web.params import REASON_CHARS

from tests import builders
from tests.conftest import csrf, login
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

HUGE = (2**63, 2**63 - 1, 2**31, 10**30)


def _field(response: Any) -> str | None:
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        return response.json().get("field")
    return None


@pytest.mark.parametrize("value", HUGE)
async def test_an_id_beyond_the_databases_integers_in_the_path(
    client, rw: ReviewWorld, value: int
) -> None:
    await login(client, "head_a")
    for path in (f"/api/v1/findings/{value}", f"/api/v1/findings/{value}/history"):
        response = await client.get(path)
        assert response.status_code in (400, 404), (path, response.text)
        assert _field(response) == "finding_id"
    page = await client.get(f"/findings/{value}")
    assert page.status_code in (400, 404)
    assert "finding_id" not in page.text  # no internal name on a page


@pytest.mark.parametrize("value", HUGE)
async def test_an_id_beyond_the_databases_integers_in_the_query(
    client, rw: ReviewWorld, value: int
) -> None:
    await login(client, "admin")
    response = await client.get(f"/api/v1/sync/conflicts?inspection_id={value}")
    assert response.status_code in (400, 404), response.text
    assert _field(response) == "inspection_id"


@pytest.mark.parametrize("value", HUGE)
async def test_an_id_beyond_the_databases_integers_in_a_json_body(
    client, rw: ReviewWorld, value: int
) -> None:
    finding = await rw.finding(rw.world.official_a)
    await login(client, "head_a")
    response = await client.post(
        f"/api/v1/findings/{finding}/transitions",
        json={"action": "close", "inspection_id": value},
        headers=csrf(client),
    )
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize("digit", ["²", "١", "５"])
async def test_unicode_digits_where_a_number_is_expected(
    client, rw: ReviewWorld, digit: str
) -> None:
    finding = await rw.finding(rw.world.official_a)
    await login(client, "head_a")
    response = await client.post(
        f"/findings/{finding}/actions",
        data={"action": "close", "inspection_id": digit},
        headers={**csrf(client), "accept": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert _field(response) == "inspection_id"
    await login(client, "admin")
    today = clock.today().isoformat()
    form = {"title": "Kế hoạch", "year": "2026", "quarter": "1", "topic": ["working_hours"]}
    response = await client.post(
        "/plans",
        data={**form, "unit": [digit], f"date_{digit}": today},
        headers={**csrf(client), "accept": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.text
    response = await client.get(f"/plans/coverage?year={digit}")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("year", ["1", "9999", "0", "10000", "99999999999"])
async def test_years_at_the_ends_of_the_calendar(client, rw: ReviewWorld, year: str) -> None:
    await login(client, "admin")
    for quarter in ("1", "4"):
        response = await client.get(
            f"/plans/coverage?year={year}&quarter={quarter}",
            headers={"accept": "application/json"},
        )
        assert 400 <= response.status_code < 500 or response.status_code == 200, response.text
        if response.status_code != 200:
            assert _field(response) == "year"


@pytest.mark.parametrize("days", ["99999999999", "-1", str(2**63)])
async def test_a_coverage_window_beyond_the_calendar(client, rw: ReviewWorld, days: str) -> None:
    await login(client, "admin")
    response = await client.get(
        f"/plans/coverage?days={days}", headers={"accept": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert _field(response) == "days"


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-07:00", "0001-01-01"]
)
async def test_sync_dates_at_the_ends_of_the_calendar(client, rw: ReviewWorld, moment: str) -> None:
    day = clock.today() - timedelta(days=1)
    inspection = await builders.inspection(
        rw.world.commune_a, day, members=[rw.users["inspector"]], created_at=clock.now()
    )
    await login(client, "inspector")
    record = {
        "uuid": "6f1c9a6e-0000-4000-8000-000000000001",
        "type": "start",
        "inspection_id": inspection.id,
        "device_time": moment,
        "payload": {"started_at": moment, "place": "Trụ sở"},
    }
    response = await client.post("/api/v1/sync", json={"records": [record]}, headers=csrf(client))
    if response.status_code == 200:
        (result,) = response.json()["results"]
        assert 400 <= result["http_status"] < 500, result
        assert result["error"]["field"] in ("started_at", "device_time")
    else:
        assert 400 <= response.status_code < 500, response.text


async def test_json_nested_beyond_reason(client, rw: ReviewWorld) -> None:
    await login(client, "inspector")
    depth = 100_000
    body = b'{"records": ' + b"[" * depth + b"]" * depth + b"}"
    response = await client.post(
        "/api/v1/sync",
        content=body,
        headers={**csrf(client), "content-type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert _field(response) == "body"


async def test_an_explanation_posted_without_its_files_field(client, rw: ReviewWorld) -> None:
    finding = await rw.finding(rw.world.official_a)
    await review.transition(await rw.actor("head_a"), finding, Command("notify"))
    await login(client, "official_a")
    response = await client.post(
        f"/findings/{finding}/explanation",
        files={"text": (None, "Xe hỏng trên đường đi làm.")},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.mark.parametrize("text", ["100%", "%s %d %(x)s", "%"])
async def test_a_percent_sign_in_an_html_error_message(client, rw: ReviewWorld, text: str) -> None:
    finding = await rw.finding(rw.world.official_a)
    await login(client, "head_a")
    # The dossier decision names the official as typed: the refusal quotes nothing, but
    # a message built from input must show a '%' as it is.
    response = await client.post(
        f"/findings/{finding}/actions",
        data={"action": text},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert 400 <= response.status_code < 500, response.text
    assert "text/html" in response.headers["content-type"]


@pytest.mark.parametrize(
    ("field", "payload"),
    [
        ("facts", {"facts": "x" * 1_000_000}),
        ("facts", {"facts": "x" * (FACTS_CHARS + 1)}),
        ("violation_code", {"violation_code": "X" * 1000}),
        ("evidence", {"evidence": ["a" * 64] * 51}),
        ("observed_at", {"observed_at": "2026-01-01T08:00:00" + " " * 100}),
    ],
)
async def test_free_text_of_a_sync_record_has_a_limit(
    client, rw: ReviewWorld, field: str, payload: dict[str, Any]
) -> None:
    day = clock.today() - timedelta(days=1)
    inspection = await builders.inspection(
        rw.world.commune_a, day, members=[rw.users["inspector"]], created_at=clock.now()
    )
    await login(client, "inspector")
    body = {"observed_at": clock.now().isoformat(), "violation_code": "FACILITY_UNTIDY"}
    record = {
        "uuid": "6f1c9a6e-0000-4000-8000-000000000002",
        "type": "finding",
        "inspection_id": inspection.id,
        "payload": {**body, **payload},
    }
    response = await client.post("/api/v1/sync", json={"records": [record]}, headers=csrf(client))
    assert response.status_code == 200, response.text
    (result,) = response.json()["results"]
    assert (result["http_status"], result["error"]["field"]) == (400, field)


async def test_a_facts_field_within_the_limit_is_accepted_as_before() -> None:
    from congvu.inspect.capture.services.payloads import FindingPayload, parse_payload

    facts = "Không đeo thẻ. " * (FACTS_CHARS // 20)
    parsed = parse_payload({"observed_at": "2026-01-01T08:00", "facts": facts}, FindingPayload)
    assert parsed.facts == facts


@pytest.mark.parametrize("json_api", [True, False])
async def test_a_reason_beyond_its_limit_is_refused_naming_the_field(
    client, rw: ReviewWorld, json_api: bool
) -> None:
    finding = await rw.finding(rw.world.official_a)
    await login(client, "head_a")
    reason = "lý do " * REASON_CHARS
    if json_api:
        response = await client.post(
            f"/api/v1/findings/{finding}/transitions",
            json={"action": "notify", "reason": reason},
            headers=csrf(client),
        )
        assert response.status_code == 400, response.text
        assert _field(response) == "reason"
        assert "4.000" in response.json()["detail"]
    else:
        response = await client.post(
            f"/findings/{finding}/actions",
            data={"action": "notify", "reason": reason},
            headers=csrf(client),
            follow_redirects=False,
        )
        assert response.status_code == 400, response.text
        assert "4.000" in response.text


async def test_a_plan_title_beyond_one_line_is_refused(client, rw: ReviewWorld) -> None:
    await login(client, "admin")
    response = await client.post(
        "/plans",
        data={"title": "K" * 10_000, "year": "2026", "topic": ["working_hours"]},
        headers=csrf(client),
    )
    # The form is shown again, as typed, with the error next to it.
    assert response.status_code in (200, 400), response.text
    assert "Nội dung quá dài (tối đa 300 ký tự)." in response.text


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("year", {"year": 9_134_910_301}),
        ("year", {"year": -5}),
        ("official_id", {"official_id": -4_280_119_265}),
        ("official_id", {"official_id": 2**31}),
        ("decision_number", {"decision_number": "1" * 65}),
        ("title", {"title": "x" * 100_000}),
    ],
)
async def test_an_initiative_beyond_what_the_database_stores_is_refused_naming_the_field(
    client, rw: ReviewWorld, field: str, change: dict[str, Any]
) -> None:
    # Found by tests/fuzz: a year beyond a PostgreSQL integer reached the driver (500).
    await login(client, "admin")
    body = {
        "official_id": rw.world.official_a.id,
        "year": 2026,
        "title": "Sáng kiến số hóa hồ sơ một cửa",
        "decision_number": "12/QĐ-UBND",
        "decided_on": "2026-03-02",
        **change,
    }
    response = await client.post("/api/v1/emulation/initiatives", json=body, headers=csrf(client))
    assert response.status_code == 400, response.text
    assert _field(response) == field


async def test_an_initiative_within_the_limits_is_recorded_as_before(
    client, rw: ReviewWorld
) -> None:
    await login(client, "admin")
    body = {
        "official_id": rw.world.official_a.id,
        "year": 2026,
        "title": "Sáng kiến số hóa hồ sơ một cửa",
        "decision_number": "1" * 64,
        "decided_on": "2026-03-02",
    }
    response = await client.post("/api/v1/emulation/initiatives", json=body, headers=csrf(client))
    assert response.status_code == 201, response.text
