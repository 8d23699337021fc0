"""Xoá tệp quá thời hạn lưu trữ (Luật 91/2025/QH15: data are kept no longer than their
purpose needs): photos and signature images whose matter closed more than the
configured days ago (``CONGVU_RETAIN_PHOTOS_DAYS``, ``CONGVU_RETAIN_SIGNATURES_DAYS``).

A photo's matter is every finding it documents: each must be closed in its review
(closed, or dismissed) and released by every discipline case resting on it (decided,
notified or closed, no appeal pending); it closes on the latest of those days. A
photo that documents no finding (uploaded, never attached) is counted from its upload.
A signature's matter is its inspection: closed, and every finding of it closed as a
photo's is; it closes on the latest of the submission and those days. Anything open
is kept, however old. The capture domain deletes the file and records
``media_purged``; a dry run only lists what would go. Running twice removes nothing
more: a purged file is no longer kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.capture import api as capture
from congvu.inspect.discipline import api as discipline
from congvu.inspect.review import api as review
from congvu.inspect.settings import get_settings


@dataclass(frozen=True)
class Expired:
    kind: str  # "photo" | "signature"
    key: str  # the photo's sha256, or "signature <id>"
    path: str  # under the media directory
    closed_on: date  # the local day its matter closed
    reason: str


@dataclass(frozen=True)
class PurgeResult:
    expired: list[Expired]
    kept_open: int  # files kept because their matter is open
    dry_run: bool


def _day(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        return moment.astimezone(clock.zone()).date()
    return moment


async def _closings(finding_ids: Iterable[int]) -> dict[int, date | None]:
    """Each finding's closing day once its review and its discipline cases are done."""
    ids = sorted(set(finding_ids))
    reviews = await review.finding_closings(ids)
    cases = await discipline.case_holds(ids)
    out: dict[int, date | None] = {}
    for finding in ids:
        closed = reviews.get(finding)
        if closed is None:
            out[finding] = None
            continue
        day = _day(closed)
        if finding in cases:
            held = cases[finding]
            out[finding] = None if held is None else max(day, held)
        else:
            out[finding] = day
    return out


def _latest(days: Iterable[date | None], start: date) -> date | None:
    latest = start
    for day in days:
        if day is None:
            return None
        latest = max(latest, day)
    return latest


def _reason(kind: str, days: int, closed_on: date) -> str:
    what = "ảnh chứng cứ" if kind == "photo" else "chữ ký"
    return (
        f"Quá thời hạn lưu trữ {what}: {days} ngày kể từ ngày vụ việc khép lại"
        f" {closed_on:%d/%m/%Y} (Luật 91/2025/QH15)"
    )


async def expired_files(now: datetime | None = None) -> tuple[list[Expired], int]:
    """The files past retention, and how many are kept because their matter is open."""
    settings = get_settings()
    today = _day(now or clock.now())
    photos = await capture.kept_photos()
    signatures = await capture.kept_signatures()
    subjects = await review.photo_subjects()
    findings = {f for ids in subjects.values() for f in ids}
    findings |= {f for s in signatures for f in s.finding_ids}
    closings = await _closings(findings)
    expired: list[Expired] = []
    kept_open = 0
    for p in photos:
        documents = subjects.get(p.id, ())
        start = date.min if documents else _day(p.received_at)
        closed = _latest((closings[f] for f in documents), start)
        if closed is None:
            kept_open += 1
        elif closed + timedelta(days=settings.retain_photos_days) <= today:
            reason = _reason("photo", settings.retain_photos_days, closed)
            expired.append(Expired("photo", p.sha256, p.stored_path, closed, reason))
    for s in signatures:
        if s.inspection_status != "closed" or s.submitted_at is None:
            kept_open += 1
            continue
        closed = _latest((closings[f] for f in s.finding_ids), _day(s.submitted_at))
        if closed is None:
            kept_open += 1
        elif closed + timedelta(days=settings.retain_signatures_days) <= today:
            reason = _reason("signature", settings.retain_signatures_days, closed)
            expired.append(Expired("signature", f"signature {s.id}", s.image_path, closed, reason))
    return expired, kept_open


async def purge_media(actor: Actor, *, dry_run: bool, now: datetime | None = None) -> PurgeResult:
    """Delete (or, in a dry run, list) the files past their retention period."""
    expired, kept_open = await expired_files(now)
    if not dry_run:
        photos = {p.sha256: p for p in await capture.kept_photos()}
        signatures = {f"signature {s.id}": s for s in await capture.kept_signatures()}
        for item in expired:
            if item.kind == "photo" and item.key in photos:
                await capture.purge_photo(actor, photos[item.key], item.reason)
            elif item.kind == "signature" and item.key in signatures:
                await capture.purge_signature(actor, signatures[item.key], item.reason)
    return PurgeResult(expired, kept_open, dry_run)
