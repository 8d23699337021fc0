"""The draw weighted by the dashboard's suggestions: the existing sealed surprise draw,
its weights the suggested ones (computed on the server, every unit ≥ 1), each unit's
reasons and the seed stored with it and audited; the draw page says the weights came
from suggestions."""

from __future__ import annotations

import re
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.errors import Invalid
from congvu.inspect.inspections.services import surprise_draws
from congvu.inspect.inspections.services.surprise_draws import SuggestedWeights, apply_suggestion
from congvu.inspect.inspections.tables import Inspection, SurpriseDraw

from tests.conftest import login
from tests.inspections.conftest import next_working_day
from tests.reports.conftest import Quarter
from tests.reports.test_dashboard import rows

pytestmark = pytest.mark.anyio


async def test_the_draw_takes_the_suggested_weights_and_keeps_their_reasons(
    quarter: Quarter, client: Any
) -> None:
    rw = quarter.rw
    await login(client, "lead")
    board = await client.get("/dashboard")
    assert board.status_code == 200
    assert 'id="suggested-draw-link"' in board.text
    shown = {r[1]: (int(r[2]), r[3]) for r in rows(board.text, "targets-table")}
    page = await client.get("/dashboard/draw")
    assert page.status_code == 200
    lead, inspector = rw.users["lead"].id, rw.users["inspector"].id
    response = await client.post(
        "/dashboard/draw",
        data={
            "count": "2",
            "scheduled_date": next_working_day().strftime("%d/%m/%Y"),
            "kind": "SURPRISE_UNANNOUNCED",
            "topic": ["working_hours"],
            "member": [str(lead), str(inspector)],
            f"role_{lead}": "truong_doan",
            f"role_{inspector}": "thanh_vien",
            "_csrf_token": client.cookies.get("csrftoken"),
        },
    )
    assert response.status_code == 303, response.text
    draw = await SurpriseDraw.select().output(load_json=True).first()
    targets = board.text.split('id="targets-table"')[1]
    weights = {
        code: int(weight)
        for code, weight in re.findall(
            r'<tr data-code="([^"]+)"><td>\d+</td><td>[^<]*</td><td>(\d+)</td>', targets
        )
    }
    assert len(weights) == len(shown) == 4
    assert draw["weights"] == weights
    assert min(draw["weights"].values()) >= 1
    assert "chưa kiểm tra" in " ".join(draw["suggested"]["P-B"])
    assert set(draw["suggested"]) == set(draw["weights"])
    # The same sealed draw: reproducible from its seed, its inspections sealed.
    assert surprise_draws.draw_units(draw["seed"], draw["weights"], 2) == draw["result"]
    sealed = await Inspection.select(Inspection.sealed).where(Inspection.draw == draw["id"])
    assert len(sealed) == 2 and all(s["sealed"] for s in sealed)
    event = (
        await AuditEvent.select(AuditEvent.after)
        .where(AuditEvent.action == "surprise_draw")
        .output(load_json=True)
        .first()
    )
    assert event["after"]["suggested"] == draw["suggested"]
    assert event["after"]["seed"] == draw["seed"]
    assert "Trọng số theo gợi ý" in (await client.get("/plans/draw")).text


async def test_a_reporter_sees_the_suggestions_but_does_not_draw(
    quarter: Quarter, client: Any
) -> None:
    await login(client, "reporter")
    board = await client.get("/dashboard")
    assert board.status_code == 200 and 'id="suggested-draw-link"' not in board.text
    assert (await client.get("/dashboard/draw")).status_code == 403


def test_suggested_weights_cover_the_scope_and_stay_drawable() -> None:
    scope = {"A": 3, "B": 1, "C": 2}
    weights, reasons = apply_suggestion(
        scope, SuggestedWeights({"A": 7, "B": 1}, {"A": ["chưa kiểm tra 310 ngày"]})
    )
    # A unit the suggestion left out still weighs 1.
    assert weights == {"A": 7, "B": 1, "C": 1}
    assert reasons == {"A": ["chưa kiểm tra 310 ngày"], "B": [], "C": []}


@pytest.mark.parametrize("suggested", [{"Z": 2}, {"A": 0}, {"A": -1}, {"A": True}, {"A": 1.5}])
def test_suggested_weights_are_refused_outside_scope_or_below_one(
    suggested: dict[str, Any],
) -> None:
    with pytest.raises(Invalid):
        apply_suggestion({"A": 1, "B": 1}, SuggestedWeights(suggested, {}))
