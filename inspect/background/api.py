"""Background jobs as the other domains and the worker see them: start one, track its
progress, find the ones Redis lost."""

from __future__ import annotations

from congvu.inspect.background.services.records import (
    JobKind,
    Progress,
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
    "Progress",
    "get_job",
    "release_stalled",
    "requeue_lost",
    "run_tracked",
    "start_dossier_import",
    "start_evidence_export",
    "start_period_lock",
    "start_report_build",
    "start_unit_statistics",
]
