"""Đề nghị Giấy khen của đợt thi đua: from the campaign's board the personnel office proposes
eligible officials for the campaign's commendation and withdraws a proposal with a written
reason. An official the board finds ineligible is refused with the criteria not met; a
locked campaign's proposals do not change until it is reopened. Every step is audited."""

from __future__ import annotations

from typing import Any

from congvu.inspect import clock, db, i18n
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.access import require_manager
from congvu.inspect.emulation.services.campaigns import campaign_row, live_board
from congvu.inspect.emulation.tables import CampaignProposal, PeriodState
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.organisation.tables import Official

NOT_MET = "Không đạt."


async def managed_campaign(actor: Actor, campaign_id: int) -> dict[str, Any]:
    """The campaign's row, for a manager whose scope holds its agency; refused once locked."""
    require_manager(actor)
    row = await campaign_row(campaign_id)
    if not actor.can_see_unit_path(str(row["agency.path"])):
        raise NotFound("Không có đợt thi đua này trong phạm vi của bạn.", field="campaign")
    return row


def require_open(row: dict[str, Any]) -> None:
    if row["state"] == PeriodState.LOCKED.value:
        raise Conflict(
            "Đợt thi đua đã khóa: mở lại đợt (ghi rõ lý do) để sửa danh sách đề nghị.",
            field="campaign",
        )


def _refusal(official: dict[str, Any]) -> str:
    failed = [r for r in official["reasons_vi"] if r.endswith(NOT_MET)]
    return f"{official['name']} chưa đủ điều kiện đề nghị Giấy khen của đợt thi đua: " + " ".join(
        failed or official["reasons_vi"]
    )


async def propose(actor: Actor, campaign_id: int, official_ids: list[int]) -> int:
    """Proposes each official (all eligible, or none is written); returns how many are new."""
    row = await managed_campaign(actor, campaign_id)
    require_open(row)
    if not official_ids:
        raise Invalid("Chọn ít nhất một người đủ điều kiện để đề nghị.", field="official")
    board = {o["official_id"]: o for o in (await live_board(row))["officials"]}
    for official_id in official_ids:
        official = board.get(official_id)
        if official is None:
            raise NotFound("Không có cán bộ này trong đợt thi đua.", field="official")
        if not official["eligible"]:
            raise Conflict(_refusal(official), field="official")
    added = 0
    async with db.atomic():
        for official_id in dict.fromkeys(official_ids):
            key = f"{campaign_id}:{official_id}"
            existing = (
                await CampaignProposal.select(CampaignProposal.withdrawn_at)
                .where(CampaignProposal.key == key)
                .first()
            )
            if existing is not None and existing["withdrawn_at"] is None:
                continue
            by, at = actor.id or None, clock.now()
            if existing is None:
                await CampaignProposal(
                    key=key,
                    campaign=campaign_id,
                    official=official_id,
                    proposed_by=by,
                    proposed_at=at,
                ).save()
            else:
                await CampaignProposal.update(
                    {
                        CampaignProposal.proposed_by: by,
                        CampaignProposal.proposed_at: at,
                        CampaignProposal.withdrawn_by: None,
                        CampaignProposal.withdrawn_at: None,
                        CampaignProposal.withdraw_reason: None,
                    }
                ).where(CampaignProposal.key == key)
            await audit.record(
                "campaign.propose",
                "emulation_campaign",
                campaign_id,
                actor=actor,
                after={"official_id": official_id, "name": board[official_id]["name"]},
            )
            added += 1
    return added


async def withdraw(actor: Actor, campaign_id: int, official_id: int, reason: str | None) -> None:
    row = await managed_campaign(actor, campaign_id)
    why = (reason or "").strip()
    if not why:
        raise Invalid("Rút đề nghị phải ghi rõ lý do.", field="reason")
    require_open(row)
    key = f"{campaign_id}:{official_id}"
    if not await CampaignProposal.exists().where(
        CampaignProposal.key == key, CampaignProposal.withdrawn_at.is_null()
    ):
        raise NotFound("Người này không có trong danh sách đề nghị của đợt.", field="official")
    async with db.atomic():
        await CampaignProposal.update(
            {
                CampaignProposal.withdrawn_by: actor.id or None,
                CampaignProposal.withdrawn_at: clock.now(),
                CampaignProposal.withdraw_reason: why,
            }
        ).where(CampaignProposal.key == key)
        await audit.record(
            "campaign.withdraw",
            "emulation_campaign",
            campaign_id,
            actor=actor,
            before={"official_id": official_id},
            reason=why,
        )


async def proposals(campaign_id: int) -> list[dict[str, Any]]:
    """Every proposal of the campaign, withdrawn ones with their reason, sorted the
    Vietnamese way by given name."""
    rows = await CampaignProposal.select(
        CampaignProposal.official.as_alias("official_id"),
        CampaignProposal.official.full_name.as_alias("name"),
        CampaignProposal.proposed_at,
        CampaignProposal.proposed_by.display_name.as_alias("proposed_by"),
        CampaignProposal.withdrawn_at,
        CampaignProposal.withdraw_reason,
    ).where(CampaignProposal.campaign == campaign_id)
    units = {}
    if rows:
        units = {
            int(o["id"]): o["unit.name"]
            for o in await Official.select(Official.id, Official.unit.name).where(
                Official.id.is_in([int(r["official_id"]) for r in rows])
            )
        }
    found = [{**r, "unit_name": units.get(int(r["official_id"]), "")} for r in rows]
    return sorted(found, key=lambda r: i18n.name_sort_key(str(r["name"])))


def active(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in found if p["withdrawn_at"] is None]
