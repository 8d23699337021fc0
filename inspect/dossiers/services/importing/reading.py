"""Reading one-stop exports: the dossier fields and their Vietnamese header presets,
encoding detection, CSV and XLSX sources (title rows above the header skipped) read in
chunks of text cells (Arrow tables), and the mapping of their columns to fields."""

from __future__ import annotations

import codecs
import collections
import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from congvu.inspect import cpu_pool
from congvu.inspect.upload_screening import refuse

# --- fields and header presets ---------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str  # Vietnamese column name, as shown on the mapping form
    kind: str  # text | date | count
    aliases: tuple[str, ...]


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "code",
        "Mã hồ sơ",
        "text",
        ("mã hồ sơ", "số hồ sơ", "mã số hồ sơ", "số biên nhận", "mã biên nhận", "code"),
    ),
    FieldSpec(
        "procedure",
        "Tên thủ tục",
        "text",
        ("tên thủ tục", "thủ tục", "tên thủ tục hành chính", "tên tthc", "procedure"),
    ),
    FieldSpec("sector", "Lĩnh vực", "text", ("lĩnh vực", "tên lĩnh vực", "sector")),
    FieldSpec(
        "unit",
        "Đơn vị",
        "text",
        (
            "đơn vị",
            "mã đơn vị",
            "đơn vị xử lý",
            "đơn vị tiếp nhận",
            "đơn vị giải quyết",
            "cơ quan giải quyết",
            "cơ quan thực hiện",
            "unit",
        ),
    ),
    FieldSpec(
        "official",
        "Cán bộ xử lý",
        "text",
        ("cán bộ xử lý", "người xử lý", "cán bộ thụ lý", "cán bộ giải quyết", "official"),
    ),
    FieldSpec(
        "channel",
        "Kênh nộp",
        "text",
        ("kênh nộp", "kênh tiếp nhận", "hình thức nộp", "hình thức tiếp nhận", "channel"),
    ),
    FieldSpec(
        "received_at",
        "Ngày tiếp nhận",
        "date",
        ("ngày tiếp nhận", "ngày nhận", "thời gian tiếp nhận", "ngày nộp", "received"),
    ),
    FieldSpec(
        "due_at",
        "Ngày hẹn trả",
        "date",
        ("ngày hẹn trả", "ngày hẹn trả kết quả", "hạn giải quyết", "hạn xử lý", "due"),
    ),
    FieldSpec(
        "finished_at",
        "Ngày có kết quả",
        "date",
        ("ngày có kết quả", "ngày hoàn thành", "ngày xử lý xong", "ngày kết thúc", "finished"),
    ),
    FieldSpec(
        "returned_at",
        "Ngày trả",
        "date",
        ("ngày trả", "ngày trả kết quả", "ngày trả kq", "returned"),
    ),
    FieldSpec(
        "source_status",
        "Trạng thái",
        "text",
        ("trạng thái", "tình trạng", "trạng thái hồ sơ", "status"),
    ),
    FieldSpec(
        "apology_at",
        "Thư xin lỗi",
        "date",
        (
            "thư xin lỗi",
            "ngày xin lỗi",
            "ngày gửi thư xin lỗi",
            "văn bản xin lỗi",
            "phiếu xin lỗi",
            "thư xin lỗi / gia hạn",
            "apology",
        ),
    ),
    FieldSpec(
        "extended_due_at",
        "Gia hạn",
        "date",
        ("gia hạn", "ngày gia hạn", "ngày hẹn trả mới", "ngày hẹn lại", "hẹn lại", "extended"),
    ),
    # Time waiting for the citizen's supplement or paused is not counted (chờ bổ sung,
    # tạm dừng): one interval of each kind per row, as the flat exports carry them.
    FieldSpec(
        "supplement_requested_at",
        "Ngày yêu cầu bổ sung",
        "date",
        (
            "ngày yêu cầu bổ sung",
            "yêu cầu bổ sung",
            "ngày yêu cầu bổ sung hồ sơ",
            "ngày thông báo bổ sung",
            "supplement requested",
        ),
    ),
    FieldSpec(
        "supplement_received_at",
        "Ngày nhận bổ sung",
        "date",
        (
            "ngày nhận bổ sung",
            "ngày nhận hồ sơ bổ sung",
            "ngày bổ sung",
            "ngày công dân bổ sung",
            "supplement received",
        ),
    ),
    FieldSpec(
        "paused_at",
        "Ngày tạm dừng",
        "date",
        ("ngày tạm dừng", "tạm dừng", "ngày tạm dừng xử lý", "ngày dừng xử lý", "paused"),
    ),
    FieldSpec(
        "resumed_at",
        "Ngày tiếp tục",
        "date",
        ("ngày tiếp tục", "ngày tiếp tục xử lý", "tiếp tục xử lý", "resumed"),
    ),
    FieldSpec(
        "extension_count",
        "Số lần gia hạn",
        "count",
        ("số lần gia hạn", "số lần hẹn lại", "extensions"),
    ),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
