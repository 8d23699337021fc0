"""An uploaded file's bytes: where it is kept under the media directory, and the safe name
it gets inside the ZIP. What kind it really is the kernel judges
(``upload_screening.document_kind``)."""

from __future__ import annotations

import re
import unicodedata

from congvu.inspect.capture import api as capture
from congvu.inspect.settings import get_settings


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
