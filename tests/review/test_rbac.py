"""The RBAC matrix: every role × every review route (and the older organisation and
inspection routes) × own unit / other unit / own record, over HTTP.

The route list comes from the app's route table: a new route under a review prefix
without an entry here fails ``test_every_route_has_a_matrix_entry``. Every account is
scoped to commune A, so "other unit" (commune B) is cross-unit for every role, and
every cross-unit read and write must be refused (403/404).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from congvu.inspect.inspections.tables import Evidence, FindingEvidence, InspectionMember
from congvu.inspect.review.tables import FindingReview, Notification
from congvu.inspect.services import accounts, review
from congvu.inspect.services.review import Command
from congvu.inspect.tables import User

from tests.conftest import PASSWORD, csrf, login
from tests.review.conftest import ReviewWorld, stored_photo

pytestmark = pytest.mark.anyio

ROLES = ("admin", "team_lead", "inspector", "unit_head", "official", "council", "reporter")
TARGETS = ("own_unit", "other_unit", "own_record")
STAFF = ("admin", "team_lead", "inspector", "unit_head", "council", "reporter")
# Prefixes whose every route must be in the matrix, and the older routes checked too.
PREFIXES = ("/review", "/findings", "/my-findings", "/notifications", "/api/v1/findings")
PREFIXES += ("/api/v1/notifications",)
OLDER = {
    ("GET", "/units"),
    ("GET", "/units/{unit_id:int}"),
    ("POST", "/units/{unit_id:int}/statistics"),
    ("GET", "/api/v1/units"),
    ("GET", "/api/v1/units/{unit_id:int}/officials"),
    ("POST", "/api/v1/units/{unit_id:int}/statistics-jobs"),
    ("GET", "/inspections"),
    ("GET", "/plans"),
    ("GET", "/api/v1/inspections/assigned"),
}

Expect = dict[str, dict[str, int]]


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()  # target -> role -> status


def same(by_role: dict[str, int]) -> Expect:
    return {t: by_role for t in TARGETS}


def roles(ok: int, allowed: tuple[str, ...], denied: int = 403) -> dict[str, int]:
    return {r: ok if r in allowed else denied for r in ROLES}


def scoped(ok: int, allowed: tuple[str, ...], outside: int = 404) -> Expect:
    """Unit routes: in scope for the allowed roles, 404 across units, 403 by role."""
    in_unit = roles(ok, allowed)
    return {
        "own_unit": in_unit,
        "own_record": in_unit,
        "other_unit": {r: outside if r in allowed else 403 for r in ROLES},
    }


def finding_rule(own_unit: dict[str, int], own_record: dict[str, int]) -> Expect:
    return {"own_unit": own_unit, "own_record": own_record, "other_unit": roles(0, (), 404)}


READ = finding_rule(
    own_unit={**roles(200, ("admin", "team_lead", "inspector", "unit_head"), 404)},
    own_record={**roles(200, ("admin", "team_lead", "inspector", "unit_head", "official"), 404)},
)


def act(ok: int) -> Expect:
    # acknowledge on a notified finding: reviewers and the subject; readers without the
    # role 403; those who cannot see it 404.
    base = {"team_lead": 403, "inspector": 403, "council": 404, "reporter": 404}
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

MATRIX: dict[tuple[str, str], Expect] = {
    ("GET", "/review"): same(roles(200, ("admin", "unit_head"))),
    ("POST", "/review/bulk"): same(roles(200, ("admin", "unit_head"))),
    ("GET", "/findings/{finding_id:int}"): READ,
    ("GET", "/findings/{finding_id:int}/photos/{sha256:str}"): READ,
    ("POST", "/findings/{finding_id:int}/actions"): act(303),
    ("POST", "/findings/{finding_id:int}/explanation"): EXPLAIN,
    ("GET", "/my-findings"): same(roles(200, ROLES)),
    ("GET", "/notifications"): same(roles(200, ROLES)),
    ("GET", "/notifications/count"): same(roles(200, ROLES)),
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
    ("GET", "/units"): same(roles(200, STAFF)),
    ("GET", "/units/{unit_id:int}"): scoped(200, STAFF),
    ("POST", "/units/{unit_id:int}/statistics"): scoped(303, STAFF),
    ("GET", "/api/v1/units"): same(roles(200, STAFF)),
    ("GET", "/api/v1/units/{unit_id:int}/officials"): scoped(200, STAFF),
    ("POST", "/api/v1/units/{unit_id:int}/statistics-jobs"): scoped(202, STAFF),
    ("GET", "/inspections"): same(roles(200, ("inspector", "team_lead", "admin"))),
    ("GET", "/plans"): same(roles(200, ("team_lead", "admin"))),
    ("GET", "/api/v1/inspections/assigned"): same(roles(200, ROLES)),
}


def _app_routes() -> set[tuple[str, str]]:
    from congvu.inspect.app import create_app

    found = set()
    for route in create_app().routes:
        for method in getattr(route, "methods", ()):
            if method in ("OPTIONS", "HEAD"):
                continue
            if route.path.startswith(PREFIXES) or (method, route.path) in OLDER:
                found.add((method, route.path))
    return found


def test_every_route_has_a_matrix_entry() -> None:
    assert _app_routes() == set(MATRIX)


def test_every_cross_unit_case_is_denied_in_the_matrix() -> None:
    for key, expect in MATRIX.items():
        if "{" not in key[1]:
            continue  # lists: checked by content in the test below
        assert all(status in (403, 404) for status in expect["other_unit"].values()), key


@dataclass
class Targets:
    findings: dict[str, int]
    photo: str
    units: dict[str, int]
    notifications: dict[str, int]


async def _matrix_users(rw: ReviewWorld) -> dict[str, User]:
    users = {"unit_head": rw.users["head_a"], "official": rw.users["official_a"]}
    for role in ("admin", "team_lead", "inspector", "council", "reporter"):
        users[role] = await accounts.create_user(
            username=f"m_{role}",
            password=PASSWORD,
            role=role,
            unit_code="P-A",
            display_name=f"m_{role}",
        )
    await InspectionMember.insert(
        InspectionMember(
            inspection=rw.inspection_a.id, user=users["inspector"].id, role="thanh_vien"
        )
    )
    return users


async def _finding(rw: ReviewWorld, target: str, photo: str, *, notify: bool = True) -> int:
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


def _url(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda m: str(values[m.group(1)]), path)


async def _call(client: Any, method: str, url: str, path: str, finding: int | None) -> Any:
    headers = csrf(client)
    if method == "GET":
        return await client.get(url, follow_redirects=False)
    if path.endswith("/explanation"):
        return await client.post(
            url,
            data={"text": "Tôi xin giải trình."},
            files=[("files", ("scan.png", PNG, "image/png"))],
            headers=headers,
            follow_redirects=False,
        )
    if path.endswith("/actions"):
        return await client.post(
            url, data={"action": "acknowledge"}, headers=headers, follow_redirects=False
        )
    if path.endswith("/transitions"):
        return await client.post(url, json={"action": "acknowledge"}, headers=headers)
    if path == "/review/bulk":
        return await client.post(
            url, data={"action": "notify", "finding_ids": str(finding)}, headers=headers
        )
    if path == "/api/v1/findings/bulk":
        body = {"action": "notify", "finding_ids": [finding]}
        return await client.post(url, json=body, headers=headers)
    return await client.post(url, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("role", ROLES)
async def test_rbac_matrix(client, rw: ReviewWorld, role: str) -> None:
    users = await _matrix_users(rw)
    photo = await stored_photo(await rw.actor("inspector"))
    await login(client, users[role].username)
    unit_ids = {
        "own_unit": rw.world.commune_a.id,
        "own_record": rw.world.desk_a.id,
        "other_unit": rw.world.commune_b.id,
    }
    other_user = rw.users["head_b"].id
    failures: list[str] = []
    denied_cross_unit = 0
    for (method, path), expect in MATRIX.items():
        for target in TARGETS:
            bulk = path.endswith("/bulk")
            finding = await _finding(rw, target, photo, notify=not bulk)
            notification = await _notification(
                users[role].id if target == "own_record" else other_user
            )
            values = {
                "finding_id": finding,
                "sha256": photo,
                "unit_id": unit_ids[target],
                "notification_id": notification,
            }
            url = _url(path, values)
            response = await _call(client, method, url, path, finding)
            wanted = expect[target][role]
            if response.status_code != wanted:
                failures.append(
                    f"{role} {method} {url} [{target}]: {response.status_code} != {wanted}"
                )
                continue
            if target == "other_unit" and "{" in path:
                denied_cross_unit += 1
            if bulk and response.status_code == 200:
                await _check_bulk(finding, target, failures, f"{role} {path}")
            elif method == "GET":
                _check_no_leak(response, failures, f"{role} {method} {url}")
    assert not failures, "\n".join(failures)
    with_ids = sum(1 for (_, p) in MATRIX if "{" in p)
    assert denied_cross_unit == with_ids


async def _check_bulk(finding: int, target: str, failures: list[str], where: str) -> None:
    notified = await FindingReview.exists().where(FindingReview.finding == finding)
    if notified != (target != "other_unit"):
        failures.append(f"{where} [{target}]: bulk notify crossed the unit boundary")


def _check_no_leak(response: Any, failures: list[str], where: str) -> None:
    """A list seen across units must not name commune B's people or unit."""
    if response.status_code != 200:
        return
    text = response.text
    for secret in ("Lê Văn Đức", "B001", "Xã Bình Minh"):
        if secret in text:
            failures.append(f"{where}: shows {secret!r} of another unit")
