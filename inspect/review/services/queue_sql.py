"""Hồ sơ trễ hạn của hàng chờ, in SQL: the flagged dossiers not yet decided, filtered,
counted, ordered and cut into a keyset page by the database, so that a page at a
province's scale (100,000 flagged dossiers) reads its own rows and a few counts, never
every dossier in scope (tests/bench/README.md, "Review queue").

Each judgment keeps the meaning ``queue_index`` gives it in Python:

* a dossier's stored flags hold a fault a head judges (``lateness_flags`` not empty) when
  one of its ";"-separated flags is in ``FAMILIES``: ``instr``/``strpos`` of ";FLAG;" in
  ";" + flags + ";", the same test, with no list of flag strings to read first;
* a dossier with an earlier decision (``covered``) is left to Python (``queue_index``):
  the SQL stream holds only dossiers without one (``NOT IN`` the decided ones);
* the severity of LATE_CODE depends only on the conduct pack in force on the anchor day,
  so it is a ``CASE`` over the packs' validity dates;
* the review deadline is the stored ``review_deadline`` of the anchor day; the days the
  table lacks (or holds from another pack) come out of the counts' GROUP BY (by anchor
  day), are counted in Python and joined as values by the page's query.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.errors import Invalid
from congvu.inspect.i18n import name_sort_key
from congvu.inspect.organisation.tables import Unit
from congvu.inspect.review.services.deadlines import review_deadline
from congvu.inspect.review.services.dossier_flags import FAMILIES, LATE_CODE
from congvu.inspect.review.services.items import ItemKind
from congvu.inspect.review.services.queue_days import DayCounts, count_split, page_days
from congvu.inspect.review.services.queue_index import DOSSIER_STATE, Entry
from congvu.inspect.review.services.queue_view import (
    SEVERITY_RANK,
    Matcher,
    QueueFilters,
    due_bucket,
)
from congvu.inspect.review.services.record import severity_of
from congvu.rules import review as rules
from congvu.rules.packs import default_registry

# Combinations of the filters' values: (unit path, kind, official, state, severity, due
# bucket) → number of items, as ``Matcher.values`` spells them.
Combinations = Counter[tuple[tuple[str, ...], int]]


def anchor_sql(sqlite: bool) -> str:
    # The local (UTC+7, VIETNAM_TIME) day of the missed return date, receipt when none.
    # SQLite holds a timestamptz as "YYYY-MM-DD HH:MM:SS[.ffffff]+00:00" text.
    if sqlite:
        return "date(coalesce(d.due_at, d.received_at), '+7 hours')"
    return "(coalesce(d.due_at, d.received_at) AT TIME ZONE INTERVAL '+07:00')::date"


def faults_sql(sqlite: bool) -> str:
    # lateness_flags(d.flags) is not empty: one of its ";"-separated flags is a fault's.
    find = "instr" if sqlite else "strpos"
    return (
        "("
        + " OR ".join(f"{find}(';' || d.flags || ';', ';{flag};') > 0" for flag in sorted(FAMILIES))
        + ")"
    )


def _day_literal(day: date, sqlite: bool) -> str:
    return f"'{day.isoformat()}'" if sqlite else f"DATE '{day.isoformat()}'"


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def severity_spans() -> list[tuple[date | None, str]]:
    """The severity of LATE_CODE from each validity boundary of the conduct packs (the
    first span from the beginning of time): constant between two boundaries."""
    bounds: set[date] = set()
    for pack in default_registry().versions("conduct"):
        bounds.add(pack.effective_from)
        if pack.effective_to is not None:
            bounds.add(pack.effective_to + timedelta(days=1))
    ordered = sorted(bounds)
    if not ordered:
        return [(None, severity_of(LATE_CODE, date.today()))]
    spans: list[tuple[date | None, str]] = [
        (None, severity_of(LATE_CODE, ordered[0] - timedelta(days=1)))
    ]
    spans += [(b, severity_of(LATE_CODE, b)) for b in ordered]
    return spans


def _case(spans: list[tuple[date | None, str]], values: dict[str, str], sqlite: bool) -> str:
    # "anchor < next boundary" picks the span: each span's value is a literal we wrote.
    parts = [
        f"WHEN r.anchor < {_day_literal(nxt, sqlite)} THEN {values[sev]}"
        for (_, sev), (nxt, _) in itertools.pairwise(spans)
        if nxt is not None
    ]
    last = values[spans[-1][1]]
    return f"CASE {' '.join(parts)} ELSE {last} END" if parts else last


@dataclass
class Part:
    """One element of a sort key as SQL sees it: an expression, or a value every dossier
    shares (``sql`` None)."""

    sql: str | None
    value: Any = None
    kind: str = "number"  # how a cursor's value is bound: number, day, text, rank

    def bind(self, mark: Any, args: list[Any], ranks: Sequence[str]) -> str:
        if self.kind == "text":
            if not isinstance(mark, str):
                raise _bad_cursor()
            args.append(mark)
            return "{}"
        if self.kind == "rank":
            if not isinstance(mark, str):
                raise _bad_cursor()
            at = bisect.bisect_left(ranks, mark)
            return str(at) if at < len(ranks) and ranks[at] == mark else f"{at - 0.5}"
        if not isinstance(mark, int | float):
            raise _bad_cursor()
        if self.kind == "day":
            # A day's ordinal; an edited URL's that names no day is refused.
            if mark != int(mark) or not 1 <= mark <= date.max.toordinal():
                raise _bad_cursor()
            return _day_literal(date.fromordinal(int(mark)), db.is_sqlite())
        return repr(mark) if isinstance(mark, float) else str(int(mark))


def _bad_cursor() -> Invalid:
    return Invalid("Liên kết trang không hợp lệ.", field="after")


def sort_parts(sort: str) -> list[Part]:
    """A dossier's sort key of ``queue_view.SORTS[sort]``, part by part (a dossier always
    has a review deadline, and its kind is "dossier")."""
    by_deadline = [
        Part(None, False),
        Part("r.deadline", kind="day"),
        Part(None, str(ItemKind.DOSSIER)),
        Part("r.id"),
    ]
    unit_path = "r.unit_path" if db.is_sqlite() else 'r.unit_path COLLATE "C"'
    lead = {
        "deadline": [],
        "unit": [Part(unit_path, kind="text")],
        "official": [
            Part("CASE WHEN r.official_name IS NULL THEN 1 ELSE 0 END"),
            Part("r.name_rank", kind="rank"),
        ],
        "severity": [Part("r.severity_rank")],
        "kind": [Part(None, str(ItemKind.DOSSIER))],
    }[sort]
    return [*lead, *by_deadline]


def beyond_sql(
    parts: list[Part], mark: Sequence[Any], descending: bool, args: list[Any], ranks: list[str]
) -> str:
    """SQL true for a dossier whose key comes strictly after ``mark`` in this order."""
    if len(mark) != len(parts):
        raise _bad_cursor()
    op = "<" if descending else ">"

    def level(i: int) -> str:
        if i == len(parts):
            return "FALSE"
        part, value = parts[i], mark[i]
        if part.sql is None:
            try:
                if part.value == value:
                    return level(i + 1)
                ahead = part.value < value if descending else part.value > value
            except TypeError as error:
                raise _bad_cursor() from error
            return "TRUE" if ahead else "FALSE"
        strict = f"{part.sql} {op} {part.bind(value, args, ranks)}"
        rest = level(i + 1)
        if rest == "FALSE":
            return strict
        return f"({strict} OR ({part.sql} = {part.bind(value, args, ranks)} AND {rest}))"

    return level(0)


@dataclass
class DossierStream:
    """The undecided flagged dossiers of one actor's scope, as SQL: the common table
    expressions and the WHERE clause every query of a page shares."""

    actor: Actor
    today: date
    # The review deadlines of the anchor days review_deadline lacks (``combinations``).
    missing: dict[date, date] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # distinct name sort keys, sorted
    spellings: dict[str, int] = field(default_factory=dict)  # a name → its key's rank
    # The matching dossiers of each anchor day, for the filters ``combinations`` counted.
    days: DayCounts = field(default_factory=DayCounts)
    counted: QueueFilters | None = None

    def _dossiers(self, args: list[Any], days: Sequence[date] | None = None) -> str:
        """The ``base`` rows: the undecided dossiers in scope with a fault, none the
        actor's own, with their anchor day; only those of ``days`` when given."""
        sqlite = db.is_sqlite()
        return (
            "base AS (SELECT d.id, d.unit AS unit_id, u.path AS unit_path, u.name AS unit_name,"
            " d.official AS official_id,"
            " coalesce(nullif(o.full_name, ''), nullif(d.official_name, '')) AS official_name,"
            f" {anchor_sql(sqlite)} AS anchor"
            " FROM dossier d JOIN unit u ON u.id = d.unit"
            " LEFT JOIN official o ON o.id = d.official"
            f" WHERE {self._where(args, days)})"
        )

    def _where(
        self, args: list[Any], days: Sequence[date] | None, units: Sequence[int] | None = None
    ) -> str:
        # The fault test is the anchor-day index's own predicate, word for word, so that
        # the planner may read the index ``dossier_review_counts`` (``dossier_review_queue``
        # on SQLite; review migrations of 07/12/2026; tests/review/
        # test_queue_index_migration.py compares the texts). With the scope's ``units``
        # given, the dossier's own unit is tested, so the counts need no join to read.
        sqlite = db.is_sqlite()
        if units is None:
            args.append(f"{self.actor.scope_path}%")
            where = "u.path LIKE {}"
        else:
            where = f"d.unit IN ({', '.join(str(int(u)) for u in units) or 'NULL'})"
        if self.actor.official_id is not None:
            where += " AND (d.official IS NULL OR d.official <> {})"
            args.append(self.actor.official_id)
        where += f" AND d.flags <> '' AND {faults_sql(sqlite)}"
        if days is not None:
            listed = ", ".join(_day_literal(day, sqlite) for day in days)
            where += f" AND {anchor_sql(sqlite)} IN ({listed})"
        # NOT IN of a list read once, where NOT EXISTS probed the decisions per dossier.
        return (
            where + " AND d.id NOT IN"
            " (SELECT x.dossier FROM dossier_decision x WHERE x.dossier IS NOT NULL)"
        )

    def _stored(self, args: list[Any]) -> str:
        rule = rules.windows(self.today).rule
        args += [rule.id, rule.version]
        return (
            "stored(day, due) AS (SELECT day, due FROM review_deadline"
            " WHERE rule_id = {} AND rule_version = {})"
        )

    def _base(
        self, args: list[Any], *, ranks: bool = False, days: Sequence[date] | None = None
    ) -> str:
        sqlite = db.is_sqlite()
        stored = self._stored(args)
        extra = "".join(
            f" UNION ALL SELECT {_day_literal(d, sqlite)}, {_day_literal(due, sqlite)}"
            for d, due in sorted(self.missing.items())
        )
        spans = severity_spans()
        sev = _case(spans, {s: f"'{s}'" for _, s in spans}, sqlite)
        rank = _case(spans, {s: str(SEVERITY_RANK.get(s, 3)) for _, s in spans}, sqlite)
        base = self._dossiers(args, days)
        names = ""
        name_join = ""
        name_rank = "0"
        if ranks and self.spellings:
            cast = "" if sqlite else "::text"
            names = (
                ", names(name, rank) AS (VALUES "
                + ", ".join(f"({{}}{cast}, {int(rank)})" for rank in self.spellings.values())
                + ")"
            )
            args += list(self.spellings)
            # Every spelling of a name, with the rank of its sort key.
            name_join = " LEFT JOIN names n ON n.name = coalesce(r.official_name, '')"
            name_rank = "coalesce(n.rank, 0)"
        return (
            f"WITH {stored}, deadlines(day, due) AS (SELECT day, due FROM stored{extra}),"
            f" {base},"
            " rows AS (SELECT r.*, dl.due AS deadline,"
            f" {sev} AS severity, {rank} AS severity_rank"
            " FROM base r JOIN deadlines dl ON dl.day = r.anchor)"
            f"{names}"
            f" SELECT r.*, {name_rank} AS name_rank FROM rows r{name_join}"
        )

    def _bucket(self) -> str:
        sqlite = db.is_sqlite()
        sunday = self.today + timedelta(days=6 - self.today.weekday())
        return (
            f"CASE WHEN r.deadline < {_day_literal(self.today, sqlite)} THEN 'overdue'"
            f" WHEN r.deadline <= {_day_literal(sunday, sqlite)} THEN 'week' ELSE 'later' END"
        )

    def _filters(self, filters: QueueFilters, unit_path: str | None, args: list[Any]) -> str:
        """The filters as a WHERE clause over ``q`` (the stream's rows)."""
        if filters.kind not in (None, ItemKind.DOSSIER.value) or filters.state not in (
            None,
            DOSSIER_STATE,
        ):
            return "FALSE"
        where = ["TRUE"]
        if filters.unit is not None:
            if unit_path is None:
                return "FALSE"
            # A prefix, as Matcher's startswith: LIKE would read "_" in a code as any
            # letter, and ignore case on SQLite.
            where.append(f"substr(r.unit_path, 1, {len(unit_path)}) = {{}}")
            args.append(unit_path)
        if filters.official is not None:
            where.append("r.official_id = {}")
            args.append(filters.official)
        if filters.severity is not None:
            where.append("r.severity = {}")
            args.append(filters.severity)
        if filters.due is not None:
            if filters.due == "none":
                return "FALSE"
            where.append(f"{self._bucket()} = {{}}")
            args.append(filters.due)
        return " AND ".join(where)

    async def combinations(self, matcher: Matcher) -> tuple[Combinations, dict[int, str]]:
        """How many dossiers share each combination of filter values (with the filters
        each combination misses), and the officials' names: one GROUP BY, by anchor day,
        which also finds the days ``review_deadline`` lacks. Called before any page."""
        args: list[Any] = []
        stored = self._stored(args)
        units = [
            u["id"]
            for u in await Unit.select(Unit.id).where(Unit.path.like(f"{self.actor.scope_path}%"))
        ]
        # Grouped on the dossier's own columns first (a few hundred groups from 100,000
        # rows, read from the covering index on PostgreSQL), then joined to the units,
        # officials and stored deadlines.
        sqlite = db.is_sqlite()
        sql = (
            f"WITH {stored}, groups AS (SELECT d.unit, d.official,"
            " nullif(d.official_name, '') AS named,"
            f" {anchor_sql(sqlite)} AS anchor, count(*) AS n"
            " FROM dossier d"
            f" WHERE {self._where(args, None, units)}"
            " GROUP BY anchor, d.unit, d.official, nullif(d.official_name, ''))"
            " SELECT u.path AS unit_path, g.official AS official_id,"
            " coalesce(nullif(o.full_name, ''), g.named) AS official_name, g.anchor,"
            " s.due AS deadline, g.n"
            " FROM groups g JOIN unit u ON u.id = g.unit"
            " LEFT JOIN official o ON o.id = g.official"
            " LEFT JOIN stored s ON s.day = g.anchor"
        )
        found: Combinations = Counter()
        names: dict[int, str] = {}
        spellings = set()
        severities: dict[date, str] = {}
        for row in await db.raw(Dossier, sql, *args):
            anchor = _day(row["anchor"])
            if row["deadline"] is not None:
                deadline = _day(row["deadline"])
            elif anchor in self.missing:
                deadline = self.missing[anchor]
            else:
                deadline = self.missing[anchor] = review_deadline(anchor, self.today)
            if anchor not in severities:
                severities[anchor] = severity_of(LATE_CODE, anchor)
            official = row["official_id"]
            values = (
                row["unit_path"],
                ItemKind.DOSSIER,
                str(official) if official is not None else "",
                DOSSIER_STATE,
                severities[anchor],
                due_bucket(deadline, self.today),
            )
            misses = matcher.misses(values)
            found[(values, misses)] += row["n"]
            self.days.deadlines[anchor] = deadline
            if not misses:
                self.days.matching[anchor] += row["n"]
            if official and row["official_name"]:
                names[official] = row["official_name"]
            spellings.add(row["official_name"] or "")
        self.names = sorted({name_sort_key(n) for n in spellings})
        rank = {key: n for n, key in enumerate(self.names)}
        self.spellings = {n: rank[name_sort_key(n)] for n in spellings}
        self.counted = matcher.filters
        return found, names

    def _by_day(self, filters: QueueFilters) -> bool:
        # The groups count the filters ``combinations`` was given, in the deadline order.
        return filters.sort == "deadline" and filters == self.counted

    async def count(
        self,
        filters: QueueFilters,
        unit_path: str | None,
        mark: Sequence[Any],
        *,
        descending: bool,
        beyond: bool,
    ) -> int:
        """How many matching dossiers come after ``mark`` (``beyond``) or not, in an order."""
        settled = 0
        days: list[date] | None = None
        split = count_split(self.days, mark, descending=descending, beyond=beyond)
        if self._by_day(filters) and split is not None:
            settled, days = split
            if not days:
                return settled
        args: list[Any] = []
        base = self._base(args, ranks=filters.sort == "official", days=days)
        where = self._filters(filters, unit_path, args)
        ahead = beyond_sql(sort_parts(filters.sort), mark, descending, args, self.names)
        test = ahead if beyond else f"NOT ({ahead})"
        sql = f"SELECT count(*) AS n FROM ({base}) r WHERE {where} AND {test}"
        rows = await db.raw(Dossier, sql, *args)
        return settled + int(rows[0]["n"])

    async def page(
        self,
        filters: QueueFilters,
        unit_path: str | None,
        mark: Sequence[Any] | None,
        limit: int,
        *,
        descending: bool,
    ) -> list[Entry]:
        """The first ``limit`` matching dossiers after ``mark`` in an order."""
        days = None
        if self._by_day(filters):
            days = page_days(self.days, mark, limit, descending=descending)
            if days == []:
                return []
        args: list[Any] = []
        base = self._base(args, ranks=filters.sort == "official", days=days)
        where = self._filters(filters, unit_path, args)
        parts = sort_parts(filters.sort)
        if mark is not None:
            where += " AND " + beyond_sql(parts, mark, descending, args, self.names)
        direction = " DESC" if descending else ""
        order = ", ".join(f"{p.sql}{direction}" for p in parts if p.sql is not None)
        sql = f"SELECT r.* FROM ({base}) r WHERE {where} ORDER BY {order} LIMIT {int(limit)}"
        return [
            Entry(
                kind=ItemKind.DOSSIER,
                id=row["id"],
                unit_id=row["unit_id"],
                unit_path=row["unit_path"],
                unit_name=row["unit_name"],
                official_id=row["official_id"],
                official_name=row["official_name"],
                state=DOSSIER_STATE,
                severity=row["severity"],
                deadline=_day(row["deadline"]),
            )
            for row in await db.raw(Dossier, sql, *args)
        ]


def dossier_stream(actor: Actor, today: date) -> DossierStream:
    """The stream of ``actor``'s scope on ``today``."""
    return DossierStream(actor, today)
