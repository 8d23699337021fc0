"""One chunk of an export, normalised, validated and evaluated column by column: the
units and officials it names looked up once per distinct value, bad rows set aside with
their row number, column and reason, good rows hashed and judged by the rules engine."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from congvu.inspect import cpu_pool
from congvu.inspect.dossiers.services.importing.lateness import (
    RESTART_MOMENT,
    evaluate_lateness,
    pause_intervals,
    restarted_at,
)
from congvu.inspect.dossiers.services.importing.reading import (
    DATE_FIELDS,
    FIELD_BY_NAME,
    FIELDS,
    header_key,
)
from congvu.inspect.dossiers.services.importing.rows import (
    MOMENTS,
    PAUSE_MOMENTS,
    PAUSES,
    ROW_COLUMNS,
    Rejection,
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
from congvu.inspect.dossiers.services.procedures import restarting_procedures
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, Unit
from congvu.rules.working_hours import SeasonalSchedule


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
    # Procedures whose term restarts after a supplement (NĐ 297/2025).
    restarting: frozenset[str] = frozenset()

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
            await restarting_procedures(),
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
_HASHED_MOMENTS = MOMENTS[:6]


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
        good,
        {m: v[keep] for m, v in moments.items()},
        as_of,
        directory.schedules,
        directory.restarting,
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
    restarting: frozenset[str] = frozenset(),
) -> tuple[pa.Table, dict[str, int]]:
    """The content hash and the verdicts (status, working days late, flags at ``as_of``)
    of the good rows; ``moments`` are local naive times."""
    n = len(good["code"])
    micros = {m: moments[m].astype("datetime64[us]").view(np.int64) for m in MOMENTS}
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
    for m in PAUSE_MOMENTS:
        waits |= ~np.isnat(moments[m])
    if waits.any():
        extended = combine_hashes([content_hash, *(hash_numbers(micros[m]) for m in PAUSE_MOMENTS)])
        content_hash = np.where(waits, extended, content_hash)

    table = pa.table(
        {
            **good,
            **{m: utc_moments(moments[m]) for m in MOMENTS},
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
    if restarting:
        facts["restarted_at"] = restarted_at(
            pd.Series(good["procedure"].to_pylist()),
            pd.Series(moments[RESTART_MOMENT]),
            restarting,
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


def warm_up(as_of: date) -> None:
    """The rules engine's first evaluation in this process (calendar, rule packs)."""
    cpu_pool.off_loop()
    received = np.array([np.datetime64(as_of, "s")])
    evaluate_lateness(pd.DataFrame({"received_at": received, "unit": [0]}), as_of)


def _texts(values: pd.Categorical) -> pa.Array:
    categories = pa.array([str(c) for c in values.categories], type=pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(values.codes, type=pa.int32()), categories).cast(
        pa.string()
    )
