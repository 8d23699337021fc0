"""Logging for operators: one handler, key=value or JSON lines, each naming its request
or job; what is logged on errors, jobs, the audit sealer and logins, and what never is."""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from congvu.inspect import db, logs
from congvu.inspect.audit import api as audit
from congvu.inspect.audit.services import chain
from congvu.inspect.background.services import records as job_service
from congvu.inspect.background.tables import JobRecord, JobStatus
from congvu.inspect.settings import SettingsError, get_settings, load_settings
from congvu.jobs import worker as worker_module

from tests.conftest import PASSWORD, World, login

pytestmark = pytest.mark.anyio


class Lines(logging.Handler):
    """Formats each record when it is logged, in the caller's context (request and job
    ids are context variables), as the real handler does."""

    def __init__(self, log_format: str) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logs.formatter(log_format))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def json(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines]

    def having(self, msg: str) -> list[dict[str, Any]]:
        return [line for line in self.json() if line["msg"] == msg]


def capture_lines(log_format: str) -> Iterator[Lines]:
    handler = Lines(log_format)
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "congvu")}
    root.addHandler(handler)
    # As in production with CONGVU_DEBUG: congvu's debug lines, everyone else's info.
    root.setLevel(logging.INFO)
    logging.getLogger("congvu").setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def captured() -> Iterator[Lines]:
    """Every line, as JSON (the fields of both formats are the same)."""
    yield from capture_lines("json")


@pytest.fixture
def text_lines() -> Iterator[Lines]:
    yield from capture_lines("text")


def _settings(log_format: str = "text") -> Any:
    return dataclasses.replace(get_settings(), log_format=log_format)


# --- configuration ---------------------------------------------------------------------


def test_the_format_is_a_strict_setting(tmp_path: Path) -> None:
    environ = {"CONGVU_VAR_DIR": str(tmp_path), "CONGVU_LOG_FORMAT": "json"}
    assert load_settings(environ).log_format == "json"
    assert load_settings({"CONGVU_VAR_DIR": str(tmp_path)}).log_format == "text"
    with pytest.raises(SettingsError) as error:
        load_settings({**environ, "CONGVU_LOG_FORMAT": "logfmt"})
    assert error.value.variable == "CONGVU_LOG_FORMAT"
    assert "text, json" in str(error.value)


def test_configure_is_idempotent_and_routes_uvicorn_and_arq(capsys) -> None:
    root = logging.getLogger()
    try:
        for _ in range(3):
            logs.configure(_settings("json"))
        assert sum(isinstance(h, logs.StderrHandler) for h in root.handlers) == 1
        for name in ("uvicorn.error", "uvicorn.access", "arq.worker"):
            assert logging.getLogger(name).handlers == []
            assert logging.getLogger(name).propagate
        logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
        logging.getLogger("arq.worker").info("Starting worker for %d functions", 2)
        err = capsys.readouterr().err.splitlines()
        lines = [json.loads(line) for line in err if line.startswith("{")]
        assert [(line["logger"], line["msg"]) for line in lines] == [
            ("uvicorn.error", "Started server process [42]"),
            ("arq.worker", "Starting worker for 2 functions"),
        ]
        logs.configure(_settings("text"))
        logging.getLogger("congvu.test").warning("plain %s", "text")
        (line,) = [x for x in capsys.readouterr().err.splitlines() if "logger=congvu.test" in x]
        assert line.startswith("ts=") and ' msg="plain text"' in line
    finally:
        for handler in [h for h in root.handlers if isinstance(h, logs.StderrHandler)]:
            root.removeHandler(handler)


def test_a_text_line_is_key_value_with_the_request_id(text_lines: Lines) -> None:
    token = logs.request_id.set("req-42")
    try:
        logging.getLogger("congvu.test").info(
            "job finished", extra={"kind": "unit_statistics", "duration_s": 0.41999, "note": None}
        )
    finally:
        logs.request_id.reset(token)
    (line,) = text_lines.lines
    fields = line.split(" ")
    assert fields[0].startswith("ts=") and fields[0].endswith("Z")
    assert fields[1:4] == ["level=info", "logger=congvu.test", "request_id=req-42"]
    assert line.endswith(' msg="job finished" kind=unit_statistics duration_s=0.42 note=-'), line


def test_a_json_line_carries_the_job_id_and_the_traceback(captured: Lines) -> None:
    token = logs.job_id.set("job-7")
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logging.getLogger("congvu.test").exception("job failed", extra={"kind": "x"})
    finally:
        logs.job_id.reset(token)
    (line,) = captured.json()
    assert line["job_id"] == "job-7" and line["request_id"] is None
    assert (line["level"], line["msg"], line["kind"]) == ("error", "job failed", "x")
    assert "RuntimeError: boom" in line["exc"] and "Traceback" in line["exc"]


