"""The client address that rate limits count and the audit trail records: X-Forwarded-For
is believed only from a proxy of CONGVU_TRUSTED_PROXIES, the way `congvu serve` runs
uvicorn (whose own default believes it from 127.0.0.1)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest
import uvicorn
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.cli import server_options
from congvu.inspect.settings import SettingsError, get_settings, load_settings

pytestmark = pytest.mark.anyio


def _served(client: Any, trusted: tuple[str, ...]) -> httpx.AsyncClient:
    """The app as `congvu serve` hands it to uvicorn, called from 127.0.0.1."""
    settings = replace(get_settings(), trusted_proxies=trusted)
    config = uvicorn.Config(client.app, **server_options(settings, "127.0.0.1", 8000))
    config.load()
    transport = httpx.ASGITransport(app=config.loaded_app, client=("127.0.0.1", 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver.local")


async def _forged_logins(served: httpx.AsyncClient, count: int) -> list[int]:
    statuses = []
    for i in range(count):
        page = await served.get("/login", headers={"x-forwarded-for": f"203.0.113.{i}"})
        assert page.status_code == 200
        answer = await served.post(
            "/login",
            data={
                "username": f"nobody-{i}",
                "password": "x",
                "_csrf_token": served.cookies["csrftoken"],
            },
            headers={"x-forwarded-for": f"203.0.113.{i}"},
        )
        statuses.append(answer.status_code)
    return statuses


async def test_a_forged_forwarded_for_neither_escapes_the_limit_nor_reaches_the_audit(
    client, world
) -> None:
    async with _served(client, trusted=()) as served:
        statuses = await _forged_logins(served, 35)
    assert statuses[:30] == [401] * 30
    assert statuses[30:] == [429] * 5
    addresses = {
        e["ip"]
        for e in await AuditEvent.select(AuditEvent.ip).where(AuditEvent.action == "login_failed")
    }
    assert addresses == {"127.0.0.1"}


async def test_a_trusted_proxy_names_the_client(client, world) -> None:
    async with _served(client, trusted=("127.0.0.0/8",)) as served:
        statuses = await _forged_logins(served, 3)
    assert statuses == [401] * 3
    addresses = {
        e["ip"]
        for e in await AuditEvent.select(AuditEvent.ip).where(AuditEvent.action == "login_failed")
    }
    assert addresses == {"203.0.113.0", "203.0.113.1", "203.0.113.2"}


def test_trusted_proxies_are_addresses_or_networks() -> None:
    assert load_settings({}).trusted_proxies == ()
    parsed = load_settings({"CONGVU_TRUSTED_PROXIES": "10.0.0.5, 172.30.57.0/24"})
    assert parsed.trusted_proxies == ("10.0.0.5", "172.30.57.0/24")
    with pytest.raises(SettingsError, match="CONGVU_TRUSTED_PROXIES"):
        load_settings({"CONGVU_TRUSTED_PROXIES": "proxy.local"})
