"""The RBAC matrix's vocabulary, shared by the modules of tests/rbac/: roles, targets,
the app's route list, and one runner that calls every route × role × target.

Every route of the app is specified once, in the matrix of the part it belongs to
(``test_review``: review, organisation and the home page; ``test_inspections``;
``test_dossiers``: dossiers and jobs; ``test_reports``: the quarterly report;
``test_privacy``: the personal-data download; ``test_evidence``: the PAR INDEX
evidence register).
``test_routes`` checks that together they cover the app's route list, and
``test_anonymous`` that no route outside ``PUBLIC`` answers a request without a session.

A *target* is what a route is called on:

* ``own_unit``: a record of the actor's own unit (commune A) that is not the actor's;
* ``own_record``: the actor's own record in commune A (their team's inspection, their job,
  their upload, a finding about them); for a role that cannot own one, the same record
  as ``own_unit``;
* ``other_unit``: a record of commune B. Every matrix account is scoped to commune A, so
  this is cross-unit for every role, administrators included.

A route without a record (a list, a form) is called the same way for every target, and
the page must not name anything of commune B (``LEAKS``).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from congvu.inspect.app import create_app
from congvu.inspect.organisation.tables import User

from tests import builders
from tests.conftest import login
from tests.worlds import ReviewWorld

# Path prefixes open without a session; every other route needs one.
PUBLIC = (
    "/login",
    "/logout",
    # A one-time link sets a password before there is any session.
    "/password/reset",
    # The personal-data notice (Luật 91/2025/QH15) is read before signing in.
    "/privacy",
    "/health",
    "/static",
    "/schema",
    "/locale",
    "/sw.js",
    "/manifest.webmanifest",
    # A scraper's bearer token, not a session, opens it (tests/test_metrics.py).
    "/metrics",
)
ROLES = (
    "admin",
    "team_lead",
    "inspector",
    "unit_head",
    "official",
    "council",
    "reporter",
    "personnel",
)
TARGETS = ("own_unit", "other_unit", "own_record")
STAFF = ("admin", "team_lead", "inspector", "unit_head", "council", "reporter", "personnel")
# What a page seen from commune A must never show: commune B's official, code and name.
LEAKS = ("Lê Văn Đức", "B001", "Xã Bình Minh")

Route = tuple[str, str]
Expect = dict[str, dict[str, int]]  # target -> role -> status


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


def app_routes() -> set[Route]:
    """Every route of the app that needs a session: (method, path) of all but ``PUBLIC``."""
    found = set()
    for route in create_app().routes:
        if route.path.startswith(PUBLIC):
            continue
        for method in getattr(route, "methods", ()):
            if method not in ("OPTIONS", "HEAD"):
                found.add((method, route.path))
    return found


def url(path: str, values: Mapping[str, Any]) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda m: str(values[m.group(1)]), path)


def cross_unit_not_denied(matrix: Mapping[Route, Expect], lists: set[Route]) -> list[Route]:
    """Routes on a record whose specification lets some role through to commune B."""
    return [
        key
        for key, expect in matrix.items()
        if key not in lists
        and not all(status in (403, 404) for status in expect["other_unit"].values())
    ]


def cross_unit_calls(
    matrix: Mapping[Route, Expect], lists: set[Route]
) -> set[tuple[str, str, str]]:
    """Every cross-unit call on a record the runner must see refused: (method, path,
    role)."""
    return {
        (method, path, role)
        for method, path in matrix
        if (method, path) not in lists
        for role in ROLES
    }


async def matrix_users(rw: ReviewWorld) -> dict[str, User]:
    """One account per role, all scoped to commune A (two come from the review world)."""
    users = {"unit_head": rw.users["head_a"], "official": rw.users["official_a"]}
    for role in ("admin", "team_lead", "inspector", "council", "reporter", "personnel"):
        users[role] = await builders.account(f"m_{role}", role=role, unit="P-A")
    return users


Outcome = int | str
# (role, method, path, target) -> the values of the path's parameters (and whatever
# else the call needs); then the call itself, answering the outcome to compare.
Prepare = Callable[[str, str, str, str], Awaitable[dict[str, Any]]]
Call = Callable[[Any, str, str, str, dict[str, Any]], Awaitable[Outcome]]


@dataclass
class Report:
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    # (method, path, role) of the cross-unit calls that were refused as specified.
    denied: set[tuple[str, str, str]] = field(default_factory=set)


def leak_of(text: str) -> str | None:
    return next((secret for secret in LEAKS if secret in text), None)


async def run(
    client: Any,
    users: dict[str, User],
    matrix: Mapping[Route, Expect],
    prepare: Prepare,
    call: Call,
    once: Set[Route] = frozenset(),
) -> Report:
    """Every route × role × target: log in once per role, call, compare the outcome
    (the status, or "<status> shows <secret>" when a page names commune B). A route in
    ``once`` does not depend on the target: it is called once per role, as for
    ``other_unit``, and that outcome stands for every target."""
    report = Report()
    assert all(matrix[key]["own_unit"] == matrix[key][t] for key in once for t in TARGETS)
    for role in ROLES:
        await login(client, users[role].username)
        for (method, path), expect in matrix.items():
            shared: tuple[str, Outcome] | None = None
            for target in TARGETS:
                if shared is None or (method, path) not in once:
                    as_target = "other_unit" if (method, path) in once else target
                    values = await prepare(role, method, path, as_target)
                    shared = url(path, values), await call(client, method, path, as_target, values)
                address, outcome = shared
                _compare(
                    report, (method, path, target, role), address, outcome, expect[target][role]
                )
    return report


def _compare(
    report: Report,
    key: tuple[str, str, str, str],
    address: str,
    outcome: Outcome,
    wanted: int,
) -> None:
    method, path, target, role = key
    report.cases += 1
    if outcome != wanted:
        report.failures.append(f"{role} {method} {address} [{target}]: {outcome} != {wanted}")
    elif target == "other_unit" and wanted in (403, 404):
        report.denied.add((method, path, role))


def outcome_of(response: Any) -> Outcome:
    """The status, or the status and what of commune B a successful page shows."""
    if response.status_code == 200 and response.headers.get("content-type", "").startswith(
        ("text/", "application/json")
    ):
        secret = leak_of(response.text)
        if secret:
            return f"{response.status_code} shows {secret}"
    return int(response.status_code)
