"""``/metrics`` in the Prometheus text format, and the metrics every part records.

Which requests are slow (by route template, never the raw path: one series per route,
not per finding id), what the tablets' syncs end in, how long jobs take and how often
they fail, how deep the job queue is, how far the audit sealer lags behind, how many
rows imports read.

Protected by a bearer token (CONGVU_METRICS_TOKEN): a scraper has no session, and
"only from localhost" would open it to everyone behind a reverse proxy on the same
host. Without a token configured the endpoint does not exist (404).

Several processes (the web's workers, ``congvu worker``) each count their own: with
PROMETHEUS_MULTIPROC_DIR set, prometheus-client keeps the values in files there and a
scrape adds them up (the directory must be emptied before the processes start).
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response, get
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

PATH = "/metrics"
# The classic text format every Prometheus reads (the names here need none of the
# newer format's escaping); Litestar appends the charset.
CONTENT_TYPE = "text/plain; version=0.0.4"
UNMATCHED = "<unmatched>"

REQUEST_SECONDS = Histogram(
    "congvu_http_request_duration_seconds",
    "Time to answer a request, by route template, method and status code.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SYNC_RECORDS = Counter(
    "congvu_sync_records_total",
    "Records the tablets sent to /api/v1/sync, by outcome (created, replayed, conflict, refused).",
    ["outcome"],
)
JOB_SECONDS = Histogram(
    "congvu_job_duration_seconds",
    "Run time of a background job or cron, by job name.",
    ["job"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0),
)
JOB_FAILURES = Counter(
    "congvu_job_failures_total", "Background jobs and crons that raised, by job name.", ["job"]
)
IMPORT_ROWS = Counter(
    "congvu_import_rows_total",
    "Rows of one-stop dossier imports, by outcome (new, changed, unchanged, rejected).",
    ["outcome"],
)
# Set at scrape time by the probe of the process answering it.
QUEUE_DEPTH = Gauge(
    "congvu_queue_depth",
    "Jobs waiting in the arq queue.",
    multiprocess_mode="livemostrecent",
)
AUDIT_UNSEALED = Gauge(
    "congvu_audit_unsealed_events",
    "Audit events written but not yet sealed into the hash chain.",
    multiprocess_mode="livemostrecent",
)
AUDIT_SEAL_LAG = Gauge(
    "congvu_audit_seal_lag_seconds",
    "Age of the oldest unsealed audit event (0 when every event is sealed).",
    multiprocess_mode="livemostrecent",
)
AUDIT_CHECKPOINT_AGE = Gauge(
    "congvu_audit_checkpoint_age_seconds",
    "Seconds since the latest signed audit checkpoint was written (-1: none yet).",
    multiprocess_mode="livemostrecent",
)

Probe = Callable[[Request[Any, Any, Any]], Awaitable[None]]


def route_of(scope: Scope) -> str:
    """The route template the router matched ("/inspections/{inspection_id}/minutes")."""
    return str(scope.get("path_template") or UNMATCHED)


def measure_requests(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: every routed HTTP request's duration, labelled once it is
    answered (the status is known only then). Litestar runs app middleware around a
    matched route only: a path matching no route (a cheap 404) is not timed."""

    async def measured(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await app(scope, receive, record_status)
        finally:
            method = str(scope.get("method", ""))
            REQUEST_SECONDS.labels(route_of(scope), method, str(status)).observe(
                time.perf_counter() - started
            )

    return measured


def exposition() -> bytes:
    """Every metric in the text format, summed over processes in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()


def authorised(header: str | None, token: str | None) -> bool:
    if token is None or header is None:
        return False
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


@get(PATH, include_in_schema=False)
async def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
    token = request.app.state.settings.metrics_token
    if token is None:
        return Response(b"Not Found\n", status_code=404, media_type="text/plain")
    if not authorised(request.headers.get("authorization"), token):
        return Response(
            b"Unauthorized\n",
            status_code=401,
            media_type="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="congvu metrics"'},
        )
    probe: Probe | None = request.app.state.get("metrics_probe")
    if probe is not None:
        await probe(request)
    return Response(exposition(), media_type=CONTENT_TYPE)
