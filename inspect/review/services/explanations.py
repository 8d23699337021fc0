"""Giải trình from a page, with files: the right to explain is checked before any file
is kept, so a stranger cannot store files through this door; photos are stored like
inspection capture, then the explanation goes through its transition.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from congvu.inspect.actor import Actor
from congvu.inspect.capture import api as capture
from congvu.inspect.review.services.access import readable
from congvu.inspect.review.services.lifecycle import Action, next_state
from congvu.inspect.review.services.transitions import (
    Command,
    illegal,
    may_explain,
    require_open_window,
    transition,
)
from congvu.inspect.review.tables import ReviewState


async def submit_explanation(
    actor: Actor,
    finding_id: int,
    text: str,
    files: Sequence[bytes] = (),
    *,
    now: datetime | None = None,
) -> ReviewState:
    """Giải trình with attachments, checked before any file is stored."""
    ref = await readable(actor, finding_id)
    if next_state(ref.state, Action.explain) is None:
        raise illegal(Action.explain, ref.state)
    await may_explain(actor, ref)
    require_open_window(ref, now or datetime.now(UTC))
    hashes = []
    for data in files:
        if not data:
            continue
        sha = hashlib.sha256(data).hexdigest()
        await capture.store(actor, sha, data, None)
        hashes.append(sha)
    return await transition(
        actor,
        finding_id,
        Command(action="explain", explanation=text, attachments=tuple(hashes)),
        now=now,
    )
