"""Kiểm tra tệp trước khi đọc: an upload is looked at cheaply before anything parses it.

A CSV must look like text (no known binary signature, no NUL or control bytes, its
first KB decodable in an encoding the reader supports); an XLSX is looked into as a zip
without parsing a cell: what it unpacks to and how well it compresses (a zip bomb), its
sheets, the cells its sheets' dimensions announce, and its shared strings, which never
outnumber the cells that use them. Each refusal names the file and says why, in
Vietnamese (English in templates/i18n/dossiers.en.yaml). Runs in a worker thread: the
shared strings are counted by unpacking them.

A document kept as a file (PDF, DOCX, XLSX, JPEG or PNG: the evidence register's scans,
the annual rating steps' minutes and decisions) is judged by its first bytes, never by its
name or the header the browser sends (``document_kind``): a renamed file is refused
saying what it really is.

A kernel module: every import of a CSV or XLSX upload (the dossier import, the roster
of officials) and every stored document screens its file here.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from congvu.inspect import cpu_pool
from congvu.inspect.errors import Invalid
from congvu.inspect.i18n import current_locale, gettext
from congvu.inspect.settings import Settings

MB = 1 << 20
SNIFF_BYTES = 1024
# Deflate reaches ~1000:1 on one repeated byte; real exports stay under 30:1 (XML of
# cells with changing references and values). Small parts are not judged: a tiny XML
# part of blanks may compress better than that.
MAX_RATIO = 200
_RATIO_FLOOR = 4 * MB
_MAX_ENTRIES = 10_000
_DIMENSION_WINDOW = 64 * 1024  # <dimension> comes right after <sheetPr>, near the top

# Signatures of files people rename to .csv by mistake (or not by mistake).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"\x89PNG", "ảnh PNG"),
    (b"GIF8", "ảnh GIF"),
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "tệp nén ZIP (có thể là XLSX, DOCX)"),
    (b"\xd0\xcf\x11\xe0", "Excel 97-2003 (.xls) hoặc Word (.doc)"),
    (b"\x1f\x8b", "tệp nén GZIP"),
    (b"Rar!", "tệp nén RAR"),
    (b"7z\xbc\xaf", "tệp nén 7z"),
)

NOT_TEXT = "Tệp {file} không phải tệp CSV: nội dung là {kind}."
BINARY = "Tệp {file} không phải tệp CSV: có byte nhị phân ở vị trí {offset}."
UNDECODABLE = "Tệp {file} không phải tệp CSV: 1 KB đầu không đọc được bằng UTF-8 hay Windows-1258."
NOT_XLSX = "Tệp {file} không phải tệp XLSX hợp lệ (không mở được như tệp Excel 2007 trở lên)."
OLD_XLS = "Tệp {file} là tệp Excel 97-2003 (.xls) đổi tên: hãy mở bằng Excel và lưu lại dạng .xlsx."
TOO_MANY_PARTS = "Tệp {file} có {count} phần nén, nhiều hơn giới hạn {limit}."
UNPACKED_TOO_LARGE = "Tệp {file} giải nén ra {size} MB, lớn hơn giới hạn {limit} MB."
ZIP_BOMB = (
    "Tệp {file} bị từ chối: phần {part} nén {ratio}:1, vượt tỉ lệ {limit}:1 của một tệp"
    " Excel thông thường (nghi tệp nén bom)."
)
TOO_MANY_SHEETS = "Tệp {file} có {count} trang tính, nhiều hơn giới hạn {limit}."
TOO_MANY_CELLS = "Tệp {file} có {count} ô, nhiều hơn giới hạn {limit} ô."
TOO_MANY_STRINGS = (
    "Tệp {file} bị từ chối: bảng chuỗi dùng chung có ít nhất {count} chuỗi, nhiều hơn số ô"
    " của các trang tính ({cells} ô), trong khi mỗi chuỗi phải nằm trong một ô."
)


def refuse(message: str, **values: object) -> Invalid:
    """A refusal of the uploaded file, in the reader's language when there is one (the
    web request's); a job records it in Vietnamese."""
    separator = "," if current_locale.get() == "en" else "."
    shown = {
        k: f"{v:,}".replace(",", separator) if isinstance(v, int) else v for k, v in values.items()
    }
    return Invalid(gettext(message).format(**shown), field="file")


@dataclass(frozen=True)
class UploadLimits:
    """What an upload may be; the defaults are the settings' (README, settings table)."""

    max_unpacked_bytes: int = 1024 * MB
    max_cells: int = 25_000_000
    max_sheets: int = 50

    @classmethod
    def of(cls, settings: Settings) -> UploadLimits:
        return cls(
            settings.xlsx_max_unpacked_mb * MB, settings.xlsx_max_cells, settings.xlsx_max_sheets
        )


def is_xlsx_name(file_name: str) -> bool:
    return Path(file_name).suffix.lower() in (".xlsx", ".xlsm")


def sniff(file_name: str, head: bytes) -> None:
    """The first bytes of an upload look like what its name says (CSV text, or a zip
    for XLSX); refused otherwise, naming the file."""
    name = Path(file_name).name
    if is_xlsx_name(name):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise refuse(OLD_XLS, file=name)
        if not head.startswith(b"PK\x03\x04"):
            raise refuse(NOT_XLSX, file=name)
        return
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            raise refuse(NOT_TEXT, file=name, kind=gettext(kind))
    sample = head[:SNIFF_BYTES]
    # Text never holds C0 controls other than tab, line breaks and form feed.
    if match := re.search(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]", sample):
        raise refuse(BINARY, file=name, offset=match.start())
    for encoding in ("utf-8", "cp1258", "cp1252"):
        try:
            # Not final: the sample may end inside a multi-byte character.
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return
        except UnicodeDecodeError:
            continue
    raise refuse(UNDECODABLE, file=name)


