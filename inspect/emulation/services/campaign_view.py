"""A campaign's page: while open, the board as the data stand and every proposal, for
officials and collectives (withdrawn ones with their reason); once locked, the frozen
version; any locked version on request, with the list of versions for the selector. A
version locked before collectives were judged shows none."""

from __future__ import annotations

from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.emulation.services.access import require_board
from congvu.inspect.emulation.services.campaign_collectives import collective_proposals
from congvu.inspect.emulation.services.campaign_lock import campaign_versions, frozen
from congvu.inspect.emulation.services.campaign_proposals import proposals
from congvu.inspect.emulation.services.campaigns import campaign_row, heading, live_board
from congvu.inspect.emulation.tables import PeriodState


async def campaign_board(
    actor: Actor, campaign_id: int, version: int | None = None
) -> dict[str, Any]:
    row = await campaign_row(campaign_id)
    require_board(actor, str(row["agency.path"]))
    found = heading(row)
    if version is None and row["state"] == PeriodState.LOCKED.value:
        version = found["version"]
    if version is None:
        board = await live_board(row)
        extra: dict[str, Any] = {
            "frozen": False,
            "proposals": await proposals(campaign_id),
            "collective_proposals": await collective_proposals(campaign_id),
            "rules": None,
            "data_hash": None,
        }
    else:
        snapshot = await frozen(campaign_id, version)
        board = {"collectives": [], "collectives_eligible": 0, **snapshot["board"]}
        extra = {
            "frozen": True,
            "proposals": snapshot["proposals"],
            "collective_proposals": snapshot.get("collective_proposals", []),
            "rules": snapshot["rules"],
            "data_hash": snapshot["data_hash"],
        }
    return {
        **found,
        **board,
        **extra,
        "shown_version": version,
        "versions": await campaign_versions(campaign_id),
    }
