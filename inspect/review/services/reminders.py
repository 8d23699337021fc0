"""Nhắc hạn: the reminders the arq cron sends about the review workflow's deadlines,
for findings and for flagged late dossiers the head has not decided yet.

Every reminder has a notification key, so running the cron twice (arq may retry) sends
nothing new; a reminder is sent once per deadline, not once per run.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from congvu.inspect.inspections.tables import FindingVersion
from congvu.inspect.review.services import notifications
from congvu.inspect.review.services.access import load_unchecked
from congvu.inspect.review.services.announcements import (
    head_users,
    subject_users,
    what_was_found,
)
from congvu.inspect.review.services.dossier_items import open_reviews
from congvu.inspect.review.services.lifecycle import EXPLANATION_WINDOW, local_day
from congvu.inspect.review.tables import FindingReview, ReviewState
from congvu.rules.calendar import default_calendar
from congvu.rules.packs import format_date

S = ReviewState


async def remind_deadlines(now: datetime | None = None) -> dict[str, int]:
    """Nhắc hạn: explanation windows ending within one working day, windows that have
    passed without an explanation, reviews past their due day, flagged dossiers past their
    review deadline. Idempotent: each reminder has a key, so running twice sends nothing
    new."""
    now = now or datetime.now(UTC)
    today = local_day(now)
    soon = default_calendar().add_working_days(today, 1)
    counts = {"due_soon": 0, "due_passed": 0, "review_overdue": 0}
    rows = await FindingReview.select(
        FindingReview.id,
        FindingReview.finding,
        FindingReview.state,
        FindingReview.explanation_due,
        FindingReview.review_due,
    ).where(FindingReview.state.is_in([s.value for s in (*EXPLANATION_WINDOW, S.UNDER_REVIEW)]))
    for row in rows:
        ref = await load_unchecked(row["finding"])
        if ref is None or ref.capture_status != FindingVersion.CURRENT:
            continue
        link = f"/findings/{ref.id}"
        state = ReviewState(row["state"])
        due: date = row["explanation_due"]
        if state in EXPLANATION_WINDOW and today <= due <= soon:
            counts["due_soon"] += await notifications.send(
                await subject_users(ref),
                f"due-soon:{row['id']}:{due.isoformat()}",
                "explanation_due_soon",
                f"Sắp hết hạn giải trình phát hiện «{what_was_found(ref)}» (hạn cuối "
                f"{format_date(due)}).",
                link,
            )
        elif state in EXPLANATION_WINDOW and today > due:
            counts["due_passed"] += await notifications.send(
                await head_users(ref.unit_path),
                f"due-passed:{row['id']}",
                "explanation_due_passed",
                f"Đã hết hạn giải trình phát hiện «{what_was_found(ref)}» tại {ref.unit_name}: "
                "có thể bắt đầu xem xét.",
                link,
            )
        elif state is S.UNDER_REVIEW and row["review_due"] and today > row["review_due"]:
            counts["review_overdue"] += await notifications.send(
                await head_users(ref.unit_path),
                f"review-overdue:{row['id']}",
                "review_overdue",
                f"Quá hạn xem xét phát hiện «{what_was_found(ref)}» tại {ref.unit_name} (hạn "
                f"{format_date(row['review_due'])}).",
                link,
            )
    counts["dossier_review_overdue"] = await _remind_dossier_reviews(now, today)
    return counts


async def _remind_dossier_reviews(now: datetime, today: date) -> int:
    """Flagged dossiers past their review deadline: the unit's heads are told once per
    dossier and set of fault families; a new kind of fault, which reopens a decided
    dossier, is a new reminder."""
    sent = 0
    heads: dict[str, list[int]] = {}  # one lookup per unit: a province has many dossiers
    for item in await open_reviews(now=now):
        if today <= item.deadline:
            continue
        if item.unit_path not in heads:
            heads[item.unit_path] = await head_users(item.unit_path)
        sent += await notifications.send(
            heads[item.unit_path],
            f"dossier-review-overdue:{item.id}:{'+'.join(item.families)}",
            "dossier_review_overdue",
            f"Quá hạn xem xét hồ sơ trễ hạn {item.code} tại {item.unit_name} (hạn "
            f"{format_date(item.deadline)}).",
            f"/review/dossiers/{item.id}",
        )
    return sent
