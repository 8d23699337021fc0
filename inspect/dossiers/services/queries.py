# Long module: the list, detail and re-judging queries share its select of facts and verdicts.
"""Hồ sơ TTHC of a unit: the list, timeliness shares, 766-style estimates per period,
flagged dossiers (trễ hạn, quá hạn, thiếu thư xin lỗi, lùi hạn …) and the nightly scan.

Everything is read through the actor's unit scope. Stored verdicts (``status``,
``flags``) are those of the last evaluation (import or nightly scan, ``evaluated_on``);
``verdicts_at`` evaluates again at any date with the vectorised rules engine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, overload

import pandas as pd
from congvu.inspect import clock, db
from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.dossiers.services import importing
from congvu.inspect.dossiers.services.labels import CHANNEL_LABELS, FLAG_LABELS, STATUS_LABELS
from congvu.inspect.dossiers.services.procedures import (
    restarting_procedures,
    store_supplement_rule,
)
from congvu.inspect.dossiers.services.published import (
    PublishedValue,
    may_record_published,
    published_values,
)
from congvu.inspect.dossiers.services.timeliness import TIMELY
from congvu.inspect.dossiers.services.verdicts import (
    FACT_COLUMNS,
    evaluate_stored,
    sessions_of,
)
from congvu.inspect.dossiers.tables import Dossier, DueSnapshot, ImportBatch
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Unit
from congvu.inspect.periods import parse_report_period, report_scheme
from congvu.rules.calendar import default_calendar
from congvu.rules.dossiers import DossierFacts, DossierFlag, DossierStatus, evaluate_dossier
from congvu.rules.periods import PeriodKind, parse_period, period_labels

# The flags a unit head must look at (DUE_WITHIN_24H is a reminder, not a fault).
ATTENTION_FLAGS = tuple(f for f in FLAG_LABELS if f != DossierFlag.DUE_WITHIN_24H)


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    procedure: str | None = None
    official_id: int | None = None
    channel: str | None = None
    period: str | None = None  # "2026-Q1", "2026-03" or "2026"
    flagged: bool = False

    def __post_init__(self) -> None:
        if self.status and self.status not in STATUS_LABELS:
            raise Invalid("Trạng thái không hợp lệ.", field="status")
        if self.channel and self.channel not in CHANNEL_LABELS:
            raise Invalid("Kênh nộp không hợp lệ.", field="channel")
        if self.period:
            parse_report_period(self.period)


def _where(unit_path: str, filters: Filters) -> list[Any]:
    clauses: list[Any] = [Dossier.unit.path.like(f"{unit_path}%")]
    if filters.status:
        clauses.append(Dossier.status == filters.status)
    if filters.procedure:
        clauses.append(Dossier.procedure == filters.procedure)
    if filters.official_id:
        clauses.append(Dossier.official == filters.official_id)
    if filters.channel:
        clauses.append(Dossier.channel == filters.channel)
    if filters.period:
        period = parse_report_period(filters.period)
        clauses += [
            Dossier.received_at >= clock.start_of_day_utc(period.first_day),
            Dossier.received_at < clock.start_of_day_utc(period.last_day + timedelta(days=1)),
        ]
    if filters.flagged:
        clauses.append(Dossier.flags != "")
    return clauses


@dataclass(frozen=True)
class DossierRow:
    id: int
    code: str
    procedure: str
    sector: str
    unit_name: str
    official_name: str
    channel: str | None
    received_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    status: str
    working_days_late: int
    flags: tuple[str, ...]
    evaluated_on: date | None


ROW_COLUMNS = (
    Dossier.id,
    Dossier.code,
    Dossier.procedure,
    Dossier.sector,
    Dossier.unit.name,
    Dossier.official_name,
    Dossier.official.full_name,
    Dossier.channel,
    Dossier.received_at,
    Dossier.due_at,
    Dossier.finished_at,
    Dossier.returned_at,
    Dossier.status,
    Dossier.working_days_late,
    Dossier.flags,
    Dossier.evaluated_on,
)


def dossier_row(r: dict[str, Any]) -> DossierRow:
    return DossierRow(
        id=r["id"],
        code=r["code"],
        procedure=r["procedure"],
        sector=r["sector"],
        unit_name=r["unit.name"],
        official_name=r["official.full_name"] or r["official_name"],
        channel=r["channel"],
        received_at=r["received_at"],
        due_at=r["due_at"],
        finished_at=r["finished_at"] or r["returned_at"],
        status=r["status"],
        working_days_late=r["working_days_late"],
        flags=tuple(f for f in r["flags"].split(";") if f),
        evaluated_on=r["evaluated_on"],
    )


@dataclass(frozen=True)
class Shares:
    """Trước hạn / đúng hạn / trễ hạn among resolved dossiers, plus those in progress."""

    counts: dict[str, int]
    resolved: int
    total: int

    def percent(self, status: str) -> float:
        base = self.resolved if status in ("early", "on_time", "late") else self.total
        return round(100 * self.counts.get(status, 0) / base, 1) if base else 0.0


@dataclass(frozen=True)
class PeriodEstimate:
    """766-style timeliness and channel shares of one quarter (ước tính, not the score
    published on Cổng DVCQG): on time = resolved early or on time + in progress within
    the deadline, over all received in the period."""

    period: str
    # "Quý I/2026 (15/12/2025 – 14/03/2026)": two schemes exist, so the bounds are shown.
    label_vi: str
    label_en: str
    short_vi: str  # "Quý I/2026", for the period filter
    short_en: str
    received: int
    timeliness: float
    online: float
    postal: float
    direct: float
    late: int
    overdue: int


@dataclass
class UnitDossiers:
    unit: organisation.UnitView
    rows: list[DossierRow]
    matching: int
    shares: Shares
    periods: list[PeriodEstimate]
    procedures: list[str]
    officials: list[tuple[int, str]]
    flagged: int
    page: int = 1
    page_size: int = 100
    filters: Filters = field(default_factory=Filters)
    # Giá trị công bố typed in for the unit itself, by period, beside the estimates.
    published: dict[str, PublishedValue] = field(default_factory=dict)
    may_publish: bool = False

    @property
    def published_only(self) -> list[PublishedValue]:
        """Published values of quarters without a dossier here (received before the first
        import, say): still shown, with no estimate beside them."""
        estimated = {p.period for p in self.periods}
        return sorted(
            (v for v in self.published.values() if v.period not in estimated),
            key=lambda v: v.period,
        )

    @property
    def pages(self) -> int:
        return max(1, -(-self.matching // self.page_size))

    @property
    def period_scheme(self) -> str:
        return report_scheme().value


def _shares(frame: pd.DataFrame) -> Shares:
    counts = {s.value: 0 for s in DossierStatus}
    counts.update({str(k): int(v) for k, v in frame["status"].value_counts().items()})
    resolved = counts["early"] + counts["on_time"] + counts["late"]
    return Shares(counts=counts, resolved=resolved, total=len(frame))


def _periods(frame: pd.DataFrame) -> list[PeriodEstimate]:
    if frame.empty:
        return []
    received = pd.to_datetime(frame["received_at"], utc=True).dt.tz_convert(clock.steady_zone())
    scheme = report_scheme()
    quarter = period_labels(received.dt.tz_localize(None), PeriodKind.QUARTER, scheme)
    out = []
    for period, part in frame.groupby(quarter, sort=True):
        n = len(part)
        status = part["status"].value_counts()
        channel = part["channel"].value_counts()

        def pct(value: float, n: int = n) -> float:
            return round(100 * value / n, 1)

        named = parse_period(str(period), scheme)
        out.append(
            PeriodEstimate(
                period=str(period),
                label_vi=named.label("vi"),
                label_en=named.label("en"),
                short_vi=named.label("vi", bounds=False),
                short_en=named.label("en", bounds=False),
                received=n,
                timeliness=pct(sum(int(status.get(s, 0)) for s in TIMELY)),
                online=pct(int(channel.get("online", 0))),
                postal=pct(int(channel.get("postal", 0))),
                direct=pct(int(channel.get("direct", 0))),
                late=int(status.get("late", 0)),
                overdue=int(status.get("overdue", 0)),
            )
        )
    return out


async def unit_dossiers(
    actor: Actor, unit_id: int, filters: Filters, page: int = 1, page_size: int = 100
) -> UnitDossiers:
    """The dossier page of a unit (its subtree): one page of rows, shares of the rows
    matching the filters, 766-style estimates per quarter of the whole unit and the
    values published for the unit beside them."""
    unit = await organisation.unit_in_scope(actor, unit_id)
    page = max(1, page)
    where = _where(unit.path, filters)
    rows = (
        await Dossier.select(*ROW_COLUMNS)
        .where(*where)
        .order_by(Dossier.received_at, ascending=False)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    matching = await Dossier.select(Dossier.status).where(*where)
    everything = await Dossier.select(
        Dossier.status,
        Dossier.channel,
        Dossier.received_at,
        Dossier.procedure,
        Dossier.official,
        Dossier.official.full_name,
        Dossier.flags,
    ).where(Dossier.unit.path.like(f"{unit.path}%"))
    whole = pd.DataFrame(
        everything,
        columns=[
            "status",
            "channel",
            "received_at",
            "procedure",
            "official",
            "official.full_name",
            "flags",
        ],
    )
    officials = sorted(
        {(int(r["official"]), r["official.full_name"]) for r in everything if r["official"]},
        key=lambda o: o[1],
    )
    attention = sum(
        1 for r in everything if any(f in ATTENTION_FLAGS for f in r["flags"].split(";") if f)
    )
    return UnitDossiers(
        unit=unit,
        rows=[dossier_row(r) for r in rows],
        matching=len(matching),
        shares=_shares(pd.DataFrame(matching, columns=["status"])),
        periods=_periods(whole),
        procedures=sorted(set(whole["procedure"])),
        officials=officials,
        flagged=attention,
        page=page,
        page_size=page_size,
        filters=filters,
        published=await published_values(unit.id),
        may_publish=may_record_published(actor),
    )


@dataclass(frozen=True)
class DossierDetail:
    row: DossierRow
    unit_id: int
    snapshots: list[tuple[datetime, datetime]]
    explanation: str
    batch_file: str | None
    explanation_en: str = ""


async def dossier_detail(actor: Actor, dossier_id: int, as_of: date | None = None) -> DossierDetail:
    """One dossier with the rules engine's explanation in words a head can read."""
    found = (
        await Dossier.select(
            *ROW_COLUMNS,
            Dossier.unit,
            Dossier.unit.path,
            Dossier.apology_at,
            Dossier.extension_count,
            Dossier.batch,
            *(getattr(Dossier, m) for pair in importing.PAUSES for m in pair),
        )
        .where(Dossier.id == dossier_id)
        .first()
    )
    if found is None or not actor.can_see_unit_path(found["unit.path"]):
        raise NotFound("Không tìm thấy hồ sơ.")
    snapshots = [
        (s["seen_at"], s["due_at"])
        for s in await DueSnapshot.select(DueSnapshot.seen_at, DueSnapshot.due_at)
        .where(DueSnapshot.dossier == dossier_id)
        .order_by(DueSnapshot.id)
    ]
    verdict = evaluate_dossier(
        DossierFacts(
            received_at=_wall_clock(found["received_at"]),
            due_at=_wall_clock(found["due_at"]),
            finished_at=_wall_clock(found["finished_at"]),
            returned_at=_wall_clock(found["returned_at"]),
            apology_at=_wall_clock(found["apology_at"]),
            # Only the number of re-set dates is exported; distinct stand-in dates carry it.
            extensions=[
                date(2000, 1, 1) + timedelta(days=k) for k in range(found["extension_count"])
            ],
            due_snapshots=[(_wall_clock(seen), _wall_clock(due)) for seen, due in snapshots],
            pauses=[
                (_wall_clock(found[a]), _wall_clock(found[b]))
                for a, b in importing.PAUSES
                if found[a] is not None
            ],
            restarted_at=(
                _wall_clock(found[importing.RESTART_MOMENT])
                if found["procedure"] in await restarting_procedures()
                else None
            ),
        ),
        as_of or clock.today(),
        sessions=await sessions_of(found["unit"], found["received_at"]),
    )
    return DossierDetail(
        row=dossier_row(found),
        unit_id=found["unit"],
        snapshots=snapshots,
        explanation=verdict.explanation_vi,
        explanation_en=verdict.explanation_en,
        batch_file=await _batch_file(found["batch"]),
    )


