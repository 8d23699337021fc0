"""Every record of /api/v1/sync is counted by outcome for /metrics: created, replayed
(a resend of the same content), conflict, refused."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from tests.conftest import login
from tests.inspections.conftest import InspectionWorld, record, send, start_record

pytestmark = pytest.mark.anyio

OUTCOMES = ("created", "replayed", "conflict", "refused")


def counted() -> dict[str, float]:
    return {
        outcome: REGISTRY.get_sample_value("congvu_sync_records_total", {"outcome": outcome}) or 0.0
        for outcome in OUTCOMES
    }


async def test_sync_outcomes_are_counted(client, iw: InspectionWorld) -> None:
    await login(client, "inspector")
    before = counted()
    start = start_record(iw)
    unknown = record("no-such-type", iw.inspection.id, {})
    await send(client, start, start, start_record(iw, 9, 0), unknown)

    after = counted()
    assert {k: after[k] - before[k] for k in OUTCOMES} == {
        "created": 1,
        "replayed": 1,
        "conflict": 1,
        "refused": 1,
    }
