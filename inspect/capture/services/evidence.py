"""Evidence photos (ảnh chứng cứ), stored once by content hash.

The device computes the sha256 and names the upload by it; the server recomputes it, so
a retried or resumed upload lands on the same name and never makes a second file. The
type is decided by the file's magic bytes, never by the header the client sends, and a
file only appears under its final name once it is complete (temp file + os.replace).

A photo is read (``read``) by its uploader or through a finding it documents, under that
finding's access rules; every read is audited. ``evidence_file`` is the bare lookup for
callers that have authorised the read themselves.

A sha256 is a content address, not a capability: every upload records its account
(``evidence_upload``), and a photo is attached to a finding, a giải trình or a closing
proof only by an account that uploaded it (``owned``). Sending the same bytes again
gives the sender their own record even when the file is already kept.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.db import atomic
from congvu.inspect.errors import DomainError, Invalid, NotFound
from congvu.inspect.inspections.tables import Evidence, EvidenceUpload
from congvu.inspect.settings import get_settings
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATETIME_ORIGINAL = 36867


class TooLarge(DomainError):
    status_code = 413


class UnsupportedMedia(DomainError):
    status_code = 415


@dataclass(frozen=True)
class Kind:
    media_type: str
    extension: str
    pillow_format: str


def sniff(head: bytes) -> Kind | None:
    """JPEG, PNG or WebP by their signatures; anything else is refused."""
    if head.startswith(b"\xff\xd8\xff"):
        return Kind("image/jpeg", "jpg", "JPEG")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind("image/png", "png", "PNG")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Kind("image/webp", "webp", "WEBP")
    return None


@dataclass(frozen=True)
class EvidenceView:
    """Ảnh chứng cứ as the API shows it: what was read from the file, never where it
    is kept; ``url`` is where an authorised reader fetches it."""

    sha256: str
    media_type: str
    size_bytes: int
    width: int
    height: int
    exif_taken_at: datetime | None
    exif_lat: float | None
    exif_lon: float | None
    device_time: datetime | None
    received_at: datetime
    url: str


@dataclass(frozen=True)
class StoredEvidence:
    """What an upload did: the photo, and whether this upload stored it (``created``)
    or found it already kept (a retry, or another device's copy of the same photo)."""

    evidence: EvidenceView
    created: bool


def write_atomically(path: Path, data: bytes) -> None:
    """No reader ever sees half a file: write beside the target, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _ratio(value: Any) -> float:
    return float(value[0]) / float(value[1]) if isinstance(value, tuple) else float(value)


def _degrees(dms: Any, ref: Any) -> float | None:
    try:
        degrees = _ratio(dms[0]) + _ratio(dms[1]) / 60 + _ratio(dms[2]) / 3600
    except (TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    return -degrees if str(ref).upper() in ("S", "W") else degrees


def _exif(image: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    """DateTimeOriginal (camera clock, no zone) and the GPS position, when present."""
    try:
        exif = image.getexif()
        taken_raw = exif.get_ifd(_EXIF_IFD).get(_DATETIME_ORIGINAL)
        gps = exif.get_ifd(_GPS_IFD)
    except Exception:  # a damaged EXIF block must not lose the photo itself
        return None, None, None
    taken = None
    if isinstance(taken_raw, str):
        try:
            taken = datetime.strptime(taken_raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
        except ValueError:
            taken = None
    lat = _degrees(gps.get(2), gps.get(1)) if gps.get(2) else None
    lon = _degrees(gps.get(4), gps.get(3)) if gps.get(4) else None
    return taken, lat, lon


def _inspect_image(data: bytes, kind: Kind) -> tuple[int, int, Image.Image]:
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: make it an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[kind.pillow_format])
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise TooLarge(
                    f"Ảnh quá lớn: {width}×{height} điểm ảnh (tối đa 40 megapixel).",
                    field="body",
                )
            image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise TooLarge("Ảnh quá lớn (tối đa 40 megapixel).", field="body") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise UnsupportedMedia("Tệp không phải ảnh hợp lệ.", field="body") from None
    # verify() leaves the image unusable; reopen (lazily) for the EXIF block.
    return width, height, Image.open(io.BytesIO(data), formats=[kind.pillow_format])


def _view(row: dict[str, Any], created: bool) -> StoredEvidence:
    view = EvidenceView(
        sha256=row["sha256"],
        media_type=row["media_type"],
        size_bytes=row["size_bytes"],
        width=row["width"],
        height=row["height"],
        exif_taken_at=row["exif_taken_at"],
        exif_lat=row["exif_lat"],
        exif_lon=row["exif_lon"],
        device_time=row["device_time"],
        received_at=row["received_at"],
        url=f"/api/v1/evidence/{row['sha256']}",
    )
    return StoredEvidence(view, created)


async def store(
    actor: Actor, sha256: str, data: bytes, device_time: datetime | None
) -> StoredEvidence:
    """Tải ảnh chứng cứ lên: check, keep once, return what is stored."""
    sha256 = sha256.lower()
    if not _SHA256.match(sha256):
        raise Invalid("Mã băm sha256 phải gồm 64 ký tự hexa.", field="sha256")
    if len(data) > MAX_BYTES:
        raise TooLarge("Ảnh quá lớn (tối đa 10 MB).", field="body")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise Invalid(
            "Mã băm sha256 không khớp với nội dung tải lên (tệp bị hỏng hoặc tải dở).",
            field="sha256",
        )
    existing = await Evidence.select().where(Evidence.sha256 == sha256).first()
    if existing is not None:
        await _record_upload(actor, existing["id"])
        return _view(existing, created=False)
    kind = sniff(data[:16])
    if kind is None:
        raise UnsupportedMedia("Chỉ nhận ảnh JPEG, PNG hoặc WebP.", field="body")
    width, height, image = _inspect_image(data, kind)
    taken, lat, lon = _exif(image)
    relative = f"evidence/{sha256[:2]}/{sha256[2:4]}/{sha256}.{kind.extension}"
    write_atomically(get_settings().media_dir / relative, data)
    row = Evidence(
        sha256=sha256,
        media_type=kind.media_type,
        size_bytes=len(data),
        width=width,
        height=height,
        exif_taken_at=taken,
        exif_lat=lat,
        exif_lon=lon,
        device_time=device_time,
        received_at=clock.now(),
        stored_path=relative,
        uploaded_by=actor.id or None,
    )
    try:
        async with atomic():
            await row.save()
    except Exception:
        # A concurrent upload of the same photo won the unique sha256: same file, same row.
        existing = await Evidence.select().where(Evidence.sha256 == sha256).first()
        if existing is None:
            raise
        await _record_upload(actor, existing["id"])
        return _view(existing, created=False)
    await _record_upload(actor, row.id)
    return _view(row.to_dict(), created=True)


async def _record_upload(actor: Actor, evidence_id: int) -> None:
    """This account sent these bytes: once per account and photo."""
    if not actor.id:
        return
    async with atomic():
        known = await EvidenceUpload.exists().where(
            (EvidenceUpload.evidence == evidence_id) & (EvidenceUpload.uploaded_by == actor.id)
        )
        if not known:
            await EvidenceUpload.insert(
                EvidenceUpload(evidence=evidence_id, uploaded_by=actor.id, uploaded_at=clock.now())
            )


# Read only through db.raw, so the sync's one-statement finding write may call it.
_OWNED = (
    "SELECT e.id, e.sha256 FROM evidence e WHERE e.sha256 IN ({hashes}) AND "
    "(e.uploaded_by = {{}} OR EXISTS (SELECT 1 FROM evidence_upload u "
    "WHERE u.evidence = e.id AND u.uploaded_by = {{}}))"
)


async def owned(actor_id: int | None, hashes: list[str], *, field: str) -> dict[str, int]:
    """The ids of photos ``hashes`` that ``actor_id`` uploaded, by hash; a photo never
    stored and a photo only others uploaded are refused alike (the answer must not tell
    whether someone else holds those bytes): upload it from this account, then retry.
    ``evidence.uploaded_by`` counts too: it names the first uploader of photos kept before
    uploads were recorded one by one."""
    hashes = list(dict.fromkeys(h.lower() for h in hashes))
    if not hashes:
        return {}
    rows = (
        await db.raw(
            Evidence,
            _OWNED.format(hashes=", ".join("{}" for _ in hashes)),
            *hashes,
            actor_id,
            actor_id,
        )
        if actor_id
        else []
    )
    found = {r["sha256"]: r["id"] for r in rows}
    if len(found) != len(hashes):
        raise Invalid(
            "Ảnh chưa được tải lên máy chủ từ tài khoản này; tải lại tệp ảnh rồi gửi lại.",
            field=field,
        )
    return found


async def evidence_file(sha256: str) -> tuple[Path, str]:
    row = (
        await Evidence.select(Evidence.stored_path, Evidence.media_type)
        .where(Evidence.sha256 == sha256.lower())
        .first()
    )
    if row is None:
        raise NotFound("Không tìm thấy ảnh chứng cứ.", field="sha256")
    return get_settings().media_dir / row["stored_path"], row["media_type"]