def test_counts_are_the_whole_numbers_of_a_result() -> None:
    result = {"rows_read": 3, "rejected": 0, "ok": True, "by_status": {}, "name": 1, "x": 1.5}
    assert logs.counts(result) == {"rows_read": 3, "rejected": 0}
    assert logs.counts([1, 2]) == {}


# --- the web ---------------------------------------------------------------------------


async def test_an_unhandled_error_is_logged_with_its_traceback_and_request_id(
    client, world: World, captured: Lines, monkeypatch
) -> None:
    from congvu.inspect.organisation.services import units

    await login(client, "head_a")

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(units, "visible_units", broken)
    response = await client.get("/api/v1/units", headers={"x-request-id": "rid-500"})
    assert response.status_code == 500
    (line,) = captured.having("unhandled error")
    assert (line["level"], line["logger"], line["request_id"]) == ("error", "congvu.web", "rid-500")
    assert (line["path"], line["method"], line["error"]) == ("/api/v1/units", "GET", "RuntimeError")
    assert "RuntimeError: database on fire" in line["exc"] and "Traceback" in line["exc"]


async def test_an_error_in_the_session_check_is_named_after_its_request(
    client, world: World, captured: Lines, monkeypatch
) -> None:
    from congvu.inspect.organisation import api as organisation

    await login(client, "head_a")

    async def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(organisation.session_actors, "actor", broken)
    response = await client.get("/api/v1/units", headers={"x-request-id": "rid-auth"})
    assert response.status_code == 500
    (line,) = captured.having("unhandled error")
    assert (line["request_id"], line["error"]) == ("rid-auth", "ConnectionError")


async def test_a_line_written_while_serving_a_request_carries_its_id(
    client, world: World, captured: Lines
) -> None:
    await client.get("/login")
    await client.post(
        "/login",
        data={
            "username": "head_a",
            "password": "wrong-password",
            "_csrf_token": client.cookies.get("csrftoken"),
        },
        headers={"x-request-id": "rid-login"},
    )
    (line,) = captured.having("login failed")
    assert (line["request_id"], line["logger"]) == ("rid-login", "congvu.accounts")


# --- logins ----------------------------------------------------------------------------


async def test_failed_logins_and_the_lockout_name_the_account_never_the_password(
    client, world: World, text_lines: Lines
) -> None:
    settings = get_settings()
    account = world.users["head_a"]
    for attempt in range(settings.login_max_failures):
        await login(client, "head_a", f"secret-guess-{attempt}")
    await login(client, "nobody.here", "secret-guess-x")
    await login(client, "head_a", PASSWORD)  # locked now: refused all the same
    lines = [_parse(line) for line in text_lines.lines]
    failed = [line for line in lines if line["msg"] == "login failed"]
    reasons = [(line["account_id"], line["reason"]) for line in failed]
    assert reasons == [
        *[(str(account.id), "wrong password")] * settings.login_max_failures,
        ("-", "unknown account"),
        (str(account.id), "account locked"),
    ]
    assert all(line["ip"] not in ("", "-") for line in failed)
    (locked,) = [line for line in lines if line["msg"] == "account locked"]
    assert (locked["level"], locked["account_id"]) == ("warning", str(account.id))
    assert locked["minutes"] == str(settings.login_lockout_minutes)
    everything = "\n".join(text_lines.lines)
    assert "secret-guess" not in everything and PASSWORD not in everything
    assert "nobody.here" not in everything


def _parse(line: str) -> dict[str, str]:
    """A text line back into its fields (quoted values are JSON strings)."""
    fields: dict[str, str] = {}
    decoder = json.JSONDecoder()
    rest = line.split("\n", 1)[0]
    while rest:
        key, rest = rest.split("=", 1)
        if rest.startswith('"'):
            value, end = decoder.raw_decode(rest)
            rest = rest[end:]
        else:
            value, _, rest = rest.partition(" ")
            rest = " " + rest if rest else ""
        fields[key] = value
        rest = rest.lstrip(" ")
    return fields


# --- jobs ------------------------------------------------------------------------------


async def _job_record(kind: str = "unit_statistics") -> str:
    now = datetime.now(UTC)
    record = JobRecord(
        id=uuid.uuid4(),
        kind=kind,
        arguments={},
        status=JobStatus.QUEUED.value,
        created_at=now,
        updated_at=now,
    )
    async with db.atomic():
        await JobRecord.insert(record)
    return str(record.id)


