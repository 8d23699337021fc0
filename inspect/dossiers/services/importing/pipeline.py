"""Nhập hồ sơ TTHC: one-stop exports (CSV, XLSX) into ``Dossier``, with their lateness.

The path of one import, the same for the web (an arq job), the worker and the CLI:

1. read the file in chunks of text cells (Arrow parses CSV in C++; encoding and
   delimiter detected, title rows above the header skipped), map its columns to dossier
   fields (a saved mapping, else the Vietnamese presets), normalise text to NFC and
   parse dates (dd/mm/yyyy [HH:MM[:SS]], ISO, Excel serial numbers) column by column;
2. validate every row; a bad row is set aside with its row number, column and reason;
3. evaluate the good rows with the vectorised rules engine (status, working days late,
   flags at ``as_of``, waits for supplements and pauses not counted) in one function,
   ``_with_verdicts``, and hand them to the stage (``dossier_staging``) while the next
   chunk is parsed: on PostgreSQL one transaction for the whole batch, new dossiers
   COPYed into ``dossier`` and changed ones merged through a temporary table as they
   come; on SQLite a per-batch table, one short write transaction per chunk so other
   writers are not starved, then one merge transaction;
4. the merge is set-based: due-date snapshots for changed due dates, then INSERT … ON
   CONFLICT DO UPDATE only where the row's content hash changed. A batch therefore
   commits all its good rows or none, and the same file imported twice changes
   nothing. Dossiers whose due date history now has a change are re-evaluated with
   their snapshots (deadline reset detection).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import csv
import hashlib
import io
import time
import unicodedata
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from arq.connections import ArqRedis
from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.dossiers.services.importing.reading import (
    DATE_FIELDS,
    FIELD_BY_NAME,
    FIELDS,
    Source,
    _chunks,
    _map_headers,
    header_key,
    open_source,
)
from congvu.inspect.dossiers.services.importing.staging import (
    _MOMENTS,
    _PAUSE_MOMENTS,
    PAUSES,
    ROW_COLUMNS,
    Counts,
    Rejection,
    _Merge,
    _PostgresStage,
    _SqliteStage,
    _Stage,
    evaluate_lateness,
    pause_intervals,
    utc_moments,
)
from congvu.inspect.dossiers.services.importing.values import (
    channel_of,
    clean_text,
    combine_hashes,
    hash_numbers,
    hash_text,
    parse_dates,
)
from congvu.inspect.dossiers.tables import ColumnMapping, ImportBatch, ImportStatus, RejectedRow
from congvu.inspect.errors import Forbidden, Invalid, NotFound
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, Unit
from congvu.rules.dossiers import VIETNAM_TIME, DossierStatus
from congvu.rules.working_hours import SeasonalSchedule

Progress = Callable[[int, int, str], Awaitable[None]]

# Small enough that the database starts writing soon and three chunks in memory (one
# parsed, two being written) stay small; larger ones were no faster.
CHUNK_ROWS = 25_000
_IN_FLIGHT = 2

# --- normalising and validating one chunk ----------------------------------------------


@dataclass
class Directory:
    """Units and officials, looked up by code or name, limited to a unit subtree."""

    units: dict[str, tuple[int, str]]  # header_key(code or name) → (id, path)
    officials_by_code: dict[str, tuple[int, str]]
    officials_by_name: dict[str, list[tuple[int, str]]]
    scope_path: str
    default_unit: tuple[int, str] | None
    fingerprint: str = ""
    # Each unit's office hours: a date-only appointment ends at its own closing time.
    schedules: dict[int, SeasonalSchedule] = field(default_factory=dict)

    @classmethod
    async def load(cls, scope_path: str, default_unit_code: str | None) -> Directory:
        units: dict[str, tuple[int, str]] = {}
        for row in await Unit.select(Unit.id, Unit.code, Unit.name, Unit.path).where(
            Unit.path.like(f"{scope_path}%")
        ):
            value = (row["id"], row["path"])
            units.setdefault(header_key(row["name"]), value)
            units[row["code"].casefold()] = value
        default = None
        if default_unit_code is not None:
            default = units.get(default_unit_code.casefold())
            if default is None:
                raise NotFound(f"Không tìm thấy đơn vị có mã {default_unit_code!r}.", field="unit")
        by_code: dict[str, tuple[int, str]] = {}
        by_name: dict[str, list[tuple[int, str]]] = {}
        for row in await Official.select(
            Official.id, Official.code, Official.full_name, Official.unit.path
        ).where(Official.unit.path.like(f"{scope_path}%")):
            value = (row["id"], row["unit.path"])
            by_code[row["code"].casefold()] = value
            by_name.setdefault(header_key(row["full_name"]), []).append(value)
        fingerprint = hashlib.sha256(
            repr((sorted(units.items()), sorted(by_code.items()), sorted(by_name.items()))).encode()
        ).hexdigest()
        schedules = await organisation.schedules_by_unit(u[0] for u in units.values())
        return cls(
            units,
            by_code,
            by_name,
            default[1] if default else scope_path,
            default,
            fingerprint,
            schedules,
        )

    def unit(self, text: str) -> tuple[int, str] | None:
        if not text:
            return self.default_unit
        found = self.units.get(text.casefold()) or self.units.get(header_key(text))
        if found is None or not found[1].startswith(self.scope_path):
            return None
        return found

    def official(self, text: str, unit_path: str) -> int | None:
        """The handling official, when the export names exactly one person of the unit's
        subtree (or the unit's ancestors: a commune's head signs for its centre)."""
        if not text:
            return None
        found = self.officials_by_code.get(text.casefold())
        if found is not None:
            return found[0]
        candidates = [
            official_id
            for official_id, path in self.officials_by_name.get(header_key(text), [])
            if path.startswith(unit_path) or unit_path.startswith(path)
        ]
        return candidates[0] if len(candidates) == 1 else None


@dataclass
class Chunk:
    """The good rows of one chunk, typed, with their verdicts (an Arrow table with
    ``ROW_COLUMNS``); the bad ones set aside."""

    good: pa.Table
    rejected: list[Rejection]
    by_status: dict[str, int]


# The content hash covers these, in this order (pandas' row hash of them, as written by
# every import so far); the waits are mixed in only on rows that have one, so adding
# them did not change the hash of every stored dossier.
_HASHED_MOMENTS = _MOMENTS[:6]


def prepare_chunk(
    raw: pa.Table,
    first_row: int,
    mapping: dict[str, int],
    headers: list[str],
    directory: Directory,
    seen_codes: dict[str, int],
    as_of: date,
) -> Chunk:
    """Normalise, validate and evaluate one chunk of text cells (columns named by their
    position in the file). ``seen_codes`` (code → first row) carries duplicate detection
    across chunks. Every step works on whole columns; Python touches only distinct values
    (units, officials, channels) and rejected rows."""
    n = raw.num_rows
    rows = np.arange(first_row, first_row + n, dtype=np.int64)
    empty = pa.repeat(pa.scalar("", pa.string()), n)

    columns = {c: raw.column(c).combine_chunks() for c in raw.column_names}

    def cells(name: str) -> pa.Array:
        return columns[str(mapping[name])] if name in mapping else empty

    problems: dict[str, list[tuple[np.ndarray, str]]] = {}

    def problem(name: str, mask: Any, reason: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            problems.setdefault(name, []).append((mask, reason))

    text = {spec.name: clean_text(cells(spec.name)) for spec in FIELDS if spec.kind == "text"}
    moments: dict[str, np.ndarray] = {}
    blank: dict[str, np.ndarray] = {}
    for name in DATE_FIELDS:
        moments[name], unreadable = parse_dates(cells(name))
        problem(name, unreadable, "ngày không đọc được")
        blank[name] = np.isnat(moments[name]) & ~unreadable
    days = {name: values.astype("datetime64[D]") for name, values in moments.items()}

    counts_text = pc.utf8_trim_whitespace(cells("extension_count"))
    written = pc.not_equal(counts_text, "").to_numpy(zero_copy_only=False)
    counts = np.zeros(n, dtype=np.int64)
    if written.any():
        values = pd.to_numeric(
            pd.Series(counts_text.filter(pa.array(written)).to_pylist(), dtype=object),
            errors="coerce",
        )
        invalid = np.zeros(n, dtype=bool)
        invalid[written] = (values.isna() | (values < 0)).to_numpy()
        problem("extension_count", invalid, "số lần gia hạn không hợp lệ")
        counts[written] = values.fillna(0).to_numpy(dtype=float).astype(np.int64)
    extended = (~np.isnat(moments["extended_due_at"])).astype(np.int64)
    extension_count = np.maximum(counts, extended)

    problem("code", pc.equal(text["code"], "").to_numpy(zero_copy_only=False), "thiếu mã hồ sơ")
    problem("received_at", blank["received_at"], "thiếu ngày tiếp nhận")
    problem("due_at", days["due_at"] < days["received_at"], "ngày hẹn trả trước ngày tiếp nhận")
    for start, end in PAUSES:
        begin, finish = FIELD_BY_NAME[start].label.lower(), FIELD_BY_NAME[end].label.lower()
        problem(start, days[start] < days["received_at"], f"{begin} trước ngày tiếp nhận")
        problem(end, blank[start] & ~np.isnat(moments[end]), f"thiếu {begin}")
        problem(end, days[end] < days[start], f"{finish} trước {begin}")

    # Units, officials and channels are looked up once per distinct value; each lookup
    # table ends with a sentinel for the code -1.
    unit_keys, unit_texts = _distinct(text["unit"])
    units = [directory.unit(t) for t in unit_texts]
    unit_id = np.array([u[0] if u else -1 for u in units] + [-1], dtype=np.int64)[unit_keys]
    unknown = unit_id < 0
    named = pc.not_equal(text["unit"], "").to_numpy(zero_copy_only=False)
    problem("unit", unknown & ~named, "thiếu đơn vị")
    problem("unit", unknown & named, "không tìm thấy đơn vị")
    # (official, unit) pairs as one integer key.
    name_keys, names = _distinct(text["official"])
    width = len(unit_texts) + 1
    pair_keys, pairs = pd.factorize(name_keys.astype(np.int64) * width + unit_keys)
    paths = [u[1] if u else "" for u in units] + [""]
    officials = [
        directory.official(names[key // width], paths[key % width]) or -1 for key in pairs.tolist()
    ]
    official_id = np.array([*officials, -1], dtype=np.int64)[pair_keys]
    channel_keys, channel_texts = _distinct(text["channel"])
    channels = pa.array([channel_of(t) for t in channel_texts], type=pa.string())
    channel = channels.take(pa.array(channel_keys))

    # Duplicates inside the file: the first row wins, later ones are rejected.
    code_keys, codes = _distinct(text["code"])
    earlier = np.array([seen_codes.get(c, -1) for c in codes] + [-1], dtype=np.int64)[code_keys]
    _, first_of_code = np.unique(code_keys, return_index=True)
    first_row_of = first_of_code[code_keys]
    first_here = first_row_of == np.arange(n)
    present = np.array([bool(c) for c in codes] + [False], dtype=bool)[code_keys]
    duplicate_of = np.where(present & (earlier >= 0), earlier, -1)
    duplicate_of = np.where(present & ~first_here & (earlier < 0), rows[first_row_of], duplicate_of)
    new = present & first_here & (earlier < 0)
    seen_codes.update(zip([codes[k] for k in code_keys[new]], rows[new].tolist(), strict=True))
    problem("code", duplicate_of >= 0, "trùng mã hồ sơ")

    bad = np.zeros(n, dtype=bool)
    for entries in problems.values():
        for mask, _ in entries:
            bad |= mask
    rejected = (
        _rejections(raw, rows, bad, problems, cells, duplicate_of, mapping, headers)
        if bad.any()
        else []
    )
    keep = ~bad
    kept = pa.array(keep)
    good = {
        "code": text["code"].filter(kept),
        "procedure": text["procedure"].filter(kept),
        "sector": text["sector"].filter(kept),
        "unit": pa.array(unit_id[keep]),
        "official": pa.array(official_id[keep], mask=official_id[keep] < 0),
        "official_name": text["official"].filter(kept),
        "channel": channel.filter(kept),
        "extension_count": pa.array(extension_count[keep]),
        "source_status": text["source_status"].filter(kept),
    }
    table, by_status = _with_verdicts(
        good, {m: v[keep] for m, v in moments.items()}, as_of, directory.schedules
    )
    return Chunk(good=table, rejected=rejected, by_status=by_status)


def _distinct(cells: pa.Array) -> tuple[np.ndarray, list[str]]:
    """(each cell's index into the distinct values, the distinct values)."""
    encoded = cells.dictionary_encode()
    return (
        encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
        encoded.dictionary.to_pylist(),
    )


def _rejections(
    raw: pa.Table,
    rows: np.ndarray,
    bad: np.ndarray,
    problems: dict[str, list[tuple[np.ndarray, str]]],
    cells: Callable[[str], pa.Array],
    duplicate_of: np.ndarray,
    mapping: dict[str, int],
    headers: list[str],
) -> list[Rejection]:
    labels = {
        spec.name: headers[mapping[spec.name]] if spec.name in mapping else spec.label
        for spec in FIELDS
    }
    raw_headers = {c: headers[int(c)] if int(c) < len(headers) else c for c in raw.column_names}
    positions = np.flatnonzero(bad)
    taken = pa.array(positions)
    values = {name: cells(name).take(taken).to_pylist() for name in problems}
    raw_rows = raw.take(taken).to_pylist()
    rejected = []
    for k, position in enumerate(positions.tolist()):
        columns, reasons = [], []
        for name, entries in problems.items():
            for mask, reason in entries:
                if mask[position]:
                    columns.append(labels[name])
                    value = str(values[name][k])
                    if reason == "trùng mã hồ sơ":
                        reason = f"trùng mã hồ sơ với dòng {duplicate_of[position]}"
                    elif value.strip():
                        reason = f"{reason}: '{value.strip()}'"
                    reasons.append(reason)
        rejected.append(
            Rejection(
                row_number=int(rows[position]),
                column=", ".join(dict.fromkeys(columns)),
                reason="; ".join(reasons),
                cells={raw_headers[c]: str(v) for c, v in raw_rows[k].items()},
            )
        )
    return rejected


def _with_verdicts(
    good: dict[str, pa.Array],
    moments: dict[str, np.ndarray],
    as_of: date,
    schedules: Mapping[int, SeasonalSchedule],
) -> tuple[pa.Table, dict[str, int]]:
    """The content hash and the verdicts (status, working days late, flags at ``as_of``)
    of the good rows; ``moments`` are local naive times."""
    n = len(good["code"])
    micros = {m: moments[m].astype("datetime64[us]").view(np.int64) for m in _MOMENTS}
    official = good["official"].fill_null(-1).to_numpy(zero_copy_only=False)
    hashed = [
        hash_text(good["code"], unique=True),
        hash_text(good["procedure"]),
        hash_text(good["sector"]),
        hash_numbers(good["unit"].to_numpy()),
        hash_numbers(official),
        hash_text(good["official_name"]),
        hash_text(good["channel"]),
        *(hash_numbers(micros[m]) for m in _HASHED_MOMENTS),
        hash_numbers(good["extension_count"].to_numpy()),
        hash_text(good["source_status"]),
    ]
    content_hash = combine_hashes(hashed) if n else np.zeros(0, np.uint64)
    waits = np.zeros(n, dtype=bool)
    for m in _PAUSE_MOMENTS:
        waits |= ~np.isnat(moments[m])
    if waits.any():
        extended = combine_hashes(
            [content_hash, *(hash_numbers(micros[m]) for m in _PAUSE_MOMENTS)]
        )
        content_hash = np.where(waits, extended, content_hash)

    table = pa.table(
        {
            **good,
            **{m: utc_moments(moments[m]) for m in _MOMENTS},
            "content_hash": pa.array(content_hash.view(np.int64)),
        }
    )

    facts = pd.DataFrame(
        {
            **{m: moments[m] for m in ("received_at", "due_at", "finished_at", "returned_at")},
            "apology_at": moments["apology_at"],
            "extension_count": good["extension_count"].to_numpy(),
            "unit": good["unit"].to_numpy(),
        }
    )
    if n:
        verdicts = evaluate_lateness(
            facts, as_of, pauses=pause_intervals(facts.index, moments), schedules=schedules
        )
        status, flags = verdicts["status"].array, verdicts["flags"].array
        late = verdicts["working_days_late"].to_numpy(dtype=np.int64)
    else:
        status = flags = pd.Categorical([])
        late = np.zeros(0, np.int64)
    table = table.append_column("status", _texts(status))
    table = table.append_column("working_days_late", pa.array(late))
    table = table.append_column("flags", _texts(flags))
    by_status = {
        str(status.categories[code]): int(count)
        for code, count in enumerate(np.bincount(status.codes, minlength=len(status.categories)))
        if count
    }
    return table.select(list(ROW_COLUMNS)), by_status


def _warm_up(as_of: date) -> None:
    received = np.array([np.datetime64(as_of, "s")])
    evaluate_lateness(pd.DataFrame({"received_at": received, "unit": [0]}), as_of)


def _texts(values: pd.Categorical) -> pa.Array:
    categories = pa.array([str(c) for c in values.categories], type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(values.codes, type=pa.int32()), categories).cast(
        pa.string()
    )


# --- the service -----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRequest:
    """What to import: the file, and the choices of the person importing."""

    path: Path
    file_name: str
    unit_code: str | None = None
    mapping_name: str | None = None
    exported_at: datetime | None = None  # default: the time of the import
    as_of: date | None = None  # default: today in Vietnam
    force: bool = False  # read every row even when the same file was the last import


def today() -> date:
    return datetime.now(VIETNAM_TIME).date()


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


async def _saved_mapping(name: str | None) -> dict[str, str] | None:
    if name is None:
        return None
    row = (
        await ColumnMapping.select(ColumnMapping.columns)
        .where(ColumnMapping.name == name)
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(f"Không có bảng ánh xạ cột tên {name!r}.", field="mapping")
    return dict(row["columns"])


async def _batch_for(
    actor: Actor,
    request: ImportRequest,
    job_id: uuid.UUID | None,
    source: Source,
    mapping: dict[str, int],
    checksum: str,
    replay_key: str,
    unit_id: int | None,
    exported_at: datetime,
    as_of: date,
) -> int:
    """The batch record, reused when a job runs again after a killed worker."""
    if job_id is not None:
        row = await ImportBatch.select(ImportBatch.id).where(ImportBatch.job_id == job_id).first()
        if row is not None:
            async with db.atomic():
                await RejectedRow.delete().where(RejectedRow.batch == row["id"])
                await ImportBatch.update(
                    {
                        ImportBatch.status: ImportStatus.running.value,
                        ImportBatch.started_at: datetime.now(UTC),
                        ImportBatch.error: None,
                    }
                ).where(ImportBatch.id == row["id"])
            return int(row["id"])
    batch = ImportBatch(
        job_id=job_id,
        file_name=request.file_name[:255],
        checksum=checksum,
        replay_key=replay_key,
        encoding=source.encoding,
        mapping={name: source.headers[i] for name, i in mapping.items()},
        mapping_name=request.mapping_name,
        unit=unit_id,
        exported_at=exported_at,
        as_of=as_of,
        status=ImportStatus.running.value,
        requested_by=actor.id or None,
        started_at=datetime.now(UTC),
    )
    async with db.atomic():
        await batch.save()
    return int(batch.id)


async def _replay(
    actor: Actor,
    request: ImportRequest,
    job_id: uuid.UUID | None,
    replay_key: str,
    exported_at: datetime,
    as_of: date,
) -> dict[str, Any] | None:
    """The same file, mapped the same way against the same units and officials, as the
    last import that wrote anything: every row's content hash would match, so the rows
    need not be read again. Recorded as a batch of its own (rejected rows copied)."""
    previous = (
        await ImportBatch.select()
        .where(ImportBatch.replay_key == replay_key, ImportBatch.status == "done")
        .order_by(ImportBatch.id, ascending=False)
        .output(load_json=True)
        .first()
    )
    if previous is None:
        return None
    writes_since = await ImportBatch.exists().where(
        ImportBatch.id > previous["id"],
        ImportBatch.status == "done",
        (ImportBatch.rows_inserted > 0) | (ImportBatch.rows_updated > 0),
    )
    if writes_since:
        return None
    unchanged = previous["rows_read"] - previous["rows_rejected"]
    now = datetime.now(UTC)
    async with db.atomic():
        if job_id is not None:
            await ImportBatch.delete().where(ImportBatch.job_id == job_id)
        batch = ImportBatch(
            job_id=job_id,
            file_name=request.file_name[:255],
            checksum=previous["checksum"],
            replay_key=replay_key,
            encoding=previous["encoding"],
            mapping=previous["mapping"],
            mapping_name=request.mapping_name,
            unit=previous["unit"],
            exported_at=exported_at,
            as_of=as_of,
            status=ImportStatus.done.value,
            rows_read=previous["rows_read"],
            rows_unchanged=unchanged,
            rows_rejected=previous["rows_rejected"],
            by_status=previous["by_status"],
            requested_by=actor.id or None,
            started_at=now,
            finished_at=now,
        )
        await batch.save()
        rows = (
            await RejectedRow.select()
            .where(RejectedRow.batch == previous["id"])
            .order_by(RejectedRow.row_number)
            .output(load_json=True)
        )
        if rows:
            await RejectedRow.insert(
                *(
                    RejectedRow(
                        batch=batch.id,
                        row_number=r["row_number"],
                        column=r["column"],
                        reason=r["reason"],
                        cells=r["cells"],
                    )
                    for r in rows
                )
            )
    return {
        "batch_id": batch.id,
        "file": request.file_name,
        "checksum": previous["checksum"],
        "encoding": previous["encoding"],
        "same_file_as_batch": previous["id"],
        "rows_read": previous["rows_read"],
        "imported": unchanged,
        "inserted": 0,
        "updated": 0,
        "unchanged": unchanged,
        "rejected": previous["rows_rejected"],
        "due_changes": 0,
        "by_status": previous["by_status"],
        "rejected_rows": [
            {"row": r["row_number"], "column": r["column"], "reason": r["reason"]} for r in rows
        ],
    }


async def _no_progress(done: int, total: int, message: str) -> None:
    return None


async def import_dossiers(
    actor: Actor,
    request: ImportRequest,
    *,
    progress: Progress = _no_progress,
    job_id: uuid.UUID | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> dict[str, Any]:
    """Import one export (module docstring). Returns the summary shown on the job page
    and printed by ``congvu import-dossiers --json``."""
    if actor.role not in IMPORT_ROLES:
        raise NotFound("Không tìm thấy trang.")
    if not request.path.exists():
        raise Invalid("Không tìm thấy tệp cần nhập.", field="file")
    source = open_source(request.path)
    mapping = _map_headers(source.headers, await _saved_mapping(request.mapping_name))
    missing = [
        FIELD_BY_NAME[name].label
        for name in ("code", "received_at", *(() if request.unit_code else ("unit",)))
        if name not in mapping
    ]
    if missing:
        raise Invalid(
            f"Không tìm thấy cột: {', '.join(missing)}. Dòng tiêu đề đọc được: "
            f"{', '.join(source.headers[:20])}",
            field="mapping",
        )
    directory = await Directory.load(actor.scope_path, request.unit_code)
    as_of = request.as_of or today()
    exported_at = request.exported_at or datetime.now(UTC)
    if exported_at.tzinfo is None:
        exported_at = exported_at.replace(tzinfo=VIETNAM_TIME)
    # Hashing a large file takes a while; the rules engine's first evaluation in this
    # process (calendar, rule packs) is prepared meanwhile.
    checksum, _ = await asyncio.gather(
        asyncio.to_thread(file_checksum, request.path), asyncio.to_thread(_warm_up, as_of)
    )
    replay_key = hashlib.sha256(
        repr(
            (checksum, sorted(mapping.items()), directory.scope_path, directory.fingerprint)
        ).encode()
    ).hexdigest()
    if not request.force:
        replayed = await _replay(actor, request, job_id, replay_key, exported_at, as_of)
        if replayed is not None:
            await progress(1, 1, "Tệp đã được nhập, không có thay đổi")
            return replayed
    batch_id = await _batch_for(
        actor,
        request,
        job_id,
        source,
        mapping,
        checksum,
        replay_key,
        directory.default_unit[0] if directory.default_unit else None,
        exported_at,
        as_of,
    )
    merge = _Merge(batch_id, exported_at, as_of, directory.schedules)
    stage: _Stage = _SqliteStage(merge) if db.is_sqlite() else _PostgresStage(merge)
    counts = Counts()
    rejected: list[Rejection] = []
    seen_codes: dict[str, int] = {}
    started = time.monotonic()
    first_data_row = source.header_row + 2  # 1-based row number of the first data row
    total = max(source.estimated_rows, 1)
    reader = _chunks(source, sorted(set(mapping.values())), chunk_rows)

    def next_chunk(first_row: int) -> tuple[int, Chunk] | None:
        raw = next(reader, None)
        if raw is None:
            return None
        chunk = prepare_chunk(raw, first_row, mapping, source.headers, directory, seen_codes, as_of)
        return raw.num_rows, chunk

    # Chunks handed to the stage and not yet written: the stage prepares chunk k+1 (in a
    # thread) while the database takes chunk k; two in flight bound the memory.
    writing: collections.deque[asyncio.Task[None]] = collections.deque()
    try:
        await stage.open()
        await progress(0, total, "Đang đọc tệp")
        while True:
            # Parsing runs in a thread while earlier chunks are written: Arrow and numpy
            # release the GIL, and the database works in its own process.
            prepared = await asyncio.to_thread(next_chunk, first_data_row + counts.read)
            while writing and (prepared is None or len(writing) >= _IN_FLIGHT):
                await writing.popleft()
            if prepared is None:
                break
            size, chunk = prepared
            counts.read += size
            counts.rejected += len(chunk.rejected)
            rejected += chunk.rejected
            for status, n in chunk.by_status.items():
                counts.by_status[status] = counts.by_status.get(status, 0) + n
            writing.append(asyncio.create_task(stage.add(chunk.good, counts)))
            total = max(total, counts.read + 1)
            rate = counts.read / max(time.monotonic() - started, 1e-6)
            eta = (total - counts.read) / rate if rate else 0
            await progress(
                counts.read,
                total,
                f"Đã đọc {counts.read} dòng: {counts.read - counts.rejected} hợp lệ,"
                f" {counts.rejected} bị loại; còn khoảng {eta:.0f} giây",
            )
        await progress(counts.read, counts.read + 1, "Đang ghi vào cơ sở dữ liệu")
        by_status = {s.value: counts.by_status.get(s.value, 0) for s in DossierStatus}
        await stage.finish(
            counts,
            rejected,
            {
                "status": ImportStatus.done.value,
                "rows_read": counts.read,
                "rows_rejected": counts.rejected,
                "by_status": by_status,
                "finished_at": datetime.now(UTC),
            },
        )
    except BaseException as error:
        for task in writing:
            task.cancel()
        for task in writing:
            with contextlib.suppress(BaseException):
                await task
        try:
            await stage.close()
        finally:
            async with db.atomic():
                await ImportBatch.update(
                    {
                        ImportBatch.status: ImportStatus.failed.value,
                        ImportBatch.error: str(error)[:4000],
                        ImportBatch.finished_at: datetime.now(UTC),
                    }
                ).where(ImportBatch.id == batch_id)
        raise
    await stage.close()
    await progress(counts.read, counts.read, "Đã nhập xong")
    return {
        "batch_id": batch_id,
        "file": request.file_name,
        "checksum": checksum,
        "encoding": source.encoding,
        "rows_read": counts.read,
        "imported": counts.read - counts.rejected,
        "inserted": counts.inserted,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        "rejected": counts.rejected,
        "due_changes": counts.due_changes,
        "by_status": by_status,
        "rejected_rows": [
            {"row": r.row_number, "column": r.column, "reason": r.reason} for r in rejected
        ],
    }


# --- rejected rows, saved mappings -----------------------------------------------------


async def rejected_rows_csv(actor: Actor, batch_id: int) -> str:
    """The rejected rows of a batch as CSV (UTF-8 with BOM, so Excel shows Vietnamese),
    the cells as read plus the row number, column and reason."""
    batch = (
        await ImportBatch.select(
            ImportBatch.id,
            ImportBatch.requested_by,
            ImportBatch.unit.path,
            ImportBatch.requested_by._.scope_unit._.path.as_alias("starter_path"),
        )
        .where(ImportBatch.id == batch_id)
        .first()
    )
    if batch is None or not may_see_batch(actor, batch):
        raise NotFound("Không tìm thấy lô nhập.")
    rows = (
        await RejectedRow.select()
        .where(RejectedRow.batch == batch_id)
        .order_by(RejectedRow.row_number)
        .output(load_json=True)
    )
    headers: list[str] = []
    for row in rows:
        headers += [h for h in row["cells"] if h not in headers]
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["dòng", *headers, "cột", "lý do"])
    for row in rows:
        writer.writerow(
            [
                row["row_number"],
                *(row["cells"].get(h, "") for h in headers),
                row["column"],
                row["reason"],
            ]
        )
    return out.getvalue()


def may_see_batch(actor: Actor, batch: dict[str, Any]) -> bool:
    """Its starter, and whoever's scope holds its unit; a whole-province import (no unit):
    the administrators whose scope holds its starter's unit. The import history
    (``dossiers.recent_batches``) lists by the same rule."""
    if batch["requested_by"] == actor.id:
        return True
    path = batch.get("unit.path")
    if path is not None:
        return actor.can_see_unit_path(path)
    return actor.role == "admin" and actor.can_see_unit_path(batch.get("starter_path") or "")


async def save_mapping(actor: Actor, name: str, columns: dict[str, str]) -> None:
    """Save (or replace) a named column mapping: dossier field → header in the export."""
    name = name.strip()
    if not name or len(name) > 64:
        raise Invalid("Tên bảng ánh xạ từ 1 đến 64 ký tự.", field="name")
    unknown = [f for f in columns if f not in FIELD_BY_NAME]
    if unknown:
        raise Invalid(f"Trường không hợp lệ: {', '.join(unknown)}.", field="columns")
    clean = {f: unicodedata.normalize("NFC", h).strip() for f, h in columns.items() if h.strip()}
    async with db.atomic():
        existing = (
            await ColumnMapping.select(
                ColumnMapping.id,
                ColumnMapping.created_by._.scope_unit._.path.as_alias("owner_path"),
            )
            .where(ColumnMapping.name == name)
            .first()
        )
        # Names are shared by all importers; one saved in another unit is not theirs to
        # replace (they may still use it, or save under another name).
        owner = existing["owner_path"] if existing else None
        if owner is not None and not actor.can_see_unit_path(owner):
            raise Forbidden(
                f"Bảng ánh xạ {name!r} do đơn vị khác lập; hãy lưu với tên khác.", field="name"
            )
        if existing:
            await ColumnMapping.update({ColumnMapping.columns: clean}).where(
                ColumnMapping.id == existing["id"]
            )
        else:
            await ColumnMapping.insert(
                ColumnMapping(
                    name=name,
                    columns=clean,
                    created_by=actor.id or None,
                    created_at=datetime.now(UTC),
                )
            )


async def mapping_names() -> list[str]:
    rows = await ColumnMapping.select(ColumnMapping.name).order_by(ColumnMapping.name)
    return [r["name"] for r in rows]


# --- uploads from the web ----------------------------------------------------------------

IMPORT_ROLES = ("admin", "reporter", "unit_head")
UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


async def start_upload(
    queue: ArqRedis,
    actor: Actor,
    *,
    media_dir: Path,
    file_name: str,
    read: Callable[[int], Awaitable[bytes]],
    unit_code: str | None = None,
    mapping_name: str | None = None,
    exported_at: str = "",
) -> uuid.UUID:
    """Store an uploaded export under the media folder (the worker may run on another
    machine sharing it) and start its import job."""
    if actor.role not in IMPORT_ROLES:
        raise NotFound("Không tìm thấy trang.")
    suffix = Path(file_name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise Invalid("Chỉ nhận tệp CSV hoặc XLSX.", field="file")
    moment = parse_moment(exported_at)
    if mapping_name:
        await _saved_mapping(mapping_name)
    folder = media_dir / "dossier-imports"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4()}{suffix}"
    size = 0
    with target.open("wb") as handle:
        while block := await read(1 << 20):
            size += len(block)
            handle.write(block)
    if size == 0:
        target.unlink()
        raise Invalid("Tệp rỗng.", field="file")
    return await background.start_dossier_import(
        queue,
        actor,
        path=str(target),
        file_name=Path(file_name).name,
        unit_code=unit_code or None,
        mapping_name=mapping_name or None,
        exported_at=moment.isoformat() if moment else None,
    )


def parse_moment(text: str | None) -> datetime | None:
    """A moment typed by a person: dd/mm/yyyy [HH:MM] (or ISO), local time."""
    if not text or not text.strip():
        return None
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise Invalid(f"Ngày giờ không hợp lệ: {text!r} (dd/mm/yyyy HH:MM).", field="exported_at")
