"""An uploaded file's bytes: what kind it really is (by its first bytes, never by its
name or the header the browser sends), where it is kept under the media directory, and
the safe name it gets inside the ZIP."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

from congvu.inspect.capture import api as capture
from congvu.inspect.errors import Invalid
from congvu.inspect.settings import get_settings

MAX_BYTES = 20 * 1024 * 1024
ALLOWED = ("pdf", "docx", "xlsx", "jpg", "png")
KIND_NAMES = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "jpg": "ảnh JPEG",
    "png": "ảnh PNG",
}
_EXTENSIONS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "jpg": "jpg",
    "jpeg": "jpg",
    "png": "png",
}


def sniff(data: bytes) -> str | None:
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


def checked_kind(file_name: str, data: bytes) -> str:
    """The upload's extension once its content agrees with its name; ``Invalid`` with a
    message saying what the file really is otherwise."""
    if not data:
        raise Invalid("Tệp rỗng.", field="file")
    if len(data) > MAX_BYTES:
        raise Invalid("Tệp quá lớn (tối đa 20 MB).", field="file")
    named = _EXTENSIONS.get(Path(file_name).suffix.lower().lstrip("."))
    if named is None:
        raise Invalid("Chỉ nhận tệp PDF, DOCX, XLSX, JPEG hoặc PNG.", field="file")
    actual = sniff(data)
    if actual is None:
        raise Invalid(
            f"Nội dung tệp không phải {KIND_NAMES[named]} như tên tệp cho biết.", field="file"
        )
    if actual != named:
        raise Invalid(
            f"Tệp mang đuôi .{named} nhưng nội dung là {KIND_NAMES[actual]}: "
            f"hãy đổi lại tên tệp cho đúng (.{actual}) rồi tải lên.",
            field="file",
        )
    return actual


def stored_path(sha256: str, extension: str) -> str:
    """Relative to the media directory: content-addressed, so a file is kept once."""
    return f"par-evidence/{sha256[:2]}/{sha256}.{extension}"


def store(relative: str, data: bytes) -> None:
    """Under the media folder, as the tablets' photos are: never half a file."""
    capture.write_atomically(get_settings().media_dir / relative, data)


def read_stored(relative: str) -> bytes | None:
    path = get_settings().media_dir / relative
    return path.read_bytes() if path.is_file() else None


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(number: str, summary: str, extension: str, limit: int = 120) -> str:
    """ "<số ký hiệu> - <trích yếu>.ext" with what no file system accepts replaced ("/" in
    "12/QĐ-UBND" becomes "-"), Vietnamese letters kept (NFC), cut to ``limit``."""
    number = _UNSAFE.sub("-", unicodedata.normalize("NFC", number)).strip(" .-")
    summary = _UNSAFE.sub(" ", unicodedata.normalize("NFC", summary))
    summary = " ".join(summary.split()).strip(" .")
    stem = f"{number} - {summary}" if number and summary else (number or summary or "tai-lieu")
    stem = stem[: limit - len(extension) - 1].rstrip(" .")
    return f"{stem}.{extension}"
