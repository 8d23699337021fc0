"""Sync and uploads are limited per client address and per account (429 with
Retry-After), with defaults that a tablet's normal bursts never reach."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from congvu.inspect.app import create_app
from congvu.inspect.settings import get_settings

from tests.conftest import csrf, login
from tests.worlds import World

pytestmark = pytest.mark.anyio

EMPTY_BATCH: dict[str, Any] = {"records": []}


@pytest.fixture
async def limited(world: World) -> AsyncIterator[Any]:
    """Opens clients on one app with small limits, from 127.0.0.1 unless told."""
    settings = replace(
        get_settings(),
        sync_per_minute_account=3,
        sync_per_minute_address=5,
        uploads_per_minute_account=2,
        uploads_per_minute_address=100,
    )
    app = create_app(settings)
    async with app.lifespan():
        await app.state.queue.flushdb()
        clients: list[httpx.AsyncClient] = []

        async def open_client(username: str, address: str = "127.0.0.1") -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=(address, 40000))
            opened = httpx.AsyncClient(transport=transport, base_url="http://testserver.local")
            clients.append(opened)
            assert (await login(opened, username)).status_code == 303
            return opened

        yield open_client
        for opened in clients:
            await opened.aclose()


async def _sync(client: Any) -> httpx.Response:
    return await client.post("/api/v1/sync", json=EMPTY_BATCH, headers=csrf(client))


async def test_sync_is_limited_per_account(limited) -> None:
    inspector = await limited("inspector")
    statuses = [(await _sync(inspector)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = await _sync(inspector)
    assert 0 < int(refused.headers["retry-after"]) <= 60
    assert refused.headers["content-type"].startswith("application/problem+json")
    # Another account (from elsewhere: the address has used its own allowance) still
    # has its own.
    other = await limited("head_a", "192.0.2.7")
    assert (await _sync(other)).status_code == 200


async def test_sync_is_limited_per_address(limited) -> None:
    first, second = await limited("inspector"), await limited("head_a")
    statuses = [(await _sync(c)).status_code for c in (first, second, first, second, first)]
    assert statuses == [200] * 5
    assert (await _sync(second)).status_code == 429


async def test_uploads_are_limited_per_account(limited) -> None:
    inspector = await limited("inspector")
    statuses = []
    for _ in range(3):
        answer = await inspector.put(
            "/api/v1/evidence/" + "0" * 64,
            content=b"not an image",
            headers={"content-type": "image/jpeg"} | csrf(inspector),
        )
        statuses.append(answer.status_code)
    assert 429 not in statuses[:2]
    assert statuses[2] == 429


async def test_a_tablets_normal_burst_passes_the_default_limits(client, world) -> None:
    """A day offline sent at once: a few sync batches and every photo, within seconds."""
    await login(client, "inspector")
    for _ in range(20):
        assert (await _sync(client)).status_code == 200
    for i in range(60):
        answer = await client.put(
            f"/api/v1/evidence/{i:064x}",
            content=b"not an image",
            headers={"content-type": "image/jpeg"} | csrf(client),
        )
        assert answer.status_code != 429
