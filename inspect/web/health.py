"""Liveness and readiness for the compose health checks and load balancers."""

from __future__ import annotations

import asyncio
from typing import Any

from congvu.inspect import db
from litestar import Controller, Request, Response, get


class HealthController(Controller):
    path = "/health"
    include_in_schema = False

    @get(["/", "/live"])
    async def live(self) -> dict[str, str]:
        """Liveness: the process answers. No database, no Redis: a restart would not
        bring them back, so a liveness probe must not fail with them (that is /ready's)."""
        return {"status": "ok"}

    @get("/ready")
    async def ready(self, request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
        """Readiness: the database and Redis (the queue) answer within 3 s each; 503
        naming the failing part otherwise."""
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(db.ping(), timeout=3)
            checks["database"] = "ok"
        except Exception as error:  # readiness reports every failure, whatever it is
            checks["database"] = f"error: {type(error).__name__}"
        try:
            await asyncio.wait_for(request.app.state.queue.ping(), timeout=3)
            checks["queue"] = "ok"
        except Exception as error:
            checks["queue"] = f"error: {type(error).__name__}"
        ok = all(v == "ok" for v in checks.values())
        return Response(
            {"status": "ok" if ok else "unavailable", **checks}, status_code=200 if ok else 503
        )
