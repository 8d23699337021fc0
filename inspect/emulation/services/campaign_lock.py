"""Khóa đợt thi đua: locking freezes a version — the board (each official's and each
collective's verdict with its reasons), the criteria, the proposals (officials and
collectives), the rule version of rules/campaign.py and the packs in
force at the campaign's end — with a SHA-256 of them, so a later change of a finding or a
rating never changes it. Reopening needs a written reason and the next lock writes the next
version; the earlier versions stay readable. Both steps are audited."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.campaign_collectives import collective_proposals
from congvu.inspect.emulation.services.campaign_proposals import (
    active,
    managed_campaign,
    proposals,
)
from congvu.inspect.emulation.services.campaigns import live_board
from congvu.inspect.emulation.services.council_lock import facts_hash
from congvu.inspect.emulation.tables import Campaign, CampaignVersion, PeriodState
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.rules.campaign import RULES_VERSION
from congvu.rules.packs import PackNotFound, pack_for

PACK_TOPICS = ("emulation", "rating_cong_chuc")


def rule_versions(on: date) -> dict[str, str]:
    """rules/campaign.py's version and the version of each pack the board reads, on ``on``."""
    found = {"campaign": RULES_VERSION}
    for topic in PACK_TOPICS:
        try:
            found[topic] = pack_for(topic, on).version
        except PackNotFound:
            found[topic] = ""
    return found


async def lock_campaign(actor: Actor, campaign_id: int) -> str:
    """Returns the data hash of the version written."""
    row = await managed_campaign(actor, campaign_id)
    if row["state"] == PeriodState.LOCKED.value:
        raise Conflict("Đợt thi đua đã khóa.", field="campaign")
    board = await live_board(row)
    verdicts = {o["official_id"]: o["eligible"] for o in board["officials"]}
    collectives = {c["unit_id"]: c["eligible"] for c in board["collectives"]}
    snapshot = {
        "criteria": json.loads(row["criteria"]),
        "board": board,
        "proposals": [
            {
                "official_id": p["official_id"],
                "name": p["name"],
                "unit_name": p["unit_name"],
                "eligible": verdicts.get(p["official_id"], False),
            }
            for p in active(await proposals(campaign_id))
        ],
        "collective_proposals": [
            {
                "unit_id": p["unit_id"],
                "name": p["name"],
                "eligible": collectives.get(p["unit_id"], False),
            }
            for p in active(await collective_proposals(campaign_id))
        ],
        "rules": rule_versions(row["ends_on"]),
    }
    digest = facts_hash(snapshot)
    version = int(row["version"])
    async with db.atomic():
        await CampaignVersion(
            key=f"{campaign_id}:{version}",
            campaign=campaign_id,
            version=version,
            locked_by=actor.id or None,
            locked_at=clock.now(),
            snapshot=json.dumps(snapshot, ensure_ascii=False),
            data_hash=digest,
        ).save()
        await Campaign.update({Campaign.state: PeriodState.LOCKED.value}).where(
            Campaign.id == campaign_id
        )
        await audit.record(
            "campaign.lock",
            "emulation_campaign",
            campaign_id,
            actor=actor,
            after={
                "version": version,
                "data_hash": digest,
                "rules": snapshot["rules"],
                "proposals": len(snapshot["proposals"]),
                "collective_proposals": len(snapshot["collective_proposals"]),
            },
        )
    return digest


async def reopen_campaign(actor: Actor, campaign_id: int, reason: str | None) -> int:
    """Returns the new version's number."""
    row = await managed_campaign(actor, campaign_id)
    why = (reason or "").strip()
    if not why:
        raise Invalid("Mở lại đợt thi đua đã khóa phải ghi rõ lý do.", field="reason")
    if row["state"] != PeriodState.LOCKED.value:
        raise Conflict("Đợt thi đua chưa khóa.", field="campaign")
    version = int(row["version"])
    async with db.atomic():
        await CampaignVersion.update(
            {
                CampaignVersion.reopened_by: actor.id or None,
                CampaignVersion.reopened_at: clock.now(),
                CampaignVersion.reopen_reason: why,
            }
        ).where(CampaignVersion.key == f"{campaign_id}:{version}")
        await Campaign.update(
            {Campaign.state: PeriodState.OPEN.value, Campaign.version: version + 1}
        ).where(Campaign.id == campaign_id)
        await audit.record(
            "campaign.reopen",
            "emulation_campaign",
            campaign_id,
            actor=actor,
            before={"version": version},
            after={"version": version + 1},
            reason=why,
        )
    return version + 1


async def campaign_versions(campaign_id: int) -> list[dict[str, Any]]:
    return await (
        CampaignVersion.select(
            CampaignVersion.version,
            CampaignVersion.locked_at,
            CampaignVersion.locked_by.display_name.as_alias("locked_by"),
            CampaignVersion.data_hash,
            CampaignVersion.reopened_at,
            CampaignVersion.reopen_reason,
        )
        .where(CampaignVersion.campaign == campaign_id)
        .order_by(CampaignVersion.version)
    )


async def frozen(campaign_id: int, version: int) -> dict[str, Any]:
    row = (
        await CampaignVersion.select(CampaignVersion.snapshot, CampaignVersion.data_hash)
        .where(CampaignVersion.campaign == campaign_id, CampaignVersion.version == version)
        .first()
    )
    if row is None:
        raise NotFound(f"Đợt thi đua không có phiên bản khóa {version}.", field="version")
    return {**json.loads(row["snapshot"]), "data_hash": row["data_hash"]}
