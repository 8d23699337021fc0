"""Trying other deduction weights before the head decides: who moves is shown with
nothing written; the personnel office adopts the weights for the period (audited), the
proposals use them and the lock freezes them with the version."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.emulation.tables import PeriodVersion, RatingPeriod
from congvu.rules.discipline_standing import DisciplineStanding

from tests.conftest import login
from tests.emulation.conftest import Commune, confirmed, form, lock_by_job
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

WHAT_IF = "/ratings/2026-Q3/units/P-A/what-if"


async def _mine(client: Any, official_id: int) -> dict[str, Any]:
    board = (await client.get("/api/v1/ratings/2026-Q3/units/P-A")).json()
    return next(o for o in board["officials"] if o["official_id"] == official_id)


async def test_weights_are_tried_then_adopted_and_frozen_at_lock(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    lan = rw.world.official_a
    # One confirmed minor violation (late arrival): 0.5 off I.2 under the pack.
    await confirmed(rw, lan, "LATE_ARRIVAL", date(2026, 8, 3), date(2026, 8, 20))
    await login(client, "tochuc")
    opened = await client.post("/ratings/periods", data=form(client, period="2026Q3"))
    assert opened.status_code == 303
    await login(client, "head_a")
    # a = b = c = 60: 42 of the 70 task points; 29.5 of the 30 general ones → 71.5 (HTT).
    scored = await client.post(
        f"/ratings/2026-Q3/units/P-A/sheets/{lan.id}",
        data=form(client, a=60, b=60, c=60),
        follow_redirects=False,
    )
    assert scored.status_code == 303
    assert (await _mine(client, lan.id))["score"]["total"] == 71.5

    # 5 points for a minor violation: I.2 drops to 0 → 42 + 25 = 67, Hoàn thành nhiệm vụ.
    trial = await client.get(WHAT_IF, params={"minor": "5"})
    assert trial.status_code == 200
    assert "Nguyễn Thị Lan" in trial.text
    assert "<small>71,5</small>" in trial.text and "<small>67</small>" in trial.text
    assert "<strong>Hoàn thành nhiệm vụ</strong>" in trial.text
    assert "Trừ 5 điểm tiêu chí I.2" in trial.text
    # Nothing written; the head may try but not adopt.
    period = await RatingPeriod.select(RatingPeriod.parameters).first()
    assert period is not None and "deduction_weights" not in json.loads(period["parameters"])
    assert (await _mine(client, lan.id))["score"]["total"] == 71.5
    assert "Áp dụng trọng số này" not in trial.text
    refused = await client.post(
        "/ratings/2026-Q3/weights", data=form(client, minor="5"), follow_redirects=False
    )
    assert refused.status_code == 403
    wrong = await client.get(WHAT_IF, params={"minor": "6"})
    assert wrong.status_code == 400
    assert "Vi phạm nhẹ (điểm): nhập một số từ 0 đến 5." in wrong.text

    await login(client, "tochuc")
    page = await client.get(WHAT_IF, params={"minor": "5"})
    assert "Áp dụng trọng số này cho kỳ đánh giá" in page.text
    adopted = await client.post(
        "/ratings/2026-Q3/weights",
        data=form(client, unit="P-A", minor="5", serious="1", severe="2.5", per_case="5"),
        follow_redirects=False,
    )
    assert adopted.status_code == 303
    assert adopted.headers["location"] == f"{WHAT_IF}?adopted=1"
    mine = await _mine(client, lan.id)
    assert (mine["score"]["total"], mine["level"]) == (67, "HTNV")
    event = (
        await AuditEvent.select(AuditEvent.before, AuditEvent.after)
        .where(AuditEvent.action == "rating_period.weights")
        .output(load_json=True)
        .first()
    )
    assert event is not None
    assert event["before"]["deduction_weights"]["minor"] == "0.5"
    assert event["after"]["deduction_weights"]["minor"] == "5"

    await lock_by_job(client, "2026-Q3")
    version = await PeriodVersion.select(PeriodVersion.parameters).first()
    assert version is not None
    assert json.loads(version["parameters"])["deduction_weights"]["minor"] == "5"
    late = await client.post(
        "/ratings/2026-Q3/weights", data=form(client, minor="1"), follow_redirects=False
    )
    assert late.status_code == 409
