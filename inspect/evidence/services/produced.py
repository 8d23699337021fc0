"""The documents the system itself produces in a year, read through the lower domains'
tables and rendered through their api: each with its source (so registering again finds
it), số ký hiệu, date, trích yếu and issuing unit.

Kế hoạch kiểm tra and biên bản kiểm tra are rendered as .docx through the inspections'
api and the file itself is kept in the register's store with its plain SHA-256, the hash
of the bytes their download link serves (the rendering is deterministic, so the same plan
or minutes is "unchanged" and a changed finding is a new version). Discipline decisions
and the rating and emulation documents of a locked period are rendered, and their hash
kept.

Handling decisions (văn bản xử lý sau kiểm tra: a reviewed finding's biện pháp, decided
by the unit head) and apology letters (văn bản xin lỗi, the day a late dossier's letter
went out as the dossier export carries it) are registered without a file: the system
records the decision and the day, never a signed letter, and neither carries a số ký
hiệu.

The files of the annual rating steps (tự đánh giá, biên bản họp, ý kiến cấp ủy,
quyết định, thông báo) are uploads the emulation domain keeps: a step's file is copied
into the register as it was uploaded, hashed by its bytes, and a step without one is
registered without a file.

A quyết định thành lập đoàn kiểm tra is registered without a file, by the number and
date the team lead or planner recorded on the inspection: the decision is signed outside
the system, which renders no copy of it. A sealed surprise inspection's decision waits
until the visit starts, as the plan's file leaves it out: the register is read by more
people than the team."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePosixPath

from congvu.inspect.actor import SYSTEM
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.tables import DisciplineCase
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.emulation import api as emulation
from congvu.inspect.emulation.tables import AnnualStep, AnnualStepRecord, RatingPeriod
from congvu.inspect.errors import DomainError
from congvu.inspect.evidence.tables import SourceKind
from congvu.inspect.inspections import api as inspections
from congvu.inspect.inspections.tables import Inspection, InspectionPlan
from congvu.inspect.organisation.tables import Unit
from congvu.inspect.review import api as review
from congvu.inspect.review.tables import FindingReview
from congvu.inspect.settings import get_settings

# The unit documents of a locked rating period registered as evidence, and their kind.
PERIOD_DOCUMENTS: dict[str, SourceKind] = {
    "thong-bao-xep-loai": SourceKind.RATING_DOCUMENT,
    "to-trinh-khen-thuong": SourceKind.EMULATION_DOCUMENT,
}
DECISION = "quyet-dinh"
ANNUAL_STEP = "annual-step"


@dataclass(frozen=True)
class ProducedDocument:
    kind: SourceKind
    source_ref: str
    number: str
    issued_on: date | None
    summary: str
    issuer_unit_id: int | None
    extension: str  # "" when the system keeps no file of it
    # A file its domain keeps as uploaded (an annual step's), copied into the register:
    # None for a document rendered or without a file by nature, "" for such a source
    # with no file yet, else the file's SHA-256 as its domain recorded it.
    kept_sha256: str | None = None
    # Rendered by its domain and the file kept in the register's store (a plan's, a
    # minutes'): hashed by its plain bytes, as a kept file is.
    stores_rendered: bool = False


def content_sha256(data: bytes) -> str:
    """The hash of what a document says. A .docx or .xlsx is a ZIP whose entries carry
    the time they were written, so the same document rendered twice differs in bytes:
    its entries' names and contents are hashed instead, in name order."""
    if data.startswith(b"PK\x03\x04"):
        digest = hashlib.sha256()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in sorted(archive.namelist()):
                digest.update(name.encode() + b"\x00")
                digest.update(hashlib.sha256(archive.read(name)).digest())
        return digest.hexdigest()
    return hashlib.sha256(data).hexdigest()


def _in_year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


async def _plans(year: int) -> list[ProducedDocument]:
    rows = await InspectionPlan.select().where(InspectionPlan.year == year)
    zone = get_settings().zone
    return [
        ProducedDocument(
            SourceKind.PLAN,
            f"plan:{r['id']}",
            r["document_no"] or "",
            r["created_at"].astimezone(zone).date(),
            r["title"],
            None,
            "docx",
            stores_rendered=True,
        )
        for r in rows
    ]


