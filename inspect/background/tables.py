"""The job record: the database's view of a background job (both run modes)."""

from __future__ import annotations

from enum import StrEnum

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.organisation.tables import User
from piccolo.columns import JSON, UUID, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobRecord(Table, tablename="job_record"):
    """The database's view of a background job, so both run modes show the same job
    page and a sweeper can re-enqueue what Redis lost."""

    id = UUID(primary_key=True)
    kind = Varchar(length=64, index=True)
    arguments = JSON(default="{}")
    status = Varchar(length=10, choices=JobStatus, index=True)
    progress = Integer(default=0)
    total = Integer(default=0)
    message = Text(default="")
    result = JSON(null=True, default=None)
    error = Text(null=True, default=None)
    attempts = Integer(default=0)
    requested_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz()