DATE_FIELDS = tuple(f.name for f in FIELDS if f.kind == "date")


def header_key(text: str) -> str:
    """Headers compared without case, tone marks or punctuation ("Ngày tiếp nhận (*)" =
    "ngay tiep nhan"): exports of the same system differ in exactly these."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


_PRESET = {header_key(alias): f.name for f in FIELDS for alias in f.aliases}


def map_headers(headers: list[str], saved: dict[str, str] | None) -> dict[str, int]:
    """field → column position: a saved mapping first, the presets for the rest."""
    keys = [header_key(h) for h in headers]
    mapping: dict[str, int] = {}
    for name, header in (saved or {}).items():
        if name in FIELD_BY_NAME and header_key(header) in keys:
            mapping[name] = keys.index(header_key(header))
    taken = set(mapping.values())
    for position, key in enumerate(keys):
        preset = _PRESET.get(key)
        if preset and preset not in mapping and position not in taken:
            mapping[preset] = position
            taken.add(position)
    return mapping


# --- reading files ----------------------------------------------------------------------

_VIETNAMESE_1258 = set(b"\xc3\xd0\xd5\xdd\xe3\xf0\xf5\xfd")  # Ă Đ Ơ Ư ă đ ơ ư
_TONE_MARKS_1258 = set(b"\xcc\xd2\xde\xec\xf2")  # combining grave, hook, tilde, acute, dot


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1258 when the bytes read as Vietnamese
    (tone marks after letters, ă đ ơ ư), else Windows-1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    letters = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | _VIETNAMESE_1258
    marks = sum(
        1
        for before, byte in itertools.pairwise(sample)
        if byte in _TONE_MARKS_1258 and (before in letters or before >= 0xC0)
    )
    vietnamese = sum(1 for byte in sample if byte in _VIETNAMESE_1258)
    return "cp1258" if marks or vietnamese > len(sample) // 2000 else "cp1252"


@dataclass
class Source:
    """An export opened for reading: where the header is and how to get the chunks."""

    path: Path
    kind: str  # csv | xlsx
    encoding: str
    delimiter: str
    header_row: int  # 0-based line/row of the header
    headers: list[str]
    estimated_rows: int
    width: int = 0  # cells in most data rows (a header may have one more or one less)
    name: str = ""  # as its sender called it


def _find_header(rows: list[list[str]]) -> int:
    """Title rows (UBND …, BÁO CÁO …) often precede the header: take the first row with
    at least three recognised column names."""
    for index, row in enumerate(rows):
        if sum(1 for cell in row if header_key(cell) in _PRESET) >= 3:
            return index
    return 0


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


SAMPLE_BYTES = 1 << 20  # the header is found within the first MB
BLOCK_BYTES = 1 << 21  # the CSV parser's block: no row may be longer

HEADER_TOO_LONG = (
    "Tệp {file}: dòng tiêu đề (dòng {row}) dài hơn 1 MB, không phải tiêu đề của tệp xuất"
    " một cửa; không nhập dòng nào."
)
CELL_TOO_LONG = (
    "Tệp {file}: một ô trong 40 dòng đầu dài hơn 128 KB, không phải tệp xuất một cửa;"
    " không nhập dòng nào."
)


def open_source(path: Path, file_name: str | None = None) -> Source:
    """The export's kind, encoding, delimiter and header (``file_name``, the name its
    sender gave it, names it in a refusal). Blocking and CPU-bound: run it in the CPU pool
    (``cpu_pool.run``)."""
    cpu_pool.off_loop()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_xlsx(path, file_name or path.name)
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="ignore")
    lines = text.splitlines()[:40]
    if len(sample) == SAMPLE_BYTES and "\n" not in text and "\r" not in text:
        raise refuse(HEADER_TOO_LONG, file=file_name or path.name, row=1)
    first = next((line for line in lines if line.count(",") + line.count(";") >= 2), "")
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    try:
        rows = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:  # a field over the csv module's limit
        raise refuse(CELL_TOO_LONG, file=file_name or path.name) from None
    header_row = _find_header(rows)
    if len(sample) == SAMPLE_BYTES and header_row >= len(text.splitlines(keepends=True)) - 1:
        # The header does not end within the sample: cut here, it would leave the parser
        # no row at all (an import "done, 0 rows" that silently dropped the file).
        raise refuse(HEADER_TOO_LONG, file=file_name or path.name, row=header_row + 1)
    headers = [unicodedata.normalize("NFC", h).strip() for h in rows[header_row]] if rows else []
    widths = collections.Counter(len(row) for row in rows[header_row + 1 :] if row)
    bytes_per_row = max(1, len(sample) // max(1, text.count("\n")))
    size = path.stat().st_size
    return Source(
        path,
        "csv",
        encoding,
        delimiter,
        header_row,
        headers,
        size // bytes_per_row - header_row,
        widths.most_common(1)[0][0] if widths else len(headers),
        name=file_name or path.name,
    )


def _open_xlsx(path: Path, name: str) -> Source:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        rows = [
            [_cell_text(v) for v in row] for row in sheet.iter_rows(max_row=40, values_only=True)
        ]
        header_row = _find_header(rows)
        headers = (
            [unicodedata.normalize("NFC", h).strip() for h in rows[header_row]] if rows else []
        )
        total = (sheet.max_row or 0) - header_row - 1
    finally:
        book.close()
    return Source(path, "xlsx", "xlsx", "", header_row, headers, max(total, 0), name=name)


class _Utf8File(io.RawIOBase):
    """A file in a legacy encoding read as UTF-8, bytes it cannot decode replaced (the
    CSV reader only reads UTF-8; a stray byte must not stop a million-row import)."""

    def __init__(self, path: Path, encoding: str) -> None:
        self._file = path.open("rb")
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            block = self._file.read(1 << 20)
            self._pending = memoryview(self._decoder.decode(block, final=not block).encode())
            if not block:
                break
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        self._file.close()
        super().close()


def _as_text(column: pa.Array) -> pa.Array:
    """Cells read as bytes, as text: checked as UTF-8 at C speed, and only a column with
    a bad byte decoded in Python with replacement characters."""
    try:
        return column.cast(pa.string())
    except pa.ArrowInvalid:
        return pa.array(
            [v.decode("utf-8", errors="replace") for v in column.to_pylist()], type=pa.string()
        )


def read_chunks(source: Source, columns: list[int], chunk_rows: int) -> Iterator[pa.Table]:
    """Tables of text cells (one string column per mapped position, named by it), in file
    order, ``chunk_rows`` rows each (the last one shorter)."""
    pieces: list[pa.Table] = []
    buffered = 0
    for piece in (
        _csv_pieces(source, columns) if source.kind == "csv" else _xlsx_pieces(source, columns)
    ):
        pieces.append(piece)
        buffered += piece.num_rows
        if buffered < chunk_rows:
            continue
        table = pa.concat_tables(pieces)
        start = 0
        while table.num_rows - start >= chunk_rows:
            yield table.slice(start, chunk_rows).combine_chunks()
            start += chunk_rows
        # A copy of the rest, so the table it was cut from can be freed.
        pieces = [table.slice(start).combine_chunks()]
        buffered = table.num_rows - start
    if buffered:
        yield pa.concat_tables(pieces).combine_chunks()


def _csv_pieces(source: Source, columns: list[int]) -> Iterator[pa.Table]:
    """The rows of a CSV export as pyarrow parses them (in C++, outside the GIL). A row
    with more or fewer cells than most is set aside by the parser, read again here
    (padded or cut, as before) and put back in its place."""
    width = source.width or len(source.headers)
    names = [str(i) for i in range(width)]
    keep = [str(c) for c in columns if c < width]
    absent = [str(c) for c in columns if c >= width]  # mapped, but beyond every row
    first_record = source.header_row + 2  # the parser's number for the first data row
    misfits: collections.deque[tuple[int, str]] = collections.deque()

    def misfit(row: Any) -> str:
        misfits.append((row.number - first_record, row.text))
        return "skip"

    def reread(texts: list[str]) -> pa.Table:
        rows = [next(csv.reader(io.StringIO(t), delimiter=source.delimiter), []) for t in texts]
        return pa.table(
            {
                str(c): pa.array([r[c] if c < len(r) else "" for r in rows], type=pa.string())
                for c in columns
            }
        )

    def misfits_at(position: int) -> list[str]:
        """The set-aside rows from ``position`` on that come before the next parsed row."""
        texts: list[str] = []
        while misfits and misfits[0][0] <= position + len(texts):
            texts.append(misfits.popleft()[1])
        return texts

    utf8 = source.encoding in ("utf-8", "utf-8-sig")
    handle: Any = str(source.path) if utf8 else _Utf8File(source.path, source.encoding)
    try:
        reader = pacsv.open_csv(
            handle,
            read_options=pacsv.ReadOptions(
                skip_rows=source.header_row + 1,
                column_names=names,
                # One thread keeps the parser's row numbers (to put misfits back); parsing
                # still runs in C++ while Python works on the previous chunk.
                use_threads=False,
                block_size=BLOCK_BYTES,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=source.delimiter,
                newlines_in_values=True,
                invalid_row_handler=misfit,
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=keep,
                column_types=dict.fromkeys(keep, pa.binary()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as error:
        if not utf8:
            handle.close()
        if "larger than block size" in str(error):
            # Title rows and header longer than a block: never an export's, and skipping
            # them silently would import nothing.
            raise refuse(HEADER_TOO_LONG, file=source.name, row=source.header_row + 1) from None
        # The file ends within the header rows: nothing to import.
        return
    position = 0  # data row index of the next row to hand out
    try:
        for batch in reader:
            table = pa.table(
                {
                    **{name: _as_text(batch.column(name)) for name in keep},
                    **{name: pa.repeat("", batch.num_rows) for name in absent},
                }
            ).select([str(c) for c in columns])
            done = 0
            while done < table.num_rows:
                if texts := misfits_at(position):
                    yield reread(texts)
                    position += len(texts)
                    continue
                gap = misfits[0][0] - position if misfits else table.num_rows - done
                step = min(gap, table.num_rows - done)
                yield table.slice(done, step)
                done += step
                position += step
        while texts := [t for _, t in itertools.islice(misfits, 10_000)]:
            for _ in texts:
                misfits.popleft()
            yield reread(texts)
    finally:
        if not utf8:
            handle.close()


def _xlsx_pieces(source: Source, columns: list[int]) -> Iterator[pa.Table]:
    from openpyxl import load_workbook

    book = load_workbook(source.path, read_only=True, data_only=True)
    try:
        batch: list[list[str]] = []
        for row in book.worksheets[0].iter_rows(min_row=source.header_row + 2, values_only=True):
            cells = [_cell_text(row[c]) if c < len(row) else "" for c in columns]
            if any(cells):
                batch.append(cells)
            if len(batch) >= 10_000:
                yield _table(batch, columns)
                batch = []
        if batch:
            yield _table(batch, columns)
    finally:
        book.close()


def _table(rows: list[list[str]], columns: list[int]) -> pa.Table:
    return pa.table(
        {str(c): pa.array([r[k] for r in rows], type=pa.string()) for k, c in enumerate(columns)}
    )
