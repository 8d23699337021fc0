"""Background jobs as the other domains and the worker see them: start one, track its
progress, find the ones Redis lost."""

from __future__ import annotations

from congvu.inspect.background.services.calendar_rejudge import (
    calendar_rejudge_job,
    calendar_rejudge_record_id,
    run_calendar_rejudge,
    start_calendar_rejudge,
)
from congvu.inspect.background.services.records import (
    JobKind,
    JobView,
    Progress,
    calendar_rejudge_job_id,
    get_job,
    release_stalled,
    requeue_lost,
    run_tracked,
    start_dossier_import,
    start_evidence_export,
    start_period_lock,
    start_report_build,
    start_unit_statistics,
)

__all__ = [
    "JobKind",
    "JobView",
    "Progress",
    "calendar_rejudge_job",
    "calendar_rejudge_job_id",
    "calendar_rejudge_record_id",
    "get_job",
    "release_stalled",
    "requeue_lost",
    "run_calendar_rejudge",
    "run_tracked",
    "start_calendar_rejudge",
    "start_dossier_import",
    "start_evidence_export",
    "start_period_lock",
    "start_report_build",
    "start_unit_statistics",
]
