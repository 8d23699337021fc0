"""Discipline tests run in the review world (``rw``, tests/worlds.py) plus a personnel
officer (cán bộ tổ chức) of the province, and a finding about official A confirmed by
the head of commune A."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.settings import get_settings

from tests import builders
from tests.worlds import MONDAY, ReviewWorld

D = date
CONFIRMED_ON = date(2026, 3, 4)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=get_settings().zone)


async def confirmed_finding(
    rw: ReviewWorld, on: date = CONFIRMED_ON, code: str = "LATE_ARRIVAL"
) -> int:
    """A finding about official A (observed 23/02/2026), confirmed by head_a on ``on``."""
    finding = await rw.finding(rw.world.official_a, code)
    head = await rw.actor("head_a")
    await review.transition(head, finding, Command("notify"), now=MONDAY)
    await review.transition(head, finding, Command("waive", reason="Không giải trình"), now=MONDAY)
    await review.transition(head, finding, Command("confirm", reason="Đã đối chiếu"), now=at(on))
    return finding


@dataclass
class DisciplineWorld:
    rw: ReviewWorld
    personnel: Actor
    subject: Actor  # official A's account
    other: Actor  # official B's account


@pytest.fixture
async def dw(rw: ReviewWorld) -> DisciplineWorld:
    user = await builders.account("tochuc", role="personnel", unit="P")
    rw.users["tochuc"] = user
    return DisciplineWorld(
        rw, await rw.actor("tochuc"), await rw.actor("official_a"), await rw.actor("official_b")
    )
