"""The world of the inspection tests: an inspection of commune A yesterday (local date)
with the "inspector" as team member, a team lead and an inspector who is not on it."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM
from congvu.inspect.inspections.tables import Inspection
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import User
from congvu.inspect.settings import get_settings
from congvu.rules.calendar import default_calendar

from tests import builders
from tests.conftest import csrf
from tests.worlds import World


@dataclass
class InspectionWorld:
    world: World
    inspection: Inspection
    day: date
    lead: User
    outsider: User
    # The officials of the inspected unit's roster, in name order (ids).
    roster: list[int]

    def at(self, hour: int, minute: int) -> str:
        """An ISO moment on the inspection day, in the unit's local time."""
        return datetime.combine(
            self.day, time(hour, minute), tzinfo=get_settings().zone
        ).isoformat()


def local_today() -> date:
    return clock.today()


def working_day_this_quarter() -> date:
    """A working day of the current quarter, today or the next if possible: plans are for
    the quarter, and a day off needs a written reason (tested on its own)."""
    today = local_today()
    calendar = default_calendar()
    day = today
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    if (day.month - 1) // 3 == (today.month - 1) // 3:
        return day
    day = today
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def next_working_day() -> date:
    """Today when it is a working day, else the next one: a draw is never in the past."""
    day = local_today()
    while not default_calendar().is_working_day(day):
        day += timedelta(days=1)
    return day


def next_day_off() -> date:
    day = local_today() + timedelta(days=1)
    while default_calendar().is_working_day(day):
        day += timedelta(days=1)
    return day


@pytest.fixture(autouse=True)
def _empty_media() -> None:
    """Files outlive the database rows between tests; start each test without them."""
    shutil.rmtree(get_settings().media_dir, ignore_errors=True)


@pytest.fixture
async def iw(world: World) -> InspectionWorld:
    lead = await builders.account(
        "lead", role="team_lead", unit="P", display_name="Phạm Văn Trưởng"
    )
    outsider = await builders.account("inspector2", role="inspector", unit="P")
    # The last working day before today: every hour of it is in the past whenever the
    # suite runs, and everyone was on duty (on a weekend or holiday nobody is judged).
    day = local_today() - timedelta(days=1)
    while not default_calendar().is_working_day(day):
        day -= timedelta(days=1)
    inspection = await builders.inspection(
        world.commune_a,
        day,
        members=[world.users["inspector"]],
        lead=lead,
        created_at=datetime.now(get_settings().zone),
    )
    roster = [o.id for o in await organisation.officials_of_unit(SYSTEM, world.commune_a.id)]
    return InspectionWorld(world, inspection, day, lead, outsider, roster)


def record(
    kind: str, inspection_id: int, payload: dict[str, Any], replaces: str | None = None
) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "type": kind,
        "inspection_id": inspection_id,
        "replaces": replaces,
        "device_time": datetime.now(get_settings().zone).isoformat(),
        "payload": payload,
    }


async def send(client: Any, *records: dict[str, Any]) -> list[dict[str, Any]]:
    response = await client.post(
        "/api/v1/sync", json={"records": list(records)}, headers=csrf(client)
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]


async def send_one(client: Any, rec: dict[str, Any]) -> dict[str, Any]:
    (result,) = await send(client, rec)
    return result


def start_record(iw: InspectionWorld, hour: int = 8, minute: int = 15) -> dict[str, Any]:
    return record(
        "start",
        iw.inspection.id,
        {
            "started_at": iw.at(hour, minute),
            "place": "Trụ sở UBND phường An Hòa",
            "latitude": 18.67,
            "longitude": 105.69,
            "accuracy_m": 12.5,
        },
    )


def lead_signature(iw: InspectionWorld) -> dict[str, Any]:
    return record(
        "signature",
        iw.inspection.id,
        {"role": "team_lead", "name": "Phạm Văn Trưởng", "refused": False},
    )


def submit_record(iw: InspectionWorld, unmarked: list[int] | None = None) -> dict[str, Any]:
    """Nộp biên bản, confirming ``unmarked`` as not marked (by default the whole roster:
    the team lead confirms whoever the tablet lists)."""
    confirmed = iw.roster if unmarked is None else unmarked
    return record("submit", iw.inspection.id, {"unmarked_confirmed": confirmed})


def new_uuid() -> str:
    return str(uuid.uuid4())
