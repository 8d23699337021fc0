"""Ratings and emulation about one official, for the personal-data export (Luật
91/2025/QH15): their Mẫu số 01 sheets (self-assessment and the head's), their
objections to a deduction, their recognised initiatives, and what each locked version
of a period proposed for them (the result as it was frozen)."""

from __future__ import annotations

import json
from typing import Any

from congvu.inspect.emulation.tables import Contest, Initiative, PeriodVersion, RatingSheet


async def ratings_about(official_id: int) -> dict[str, list[dict[str, Any]]]:
    """``sheets``, ``contests``, ``initiatives`` and ``results`` of the official."""
    sheets = await RatingSheet.select(
        RatingSheet.id,
        RatingSheet.key,
        RatingSheet.period.name.as_alias("period"),
        RatingSheet.author,
        RatingSheet.task_group,
        RatingSheet.general,
        RatingSheet.results,
        RatingSheet.note,
        RatingSheet.entered_at,
    ).where(RatingSheet.official == official_id)
    contests = await Contest.select(
        Contest.period.name.as_alias("period"), Contest.source, Contest.reason, Contest.at
    ).where(Contest.official == official_id)
    initiatives = await Initiative.select(
        Initiative.year, Initiative.title, Initiative.decision_number, Initiative.decided_on
    ).where(Initiative.official == official_id)
    results = []
    for version in await PeriodVersion.select(
        PeriodVersion.period.name.as_alias("period"),
        PeriodVersion.version,
        PeriodVersion.locked_at,
        PeriodVersion.data_hash,
        PeriodVersion.proposals,
    ).order_by(PeriodVersion.id):
        proposals = json.loads(version["proposals"])
        for entry in proposals.get("officials", []):
            if entry.get("official_id") == official_id:
                results.append(
                    {
                        "period": version["period"],
                        "version": version["version"],
                        "locked_at": version["locked_at"],
                        "data_hash": version["data_hash"],
                        "proposal": json.dumps(entry, ensure_ascii=False, sort_keys=True),
                    }
                )
    return {
        "sheets": sorted(sheets, key=lambda r: (r["period"], r["author"])),
        "contests": sorted(contests, key=lambda r: str(r["at"])),
        "initiatives": sorted(initiatives, key=lambda r: (r["year"], r["title"])),
        "results": results,
    }
