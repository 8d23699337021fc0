"""/metrics: the Prometheus text format behind a bearer token, request latency by route
template, job durations and failures, queue depth and the audit sealer's lag, summed
over processes when PROMETHEUS_MULTIPROC_DIR is set."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from congvu.inspect.settings import get_settings
from congvu.jobs.worker import WorkerSettings, measured
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from tests.test_audit_chain import write_events

pytestmark = pytest.mark.anyio

TOKEN = "metrics-test-token-that-is-long-enough-0123456789"
BEARER = {"authorization": f"Bearer {TOKEN}"}


@pytest.fixture
async def scraped(world: Any) -> AsyncIterator[Any]:
    """A client on an app whose settings carry a metrics token."""
    import httpx
    from congvu.inspect.app import create_app

    app = create_app(dataclasses.replace(get_settings(), metrics_token=TOKEN))
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t.local") as client:
            yield client


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_without_a_token_configured_there_is_no_metrics_endpoint(client) -> None:
    assert (await client.get("/metrics")).status_code == 404


async def test_a_scrape_needs_the_bearer_token(scraped) -> None:
    assert (await scraped.get("/metrics")).status_code == 401
    wrong = await scraped.get("/metrics", headers={"authorization": "Bearer " + "x" * 48})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")
    answer = await scraped.get("/metrics", headers=BEARER)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")


async def test_requests_are_timed_by_route_template_not_raw_path(scraped) -> None:
    await scraped.get("/inspections/4711/minutes")  # no session: refused, but routed
    await scraped.get("/inspections/4712/minutes")
    found = samples((await scraped.get("/metrics", headers=BEARER)).text)
    routes = {
        dict(labels)["route"]
        for (name, labels) in found
        if name == "congvu_http_request_duration_seconds_count"
    }
    assert "/inspections/{inspection_id}/minutes" in routes, routes
    assert not any("4711" in r for r in routes)


async def test_queue_depth_and_the_sealers_lag_are_read_at_scrape_time(scraped) -> None:
    await write_events(3)
    found = samples((await scraped.get("/metrics", headers=BEARER)).text)
    assert found[("congvu_queue_depth", frozenset())] >= 0
    assert found[("congvu_audit_unsealed_events", frozenset())] >= 0
    assert found[("congvu_audit_seal_lag_seconds", frozenset())] >= 0
    assert ("congvu_audit_checkpoint_age_seconds", frozenset()) in found


async def test_jobs_are_timed_and_their_failures_counted_by_name() -> None:
    async def fails(ctx: dict[str, Any]) -> None:
        raise RuntimeError("boom")

    async def works(ctx: dict[str, Any]) -> int:
        return 1

    def value(name: str, job: str) -> float:
        return REGISTRY.get_sample_value(name, {"job": job}) or 0.0

    before = value("congvu_job_failures_total", "test_fails")
    with pytest.raises(RuntimeError):
        await measured("test_fails", fails)({})
    assert await measured("test_works", works)({}) == 1
    assert value("congvu_job_failures_total", "test_fails") == before + 1
    assert value("congvu_job_duration_seconds_count", "test_works") >= 1
    assert value("congvu_job_failures_total", "test_works") == 0
    # Every job and cron of the worker goes through it.
    names = [f.coroutine.__wrapped__.__name__ for f in WorkerSettings.functions]  # type: ignore[attr-defined]
    names += [c.coroutine.__wrapped__.__name__ for c in WorkerSettings.cron_jobs]
    assert "checkpoint_audit_trail" in names and "dossier_import_task" in names


COUNT_ONE = """
from congvu.inspect.web import metrics
metrics.JOB_FAILURES.labels("multi").inc()
"""
SCRAPE = """
import sys
from congvu.inspect.web import metrics
sys.stdout.write(metrics.exposition().decode())
"""


def test_processes_add_up_in_multiprocess_mode(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    def python(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    python(COUNT_ONE)
    python(COUNT_ONE)
    found = samples(python(SCRAPE))
    assert found[("congvu_job_failures_total", frozenset({("job", "multi")}))] == 2
