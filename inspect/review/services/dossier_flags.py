"""Cảnh báo trễ hạn a head judges: which of a dossier's stored flags describe someone's
fault, the fault family each belongs to, and whether earlier decisions already judged
them. A decision covers fault *families*, not spellings: a re-import that restates the
same fault (an overdue dossier later resolved late, a missing apology sent late) finds
the dossier covered; only a new kind of fault brings it back.
"""

from __future__ import annotations

from enum import StrEnum

LATE_CODE = "LATE_DOSSIER_HANDLING"

# The lateness flags (``congvu.rules.dossiers``) a head judges, by the fault they
# describe. DUE_WITHIN_24H is a reminder and DEADLINE_MOVED_EARLIER favours the citizen:
# neither is anyone's fault, so they stay on the dossier pages only.
FAMILIES = {
    "RESOLVED_LATE": "late",
    "OVERDUE_IN_PROGRESS": "late",
    "APOLOGY_MISSING": "apology",
    "APOLOGY_LATE": "apology",
    "SECOND_EXTENSION": "new_date",
    "DEADLINE_RESET": "new_date",
}

DOSSIER_CONFLICTS = (
    "Không được xem xét hồ sơ do chính mình xử lý.",
    "Không được xem xét hồ sơ do lãnh đạo cấp trên của mình xử lý.",
)


class DossierAction(StrEnum):
    TAKE_UP = "take_up"
    DISMISS = "dismiss"


def lateness_flags(stored: str) -> tuple[str, ...]:
    """The flags a head judges among a dossier's stored ";"-joined flags, sorted."""
    return tuple(sorted({f for f in stored.split(";") if f in FAMILIES}))


def decision_key(dossier_id: int, flags: tuple[str, ...]) -> str:
    return f"{dossier_id}:{';'.join(flags)}"


def open_families(flags: tuple[str, ...], decided: list[str]) -> tuple[str, ...]:
    """The fault families of ``flags`` no earlier decision (its stored flags) judged."""
    judged = {FAMILIES[f] for text in decided for f in lateness_flags(text)}
    return tuple(sorted({FAMILIES[f] for f in flags} - judged))


def covered(flags: tuple[str, ...], decided: list[str]) -> bool:
    """Whether earlier decisions (their stored flags) already judged every fault."""
    return not open_families(flags, decided)
