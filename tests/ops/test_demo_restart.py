"""A clean restart of `congvu serve --demo` (SIGTERM, as Ctrl-C or a service manager
stops it): a signed-in user stays signed in, because the embedded Redis saves its
snapshot on shutdown, and an import upload in progress at the stop finishes after the
restart. Embedded mode only: it is what `serve --demo` runs."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from congvu.inspect.demo.dossier_export import ExportSpec, generate, write_csv
from congvu.inspect.demo.dossiers import DEMO_COMMUNES
from congvu.inspect.settings import get_settings

from tests.ops.processes import demo_environment, login, processes, serve

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timing,
    pytest.mark.skipif(
        get_settings().redis_url is not None,
        reason="`serve --demo` is embedded mode: runs in the suite's embedded run",
    ),
]

DEMO_PASSWORD = "congvu-demo-2026"
ROWS = 20_000


def _job(client: httpx.Client, job_id: str) -> dict[str, object]:
    answer = client.get(f"/api/v1/jobs/{job_id}", timeout=10)
    assert answer.status_code == 200, (answer.status_code, answer.text[:500])
    body: dict[str, object] = answer.json()
    return body


def test_a_clean_restart_keeps_sessions_and_finishes_the_queued_import(tmp_path: Path) -> None:
    export = generate(ExportSpec(rows=ROWS, units=[f"{c}-PVHCC" for c in DEMO_COMMUNES]))
    path = write_csv(export, tmp_path / "ho-so.csv")
    var_dir = tmp_path / "var"
    with processes(tmp_path) as started:
        web = serve(tmp_path, "web", var_dir, "--demo", env=demo_environment(var_dir))
        started.append(web)
        web.start().wait_ready(timeout=180)
        with httpx.Client(base_url=web.url) as client:
            login(client, "admin", DEMO_PASSWORD)
            with path.open("rb") as upload:
                answer = client.post(
                    "/dossiers/import",
                    files={"file": (path.name, upload, "text/csv")},
                    data={"_csrf_token": client.cookies.get("csrftoken", "")},
                    timeout=60,
                )
            assert answer.status_code == 303, answer.text[:2000]
            job_id = answer.headers["location"].rsplit("/", 1)[-1]
            before = _job(client, job_id)
            web.stop()
            # uvicorn re-raises the SIGTERM it handled once its shutdown is complete.
            assert web.popen is not None and web.popen.returncode in (0, -15)
            assert "Application shutdown complete." in web.output(), web.output()[-3000:]

            web.start().wait_ready(timeout=180)
            # The same cookies, no new sign-in: the session came back with the snapshot.
            home = client.get("/", timeout=10)
            assert home.status_code == 200, (home.status_code, home.headers)
            deadline = time.monotonic() + 120
            while (job := _job(client, job_id))["status"] not in ("done", "failed"):
                assert time.monotonic() < deadline, (job, web.output()[-3000:])
                time.sleep(0.2)
        web.stop()
    assert before["status"] in ("queued", "running"), before
    assert job["status"] == "done", job