def screen(path: Path, file_name: str, limits: UploadLimits) -> None:
    """Refuse an upload before it is parsed (module docstring). Blocking and CPU-bound:
    run it in the CPU pool (``cpu_pool.run``)."""
    cpu_pool.off_loop()
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    sniff(file_name, head)
    if is_xlsx_name(file_name):
        inspect_xlsx(path, Path(file_name).name, limits)


def inspect_xlsx(path: Path, name: str, limits: UploadLimits) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise refuse(NOT_XLSX, file=name) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > _MAX_ENTRIES:
            raise refuse(TOO_MANY_PARTS, file=name, count=len(parts), limit=_MAX_ENTRIES)
        # zipfile stops reading a part at its declared size: these sizes bound the work.
        unpacked = sum(p.file_size for p in parts)
        if unpacked > limits.max_unpacked_bytes:
            raise refuse(
                UNPACKED_TOO_LARGE,
                file=name,
                size=-(-unpacked // MB),
                limit=limits.max_unpacked_bytes // MB,
            )
        for part in parts:
            ratio = part.file_size // max(part.compress_size, 1)
            if part.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
                raise refuse(ZIP_BOMB, file=name, part=part.filename, ratio=ratio, limit=MAX_RATIO)
        names = {p.filename for p in parts}
        if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
            raise refuse(NOT_XLSX, file=name)
        sheets = [p for p in parts if re.search(r"(^|/)worksheets/[^/]+\.xml$", p.filename)]
        if len(sheets) > limits.max_sheets:
            raise refuse(TOO_MANY_SHEETS, file=name, count=len(sheets), limit=limits.max_sheets)
        cells = 0
        for sheet in sheets:
            cells += _sheet_cells(archive, sheet, limits.max_cells - cells)
            if cells > limits.max_cells:
                raise refuse(TOO_MANY_CELLS, file=name, count=cells, limit=limits.max_cells)
        strings = next((p for p in parts if p.filename.lower().endswith("sharedstrings.xml")), None)
        if strings is not None:
            count = _count_tags(archive, strings, (b"<si>", b"<si ", b":si>", b":si "), cells)
            if count > cells:
                raise refuse(TOO_MANY_STRINGS, file=name, count=count, cells=cells)


_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?\""
)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _sheet_cells(archive: zipfile.ZipFile, sheet: zipfile.ZipInfo, budget: int) -> int:
    """The cells a sheet's dimension announces (A1:R1000 → 18,000); a sheet without one
    has its cell elements counted (at most ``budget`` + 1 of them)."""
    with archive.open(sheet) as handle:
        top = handle.read(_DIMENSION_WINDOW)
    if match := _DIMENSION.search(top):
        first_col, first_row, last_col, last_row = match.groups()
        if last_col is None:
            return 1
        width = abs(_column_number(last_col) - _column_number(first_col)) + 1
        return width * (abs(int(last_row) - int(first_row)) + 1)
    return _count_tags(archive, sheet, (b"<c ", b"<c>", b":c ", b":c>"), budget)


def _count_tags(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, tags: tuple[bytes, ...], budget: int
) -> int:
    """Occurrences of ``tags`` in a part, unpacked a MB at a time; stops once past
    ``budget`` (the answer is then "more than the budget")."""
    count = 0
    tail = b""
    keep = max(len(t) for t in tags) - 1  # a tag split between two blocks is counted once
    with archive.open(part) as handle:
        while block := handle.read(MB):
            window = tail + block
            # A tag wholly inside the tail was counted with the block before.
            count += sum(window.count(t) - tail.count(t) for t in tags)
            if count > budget:
                return count
            tail = window[-keep:]
    return count


# Documents kept as files: 20 MB at most, these kinds only.
MAX_DOCUMENT_BYTES = 20 * MB
DOCUMENT_KINDS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "jpg": "ảnh JPEG",
    "png": "ảnh PNG",
}
_DOCUMENT_EXTENSIONS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "jpg": "jpg",
    "jpeg": "jpg",
    "png": "png",
}


def sniff_document(data: bytes) -> str | None:
    """The kind the bytes are: pdf, docx, xlsx, jpg or png; None for anything else. A
    DOCX and an XLSX are both ZIP archives: their main part tells them apart."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def document_kind(file_name: str, data: bytes) -> str:
    """The upload's extension once its content agrees with its name; ``Invalid`` (field
    ``file``) with a message saying what the file really is otherwise."""
    if not data:
        raise Invalid("Tệp rỗng.", field="file")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise Invalid("Tệp quá lớn (tối đa 20 MB).", field="file")
    named = _DOCUMENT_EXTENSIONS.get(Path(file_name).suffix.lower().lstrip("."))
    if named is None:
        raise Invalid("Chỉ nhận tệp PDF, DOCX, XLSX, JPEG hoặc PNG.", field="file")
    actual = sniff_document(data)
    if actual is None:
        raise Invalid(
            f"Nội dung tệp không phải {DOCUMENT_KINDS[named]} như tên tệp cho biết.", field="file"
        )
    if actual != named:
        raise Invalid(
            f"Tệp mang đuôi .{named} nhưng nội dung là {DOCUMENT_KINDS[actual]}: "
            f"hãy đổi lại tên tệp cho đúng (.{actual}) rồi tải lên.",
            field="file",
        )
    return actual
