"""Health endpoints for compose and load balancers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def test_live_and_ready(client) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "queue": "ok"}


async def test_ready_reports_a_lost_queue(client) -> None:
    await client.app.state.queue.aclose()  # type: ignore[attr-defined]
    client.app.state.queue = _Broken()  # type: ignore[attr-defined]
    ready = await client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["queue"].startswith("error")
    assert ready.json()["database"] == "ok"


class _Broken:
    async def ping(self) -> bool:
        raise ConnectionError("redis is gone")

    async def aclose(self) -> None:
        return None


async def test_openapi_schema_documents_the_json_api(client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/units/{unit_id}/officials" in schema["paths"]
    assert "/api/v1/jobs/{job_id}" in schema["paths"]


async def test_liveness_does_not_touch_the_database_or_redis(client) -> None:
    client.app.state.queue = _Broken()  # type: ignore[attr-defined]
    from congvu.inspect import db

    original = db.ping

    async def broken() -> None:
        raise ConnectionError("database is gone")

    db.ping = broken  # type: ignore[assignment]
    try:
        assert (await client.get("/health")).status_code == 200
        ready = await client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["database"].startswith("error")
    finally:
        db.ping = original  # type: ignore[assignment]