@overload
def _wall_clock(moment: datetime) -> datetime: ...
@overload
def _wall_clock(moment: datetime | None) -> datetime | None: ...
def _wall_clock(moment: datetime | None) -> datetime | None:
    """A stored moment as the naive wall-clock time in ``CONGVU_TIME_ZONE`` that the rules
    judge (they would otherwise read an aware moment in their default zone)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return clock.local(moment).replace(tzinfo=None)


async def _batch_file(batch_id: int | None) -> str | None:
    if batch_id is None:
        return None
    row = await ImportBatch.select(ImportBatch.file_name).where(ImportBatch.id == batch_id).first()
    return None if row is None else str(row["file_name"])


# --- evaluation at any date, and the nightly scan ----------------------------------------

# Every fact the rules engine reads, the waits (bổ sung, tạm dừng) included.
_FACT_COLUMNS = (Dossier.id, Dossier.code, *FACT_COLUMNS)


async def _snapshots_of(ids: Sequence[int] | None) -> pd.DataFrame:
    query = DueSnapshot.select(DueSnapshot.dossier, DueSnapshot.seen_at, DueSnapshot.due_at)
    rows = await query.order_by(DueSnapshot.id)
    frame = pd.DataFrame(rows, columns=["dossier", "seen_at", "due_at"])
    if ids is not None:
        frame = frame[frame["dossier"].isin(ids)]
    return frame


async def verdicts_at(actor: Actor, as_of: date, unit_code: str | None = None) -> pd.DataFrame:
    """code, status, working_days_late, flags of every visible dossier at ``as_of``
    (``congvu dossiers --as-of``), ordered by code."""
    scope = actor.scope_path
    if unit_code is not None:
        unit = await Unit.select(Unit.path).where(Unit.code == unit_code).first()
        if unit is None or not actor.can_see_unit_path(unit["path"]):
            raise NotFound(f"Không tìm thấy đơn vị có mã {unit_code!r}.", field="unit")
        scope = unit["path"]
    rows = await Dossier.select(*_FACT_COLUMNS).where(Dossier.unit.path.like(f"{scope}%"))
    columns = ["code", "status", "working_days_late", "flags"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    verdicts = await evaluate_stored(
        frame.drop(columns=["code"]), await _snapshots_of(frame["id"].tolist()), as_of
    )
    out = pd.DataFrame(
        {
            "code": frame.set_index("id")["code"],
            "status": verdicts["status"].astype(str),
            "working_days_late": verdicts["working_days_late"],
            "flags": verdicts["flags"].astype(str),
        }
    )
    return out.sort_values("code").reset_index(drop=True)[columns]


# The changed verdicts of a chunk go in one UPDATE joined to them: PostgreSQL unnests
# one array per column, SQLite (UPDATE … FROM, 3.33 and later) reads a JSON array of
# rows, one parameter either way however long the chunk (tests/bench/bench_rescan.py
# measures it against one UPDATE per row).
RESCAN_CHUNK = 5000
_STORE_VERDICTS_PG = (
    "UPDATE dossier AS d SET status = v.status, working_days_late = v.late, flags = v.flags,"
    " evaluated_on = {}"
    " FROM unnest({}::integer[], {}::text[], {}::integer[], {}::text[])"
    " AS v(id, status, late, flags) WHERE d.id = v.id"
)
_STORE_VERDICTS_SQLITE = (
    "UPDATE dossier SET status = json_extract(v.value, '$[1]'),"
    " working_days_late = json_extract(v.value, '$[2]'),"
    " flags = json_extract(v.value, '$[3]'), evaluated_on = {}"
    " FROM json_each({}) AS v WHERE dossier.id = json_extract(v.value, '$[0]')"
)


async def store_verdicts(rows: Sequence[tuple[int, str, int, str]], day: date) -> None:
    """Write (id, status, working days late, flags) of each dossier, evaluated on
    ``day``, in one statement."""
    if not rows:
        return
    if db.is_sqlite():
        await db.raw(Dossier, _STORE_VERDICTS_SQLITE, day.isoformat(), json.dumps(rows))
        return
    ids, statuses, late, flags = (list(column) for column in zip(*rows, strict=True))
    await db.raw(Dossier, _STORE_VERDICTS_PG, day, ids, statuses, late, flags)


async def rescan_overdue(as_of: date | None = None) -> dict[str, int]:
    """Nightly: evaluate every unresolved dossier again, so those that became overdue
    (or are due within 24 h) are flagged without waiting for the next export."""
    unresolved = (Dossier.finished_at.is_null(), Dossier.returned_at.is_null())
    return await _judge_again(unresolved, as_of or clock.today())


async def rejudge_received_since(since: date, as_of: date | None = None) -> dict[str, int]:
    """Evaluate again every dossier received on or after ``since``, resolved or not.

    The nightly scan leaves resolved dossiers alone, so a verdict counted under an earlier
    revision of the working-day calendar (a swap day added, a holiday removed: rules/README.md,
    "Working-day calendar") stays wrong until this runs from the first day the revision
    changes."""
    start = datetime.combine(since, time.min, clock.zone())
    return await _judge_again((Dossier.received_at >= start,), as_of or clock.today())


async def rejudge_touching(days: Sequence[date], as_of: date | None = None) -> dict[str, int]:
    """Evaluate again the dossiers whose window touches one of ``days`` (a calendar
    announcement changed them): received by the last of them and not resolved before the
    first. Only changed verdicts are written, so running it twice changes nothing more."""
    if not days:
        return {"scanned": 0, "changed": 0, "overdue": 0, "due_within_24h": 0}
    first = clock.start_of_day_utc(min(days))
    after_last = clock.start_of_day_utc(max(days) + timedelta(days=1))
    # Resolved (có kết quả, else ngày trả) on or after the first day, or not resolved.
    open_or_resolved_later = (
        (Dossier.finished_at.is_null() & Dossier.returned_at.is_null())
        | (Dossier.finished_at >= first)
        | (Dossier.finished_at.is_null() & (Dossier.returned_at >= first))
    )
    where = (Dossier.received_at < after_last, open_or_resolved_later)
    counts = await _judge_again(where, as_of or clock.today())
    await audit.record(
        "dossiers_rejudged",
        "calendar",
        default_calendar().version,
        actor=SYSTEM,
        after={"days": [d.isoformat() for d in sorted(days)], **counts},
    )
    return counts


async def set_supplement_rule(
    actor: Actor, procedure: str, restarts: bool, as_of: date | None = None
) -> dict[str, int]:
    """Whether a supplement restarts ``procedure``'s term (NĐ 297/2025) or pauses it; the
    stored dossiers of that procedure are judged again at once, resolved or not."""
    changed = await store_supplement_rule(actor, procedure, restarts)
    if not changed:
        return {"scanned": 0, "changed": 0, "overdue": 0, "due_within_24h": 0}
    name = procedure.strip()
    return await _judge_again((Dossier.procedure == name,), as_of or clock.today())


async def _judge_again(where: Sequence[Any], day: date) -> dict[str, int]:
    rows = await Dossier.select(
        *_FACT_COLUMNS, Dossier.status, Dossier.flags, Dossier.working_days_late
    ).where(*where)
    if not rows:
        return {"scanned": 0, "changed": 0, "overdue": 0, "due_within_24h": 0}
    frame = pd.DataFrame(rows)
    verdicts = await evaluate_stored(
        frame.drop(columns=["code", "status", "flags", "working_days_late"]),
        await _snapshots_of(frame["id"].tolist()),
        day,
    )
    before = frame.set_index("id")
    status = verdicts["status"].astype(str)
    flags = verdicts["flags"].astype(str)
    late = verdicts["working_days_late"].astype(int)
    changed = (
        (status != before["status"])
        | (flags != before["flags"])
        | (late != before["working_days_late"])
    )
    updates = [
        (int(i), status[i], int(late[i]), flags[i]) for i in verdicts.index[changed.to_numpy()]
    ]
    async with db.atomic():
        for start in range(0, len(updates), RESCAN_CHUNK):
            await store_verdicts(updates[start : start + RESCAN_CHUNK], day)
    return {
        "scanned": len(frame),
        "changed": len(updates),
        "overdue": int((status == "overdue").sum()),
        "due_within_24h": int(flags.str.contains("DUE_WITHIN_24H").sum()),
    }


@dataclass(frozen=True)
class BatchView:
    id: int
    file_name: str
    status: str
    rows_read: int
    rows_inserted: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    due_changes: int
    started_at: datetime
    job_id: Any


async def recent_batches(actor: Actor, limit: int = 20) -> list[BatchView]:
    """Imports the actor started, or of units in their scope; an import of a whole-province
    file (no unit) is shown to the administrators whose scope holds its starter's unit."""
    query = (
        ImportBatch.select(
            ImportBatch.id,
            ImportBatch.file_name,
            ImportBatch.status,
            ImportBatch.rows_read,
            ImportBatch.rows_inserted,
            ImportBatch.rows_updated,
            ImportBatch.rows_unchanged,
            ImportBatch.rows_rejected,
            ImportBatch.due_changes,
            ImportBatch.started_at,
            ImportBatch.job_id,
            ImportBatch.requested_by,
            ImportBatch.unit.path,
            ImportBatch.requested_by._.scope_unit._.path.as_alias("starter_path"),
        )
        .order_by(ImportBatch.id, ascending=False)
        .limit(200)
    )
    out = []
    for r in await query:
        if not importing.may_see_batch(actor, r):
            continue
        out.append(BatchView(**{k: r[k] for k in BatchView.__dataclass_fields__}))
    return out[:limit]


@dataclass(frozen=True)
class ImportPage:
    batches: list[BatchView]
    mappings: list[str]
    fields: tuple[importing.FieldSpec, ...]
    units: list[organisation.UnitView]


async def import_page(actor: Actor) -> ImportPage:
    return ImportPage(
        batches=await recent_batches(actor),
        mappings=await importing.mapping_names(),
        fields=importing.FIELDS,
        units=await organisation.visible_units(actor),
    )