async def test_a_job_logs_its_start_and_finish_with_counts_and_duration(
    world: World, captured: Lines
) -> None:
    job_id = await _job_record()

    async def work(progress: job_service.Progress) -> dict[str, Any]:
        logging.getLogger("congvu.test").info("inside")
        return {"rows_read": 12, "rejected": 1, "by_status": {"late": 2}}

    await job_service.run_tracked(job_id, work)
    started, inside, finished = (
        captured.having(m)[0] for m in ("job started", "inside", "job finished")
    )
    assert started["job_id"] == inside["job_id"] == finished["job_id"] == job_id
    assert (started["kind"], started["attempt"]) == ("unit_statistics", 1)
    assert (finished["rows_read"], finished["rejected"]) == (12, 1)
    assert finished["duration_s"] >= 0 and "by_status" not in finished
    assert logs.job_id.get() is None  # the id stays with the job
    await job_service.run_tracked(job_id, work)
    assert captured.having("job already done, not run again")[0]["job_id"] == job_id


async def test_a_failed_job_logs_its_traceback(world: World, captured: Lines) -> None:
    job_id = await _job_record()

    async def work(progress: job_service.Progress) -> None:
        raise ValueError("the export is empty")

    with pytest.raises(ValueError):
        await job_service.run_tracked(job_id, work)
    (line,) = captured.having("job failed")
    assert (line["level"], line["job_id"], line["kind"]) == ("error", job_id, "unit_statistics")
    assert "ValueError: the export is empty" in line["exc"]
    assert line["duration_s"] >= 0


async def test_the_worker_names_each_job_and_quiets_its_housekeeping() -> None:
    await worker_module.job_start({"job_id": "arq-job-1"})
    assert logs.job_id.get() == "arq-job-1"
    logs.job_id.set(None)

    def arq_record(level: int, ref: str) -> logging.LogRecord:
        return logging.LogRecord("arq.worker", level, "", 0, "%6.2fs → %s()", (0.1, ref), None)

    assert not worker_module.quiet_housekeeping(arq_record(logging.INFO, "cron:seal_audit_trail"))
    assert worker_module.quiet_housekeeping(arq_record(logging.WARNING, "cron:sweep_lost_jobs"))
    assert worker_module.quiet_housekeeping(arq_record(logging.INFO, "abc:dossier_import"))
    starting = logging.LogRecord(
        "arq.worker",
        logging.INFO,
        "",
        0,
        "Starting worker for %d functions: %s",
        (2, "sweep_lost_jobs, seal_audit_trail"),
        None,
    )
    assert worker_module.quiet_housekeeping(starting)


# --- the audit sealer ------------------------------------------------------------------


async def _event() -> None:
    async with db.atomic():
        await audit.record("test_event", "account", 1, actor_username="system")


async def test_the_sealer_reports_what_it_sealed_and_nothing_when_idle(
    world: World, captured: Lines
) -> None:
    await audit.seal(wait=True)
    clock = [0.0]
    sealer = chain.Sealer(report_every=60, clock=lambda: clock[0])
    await _event()
    await _event()
    assert await sealer.seal_once() == 2
    assert captured.having("audit events sealed")[0]["events"] == 2
    assert captured.having("audit events sealed")[0]["level"] == "debug"
    assert not captured.having("audit sealer progress")  # not a minute yet
    await _event()
    clock[0] = 61.0
    await sealer.seal_once()
    (report,) = captured.having("audit sealer progress")
    assert (report["level"], report["events_sealed"], report["period_s"]) == ("info", 3, 61.0)
    assert report["oldest_unsealed_age_s"] is None
    clock[0] = 200.0
    await sealer.seal_once()  # sealed nothing, nothing waits: no line
    assert len(captured.having("audit sealer progress")) == 1
    assert len(captured.having("audit events sealed")) == 2


async def test_the_sealer_warns_when_sealing_lags(
    world: World, captured: Lines, monkeypatch
) -> None:
    await audit.seal(wait=True)
    await _event()

    async def held_elsewhere(**kwargs: object) -> int:
        return 0  # another sealer holds the lock and does not let go

    class FiveMinutesLater(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return datetime.now(tz) + timedelta(minutes=5)

    monkeypatch.setattr(chain, "seal", held_elsewhere)
    monkeypatch.setattr(chain, "datetime", FiveMinutesLater)
    sealer = chain.Sealer(report_every=0)
    await sealer.seal_once()
    (line,) = captured.having("audit sealing lags behind")
    assert line["level"] == "warning" and line["events_sealed"] == 0
    assert 290 < line["oldest_unsealed_age_s"] < 400
    assert line["oldest_unsealed_age_s"] == round(line["oldest_unsealed_age_s"], 3)
    monkeypatch.undo()
    await audit.seal(wait=True)


def test_stderr_handler_follows_the_current_stderr(monkeypatch) -> None:
    handler = logs.StderrHandler()
    assert handler.stream is sys.stderr
    with open(Path(__file__).parent / "conftest.py") as replacement:  # any text stream
        monkeypatch.setattr(sys, "stderr", replacement)
        assert handler.stream is replacement