async def _minutes(year: int) -> list[ProducedDocument]:
    rows = await Inspection.select(
        Inspection.id,
        Inspection.minutes_number,
        Inspection.submitted_at,
        Inspection.unit,
        Inspection.unit.name.as_alias("unit_name"),
    ).where(Inspection.submitted_at.is_not_null())
    zone = get_settings().zone
    found = []
    for r in rows:
        day = r["submitted_at"].astimezone(zone).date()
        if day.year != year:
            continue
        found.append(
            ProducedDocument(
                SourceKind.MINUTES,
                f"minutes:{r['id']}",
                r["minutes_number"] or "",
                day,
                f"Biên bản kiểm tra công vụ tại {r['unit_name']}",
                r["unit"],
                "docx",
                stores_rendered=True,
            )
        )
    return found


async def _team_decisions(year: int) -> list[ProducedDocument]:
    first, last = _in_year(year)
    rows = await Inspection.select(
        Inspection.id,
        Inspection.team_decision_number,
        Inspection.team_decision_date,
        Inspection.unit,
        Inspection.unit.name.as_alias("unit_name"),
    ).where(
        Inspection.team_decision_number.is_not_null()
        & (Inspection.team_decision_date >= first)
        & (Inspection.team_decision_date <= last)
        & Inspection.sealed.eq(False)
    )
    return [
        ProducedDocument(
            SourceKind.TEAM_DECISION,
            f"team-decision:{r['id']}",
            r["team_decision_number"],
            r["team_decision_date"],
            f"Quyết định thành lập đoàn kiểm tra công vụ tại {r['unit_name']}",
            r["unit"],
            "",
        )
        for r in rows
    ]


async def _decisions(year: int) -> list[ProducedDocument]:
    first, last = _in_year(year)
    rows = await DisciplineCase.select(
        DisciplineCase.id,
        DisciplineCase.decision_number,
        DisciplineCase.decided_on,
        DisciplineCase.unit,
        DisciplineCase.official.full_name.as_alias("official_name"),
    ).where(
        DisciplineCase.decided_on.is_not_null()
        & (DisciplineCase.decided_on >= first)
        & (DisciplineCase.decided_on <= last)
    )
    return [
        ProducedDocument(
            SourceKind.DISCIPLINE_DOCUMENT,
            f"case:{r['id']}:{DECISION}",
            r["decision_number"] or "",
            r["decided_on"],
            f"Quyết định kỷ luật đối với {r['official_name']}",
            r["unit"],
            "docx",
        )
        for r in rows
    ]


async def _period_documents(year: int) -> list[ProducedDocument]:
    """The notice of ratings and the proposal for awards of each locked period, for each
    top unit (the documents are the whole organisation's)."""
    periods = await RatingPeriod.select().where(
        (RatingPeriod.year == year) & (RatingPeriod.state == "locked")
    )
    tops = await Unit.select(Unit.id, Unit.code).where(Unit.parent.is_null())
    found = []
    for p in periods:
        for unit in tops:
            for kind, source_kind in PERIOD_DOCUMENTS.items():
                found.append(
                    ProducedDocument(
                        source_kind,
                        f"period:{p['name']}:{unit['code']}:{kind}",
                        "",
                        p["ends_on"],
                        f"{emulation.DOCUMENT_KINDS[kind]} – kỳ {p['name']}",
                        unit["id"],
                        "docx",
                    )
                )
    return found


def _local_year(year: int) -> tuple[datetime, datetime]:
    """The year's first and next year's first moment in the organisation's zone."""
    zone = get_settings().zone
    return (
        datetime.combine(date(year, 1, 1), time(), zone),
        datetime.combine(date(year + 1, 1, 1), time(), zone),
    )


async def _handling_decisions(year: int) -> list[ProducedDocument]:
    start, end = _local_year(year)
    rows = await FindingReview.select(
        FindingReview.finding,
        FindingReview.follow_up,
        FindingReview.follow_up_at,
        FindingReview.finding._.unit.as_alias("unit"),
        FindingReview.finding._.unit._.name.as_alias("unit_name"),
        FindingReview.finding._.official._.full_name.as_alias("official_name"),
    ).where(
        FindingReview.follow_up.is_not_null()
        & (FindingReview.follow_up_at >= start)
        & (FindingReview.follow_up_at < end)
    )
    zone = get_settings().zone
    found = []
    for r in rows:
        measure = review.FOLLOW_UP_LABELS.get(r["follow_up"], r["follow_up"])
        about = r["official_name"] or r["unit_name"]
        found.append(
            ProducedDocument(
                SourceKind.HANDLING_DECISION,
                f"handling:{r['finding']}",
                "",
                r["follow_up_at"].astimezone(zone).date(),
                f"Xử lý sau kiểm tra: {measure} đối với {about} ({r['unit_name']})"
                if r["official_name"]
                else f"Xử lý sau kiểm tra: {measure} đối với {about}",
                r["unit"],
                "",
            )
        )
    return found


