"""The review for other domains, the jobs and the demo: transitions of a finding,
decisions on flagged dossiers, the queue, reminders, and an official's record for a
period (what the review established about them)."""

from __future__ import annotations

from congvu.inspect.review.services.access import readable as readable_finding
from congvu.inspect.review.services.deadlines import recompute_review_deadlines
from congvu.inspect.review.services.digests import DigestRun, send_daily_digests
from congvu.inspect.review.services.dossier_cases import (
    DossierCommand,
    decide,
)
from congvu.inspect.review.services.dossier_flags import lateness_flags
from congvu.inspect.review.services.dossier_items import DossierItem
from congvu.inspect.review.services.evidence import read_evidence
from congvu.inspect.review.services.labels import FOLLOW_UP_LABELS
from congvu.inspect.review.services.notifications import send as send_notifications
from congvu.inspect.review.services.personal_data import (
    explanations_about,
    findings_about,
    photos_about,
)
from congvu.inspect.review.services.queue import (
    bulk,
    queue,
)
from congvu.inspect.review.services.reads import (
    FindingItem,
    HistoryEntry,
    finding_detail,
    history,
    mine,
    photo,
)
from congvu.inspect.review.services.record import (
    ConfirmedFinding,
    DossierCase,
    FollowUpDecision,
    OfficialRecord,
    official_record,
)
from congvu.inspect.review.services.reminders import (
    remind_deadlines,
)
from congvu.inspect.review.services.retention import (
    finding_closings,
    photo_subjects,
    purged_photos,
)
from congvu.inspect.review.services.transitions import (
    Command,
    transition,
)

__all__ = [
    "FOLLOW_UP_LABELS",
    "Command",
    "ConfirmedFinding",
    "DigestRun",
    "DossierCase",
    "DossierCommand",
    "DossierItem",
    "FindingItem",
    "FollowUpDecision",
    "HistoryEntry",
    "OfficialRecord",
    "bulk",
    "decide",
    "explanations_about",
    "finding_closings",
    "finding_detail",
    "findings_about",
    "history",
    "lateness_flags",
    "mine",
    "official_record",
    "photo",
    "photo_subjects",
    "photos_about",
    "purged_photos",
    "queue",
    "read_evidence",
    "readable_finding",
    "recompute_review_deadlines",
    "remind_deadlines",
    "send_daily_digests",
    "send_notifications",
    "transition",
]
