"""No route is open by accident: every route outside the public ones refuses a
request without a session (401 for the API, a redirect to /login for pages, 403 for a
state change without a CSRF token)."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.rbac.spec import app_routes

pytestmark = pytest.mark.anyio

SAMPLE = {"int": "1", "uuid": str(uuid.uuid4()), "str": "x", "path": "x"}
ROUTES = sorted(app_routes())


def test_the_app_has_guarded_routes_to_check() -> None:
    assert len(ROUTES) > 40


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_route_refuses_an_anonymous_request(client, method: str, path: str) -> None:
    url = re.sub(r"\{\w+:(\w+)\}", lambda m: SAMPLE[m.group(1)], path)
    response = await client.request(method, url, follow_redirects=False)
    if path.startswith("/api/"):
        assert response.status_code in (401, 403), (method, path, response.status_code)
    elif method == "GET":
        assert response.status_code in (302, 303, 307), (method, path, response.status_code)
        assert response.headers["location"].startswith("/login")
    else:
        assert response.status_code in (302, 303, 307, 401, 403), (method, path)
