"""Review tables (giải trình, quyết định, thông báo).

``Finding.version_state`` stays the capture-side version (current / superseded / withdrawn);
the due-process state of a finding lives here, one ``FindingReview`` per finding, made
when the finding is notified. A finding without one is in the state "recorded".

A late dossier reaches the head's queue through its flags; the head's answer is one
``DossierDecision`` (taken up as a case about an official, or dismissed), keyed on the
dossier and the flags it was made on.
"""

from __future__ import annotations

from enum import StrEnum

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.inspections.tables import Evidence, Finding, Inspection
from congvu.inspect.organisation.tables import Official, User
from piccolo.columns import (
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class ReviewState(StrEnum):
    RECORDED = "recorded"
    NOTIFIED = "notified"
    AWAITING_EXPLANATION = "awaiting_explanation"
    UNDER_REVIEW = "under_review"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    FOLLOW_UP_DECIDED = "follow_up_decided"
    CLOSED = "closed"


class FindingReview(Table, tablename="finding_review"):
    """Xem xét một phát hiện: notification, explanation window, decision, follow-up."""

    id: Serial

    finding = ForeignKey(references=Finding, unique=True, on_delete=OnDelete.cascade)
    state = Varchar(length=24, choices=ReviewState, index=True)
    notified_at = Timestamptz()
    notified_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    # Last local day on which an explanation is accepted (counted in working days).
    explanation_due = Date()
    window_rule_id = Varchar(length=128)
    window_rule_version = Varchar(length=32)
    acknowledged_at = Timestamptz(null=True, default=None)
    waived_reason = Text(null=True, default=None)
    review_due = Date(null=True, default=None)
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(null=True, default=None)
    decision_reason = Text(null=True, default=None)
    # "confirmed" or "dismissed": kept after closing, for the person's history.
    outcome = Varchar(length=12, null=True, default=None)
    suggested_follow_up = Varchar(length=32, null=True, default=None)
    suggestion_vi = Text(null=True, default=None)
    follow_up = Varchar(length=32, null=True, default=None)
    follow_up_reason = Text(null=True, default=None)
    follow_up_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    follow_up_at = Timestamptz(null=True, default=None)
    closed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    closed_at = Timestamptz(null=True, default=None)
    # A corrective action is closed by a later inspection or a verified photo.
    verified_by_inspection = ForeignKey(
        references=Inspection, null=True, on_delete=OnDelete.set_null
    )
    verified_by_evidence = ForeignKey(references=Evidence, null=True, on_delete=OnDelete.set_null)
    verified_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()


class Explanation(Table):
    """Bản giải trình of the official, with photos or scans as attachments."""

    id: Serial

    review = ForeignKey(references=FindingReview, on_delete=OnDelete.cascade)
    text = Text()
    submitted_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    submitted_at = Timestamptz()


class ExplanationEvidence(Table, tablename="explanation_evidence"):
    id: Serial

    explanation = ForeignKey(references=Explanation, on_delete=OnDelete.cascade)
    evidence = ForeignKey(references=Evidence, on_delete=OnDelete.restrict)


class DossierOutcome(StrEnum):
    TAKEN_UP = "taken_up"  # a Finding about the named official now goes through review
    DISMISSED = "dismissed"  # no case: e.g. the delay was the citizen's


class DossierDecision(Table, tablename="dossier_decision"):
    """Thủ trưởng quyết định về cảnh báo trễ hạn của một hồ sơ: take it up or dismiss it.

    ``key`` ("<dossier id>:<flags>") makes the decision idempotent: a retried or
    concurrent request, or a re-import that restates the same flags, finds it."""

    id: Serial

    key = Varchar(length=300, unique=True)
    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.restrict, index=True)
    flags = Varchar(length=255)  # the ";"-joined lateness flags the decision was made on
    outcome = Varchar(length=10, choices=DossierOutcome)
    reason = Text(null=True, default=None)
    official = ForeignKey(references=Official, null=True, on_delete=OnDelete.set_null)
    finding = ForeignKey(references=Finding, null=True, on_delete=OnDelete.set_null)
    decided_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz()


class ReviewDeadline(Table, tablename="review_deadline"):
    """Hạn xem xét of a late dossier, by the local day its fault arose (the missed return
    date, receipt when there is none): the review pack's window of working days after it,
    counted on the working-day calendar. Stored so that SQL can filter, count and sort the
    queue by deadline without counting working days; ``services/deadlines.py`` writes it
    and rewrites it when the calendar or the pack changes (``recompute_review_deadlines``).
    """

    id: Serial

    day = Date(unique=True)
    due = Date()
    # The review pack the window was read from (the one in force when it was computed).
    rule_id = Varchar(length=128)
    rule_version = Varchar(length=32)


class Notification(Table):
    """Thông báo in the app. ``key`` makes a reminder idempotent: the cron may run twice."""

    id: Serial

    user = ForeignKey(references=User, on_delete=OnDelete.cascade)
    key = Varchar(length=128, unique=True)
    kind = Varchar(length=32)
    message = Text()
    link = Varchar(length=255)
    created_at = Timestamptz()
    read_at = Timestamptz(null=True, default=None)


class NotificationDigest(Table, tablename="notification_digest"):
    """Bản tổng hợp thông báo hằng ngày: one per person and day, listing what arrived
    unread since the last one. ``key`` ("<user>:<yyyy-mm-dd>") keeps a rerun of the cron
    from sending twice; ``emailed_at`` stays empty until the mail server took it."""

    id: Serial

    key = Varchar(length=48, unique=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    day = Date()
    notices = Integer()  # how many it listed
    since = Timestamptz(null=True, default=None)
    until = Timestamptz()
    emailed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
