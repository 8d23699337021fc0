"""Đợt thi đua, phong trào theo chuyên đề: the personnel office launches a campaign for an
agency with its own dates and criteria chosen from the catalogue (rules/campaign.py); the
campaign's board lists every official of the agency eligible or not for its commendation
(Giấy khen theo đợt, chuyên đề), each criterion explained. The board is computed when read
while the campaign is open; a locked one shows its frozen version (campaign_lock.py).

Offered in the form: no confirmed violation, the latest quarter's level, no discipline.
The unit's on-time dossier rate is in the catalogue but not offered yet: the campaign's
figures per unit are not read here (a stored campaign holding it shows it not met, "no
dossier to rate")."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services import facts as facts_service
from congvu.inspect.emulation.services.access import require_manager
from congvu.inspect.emulation.services.boards import board
from congvu.inspect.emulation.services.facts import OfficialFacts, unit_by_code
from congvu.inspect.emulation.tables import Campaign, RatingPeriod
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.text_input import typed_day
from congvu.rules.campaign import CATALOGUE, CampaignFacts, CriterionKind, criteria, evaluate
from congvu.rules.rating import Level

OFFERED = (
    CriterionKind.NO_CONFIRMED_VIOLATION,
    CriterionKind.LAST_QUARTER_AT_LEAST,
    CriterionKind.NO_DISCIPLINE,
)
CHOICES = [(k.value, CATALOGUE[k][0]) for k in OFFERED]


def _day(text: str, field: str) -> date:
    try:
        return typed_day(text)
    except ValueError:
        raise Invalid("Ngày không hợp lệ (dd/mm/yyyy).", field=field) from None


async def create_campaign(actor: Actor, values: dict[str, str]) -> int:
    """``values``: ``name``, ``agency`` (a unit code), ``starts_on`` and ``ends_on``
    (dd/mm/yyyy), ``c_<kind>`` for each criterion chosen and ``level`` for the quarter's."""
    require_manager(actor)
    name = values.get("name", "").strip()
    if not name:
        raise Invalid("Nhập tên đợt thi đua.", field="name")
    unit = await unit_by_code(values.get("agency", "").strip())
    if not actor.can_see_unit_path(str(unit["path"])):
        raise NotFound("Không có đơn vị này trong phạm vi của bạn.", field="agency")
    starts_on = _day(values.get("starts_on", ""), "starts_on")
    ends_on = _day(values.get("ends_on", ""), "ends_on")
    if ends_on < starts_on:
        raise Invalid("Ngày kết thúc phải sau ngày bắt đầu.", field="ends_on")
    chosen: list[dict[str, str]] = []
    for kind in OFFERED:
        if values.get(f"c_{kind.value}"):
            entry = {"kind": kind.value}
            if kind is CriterionKind.LAST_QUARTER_AT_LEAST:
                entry["level"] = values.get("level", "HTT")
            chosen.append(entry)
    try:
        stored = [c.as_json() for c in criteria(chosen)]
    except ValueError:
        raise Invalid("Chọn ít nhất một tiêu chí của đợt thi đua.", field="criteria") from None
    async with db.atomic():
        row = Campaign(
            name=name[:200],
            agency=unit["id"],
            starts_on=starts_on,
            ends_on=ends_on,
            criteria=json.dumps(stored),
            created_by=actor.id or None,
            created_at=clock.now(),
        )
        await row.save()
        await audit.record(
            "campaign.create",
            "emulation_campaign",
            row.id,
            actor=actor,
            after={
                "name": name,
                "agency": unit["code"],
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
                "criteria": stored,
            },
        )
    return int(row.id)


async def campaigns(actor: Actor) -> list[dict[str, Any]]:
    """The campaigns of the agencies in the manager's scope, latest first."""
    require_manager(actor)
    rows = await Campaign.select(
        *Campaign.all_columns(), Campaign.agency.name, Campaign.agency.path
    ).order_by(Campaign.starts_on, ascending=False)
    return [r for r in rows if actor.can_see_unit_path(str(r["agency.path"]))]


async def _latest_quarter(ends_on: date, path: str) -> tuple[str | None, dict[int, Level]]:
    """The levels of the latest quarter that started by the campaign's end."""
    row = (
        await RatingPeriod.select(RatingPeriod.name)
        .where(RatingPeriod.kind == "quarter", RatingPeriod.starts_on <= ends_on)
        .order_by(RatingPeriod.starts_on, ascending=False)
        .first()
    )
    if row is None:
        return None, {}
    found = await board(str(row["name"]), path, None)
    return str(row["name"]), {
        int(o["official_id"]): Level(o["level"]) for o in found["officials"] if o.get("level")
    }


def _facts(f: OfficialFacts, start: date, end: date, level: Level | None) -> CampaignFacts:
    s = f.standing
    return CampaignFacts(
        subject_id=str(f.official_id),
        confirmed_violations=len(f.violations),
        disciplined=any(start <= d.decided_on <= end for d in s.decisions),
        open_case=s.open_case_since is not None and s.open_case_since <= end,
        last_quarter=level,
    )


async def campaign_row(campaign_id: int) -> dict[str, Any]:
    row = (
        await Campaign.select(*Campaign.all_columns(), Campaign.agency.name, Campaign.agency.path)
        .where(Campaign.id == campaign_id)
        .first()
    )
    if row is None:
        raise NotFound("Không có đợt thi đua này.", field="campaign")
    return row


def criteria_labels(stored: list[dict[str, Any]]) -> list[str]:
    return [
        CATALOGUE[c.kind][0] + (f": từ {c.level.label_vi} trở lên" if c.level else "")
        for c in criteria(stored)
    ]


async def live_board(row: dict[str, Any]) -> dict[str, Any]:
    """The board as the data stand now: every official of the agency, eligible or not."""
    path = str(row["agency.path"])
    chosen = criteria(json.loads(row["criteria"]))
    start, end = row["starts_on"], row["ends_on"]
    quarter, levels = await _latest_quarter(end, path)
    officials = []
    for f in await facts_service.load(path, start, end):
        verdict = evaluate(chosen, _facts(f, start, end, levels.get(f.official_id)))
        officials.append(
            {
                "official_id": f.official_id,
                "name": f.full_name,
                "unit_name": f.unit_name,
                "eligible": verdict.eligible,
                "reasons_vi": list(verdict.reasons_vi),
            }
        )
    return {
        "criteria_vi": criteria_labels(json.loads(row["criteria"])),
        "quarter": quarter,
        "officials": officials,
        "eligible": sum(1 for o in officials if o["eligible"]),
    }


def heading(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(row["id"]),
        "name": row["name"],
        "agency": row["agency.name"],
        "starts_on": row["starts_on"],
        "ends_on": row["ends_on"],
        "state": row["state"],
        "version": int(row["version"]),
    }
