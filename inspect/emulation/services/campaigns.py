"""Đợt thi đua, phong trào theo chuyên đề: the personnel office launches a campaign for an
agency with its own dates and criteria chosen from the catalogue (rules/campaign.py); the
campaign's board lists every official of the agency eligible or not for its commendation
(Giấy khen theo đợt, chuyên đề), each criterion explained, and every unit of the agency's
subtree as a collective (tập thể), judged on the same criteria read for a group
(rules/campaign.py, ``COLLECTIVE``). The board is computed when read while the campaign is
open; a locked one shows its frozen version (campaign_lock.py).

The unit's on-time dossier rate is read through ``dossiers.api`` for the campaign's dates,
counted as the quarterly workbook counts it; an official is judged on their unit's rate
(the unit and the units under it, as a commune counts its one-stop centre)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.emulation.services import facts as facts_service
from congvu.inspect.emulation.services.access import require_manager
from congvu.inspect.emulation.services.boards import board
from congvu.inspect.emulation.services.facts import OfficialFacts, unit_by_code
from congvu.inspect.emulation.tables import Campaign, RatingPeriod
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.organisation.tables import Unit
from congvu.inspect.text_input import typed_day
from congvu.rules.campaign import (
    CATALOGUE,
    CampaignFacts,
    CollectiveFacts,
    Criterion,
    CriterionKind,
    criteria,
    criterion,
    evaluate,
    evaluate_collective,
)
from congvu.rules.rating import Level

OFFERED = (
    CriterionKind.NO_CONFIRMED_VIOLATION,
    CriterionKind.UNIT_ON_TIME_RATE,
    CriterionKind.LAST_QUARTER_AT_LEAST,
    CriterionKind.NO_DISCIPLINE,
    CriterionKind.MEMBERS_ELIGIBLE_SHARE,
)
CHOICES = [(k.value, CATALOGUE[k][0]) for k in OFFERED]
# The form's field holding each percent criterion's threshold.
PERCENT_FIELDS = {
    CriterionKind.UNIT_ON_TIME_RATE: "percent",
    CriterionKind.MEMBERS_ELIGIBLE_SHARE: "members_percent",
}


def _day(text: str, field: str) -> date:
    try:
        return typed_day(text)
    except ValueError:
        raise Invalid("Ngày không hợp lệ (dd/mm/yyyy).", field=field) from None


async def create_campaign(actor: Actor, values: dict[str, str]) -> int:
    """``values``: ``name``, ``agency`` (a unit code), ``starts_on`` and ``ends_on``
    (dd/mm/yyyy), ``c_<kind>`` for each criterion chosen, ``level`` for the quarter's,
    ``percent`` for the unit's on-time rate and ``members_percent`` for the share of a
    collective's members."""
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
            if kind in PERCENT_FIELDS:
                field = PERCENT_FIELDS[kind]
                entry["percent"] = values.get(field, "").strip()
                try:
                    criterion(entry)
                except ValueError:
                    raise Invalid("Nhập tỷ lệ từ 0 đến 100 (%).", field=field) from None
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


def _facts(
    f: OfficialFacts, start: date, end: date, level: Level | None, unit: dossiers.Timeliness
) -> CampaignFacts:
    s = f.standing
    return CampaignFacts(
        subject_id=str(f.official_id),
        confirmed_violations=len(f.violations),
        disciplined=any(start <= d.decided_on <= end for d in s.decisions),
        open_case=s.open_case_since is not None and s.open_case_since <= end,
        dossiers_on_time=unit.on_time,
        dossiers=unit.resolved,
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


def _label(c: Criterion) -> str:
    name = CATALOGUE[c.kind][0]
    if c.level is not None:
        return f"{name}: từ {c.level.label_vi} trở lên"
    if c.percent is not None:
        return f"{name}: từ {float(c.percent):g}% trở lên".replace(".", ",")
    return name


def criteria_labels(stored: list[dict[str, Any]]) -> list[str]:
    return [_label(c) for c in criteria(stored)]


def _collective(
    unit: dict[str, Any],
    members: list[tuple[CampaignFacts, bool]],
    at_level: set[str],
    timeliness: dossiers.Timeliness,
) -> CollectiveFacts:
    """A unit's collective facts from its members' (facts, eligible)."""
    return CollectiveFacts(
        subject_id=str(unit["id"]),
        members=len(members),
        members_eligible=sum(1 for _, eligible in members if eligible),
        members_at_level=sum(1 for f, _ in members if f.subject_id in at_level),
        confirmed_violations=sum(f.confirmed_violations for f, _ in members),
        disciplined=sum(1 for f, _ in members if f.disciplined),
        open_cases=sum(1 for f, _ in members if f.open_case),
        dossiers_on_time=timeliness.on_time,
        dossiers=timeliness.resolved,
    )


async def live_board(row: dict[str, Any]) -> dict[str, Any]:
    """The board as the data stand now: every official of the agency and every unit of
    its subtree as a collective, eligible or not."""
    path = str(row["agency.path"])
    chosen = criteria(json.loads(row["criteria"]))
    start, end = row["starts_on"], row["ends_on"]
    quarter, levels = await _latest_quarter(end, path)
    by_unit = await dossiers.on_time_by_unit(path, start, end)
    required = next((c.level for c in chosen if c.level is not None), None)
    officials = []
    judged: list[tuple[str, CampaignFacts, bool]] = []
    for f in await facts_service.load(path, start, end):
        unit_rate = dossiers.subtree_timeliness(by_unit, f.unit_path)
        facts = _facts(f, start, end, levels.get(f.official_id), unit_rate)
        verdict = evaluate(chosen, facts)
        judged.append((f.unit_path, facts, verdict.eligible))
        officials.append(
            {
                "official_id": f.official_id,
                "name": f.full_name,
                "unit_name": f.unit_name,
                "eligible": verdict.eligible,
                "reasons_vi": list(verdict.reasons_vi),
            }
        )
    at_level = {
        facts.subject_id
        for _, facts, _ in judged
        if required is not None
        and facts.last_quarter is not None
        and facts.last_quarter.at_least(required)
    }
    collectives = []
    units = (
        await Unit.select(Unit.id, Unit.name, Unit.path)
        .where(Unit.path.like(f"{path}%"), Unit.valid_to.is_null())
        .order_by(Unit.path)
    )
    for unit in units:
        members = [(f, ok) for p, f, ok in judged if p.startswith(str(unit["path"]))]
        timeliness = dossiers.subtree_timeliness(by_unit, str(unit["path"]))
        verdict = evaluate_collective(chosen, _collective(unit, members, at_level, timeliness))
        collectives.append(
            {
                "unit_id": int(unit["id"]),
                "name": unit["name"],
                "members": len(members),
                "eligible": verdict.eligible,
                "reasons_vi": list(verdict.reasons_vi),
            }
        )
    return {
        "criteria_vi": criteria_labels(json.loads(row["criteria"])),
        "quarter": quarter,
        "officials": officials,
        "eligible": sum(1 for o in officials if o["eligible"]),
        "collectives": collectives,
        "collectives_eligible": sum(1 for c in collectives if c["eligible"]),
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
