"""Thông báo of a transition: whom the review tells (the finding's subject, the nearest
unit heads) and what, once a finding is notified, explained or decided.
"""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Role
from congvu.inspect.organisation.tables import User
from congvu.inspect.review.services import notifications
from congvu.inspect.review.services.access import FindingRef
from congvu.inspect.review.services.labels import STATE_LABELS, violation_name
from congvu.inspect.review.tables import ReviewState
from congvu.rules.packs import format_date
from congvu.rules.review import Action


async def subject_users(ref: FindingRef) -> list[int]:
    if ref.official_id is None:
        return []
    rows = await User.select(User.id).where(User.official == ref.official_id, User.active.eq(True))
    return [r["id"] for r in rows]


async def head_users(unit_path: str) -> list[int]:
    """The nearest unit heads above (or of) the unit: their scope is the longest prefix."""
    rows = await User.select(User.id, User.scope_unit.path).where(
        User.role == Role.UNIT_HEAD, User.active.eq(True)
    )
    covering = [
        r for r in rows if r["scope_unit.path"] and unit_path.startswith(r["scope_unit.path"])
    ]
    if not covering:
        return []
    nearest = max(len(r["scope_unit.path"]) for r in covering)
    return [r["id"] for r in covering if len(r["scope_unit.path"]) == nearest]


def what_was_found(ref: FindingRef) -> str:
    """The finding as a notification names it: the act's Vietnamese name, never its code."""
    if ref.dossier_code:
        return f"hồ sơ {ref.dossier_code} trễ hạn"
    return violation_name(ref.violation_code, ref.observed_on)


async def announce(
    action: Action, ref: FindingRef, target: ReviewState, changes: dict[str, Any]
) -> None:
    link = f"/findings/{ref.id}"
    if action is Action.notify:
        due = format_date(changes["explanation_due"])
        await notifications.send(
            await subject_users(ref),
            f"notified:{ref.id}",
            "finding_notified",
            f"Có phát hiện về anh/chị ({what_was_found(ref)}); giải trình trước hết ngày {due}.",
            link,
        )
        await notifications.send(
            await head_users(ref.unit_path),
            f"notified-head:{ref.id}",
            "finding_notified",
            f"Phát hiện mới tại {ref.unit_name} ({what_was_found(ref)}); hạn giải trình {due}.",
            link,
        )
    elif action is Action.explain:
        await notifications.send(
            await head_users(ref.unit_path),
            f"explained:{ref.id}",
            "explanation_submitted",
            f"{ref.official_name or ref.unit_name} đã gửi giải trình; chờ xem xét.",
            link,
        )
    elif target in (ReviewState.CONFIRMED, ReviewState.DISMISSED):
        await notifications.send(
            await subject_users(ref),
            f"decided:{ref.id}",
            "finding_decided",
            f"Phát hiện đã được xem xét: {STATE_LABELS[target]}.",
            link,
        )
