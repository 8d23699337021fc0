"""The two baselines of P2 (tests/bench/bench_finding_write.py), each an app that uvicorn
starts in a process of its own (``--factory finding_apps:insert_app``, from this folder).
They are part of the benchmark, not of the product."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import datetime
from typing import Any


def insert_app() -> Any:
    """Baseline (a): one durable insert of the request's JSON through the same engine and
    the same write-transaction helper, nothing else."""
    from congvu.inspect import db
    from litestar import Litestar, post
    from piccolo.columns import JSON, Serial, Timestamptz
    from piccolo.table import Table

    class BenchWrite(Table, tablename="bench_write"):
        id: Serial
        body = JSON()
        received_at = Timestamptz()

    @post("/baseline", status_code=201)
    async def write(data: dict[str, Any]) -> dict[str, Any]:
        async with db.atomic():
            row = BenchWrite(body=data, received_at=datetime.now().astimezone())
            await row.save()
        return {"id": row.id}

    async def startup() -> None:
        await db.prepare()
        await BenchWrite.create_table(if_not_exists=True)

    async def shutdown() -> None:
        await db.close()

    return Litestar([write], on_startup=[startup], on_shutdown=[shutdown])


def bare_app() -> Any:
    """Baseline (b): a bare endpoint doing the integrity work of the full one and nothing
    else, in the plainest way the stack allows: the session read from the same Redis
    (one GETEX, as the real session store), the CSRF token checked against the HMAC of
    the session id (as the real check), then in one transaction the finding with its
    foreign keys (the inspection's unit read in it), its audit event and its sync receipt.
    No validation, no scope or team check, no rules, no caches."""
    import redis.asyncio as aioredis
    from congvu.inspect import db
    from congvu.inspect.audit.api import record as audit_record
    from congvu.inspect.embedded_redis import EmbeddedRedis
    from congvu.inspect.inspections.tables import Finding, Inspection, SyncReceipt
    from congvu.inspect.settings import get_settings
    from litestar import Litestar, Request, post
    from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

    settings = get_settings()
    # The full app started the embedded Redis (it runs first) and owns it.
    redis = aioredis.Redis.from_url(settings.redis_url or EmbeddedRedis(settings.var_dir).url)
    secret = settings.secret_key.encode()

    @post("/bare", status_code=201)
    async def write(request: Request[Any, Any, Any], data: dict[str, Any]) -> dict[str, Any]:
        session_id = request.cookies.get("congvu_session", "")
        stored = await redis.getex(f"congvu:sessions:{session_id}", ex=8 * 3600)
        if stored is None:
            raise NotAuthorizedException()
        user_id = json.loads(stored)["user_id"]
        expected = hmac.new(secret, f"csrf:{session_id}".encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.headers.get("x-csrftoken", "")[:64], expected):
            raise PermissionDeniedException()
        record = data["records"][0]
        payload = record["payload"]
        now = datetime.now().astimezone()
        async with db.atomic():
            unit = (
                await Inspection.select(Inspection.unit)
                .where(Inspection.id == record["inspection_id"])
                .first()
            )
            finding = Finding(
                client_uuid=uuid.UUID(record["uuid"]),
                inspection=record["inspection_id"],
                official=payload["official_id"],
                unit=unit["unit"],  # type: ignore[index]
                violation_code=payload["violation_code"],
                rule_id="conduct.bench",
                rule_version="1",
                legal_basis="",
                explanation_vi="",
                explanation_en="",
                facts=payload["facts"],
                observed_at=datetime.fromisoformat(payload["observed_at"]),
                recorded_by=user_id,
                created_at=now,
            )
            await finding.save()
            await audit_record("finding.create", "finding", finding.id, after=payload)
            answer = {"uuid": record["uuid"], "status": "created", "id": finding.id}
            await SyncReceipt(
                id=uuid.UUID(record["uuid"]),
                record_type="finding",
                inspection_id=record["inspection_id"],
                content_hash=hashlib.sha256(json.dumps(record).encode()).hexdigest(),
                http_status=201,
                response=answer,
                user=user_id,
                received_at=now,
            ).save()
        return {"results": [answer]}

    async def startup() -> None:
        await db.prepare()

    async def shutdown() -> None:
        await db.close()
        await redis.aclose()

    return Litestar([write], on_startup=[startup], on_shutdown=[shutdown])
