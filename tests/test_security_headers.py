"""Every response carries the security headers (inspect/web/headers.py): an HTML page,
a JSON route, a photo, a static file, an error, a redirect to /login."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import httpx
import pytest
from congvu.inspect import clock
from congvu.inspect.app import create_app
from congvu.inspect.capture.services import evidence
from congvu.inspect.settings import get_settings

from tests import builders
from tests.conftest import csrf, login
from tests.worlds import World

pytestmark = pytest.mark.anyio


def _common(response: Any) -> None:
    h = response.headers
    csp = h["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "same-origin"
    # Served over http (the test app's public URL): no HSTS.
    assert "strict-transport-security" not in h


def _private(response: Any) -> None:
    _common(response)
    assert response.headers["cache-control"] == "no-store"
    policy = response.headers["permissions-policy"]
    assert "camera=()" in policy and "geolocation=()" in policy


async def test_an_html_page_a_json_route_and_a_photo(client, world: World) -> None:
    data = builders.png()
    sha = hashlib.sha256(data).hexdigest()
    await evidence.store(await builders.actor(world.users["inspector"]), sha, data, None)
    await login(client, "inspector")

    page = await client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    _private(page)
    api = await client.get("/api/v1/inspections/assigned")
    assert api.status_code == 200 and "json" in api.headers["content-type"]
    _private(api)
    photo = await client.get(f"/api/v1/evidence/{sha}")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"
    _private(photo)


async def test_errors_and_the_redirect_to_login_too(client, world: World) -> None:
    redirect = await client.get("/review", follow_redirects=False)
    assert redirect.status_code in (302, 303, 307)
    _private(redirect)
    await login(client, "official_a")
    missing = await client.get("/no-such-page")
    assert missing.status_code == 404
    _private(missing)
    refused = await client.get("/review")
    assert refused.status_code == 403
    _private(refused)


async def test_a_static_file_keeps_its_caching(client, world: World) -> None:
    css = await client.get("/static/css/app.css")
    assert css.status_code == 200
    _common(css)
    assert "no-store" not in css.headers.get("cache-control", "")
    # The service worker chose its own (revalidate on every load).
    worker = await client.get("/sw.js")
    assert worker.headers["cache-control"] == "no-cache"


async def test_camera_and_position_only_on_the_capture_page(client, world: World) -> None:
    inspection = await builders.inspection(
        world.commune_a, clock.today(), members=[world.users["inspector"]]
    )
    await login(client, "inspector")
    page = await client.get(f"/inspections/{inspection.id}/capture")
    assert page.status_code == 200
    policy = page.headers["permissions-policy"]
    assert "camera=(self)" in policy and "geolocation=(self)" in policy
    assert "microphone=()" in policy
    listing = await client.get("/inspections")
    assert "camera=()" in listing.headers["permissions-policy"]


async def test_logout_clears_the_http_cache_but_not_the_offline_queue(client, world: World) -> None:
    await login(client, "inspector")
    response = await client.post("/logout", headers=csrf(client), follow_redirects=False)
    assert response.status_code == 303
    # "cache" only: "storage" would also empty IndexedDB, the tablet's unsent records.
    assert response.headers["clear-site-data"] == '"cache"'
    assert response.headers["cache-control"] == "no-store"


async def test_hsts_only_behind_an_https_public_url(world: World) -> None:
    settings = dataclasses.replace(get_settings(), public_url="https://congvu.example.vn")
    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
            response = await c.get("/login")
    assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_a_translated_message_is_text_not_markup_nor_a_format() -> None:
    env = create_app(get_settings()).template_engine.engine  # type: ignore[union-attr]
    rendered = env.from_string("{{ _(message) }}").render(message="100% <b>đúng</b> %s")
    assert rendered == "100% &lt;b&gt;đúng&lt;/b&gt; %s"


async def test_only_the_api_viewer_pages_have_a_looser_policy(client, world: World) -> None:
    viewer = await client.get("/schema/swagger")
    assert "'unsafe-inline'" in viewer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in viewer.headers["content-security-policy"]
    document = await client.get("/schema/openapi.json")
    _private(document)
