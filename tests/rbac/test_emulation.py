"""The RBAC matrix of the rating and emulation routes: every role × route × own unit /
other unit / own record, over HTTP. Every matrix account is scoped to commune A: the
personnel officer and the administrator manage periods, score and read the boards there,
and neither is bound to an official, so neither has a sheet of their own."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from congvu.inspect.actor import SYSTEM
from congvu.inspect.emulation import api as emulation
from congvu.inspect.organisation.tables import Unit

from tests.conftest import csrf
from tests.rbac.spec import (
    ROLES,
    TARGETS,
    Expect,
    Outcome,
    Prepare,
    Route,
    cross_unit_calls,
    cross_unit_not_denied,
    matrix_users,
    outcome_of,
    roles,
    run,
    same,
    scoped,
    url,
)
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

MANAGERS = ("admin", "personnel")
READERS = ("admin", "personnel", "unit_head", "council")
SCORERS = ("admin", "personnel", "unit_head")
SELF = ("unit_head", "official")  # accounts bound to an official (head_a is A002)

CAMPAIGN = {
    "name": "Đợt thi đua cao điểm",
    "starts_on": "01/07/2026",
    "ends_on": "30/09/2026",
    "c_no_discipline": "1",
}

MATRIX: dict[Route, Expect] = {
    ("GET", "/ratings"): same(roles(200, MANAGERS)),
    ("GET", "/ratings/units"): same(roles(200, READERS)),
    ("GET", "/ratings/mine"): same(roles(200, SELF)),
    ("POST", "/ratings/periods"): same(roles(303, MANAGERS)),
    ("POST", "/ratings/periods/{name:str}/lock"): same(roles(303, MANAGERS)),
    ("POST", "/ratings/periods/{name:str}/reopen"): same(roles(303, MANAGERS)),
    ("GET", "/api/v1/ratings/periods/{name:str}/versions/{version:int}"): same(
        roles(200, MANAGERS)
    ),
    ("GET", "/ratings/{name:str}/units/{code:str}"): scoped(200, READERS),
    ("GET", "/ratings/{name:str}/units/{code:str}/documents/{kind:str}"): scoped(200, READERS),
    ("GET", "/ratings/{name:str}/units/{code:str}/what-if"): scoped(200, READERS),
    ("POST", "/ratings/{name:str}/weights"): same(roles(303, MANAGERS)),
    ("GET", "/api/v1/ratings/{name:str}/units/{code:str}"): scoped(200, READERS),
    ("POST", "/ratings/{name:str}/units/{code:str}/sheets/{official_id:int}"): scoped(303, SCORERS),
    ("POST", "/ratings/{name:str}/units/{code:str}/criteria/{official_id:int}"): scoped(
        303, SCORERS
    ),
    ("POST", "/ratings/{name:str}/units/{code:str}/import"): scoped(200, SCORERS),
    ("POST", "/ratings/{name:str}/units/{code:str}/steps/{step:str}"): scoped(303, SCORERS),
    ("GET", "/ratings/{name:str}/units/{code:str}/steps/{step:str}/file"): scoped(200, READERS),
    ("GET", "/ratings/{name:str}/me"): same(roles(200, SELF)),
    ("GET", "/api/v1/ratings/{name:str}/me"): same(roles(200, SELF)),
    ("GET", "/ratings/{name:str}/me/documents/{kind:str}"): same(roles(200, SELF)),
    ("POST", "/ratings/{name:str}/me/sheet"): same(roles(303, SELF)),
    ("POST", "/ratings/{name:str}/me/contests"): same(roles(303, SELF)),
    ("POST", "/api/v1/emulation/initiatives"): scoped(201, MANAGERS),
    ("GET", "/ratings/awards"): same(roles(200, MANAGERS)),
    ("GET", "/ratings/campaigns"): same(roles(200, MANAGERS)),
    ("POST", "/ratings/campaigns"): scoped(303, MANAGERS),
    ("GET", "/ratings/campaigns/{campaign_id:int}"): scoped(200, READERS),
    ("POST", "/ratings/campaigns/{campaign_id:int}/proposals"): scoped(303, MANAGERS),
    (
        "POST",
        "/ratings/campaigns/{campaign_id:int}/proposals/{official_id:int}/withdraw",
    ): scoped(303, MANAGERS),
    ("POST", "/ratings/campaigns/{campaign_id:int}/collectives"): scoped(303, MANAGERS),
    (
        "POST",
        "/ratings/campaigns/{campaign_id:int}/collectives/{unit_id:int}/withdraw",
    ): scoped(303, MANAGERS),
    ("POST", "/ratings/campaigns/{campaign_id:int}/lock"): scoped(303, MANAGERS),
    ("POST", "/ratings/campaigns/{campaign_id:int}/reopen"): scoped(303, MANAGERS),
    ("POST", "/ratings/awards"): scoped(303, MANAGERS),
    ("POST", "/ratings/awards/{award_id:int}/remove"): scoped(303, MANAGERS),
    ("PUT", "/api/v1/emulation/collectives/{code:str}/{year:int}"): scoped(200, MANAGERS),
}

# Routes on a period or on the actor's own sheet, not on a unit's record: what they show
# of commune B is checked instead (``LEAKS``).
LISTS = {
    key
    for key in MATRIX
    if "{code" not in key[1]
    and "{official_id" not in key[1]
    and key[1] != "/api/v1/emulation/initiatives"
    and key[0:2] != ("POST", "/ratings/awards")
    and key[0:2] != ("POST", "/ratings/campaigns")
    and "{campaign_id" not in key[1]
    and "{award_id" not in key[1]
}
ONCE = LISTS


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, LISTS) == []


@dataclass
class RatingMatrix:
    rw: ReviewWorld
    names: Any  # fresh period names: opened, then locked, by the calls that change them


def _prepare(m: RatingMatrix) -> Prepare:
    units = {"own_unit": "P-A", "own_record": "P-A-PVHCC", "other_unit": "P-B"}
    officials = {
        "own_unit": m.rw.deputy.id,
        "own_record": m.rw.world.official_a.id,
        "other_unit": m.rw.world.official_b.id,
    }

    officials_code = {
        "own_unit": m.rw.deputy.code,
        "own_record": m.rw.world.official_a.code,
        "other_unit": m.rw.world.official_b.code,
    }

    async def prepare(role: str, method: str, path: str, target: str) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name": "2026-Q3",
            "code": units[target],
            "official_id": officials[target],
            "version": 1,
            "year": 2026,
            "kind": "thong-bao-xep-loai",
        }
        if "{campaign_id" in path:
            campaign = await emulation.create_campaign(
                SYSTEM, {**CAMPAIGN, "agency": units[target]}
            )
            values["campaign_id"] = campaign
            unit = await Unit.select(Unit.id).where(Unit.code == units[target]).first()
            values["unit_id"] = unit["id"]
            if path.endswith("/collectives/{unit_id:int}/withdraw"):
                await emulation.propose_collectives(SYSTEM, campaign, [values["unit_id"]])
            elif path.endswith("/withdraw"):
                await emulation.propose_for_campaign(SYSTEM, campaign, [officials[target]])
            elif path.endswith("/reopen"):
                await emulation.lock_campaign(SYSTEM, campaign)
        elif path == "/ratings/periods":
            values["period"] = next(m.names)
        elif path.endswith("/lock"):
            values["name"] = next(m.names)
            await emulation.open_period(SYSTEM, values["name"])
        elif path.endswith("/reopen"):
            values["name"] = next(m.names)
            await emulation.open_period(SYSTEM, values["name"])
            await emulation.lock_period(SYSTEM, values["name"])
        elif path == "/ratings/campaigns":
            values["agency"] = units[target]
        elif "/steps/" in path:
            values.update(name="2026", step="notice")
            if path.endswith("/file"):
                await emulation.record_step(
                    SYSTEM,
                    "2026",
                    units[target],
                    "notice",
                    {"done_on": "20/12/2026"},
                    emulation.StepUpload("thong-bao.pdf", b"%PDF-1.4\n%%EOF\n"),
                )
        elif "/criteria/" in path:
            values["name"] = "2025"  # a year rated by NĐ 90/2020's criteria
        elif "/ratings/awards/" in path:
            values["award_id"] = await emulation.add_award(
                SYSTEM,
                {
                    "official": officials_code[target],
                    "year": "2025",
                    "form": "Chiến sĩ thi đua cơ sở",
                    "decision_number": "1/QĐ-UBND",
                    "decided_on": "20/01/2025",
                    "issuer": "Chủ tịch UBND phường",
                },
            )
        elif path == "/ratings/awards":
            values["official_code"] = officials_code[target]
        elif "/me/documents/" in path:
            values["kind"] = "phieu-danh-gia"
        elif "/versions/" in path:
            values["name"] = "2026-Q2"
        return values

    return prepare


async def _call(client: Any, method: str, path: str, target: str, v: dict[str, Any]) -> Outcome:
    address = url(path, v)
    headers = csrf(client)
    if method == "GET":
        return outcome_of(await client.get(address, follow_redirects=False))
    if path == "/api/v1/emulation/initiatives":
        body = {
            "official_id": v["official_id"],
            "year": 2026,
            "title": "Sáng kiến thử",
            "decision_number": "1/QĐ",
            "decided_on": "2026-05-01",
        }
        response = await client.post(address, json=body, headers=headers)
    elif path.endswith("/import"):
        csv = b"M\xc3\xa3 c\xc3\xa1n b\xe1\xbb\x99,a,b,c\nA003,90,90,90\n"
        response = await client.post(
            address, files=[("file", ("kpi.csv", csv, "text/csv"))], headers=headers
        )
    elif path == "/ratings/awards":
        award = {
            "official": v["official_code"],
            "year": "2025",
            "form": "Giấy khen",
            "decision_number": "2/QĐ-UBND",
            "decided_on": "20/01/2025",
            "issuer": "Chủ tịch UBND phường",
        }
        response = await client.post(address, data=award, headers=headers, follow_redirects=False)
    elif path == "/ratings/campaigns":
        data = {**CAMPAIGN, "agency": v["agency"]}
        response = await client.post(address, data=data, headers=headers, follow_redirects=False)
    elif method == "PUT":
        response = await client.put(address, json={"level": "HTT"}, headers=headers)
    else:
        data = {
            "period": v.get("period", ""),
            "official": str(v["official_id"]),
            "unit": str(v.get("unit_id", "")),
            "reason": "Bổ sung số liệu",
            "source": "finding:1",
            "done_on": "15/01/2027",
            "a": "90",
            "b": "90",
            "c": "90",
            "d": "90",
            "dd": "90",
            "e": "90",
            "general": "TOT",
            "tasks_assigned": "10",
            "tasks_done_well": "10",
            "unit_targets_completed": "100",
            "unit_targets_exceeded": "50",
            "subunits_at_least_htnv": "100",
            "subunits_htt_or_better": "70",
        }
        response = await client.post(address, data=data, headers=headers, follow_redirects=False)
    return int(response.status_code)


async def test_rbac_matrix_of_rating_routes(client: Any, rw: ReviewWorld) -> None:
    users = await matrix_users(rw)
    for name in ("2026-Q3", "2026-Q2", "2026", "2025"):
        await emulation.open_period(SYSTEM, name)
    await emulation.lock_period(SYSTEM, "2026-Q2")
    names = (f"{year}-Q{q}" for year, q in itertools.product(range(2030, 2099), range(1, 5)))
    report = await run(client, users, MATRIX, _prepare(RatingMatrix(rw, names)), _call, ONCE)
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * len(TARGETS)
    assert report.denied >= cross_unit_calls(MATRIX, LISTS)
