"""Cell values of an export, a column (Arrow string array) at a time: dates (dd/mm/yyyy
[HH:MM[:SS]], ISO, Excel serial numbers), text normalised to NFC, channels recognised,
and the rows' content hash."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from congvu.inspect import clock
from congvu.inspect.dossiers.services.importing.reading import header_key

_EXCEL_EPOCH = np.datetime64("1899-12-30")

_DATE_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%H:%M %d/%m/%Y",
)
_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")
_WIDTH = 19  # the longest fixed-width form, yyyy-mm-ddTHH:MM:SS


def _utf8(cells: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bytes of a string array with each cell's start and length, without a copy."""
    cells = cells.cast(pa.string()) if cells.type != pa.string() else cells
    _, offsets_buffer, data_buffer = cells.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32, count=len(cells) + 1, offset=0)
    offsets = offsets[cells.offset : cells.offset + len(cells) + 1].astype(np.int64)
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.zeros(0, np.uint8)
    )
    return data, offsets[:-1], np.diff(offsets)


def _fixed_width_dates(
    data: np.ndarray, starts: np.ndarray, lengths: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The forms one-stop systems write, parsed on the bytes at once: dd/mm/yyyy,
    dd/mm/yyyy HH:MM, dd/mm/yyyy HH:MM:SS, yyyy-mm-dd[ T]HH:MM[:SS]. strptime costs
    ~0.7 µs a cell; this is ~50 ns."""
    n = len(starts)
    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    matched = np.zeros(n, dtype=bool)
    rows = np.flatnonzero((lengths == 10) | (lengths == 16) | (lengths == _WIDTH))
    if not rows.size:
        return values, matched
    # Each candidate's first 19 bytes (short cells read a few bytes of their neighbours:
    # harmless, only their width counts), as digits where they are digits.
    padded = np.concatenate((data, np.zeros(_WIDTH, np.uint8)))
    points = np.lib.stride_tricks.sliding_window_view(padded, _WIDTH)[starts[rows]]
    d = points - np.uint8(48)  # a non-digit wraps around to ≥ 10
    digit = d < 10
    width = lengths[rows]

    def digits(*positions: int) -> np.ndarray:
        ok = digit[:, positions[0]].copy()
        for p in positions[1:]:
            ok &= digit[:, p]
        return ok

    def number(*positions: int) -> np.ndarray:
        out = d[:, positions[0]].astype(np.int32)
        for p in positions[1:]:
            out = out * 10 + d[:, p]
        return out

    slash, dash, colon = ord("/"), ord("-"), ord(":")
    dmy = digits(0, 1, 3, 4, 6, 7, 8, 9) & (points[:, 2] == slash) & (points[:, 5] == slash)
    iso = digits(0, 1, 2, 3, 5, 6, 8, 9) & (points[:, 4] == dash) & (points[:, 7] == dash)
    clock = (
        (width >= 16)
        & digits(11, 12, 14, 15)
        & (points[:, 13] == colon)
        & ((points[:, 10] == ord(" ")) | (points[:, 10] == ord("T")))
    )
    seconds = (width == _WIDTH) & clock & digits(17, 18) & (points[:, 16] == colon)
    ok = (dmy | iso) & ((width == 10) | ((width == 16) & clock) | seconds)
    day = np.where(dmy, number(0, 1), number(8, 9))
    month = np.where(dmy, number(3, 4), number(5, 6))
    year = np.where(dmy, number(6, 7, 8, 9), number(0, 1, 2, 3))
    hour = np.where(clock, number(11, 12), 0)
    minute = np.where(clock, number(14, 15), 0)
    second = np.where(seconds, number(17, 18), 0)
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (hour < 24) & (minute < 60)
    ok &= (second < 60) & (year >= 1900)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype(np.int64)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    length = ((months + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(int)
    ok &= day <= length
    clock_seconds = (hour * 3600 + minute * 60 + second).astype(np.int64)
    moment = (first + np.where(ok, day - 1, 0)).astype("datetime64[s]") + clock_seconds.astype(
        "timedelta64[s]"
    )
    values[rows[ok]] = moment[ok]
    matched[rows[ok]] = True
    return values, matched


def _slow_dates(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Everything else (a few cells in an export): padding, other separators, unpadded
    days, Excel serial numbers, ISO with offsets."""
    cells = pd.Series([t.strip() for t in texts], dtype=object)
    out = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[s]")
    todo = (cells != "").to_numpy(copy=True)
    stripped = pa.array(cells.tolist(), type=pa.string())
    fast, matched = _fixed_width_dates(*_utf8(stripped))
    out[matched] = fast[matched]
    todo &= ~matched
    if todo.any():
        # Serial numbers first: a number never matches a format with separators.
        numeric = pd.to_numeric(cells[todo], errors="coerce")
        serial = numeric.between(20_000, 80_000).to_numpy()
        if serial.any():
            seconds = np.round(numeric[serial].to_numpy(dtype=float) * 86_400).astype(np.int64)
            positions = np.flatnonzero(todo)[serial]
            out[positions] = _EXCEL_EPOCH.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
            todo[positions] = False
    for fmt in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(cells[todo], format=fmt, errors="coerce")
        good = parsed.notna().to_numpy()
        if good.any():
            positions = np.flatnonzero(todo)[good]
            out[positions] = parsed[good].to_numpy(dtype="datetime64[s]")
            todo[positions] = False
    if todo.any():
        rest = cells[todo]
        zoned = rest.str.contains(_OFFSET).to_numpy(dtype=bool)
        naive = pd.to_datetime(rest[~zoned], format="ISO8601", errors="coerce")
        aware = pd.to_datetime(rest[zoned], format="ISO8601", errors="coerce", utc=True)
        local = aware.dt.tz_convert(clock.steady_zone()).dt.tz_localize(None)
        parsed = pd.concat([naive, local]).reindex(rest.index)
        good = parsed.notna().to_numpy()
        if good.any():
            positions = np.flatnonzero(todo)[good]
            out[positions] = parsed[good].to_numpy(dtype="datetime64[s]")
            todo[positions] = False
    return out, todo


def parse_dates(cells: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(local naive moments as datetime64[s], NaT where empty or unreadable; the mask of
    non-empty cells that are not a date). Seconds are the finest unit kept: no export
    carries more, and equal files must hash equal."""
    data, starts, lengths = _utf8(cells)
    values, matched = _fixed_width_dates(data, starts, lengths)
    bad = np.zeros(len(cells), dtype=bool)
    rest = np.flatnonzero(~matched & (lengths > 0))
    if rest.size:
        slow, unreadable = _slow_dates(cells.take(pa.array(rest)).to_pylist())
        values[rest] = slow
        bad[rest] = unreadable
    return values, bad


# Python's str.split() whitespace within ASCII; a cell with none of it at its ends, no run
# of it and no tab or newline inside is already clean.
_SPACE = r"[ \t\n\v\f\r\x1c-\x1f]"
_UNTIDY = rf"^{_SPACE}|{_SPACE}$|{_SPACE}{{2}}|[\t\n\v\f\r\x1c-\x1f]"


def clean_text(cells: pa.Array) -> pa.Array:
    """NFC, trimmed, inner whitespace runs as one space. ASCII cells that are already tidy
    (codes, the usual case) are kept as they are; the others are fixed once per distinct
    value (procedures, units, officials and channels repeat thousands of times)."""
    cells = cells.cast(pa.string()) if cells.type != pa.string() else cells
    if not len(cells):
        return cells
    todo = pc.invert(pc.string_is_ascii(cells))
    everything = pc.all(todo).as_py()
    if not everything:
        todo = pc.or_(todo, pc.match_substring_regex(cells, _UNTIDY))
        if not pc.any(todo).as_py():
            return cells
    encoded = (cells if everything else cells.filter(todo)).dictionary_encode()
    fixed = pa.array(
        [" ".join(unicodedata.normalize("NFC", v).split()) for v in encoded.dictionary.to_pylist()],
        type=pa.string(),
    ).take(encoded.indices)
    return fixed if everything else pc.replace_with_mask(cells, todo, fixed)


_CHANNELS = (
    ("bcci", "postal"),
    ("buu chinh", "postal"),
    ("buu dien", "postal"),
    ("postal", "postal"),
    ("truc tuyen", "online"),
    ("online", "online"),
    ("dich vu cong", "online"),
    ("dvc", "online"),
    ("qua mang", "online"),
    ("truc tiep", "direct"),
    ("tai quay", "direct"),
    ("direct", "direct"),
)


def channel_of(text: str) -> str | None:
    key = header_key(text)
    for needle, channel in _CHANNELS:
        if needle in key:
            return channel
    return None


# --- the content hash --------------------------------------------------------------------

_MISSING = np.uint64(np.iinfo(np.uint64).max)  # pandas' hash of a missing value


def hash_text(cells: pa.Array, *, unique: bool = False) -> np.ndarray:
    """pandas' hash (``pd.util.hash_array``) of each cell, computed once per distinct value
    unless the values are known to be (nearly) all different."""
    if unique:
        values = cells.to_numpy(zero_copy_only=False)
        hashed = pd.util.hash_array(np.asarray(values, dtype=object), categorize=False)
        out = np.asarray(hashed, dtype=np.uint64)
        if cells.null_count:
            out[cells.is_null().to_numpy(zero_copy_only=False)] = _MISSING
        return out
    encoded = cells.dictionary_encode()
    distinct = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    hashed = np.append(pd.util.hash_array(distinct, categorize=False), _MISSING)
    indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return np.asarray(hashed[indices], dtype=np.uint64)


def hash_numbers(values: np.ndarray) -> np.ndarray:
    """pandas' hash of int64 values (moments as microseconds, NaT as its integer)."""
    return np.asarray(pd.util.hash_array(np.asarray(values, dtype=np.int64)), dtype=np.uint64)


def combine_hashes(columns: Sequence[np.ndarray]) -> np.ndarray:
    """Row hashes from column hashes, as ``pd.util.hash_pandas_object(frame, index=False)``
    combines them (CPython's tuple hash): stored content hashes stay comparable with
    those written before imports were read column by column."""
    mult = np.uint64(1000003)
    out = np.zeros_like(columns[0]) + np.uint64(0x345678)
    for i, column in enumerate(columns):
        inverse = len(columns) - i
        out ^= column
        out *= mult
        mult += np.uint64(82520 + inverse + inverse)
    out += np.uint64(97531)
    return out
