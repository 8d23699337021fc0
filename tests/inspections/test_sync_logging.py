"""What sync tells an operator: each refused record and each lost race, by its client
uuid and type, never by its content."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from congvu.inspect.capture.services import sync

from tests.conftest import login
from tests.inspections.conftest import InspectionWorld, record, send, send_one, start_record
from tests.test_logging import Lines, capture_lines

pytestmark = pytest.mark.anyio


@pytest.fixture
def captured() -> Iterator[Lines]:
    yield from capture_lines("json")


def finding(iw: InspectionWorld, hour: int = 9) -> dict[str, object]:
    payload = {
        "official_id": None,
        "violation_code": "NO_HOTLINE_POSTED",
        "observed_at": iw.at(hour, 0),
    }
    return record("finding", iw.inspection.id, payload)


async def test_a_refused_record_is_logged_by_uuid_and_type_alone_and_in_a_batch(
    client, iw: InspectionWorld, captured: Lines
) -> None:
    await login(client, "inspector")
    unknown = record("selfie", iw.inspection.id, {"note": "Nguyễn Văn A đi muộn"})
    assert (await send_one(client, unknown))["http_status"] == 400
    in_batch = record("selfie", iw.inspection.id, {"note": "x"})
    results = await send(client, start_record(iw), in_batch)
    assert [r["http_status"] for r in results] == [201, 400]
    lines = captured.having("sync record refused")
    assert [(line["client_uuid"], line["record_type"]) for line in lines] == [
        (unknown["uuid"], "selfie"),
        (in_batch["uuid"], "selfie"),
    ]
    for line in lines:
        assert (line["level"], line["logger"]) == ("info", "congvu.sync")
        assert (line["status"], line["http_status"], line["field"]) == ("rejected", 400, "type")
        assert line["inspection_id"] == iw.inspection.id
        assert line["user_id"] == iw.world.users["inspector"].id
    assert "Nguyễn" not in "\n".join(captured.lines)


async def test_a_reused_uuid_is_logged_as_a_conflict(
    client, iw: InspectionWorld, captured: Lines
) -> None:
    await login(client, "inspector")
    first = start_record(iw)
    await send_one(client, first)
    reused = {**start_record(iw, 9, 0), "uuid": first["uuid"]}
    assert (await send_one(client, reused))["http_status"] == 409
    (line,) = captured.having("sync record refused")
    assert (line["client_uuid"], line["record_type"]) == (first["uuid"], "start")
    assert (line["status"], line["http_status"], line["field"]) == ("conflict", 409, "uuid")


@pytest.mark.parametrize("alone", [True, False], ids=["alone", "in a batch"])
async def test_a_lost_race_is_logged_with_the_answer_it_got(
    client, iw: InspectionWorld, captured: Lines, monkeypatch, alone: bool
) -> None:
    """The race of tests/inspections/test_sync.py, staged the same way: a concurrent
    request stored a receipt for the same uuid after this one looked."""
    await login(client, "inspector")
    taken = start_record(iw)
    await send_one(client, taken)
    real_receipt_of = sync._receipt_of
    looked: list[bool] = []

    # A record sent alone looks twice before writing (its receipt alone, outside any
    # transaction, then with its context inside it): the twin commits after both.
    misses = 2 if alone else 1

    def receipt_of_before_the_twin_committed(record_id: uuid.UUID, row: dict) -> object:
        found = real_receipt_of(record_id, row)
        if len(looked) < misses:
            looked.append(True)
            return None
        return found

    monkeypatch.setattr(sync, "_receipt_of", receipt_of_before_the_twin_committed)
    rival = {**finding(iw), "uuid": taken["uuid"]}
    results = await send(client, rival) if alone else await send(client, rival, finding(iw, 10))
    assert results[0]["http_status"] == 409
    (race,) = captured.having("sync race lost")
    assert (race["level"], race["client_uuid"], race["record_type"]) == (
        "warning",
        taken["uuid"],
        "finding",
    )
    assert (race["winner"], race["answer"]) == ("same record", "stored receipt")
    (refused,) = captured.having("sync record refused")
    assert (refused["client_uuid"], refused["http_status"]) == (taken["uuid"], 409)
