"""The review for other domains, the jobs and the demo: transitions of a finding,
decisions on flagged dossiers, the queue, reminders."""

from __future__ import annotations

from congvu.inspect.review.services.dossier_cases import (
    DossierCommand,
    DossierItem,
    decide,
    lateness_flags,
)
from congvu.inspect.review.services.findings import (
    Command,
    FindingItem,
    HistoryEntry,
    finding_detail,
    history,
    mine,
    photo,
    read_evidence,
    transition,
)
from congvu.inspect.review.services.queue import (
    bulk,
    queue,
)
from congvu.inspect.review.services.reminders import (
    remind_deadlines,
)

__all__ = [
    "Command",
    "DossierCommand",
    "DossierItem",
    "FindingItem",
    "HistoryEntry",
    "bulk",
    "decide",
    "finding_detail",
    "history",
    "lateness_flags",
    "mine",
    "photo",
    "queue",
    "read_evidence",
    "remind_deadlines",
    "transition",
]
