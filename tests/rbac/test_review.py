"""The RBAC matrix of the review routes (and of the organisation routes and the home
page): every role × route × own unit / other unit / own record, over HTTP.

Every account is scoped to commune A, so "other unit" (commune B) is cross-unit for
every role, and every cross-unit read and write must be refused (403/404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from congvu.inspect.inspections.tables import Evidence, FindingEvidence
from congvu.inspect.organisation.tables import RememberedDevice, User
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.tables import FindingReview, Notification

from tests import builders
from tests.conftest import csrf
from tests.rbac.spec import (
    ROLES,
    STAFF,
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


PNG = builders.png()


def finding_rule(own_unit: dict[str, int], own_record: dict[str, int]) -> Expect:
    return {"own_unit": own_unit, "own_record": own_record, "other_unit": roles(0, (), 404)}


READ = finding_rule(
    own_unit={**roles(200, ("admin", "team_lead", "inspector", "unit_head"), 404)},
    own_record={**roles(200, ("admin", "team_lead", "inspector", "unit_head", "official"), 404)},
)


def act(ok: int) -> Expect:
    # acknowledge on a notified finding: reviewers and the subject; readers without the
    # role 403; those who cannot see it 404.
    base = {"team_lead": 403, "inspector": 403, "council": 404, "reporter": 404, "personnel": 404}
    return finding_rule(
        own_unit={**base, "admin": ok, "unit_head": ok, "official": 404},
        own_record={**base, "admin": ok, "unit_head": ok, "official": ok},
    )


EXPLAIN = finding_rule(
    own_unit={**roles(403, ("admin", "team_lead", "inspector", "unit_head"), 404)},
    own_record={
        **roles(403, ("admin", "team_lead", "inspector", "unit_head"), 404),
        "official": 303,
    },
)

MATRIX: dict[Route, Expect] = {
    ("GET", "/"): same(roles(200, ROLES)),
    ("GET", "/review"): same(roles(200, ("admin", "unit_head"))),
    ("POST", "/review/bulk"): same(roles(200, ("admin", "unit_head"))),
    ("GET", "/findings/{finding_id:int}"): READ,
    ("GET", "/findings/{finding_id:int}/photos/{sha256:str}"): READ,
    ("POST", "/findings/{finding_id:int}/actions"): act(303),
    ("POST", "/findings/{finding_id:int}/explanation"): EXPLAIN,
    ("GET", "/my-findings"): same(roles(200, ROLES)),
    ("GET", "/notifications"): same(roles(200, ROLES)),
    ("GET", "/notifications/count"): same(roles(200, ROLES)),
    # Each person's own notifications and own address: an empty form clears the address.
    ("POST", "/notifications/read-all"): same(roles(303, ROLES)),
    ("POST", "/notifications/email"): same(roles(303, ROLES)),
    ("POST", "/notifications/{notification_id:int}/read"): {
        "own_record": roles(303, ROLES),
        "own_unit": roles(0, (), 404),
        "other_unit": roles(0, (), 404),
    },
    ("GET", "/api/v1/findings/queue"): same(roles(200, ("admin", "unit_head"))),
    ("POST", "/api/v1/findings/bulk"): same(roles(200, ("admin", "unit_head"))),
    ("GET", "/api/v1/findings/mine"): same(roles(200, ROLES)),
    ("GET", "/api/v1/findings/{finding_id:int}"): READ,
    ("GET", "/api/v1/findings/{finding_id:int}/history"): READ,
    ("POST", "/api/v1/findings/{finding_id:int}/transitions"): act(200),
    ("GET", "/api/v1/notifications"): same(roles(200, ROLES)),
    ("GET", "/search"): same(roles(200, STAFF)),
    ("GET", "/units"): same(roles(200, STAFF)),
    ("GET", "/units/{unit_id:int}"): scoped(200, STAFF),
    ("POST", "/units/{unit_id:int}/statistics"): scoped(303, STAFF),
    # Quản lý đơn vị: the structure is the administrators'; rosters are also the
    # personnel's. An empty form is refused as invalid after the scope check.
    ("GET", "/units/{unit_id:int}/admin"): scoped(200, ("admin", "personnel")),
    ("POST", "/units/{unit_id:int}/sub-units"): scoped(400, ("admin",)),
    ("POST", "/units/{unit_id:int}/rename"): scoped(400, ("admin",)),
    ("POST", "/units/{unit_id:int}/merge"): scoped(400, ("admin",)),
    ("POST", "/units/{unit_id:int}/officials"): scoped(400, ("admin", "personnel")),
    ("POST", "/units/officials/{official_id:int}/edit"): scoped(400, ("admin", "personnel")),
    ("POST", "/units/officials/{official_id:int}/move"): scoped(400, ("admin", "personnel")),
    ("POST", "/units/officials/{official_id:int}/deactivate"): scoped(400, ("admin", "personnel")),
    ("GET", "/units/roster"): same(roles(200, ("admin", "personnel"))),
    ("POST", "/units/roster"): same(roles(400, ("admin", "personnel"))),
    ("POST", "/units/roster/confirm"): same(roles(400, ("admin", "personnel"))),
    ("GET", "/api/v1/units"): same(roles(200, STAFF)),
    ("GET", "/api/v1/units/{unit_id:int}/officials"): scoped(200, STAFF),
    ("POST", "/api/v1/units/{unit_id:int}/statistics-jobs"): scoped(202, STAFF),
    ("GET", "/inspections"): same(roles(200, ("inspector", "team_lead", "admin"))),
    # Every account changes its own password (an empty form is refused as invalid);
    # only administrators see and end sign-in pauses.
    ("GET", "/account/password"): same(roles(200, ROLES)),
    ("POST", "/account/password"): same(roles(400, ROLES)),
    ("GET", "/accounts/paused"): same(roles(200, ("admin",))),
    ("POST", "/accounts/paused/unlock"): same(roles(400, ("admin",))),
    # Xác thực hai lớp: every account sees its own and revokes its own remembered
    # devices (another account's, even in its unit, is not found); new recovery codes
    # need a code (an empty form is invalid); only administrators reset one.
    ("GET", "/account/security"): same(roles(200, ROLES)),
    ("POST", "/account/security/devices/{device_id:int}/revoke"): {
        "own_unit": roles(0, (), 404),
        "other_unit": roles(0, (), 404),
        "own_record": roles(303, ROLES),
    },
    ("POST", "/account/security/recovery-codes"): same(roles(400, ROLES)),
    ("POST", "/account/security/recovery-codes.txt"): same(roles(200, ROLES)),
    ("POST", "/accounts/paused/reset-second-factor"): same(roles(400, ("admin",))),
    ("GET", "/api/v1/inspections/assigned"): same(roles(200, ROLES)),
}


# Routes without a record in their path: what they show of commune B (or, for the bulk
# actions, do to it) is checked instead.
LISTS = {key for key in MATRIX if "{" not in key[1]}


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    assert cross_unit_not_denied(MATRIX, LISTS) == []


# Of those, the ones whose call is the same whatever the target (called once per role).
ONCE = LISTS - {("POST", "/review/bulk"), ("POST", "/api/v1/findings/bulk")}


@dataclass
class ReviewMatrix:
    rw: ReviewWorld
    users: dict[str, User]
    photo: str
    findings: dict[str, int]  # target -> a notified finding with the photo, for reads


def _prepare(m: ReviewMatrix) -> Prepare:
    other_user = m.rw.users["head_b"].id
    unit_ids = {
        "own_unit": m.rw.world.commune_a.id,
        "own_record": m.rw.world.desk_a.id,
        "other_unit": m.rw.world.commune_b.id,
    }
    official_ids = {
        "own_unit": m.rw.deputy.id,
        "own_record": m.rw.world.official_a.id,
        "other_unit": m.rw.world.official_b.id,
    }

    async def prepare(role: str, method: str, path: str, target: str) -> dict[str, Any]:
        values: dict[str, Any] = {
            "finding_id": m.findings[target],
            "sha256": m.photo,
            "unit_id": unit_ids[target],
            "official_id": official_ids[target],
        }
        # A write gets a fresh finding or notification: the calls change them.
        if method == "POST" and ("{finding_id" in path or path.endswith("/bulk")):
            notified = not path.endswith("/bulk")
            values["finding_id"] = await _finding(m.rw, target, m.photo, notify=notified)
        if "{notification_id" in path:
            owner = m.users[role].id if target == "own_record" else other_user
            values["notification_id"] = await _notification(owner)
        if "{device_id" in path:
            owner = m.users[role].id if target == "own_record" else other_user
            values["device_id"] = await _device(owner)
        return values

    return prepare


async def _finding(rw: ReviewWorld, target: str, photo: str, *, notify: bool) -> int:
    if target == "other_unit":
        finding = await rw.finding(rw.world.official_b, inspection=rw.inspection_b)
    elif target == "own_record":
        finding = await rw.finding(rw.world.official_a)
    else:
        finding = await rw.finding(rw.deputy)
    evidence = await Evidence.select(Evidence.id).where(Evidence.sha256 == photo).first()
    await FindingEvidence.insert(FindingEvidence(finding=finding, evidence=evidence["id"]))
    if notify:
        await review.transition(
            await rw.actor("head_p"), finding, Command("notify"), now=datetime.now(UTC)
        )
    return finding


async def _notification(user_id: int) -> int:
    row = Notification(
        user=user_id,
        key=f"matrix:{user_id}:{datetime.now(UTC).timestamp()}",
        kind="test",
        message="Thử",
        link="/",
        created_at=datetime.now(UTC),
    )
    await row.save()
    return int(row.id)


async def _device(user_id: int) -> int:
    now = datetime.now(UTC)
    row = RememberedDevice(
        account=user_id,
        token_hash=f"{user_id}:{now.timestamp()}",
        label="Chrome — Linux",
        created_at=now,
        expires_at=now + timedelta(days=1),
    )
    await row.save()
    return int(row.id)


async def _call(client: Any, method: str, path: str, target: str, v: dict[str, Any]) -> Outcome:
    address = url(path, v)
    headers = csrf(client)
    finding = v["finding_id"]
    if method == "GET":
        return outcome_of(await client.get(address, follow_redirects=False))
    if path.endswith("/explanation"):
        response = await client.post(
            address,
            data={"text": "Tôi xin giải trình."},
            files=[("files", ("scan.png", PNG, "image/png"))],
            headers=headers,
            follow_redirects=False,
        )
    elif path.endswith("/actions"):
        response = await client.post(
            address, data={"action": "acknowledge"}, headers=headers, follow_redirects=False
        )
    elif path.endswith("/transitions"):
        response = await client.post(address, json={"action": "acknowledge"}, headers=headers)
    elif path == "/review/bulk":
        response = await client.post(
            address, data={"action": "notify", "finding_ids": str(finding)}, headers=headers
        )
    elif path == "/api/v1/findings/bulk":
        body = {"action": "notify", "finding_ids": [finding]}
        response = await client.post(address, json=body, headers=headers)
    else:
        response = await client.post(address, headers=headers, follow_redirects=False)
    if path.endswith("/bulk") and response.status_code == 200:
        notified = await FindingReview.exists().where(FindingReview.finding == finding)
        if notified != (target != "other_unit"):
            return "200 but the bulk notify crossed the unit boundary"
    return int(response.status_code)


async def test_rbac_matrix_of_review_and_organisation_routes(client, rw: ReviewWorld) -> None:
    users = await matrix_users(rw)
    await builders.serve_on(rw.inspection_a.id, users["inspector"].id)
    photo = await builders.photo(await rw.actor("inspector"))
    findings = {t: await _finding(rw, t, photo, notify=True) for t in TARGETS}
    m = ReviewMatrix(rw, users, photo, findings)
    report = await run(client, users, MATRIX, _prepare(m), _call, ONCE)
    assert not report.failures, "\n".join(report.failures)
    assert report.cases == len(MATRIX) * len(ROLES) * len(TARGETS)
    assert report.denied >= cross_unit_calls(MATRIX, LISTS)
