"""Known rows of the upgrade fixtures, read back through this code's public modules and
printed as JSON: the accounts and their scope, the unit tree, the late-arrival finding
with its review state and explanation, two dossiers' verdicts, the finished job.

Run by test_in_place.py in a subprocess with CONGVU_DATABASE_URL on the upgraded
database: settings are read once per process, and the test process has its own. Reads
are audited, so this appends to the audit chain the previous release sealed.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from congvu.inspect.background import api as background
from congvu.inspect.background.tables import JobRecord
from congvu.inspect.cli.common import run
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import User
from congvu.inspect.review import api as review

# The dossier the seed imported twice, its due date extended (gia hạn) in between.
EXTENDED = "GIAHAN-2026-001"


async def _id(query: Any) -> int:
    row = await query.first()
    assert row is not None, query
    return int(row["id"])


async def read_back() -> dict[str, Any]:
    accounts = {}
    for user in await User.select(User.id, User.username).order_by(User.id):
        actor = await organisation.actor_for(user["id"])
        assert actor is not None, user["username"]
        accounts[actor.username] = {
            "role": actor.role,
            "scope": actor.scope_path,
            "official": actor.official_id is not None,
        }
    admin = await organisation.actor_for(
        await _id(User.select(User.id).where(User.username == "admin"))
    )
    assert admin is not None
    late = await _id(Finding.select(Finding.id).where(Finding.violation_code == "LATE_ARRIVAL"))
    finding = await review.finding_detail(admin, late)
    planted = await _id(Dossier.select(Dossier.id).where(Dossier.code.like("DEMO-%-TRE")))
    resolved_late = (await dossiers.dossier_detail(admin, planted)).row
    extended = await dossiers.dossier_detail(
        admin,
        await _id(Dossier.select(Dossier.id).where(Dossier.code == EXTENDED)),
        as_of=date(2026, 11, 25),
    )
    job = await background.get_job(admin, (await JobRecord.select(JobRecord.id).first())["id"])
    return {
        "accounts": accounts,
        "units": sorted(unit.path for unit in await organisation.visible_units(admin)),
        "finding": {
            "state": str(finding.state),
            "official": finding.official_name,
            "photos": len(finding.photos),
            "explanations": [e.text for e in finding.explanations],
        },
        "resolved_late": {
            "status": resolved_late.status,
            "working_days_late": resolved_late.working_days_late,
            "flags": list(resolved_late.flags),
        },
        "extended": {
            "due_at": extended.row.due_at.isoformat() if extended.row.due_at else None,
            "snapshots": [due.isoformat() for _, due in extended.snapshots],
        },
        "job": {"kind": job.kind, "status": job.status},
    }


if __name__ == "__main__":
    print(json.dumps(run(read_back), ensure_ascii=False, indent=1, sort_keys=True))
