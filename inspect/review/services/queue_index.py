"""Mục lục hàng chờ xem xét: every item of a head's queue as a few light columns (kind,
unit, official, state, severity, review deadline), read in a constant number of queries
whatever the scope holds, so the queue can be filtered, counted and cut into pages before
any item's facts are read (``queue_batch`` reads those, for one page at a time).

A province after a year's one-stop import holds tens of thousands of flagged dossiers:
the light rows are what a filter and its counts need, nothing more.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.i18n import name_sort_key
from congvu.inspect.inspections.tables import Finding, FindingVersion
from congvu.inspect.organisation.tables import Official, Unit
from congvu.inspect.review.services.deadlines import stored_deadlines
from congvu.inspect.review.services.dossier_flags import LATE_CODE, covered, lateness_flags
from congvu.inspect.review.services.items import ItemKind
from congvu.inspect.review.services.lifecycle import EXPLANATION_WINDOW, local_day
from congvu.inspect.review.services.record import severity_of
from congvu.inspect.review.tables import DossierDecision, ReviewState
from congvu.rules.dossiers import VIETNAM_TIME

# A flagged dossier has no review state of its own until the head decides: the queue's
# state filter shows it as this one.
DOSSIER_STATE = "dossier_flagged"


@dataclass(frozen=True)
class Entry:
    """One queue item as filters, counts and sorting see it."""

    kind: ItemKind
    id: int
    unit_id: int
    unit_path: str
    unit_name: str
    official_id: int | None
    official_name: str | None
    state: str  # a ReviewState value, or DOSSIER_STATE
    severity: str
    deadline: date | None  # hạn: the explanation's, the review's or the dossier's review

    @property
    def official_key(self) -> str:
        return name_sort_key(self.official_name or "")


async def entries(actor: Actor, *, now: datetime | None = None) -> list[Entry]:
    """Every item of the actor's queue (the open findings of their subtree and the flagged
    dossiers not yet decided, none about themself), in no particular order."""
    today = local_day(now or datetime.now(UTC))
    return [*await finding_entries(actor), *await dossier_entries(actor, today)]


def _severity(cache: dict[tuple[str, date], str], code: str, on: date) -> str:
    key = (code, on)
    if key not in cache:
        cache[key] = severity_of(code, on)
    return cache[key]


# The findings of a queue: the same FROM and WHERE for their rows and their counts
# (``queue_findings``).
FINDINGS_FROM = (
    " FROM finding f JOIN unit u ON u.id = f.unit"
    " LEFT JOIN official o ON o.id = f.official"
    " LEFT JOIN inspection i ON i.id = f.inspection"
    " LEFT JOIN finding_review r ON r.finding = f.id"
    " WHERE u.path LIKE {} AND f.version_state = {}"
    " AND (i.status IN ('submitted', 'closed') OR f.dossier IS NOT NULL)"
)


def findings_args(actor: Actor) -> list[Any]:
    return [f"{actor.scope_path}%", FindingVersion.CURRENT.value]


def _deadlines_sql(deadlines: Collection[date | None], sqlite: bool) -> str:
    # Rows that may have one of ``deadlines``: more than that (either date may be the
    # deadline, as the state decides), never fewer; the caller keeps the exact ones.
    if None in deadlines:
        return ""  # a finding without a deadline: any state may have none
    listed = ", ".join(
        f"'{d.isoformat()}'" if sqlite else f"DATE '{d.isoformat()}'"
        for d in sorted(d for d in deadlines if d is not None)
    )
    if not listed:
        return " AND FALSE"
    return f" AND (r.explanation_due IN ({listed}) OR r.review_due IN ({listed}))"


async def finding_entries(
    actor: Actor, deadlines: Collection[date | None] | None = None
) -> list[Entry]:
    """The open findings of the actor's subtree (from submitted minutes, or late-dossier
    cases), none about themself: one query, each row with its review's state and dates;
    only those whose deadline is one of ``deadlines`` when given (a page's)."""
    rows = await db.raw(
        Finding,
        "SELECT f.id, f.unit, u.path AS unit_path, u.name AS unit_name, f.official,"
        " o.full_name AS official_name, f.violation_code, f.observed_at,"
        " r.state, r.explanation_due, r.review_due"
        + FINDINGS_FROM
        + ("" if deadlines is None else _deadlines_sql(deadlines, db.is_sqlite())),
        *findings_args(actor),
    )
    zone = clock.zone()
    severities: dict[tuple[str, date], str] = {}
    found = []
    for row in rows:
        state = STATES[row["state"]]
        if state is ReviewState.CLOSED:
            continue
        if row["official"] is not None and row["official"] == actor.official_id:
            continue
        deadline = finding_deadline(state, row if row["state"] is not None else None)
        if deadlines is not None and deadline not in deadlines:
            continue
        found.append(
            Entry(
                kind=ItemKind.FINDING,
                id=row["id"],
                unit_id=row["unit"],
                unit_path=row["unit_path"],
                unit_name=row["unit_name"],
                official_id=row["official"],
                official_name=row["official_name"],
                state=state.value,
                severity=_severity(
                    severities,
                    row["violation_code"],
                    _moment(row["observed_at"]).astimezone(zone).date(),
                ),
                deadline=deadline,
            )
        )
    return found


# A finding without a review row is recorded; a dict, not ReviewState(), at 10,000 rows.
STATES: dict[str | None, ReviewState] = {
    None: ReviewState.RECORDED,
    **{s.value: s for s in ReviewState},
}


def _moment(value: datetime | str) -> datetime:
    # SQLite hands a raw query's timestamp back as its stored text.
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def finding_deadline(state: ReviewState, review: dict[str, Any] | None) -> date | None:
    if review is None:
        return None
    due = review["explanation_due"] if state in EXPLANATION_WINDOW else review["review_due"]
    if isinstance(due, str):  # SQLite's raw text
        return date.fromisoformat(due[:10])
    return due if isinstance(due, date) else None


async def dossier_entries(actor: Actor, today: date, *, decided_only: bool = False) -> list[Entry]:
    """The flagged dossiers of the actor's queue; ``decided_only``: only those with an
    earlier decision (the queue's pages read the others in SQL: ``queue_sql``)."""
    scope = f"{actor.scope_path}%"
    decided: dict[int, list[str]] = {}
    for d in await DossierDecision.select(DossierDecision.dossier, DossierDecision.flags).where(
        DossierDecision.dossier._.unit._.path.like(scope)
    ):
        decided.setdefault(d["dossier"], []).append(d["flags"])
    if decided_only and not decided:
        return []
    # A province holds tens of thousands of flagged dossiers: their rows carry ids only,
    # the units' and officials' names are read once each.
    rows = await Dossier.select(
        Dossier.id,
        Dossier.unit,
        Dossier.official,
        Dossier.official_name,
        Dossier.received_at,
        Dossier.due_at,
        Dossier.flags,
    ).where(
        Dossier.unit.path.like(scope),
        Dossier.flags != "",
        *([Dossier.id.is_in(sorted(decided))] if decided_only else []),
    )
    units = {
        u["id"]: (u["path"], u["name"])
        for u in await Unit.select(Unit.id, Unit.path, Unit.name).where(Unit.path.like(scope))
    }
    named = sorted({r["official"] for r in rows if r["official"] is not None})
    officials = (
        {
            o["id"]: o["full_name"]
            for o in await Official.select(Official.id, Official.full_name).where(
                Official.id.is_in(named)
            )
        }
        if named
        else {}
    )
    judged: dict[str, tuple[str, ...]] = {}
    severities: dict[tuple[str, date], str] = {}
    # When the fault arose: the missed return date (receipt when there is none).
    anchors = {
        r["id"]: (r["due_at"] or r["received_at"]).astimezone(VIETNAM_TIME).date() for r in rows
    }
    deadlines = await stored_deadlines(anchors.values(), today)
    found = []
    for row in rows:
        stored = row["flags"]
        if stored not in judged:
            judged[stored] = lateness_flags(stored)
        flags = judged[stored]
        if not flags:
            continue
        earlier = decided.get(row["id"])
        if earlier and covered(flags, earlier):
            continue
        official = row["official"]
        if official is not None and official == actor.official_id:
            continue
        anchor = anchors[row["id"]]
        unit_path, unit_name = units[row["unit"]]
        found.append(
            Entry(
                kind=ItemKind.DOSSIER,
                id=row["id"],
                unit_id=row["unit"],
                unit_path=unit_path,
                unit_name=unit_name,
                official_id=official,
                official_name=officials.get(official) or row["official_name"] or None,
                state=DOSSIER_STATE,
                severity=_severity(severities, LATE_CODE, anchor),
                deadline=deadlines[anchor],
            )
        )
    return found
