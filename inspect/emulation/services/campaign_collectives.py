"""Đề nghị Giấy khen cho tập thể của đợt thi đua: from the campaign's board the personnel
office proposes eligible collectives (units of the campaign's agency) and withdraws a
proposal with a written reason. A collective the board finds ineligible is refused with
the criteria not met; a locked campaign's proposals do not change until it is reopened.
Every step is audited."""

from __future__ import annotations

from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.campaign_proposals import (
    NOT_MET,
    managed_campaign,
    require_open,
)
from congvu.inspect.emulation.services.campaigns import live_board
from congvu.inspect.emulation.tables import CampaignCollectiveProposal
from congvu.inspect.errors import Conflict, Invalid, NotFound

Proposal = CampaignCollectiveProposal


def _refusal(collective: dict[str, Any]) -> str:
    failed = [r for r in collective["reasons_vi"] if r.endswith(NOT_MET)]
    return (
        f"Tập thể {collective['name']} chưa đủ điều kiện đề nghị Giấy khen của đợt thi đua: "
        + " ".join(failed or collective["reasons_vi"])
    )


async def propose_collectives(actor: Actor, campaign_id: int, unit_ids: list[int]) -> int:
    """Proposes each collective (all eligible, or none is written); returns how many are
    new."""
    row = await managed_campaign(actor, campaign_id)
    require_open(row)
    if not unit_ids:
        raise Invalid("Chọn ít nhất một tập thể đủ điều kiện để đề nghị.", field="unit")
    board = {c["unit_id"]: c for c in (await live_board(row))["collectives"]}
    for unit_id in unit_ids:
        collective = board.get(unit_id)
        if collective is None:
            raise NotFound("Không có tập thể này trong đợt thi đua.", field="unit")
        if not collective["eligible"]:
            raise Conflict(_refusal(collective), field="unit")
    added = 0
    async with db.atomic():
        for unit_id in dict.fromkeys(unit_ids):
            key = f"{campaign_id}:{unit_id}"
            existing = (
                await Proposal.select(Proposal.withdrawn_at).where(Proposal.key == key).first()
            )
            if existing is not None and existing["withdrawn_at"] is None:
                continue
            by, at = actor.id or None, clock.now()
            if existing is None:
                await Proposal(
                    key=key, campaign=campaign_id, unit=unit_id, proposed_by=by, proposed_at=at
                ).save()
            else:
                await Proposal.update(
                    {
                        Proposal.proposed_by: by,
                        Proposal.proposed_at: at,
                        Proposal.withdrawn_by: None,
                        Proposal.withdrawn_at: None,
                        Proposal.withdraw_reason: None,
                    }
                ).where(Proposal.key == key)
            await audit.record(
                "campaign.propose_collective",
                "emulation_campaign",
                campaign_id,
                actor=actor,
                after={"unit_id": unit_id, "name": board[unit_id]["name"]},
            )
            added += 1
    return added


async def withdraw_collective(
    actor: Actor, campaign_id: int, unit_id: int, reason: str | None
) -> None:
    row = await managed_campaign(actor, campaign_id)
    why = (reason or "").strip()
    if not why:
        raise Invalid("Rút đề nghị phải ghi rõ lý do.", field="collective_reason")
    require_open(row)
    key = f"{campaign_id}:{unit_id}"
    if not await Proposal.exists().where(Proposal.key == key, Proposal.withdrawn_at.is_null()):
        raise NotFound("Tập thể này không có trong danh sách đề nghị của đợt.", field="unit")
    async with db.atomic():
        await Proposal.update(
            {
                Proposal.withdrawn_by: actor.id or None,
                Proposal.withdrawn_at: clock.now(),
                Proposal.withdraw_reason: why,
            }
        ).where(Proposal.key == key)
        await audit.record(
            "campaign.withdraw_collective",
            "emulation_campaign",
            campaign_id,
            actor=actor,
            before={"unit_id": unit_id},
            reason=why,
        )


async def collective_proposals(campaign_id: int) -> list[dict[str, Any]]:
    """Every collective proposal of the campaign, withdrawn ones with their reason, in the
    order of the units' tree."""
    return await (
        Proposal.select(
            Proposal.unit.as_alias("unit_id"),
            Proposal.unit.name.as_alias("name"),
            Proposal.proposed_at,
            Proposal.proposed_by.display_name.as_alias("proposed_by"),
            Proposal.withdrawn_at,
            Proposal.withdraw_reason,
        )
        .where(Proposal.campaign == campaign_id)
        .order_by(Proposal.unit.path)
    )