async def _apology_letters(year: int) -> list[ProducedDocument]:
    start, end = _local_year(year)
    rows = await Dossier.select(
        Dossier.id, Dossier.code, Dossier.procedure, Dossier.unit, Dossier.apology_at
    ).where(
        Dossier.apology_at.is_not_null()
        & (Dossier.apology_at >= start)
        & (Dossier.apology_at < end)
    )
    zone = get_settings().zone
    return [
        ProducedDocument(
            SourceKind.APOLOGY_LETTER,
            f"apology:{r['id']}",
            "",
            r["apology_at"].astimezone(zone).date(),
            f"Văn bản xin lỗi về việc trễ hạn hồ sơ {r['code']}"
            + (f" ({r['procedure']})" if r["procedure"] else ""),
            r["unit"],
            "",
        )
        for r in rows
    ]


async def _annual_steps(year: int) -> list[ProducedDocument]:
    rows = await AnnualStepRecord.select(
        AnnualStepRecord.step,
        AnnualStepRecord.done_on,
        AnnualStepRecord.document_number,
        AnnualStepRecord.file_sha256,
        AnnualStepRecord.file_path,
        AnnualStepRecord.unit,
        AnnualStepRecord.unit.code.as_alias("unit_code"),
        AnnualStepRecord.unit.name.as_alias("unit_name"),
    ).where(AnnualStepRecord.year == year)
    found = []
    for r in rows:
        label = emulation.ANNUAL_STEP_LABELS[AnnualStep(r["step"])]
        has_file = bool(r["file_sha256"])
        found.append(
            ProducedDocument(
                SourceKind.EMULATION_DOCUMENT,
                f"{ANNUAL_STEP}:{year}:{r['unit_code']}:{r['step']}",
                r["document_number"],
                r["done_on"],
                f"{label} – đánh giá, xếp loại năm {year} của {r['unit_name']}",
                r["unit"],
                PurePosixPath(r["file_path"]).suffix.lstrip(".") if has_file else "",
                r["file_sha256"] if has_file else "",
            )
        )
    return found


COLLECTORS: tuple[Callable[[int], Awaitable[list[ProducedDocument]]], ...] = (
    _plans,
    _team_decisions,
    _minutes,
    _decisions,
    _handling_decisions,
    _apology_letters,
    _period_documents,
    _annual_steps,
)


async def produced_documents(year: int) -> list[ProducedDocument]:
    found: list[ProducedDocument] = []
    for collect in COLLECTORS:
        found.extend(await collect(year))
    return found


async def render(source_ref: str) -> bytes | None:
    """The document's bytes as its domain renders it now; None when the system keeps no
    file of it or it can no longer be rendered (a case or period gone)."""
    parts = source_ref.split(":")
    try:
        if parts[0] == "case" and len(parts) == 3:
            _, data = await discipline.document(SYSTEM, int(parts[1]), parts[2], "docx")
            return data
        if parts[0] == "plan" and len(parts) == 2:
            _, data = await inspections.plan_docx(SYSTEM, int(parts[1]))
            return data
        if parts[0] == "minutes" and len(parts) == 2:
            _, data = await inspections.minutes_docx(SYSTEM, int(parts[1]))
            return data
        if parts[0] == "period" and len(parts) == 4:
            _, data = await emulation.document(SYSTEM, parts[1], parts[2], parts[3], "docx")
            return data
    except DomainError:
        return None
    return None


async def kept_file(source_ref: str) -> bytes | None:
    """The bytes of a file its domain keeps as uploaded, read through its api; None when
    it has none any more (a step's file or the step gone)."""
    parts = source_ref.split(":")
    if parts[0] != ANNUAL_STEP or len(parts) != 4:
        return None
    try:
        _, _, data = await emulation.step_file(SYSTEM, parts[1], parts[2], parts[3])
    except DomainError:
        return None
    return data
