"""Logging for operators (nhật ký vận hành): stdlib logging, configured once per process.

``configure(settings)`` is called by ``congvu serve``, ``congvu worker`` and the app
factory; calling it again replaces congvu's handler, never adds a second one. Every
line goes to stderr through that one handler, uvicorn's and arq's own loggers
included, either as key=value text for a terminal::

    ts=2026-12-06T19:20:01.123Z level=info logger=congvu.jobs request_id=- job_id=8f0c…
        msg="job finished" kind=unit_statistics duration_s=0.42   (one line)

or, with ``CONGVU_LOG_FORMAT=json``, as one JSON object a line for a log collector.

A line's own fields are the ``extra`` of the logging call (``log.info("job finished",
extra={"kind": ...})``). Every line also carries the request it was written for
(``request_id``, set per request by the app) or the job it was written in (``job_id``,
set by ``run_tracked`` and the worker). What a line may hold: ids, counts, durations,
IP addresses of failed logins; never a password, a name, or text a user typed.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any, TextIO

from congvu.inspect.settings import Settings

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "congvu_log_request_id", default=None
)
job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "congvu_log_job_id", default=None
)

# The attributes every LogRecord has: anything else on a record came from ``extra``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's coloured copy of its message
}
# uvicorn and arq log at info what an operator wants to see; their debug is noise.
_THIRD_PARTY = ("uvicorn", "uvicorn.error", "uvicorn.access", "arq", "arq.worker")


def counts(result: Any) -> dict[str, int]:
    """The whole numbers at the top of a job's result (rows read, imported, rejected…),
    as fields of a line; a name a log record already uses is left out."""
    if not isinstance(result, dict):
        return {}
    return {
        key: value
        for key, value in result.items()
        if isinstance(key, str)
        and isinstance(value, int)
        and not isinstance(value, bool)
        and key not in _STANDARD
        and key not in ("ts", "level", "logger", "request_id", "job_id", "msg")
    }


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def fields_of(record: logging.LogRecord) -> dict[str, Any]:
    """The line's fields in order: time, level, logger, request or job, message, extras."""
    fields: dict[str, Any] = {
        "ts": _timestamp(record),
        "level": record.levelname.lower(),
        "logger": record.name,
        "request_id": request_id.get(),
    }
    if (job := job_id.get()) is not None:
        fields["job_id"] = job
    fields["msg"] = record.getMessage()
    for key, value in vars(record).items():
        if key not in _STANDARD and not key.startswith("_"):
            # Durations and ages to the millisecond: more is noise in a log.
            fields[key] = round(value, 3) if isinstance(value, float) else value
    return fields


def _text_value(value: Any) -> str:
    if value is None:
        return "-"
    text = value if isinstance(value, str) else str(value)
    if text and not any(c.isspace() or c in '"=\\' for c in text):
        return text
    return json.dumps(text, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``key=value`` on one line (values with spaces quoted), a traceback under it."""

    def format(self, record: logging.LogRecord) -> str:
        line = " ".join(f"{key}={_text_value(value)}" for key, value in fields_of(record).items())
        if record.exc_info:
            line += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        elif record.stack_info:
            line += "\n" + record.stack_info
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line; a traceback is the ``exc`` field."""

    def format(self, record: logging.LogRecord) -> str:
        fields = fields_of(record)
        if record.exc_info:
            fields["exc"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(fields, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time of the line, not at set-up (a
    test runner swaps it per test, and a closed stream would lose the line)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure(settings: Settings) -> logging.Handler:
    """Send every logger's lines through one handler in the configured format.

    Idempotent: the handler installed by an earlier call is replaced, so the app
    factory (which tests call hundreds of times) and the CLI may both call it.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, StderrHandler)]:
        root.removeHandler(handler)
    handler = StderrHandler()
    handler.setFormatter(formatter(settings.log_format))
    root.addHandler(handler)
    if root.level == logging.WARNING or root.level == logging.NOTSET:  # untouched default
        root.setLevel(logging.INFO)
    logging.getLogger("congvu").setLevel(logging.DEBUG if settings.debug else logging.INFO)
    for name in _THIRD_PARTY:
        third_party = logging.getLogger(name)
        # uvicorn's default config gives its loggers handlers of their own; with
        # ``log_config=None`` it does not, and their lines come here instead.
        third_party.handlers.clear()
        third_party.propagate = True
    return handler
