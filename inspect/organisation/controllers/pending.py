"""The session between the password and the second factor of sign-in: it holds only
whose code is awaited (``pending_user_id``, never ``user_id``), so no route but the
second step's treats it as signed in."""

from __future__ import annotations

import time
from typing import Any, Literal

# How long the password step holds for the code or the enrolment to follow.
PENDING_SECONDS = 10 * 60
CODE_PATH = "/login/second-factor"
ENROL_PATH = "/login/second-factor/enrol"


def pending_session(
    session: dict[str, Any], step: Literal["code", "enrol"], next_path: str
) -> dict[str, Any]:
    """The session between the password and the second step (see the module)."""
    return {
        "pending_user_id": session["user_id"],
        "stamp": session["stamp"],
        "pending_step": step,
        "pending_until": time.time() + PENDING_SECONDS,
        "next": next_path,
    }
