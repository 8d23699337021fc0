"""What the head's queue and bulk actions hold, whatever the item's kind: a finding, or
a flagged dossier not yet decided; and the audit of a list of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic


class ItemKind(StrEnum):
    """What a queue item is: a finding, or a flagged dossier not yet decided."""

    FINDING = "finding"
    DOSSIER = "dossier"


class Listed(Protocol):
    """An item of a list, as its audit names it."""

    @property
    def kind(self) -> ItemKind: ...

    @property
    def id(self) -> int: ...


@dataclass(frozen=True)
class BulkResult:
    """One item's outcome; for a dossier, ``finding_id`` is the case it opened, if any."""

    finding_id: int | None
    ok: bool
    status: int
    message: str
    kind: ItemKind = ItemKind.FINDING
    dossier_id: int | None = None


async def audit_listing(actor: Actor, listing: str, items: Sequence[Listed]) -> None:
    """A list shows each finding's facts, so reading it is a read of those findings: one
    event per list view names them all (one per item would flood the trail)."""
    if not items:
        return
    async with atomic():
        await audit.record(
            "findings_listed",
            "finding_list",
            listing,
            actor=actor,
            after={
                "findings": [i.id for i in items if i.kind == ItemKind.FINDING],
                "dossiers": [i.id for i in items if i.kind == ItemKind.DOSSIER],
            },
        )
