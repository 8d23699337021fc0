"""The review tests run in the review world (``rw``, tests/worlds.py): a submitted
inspection of commune A with findings recorded by the inspector, one of commune B, and
the people separation of duties is about (a deputy of commune A, the province's head)."""

from __future__ import annotations

import shutil

import pytest
from congvu.inspect.organisation.tables import Official
from congvu.inspect.settings import get_settings

from tests.worlds import World


@pytest.fixture(autouse=True)
def _empty_media() -> None:
    shutil.rmtree(get_settings().media_dir, ignore_errors=True)


async def head_a_official(world: World) -> Official:
    row = await Official.objects().where(Official.code == "A002").first()
    assert row is not None
    return row
