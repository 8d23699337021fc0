"""Filing documents in the register: the system's own (``register_produced``, run from the
page, the command line and the daily job; the same source always lands on the same item,
and a changed file is a new version of it), users' uploads, and tagging to criteria.
Every change is in the audit trail."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from congvu.inspect import db, upload_screening
from congvu.inspect.actor import SYSTEM, Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.evidence.services.access import require_filer, sees_item
from congvu.inspect.evidence.services.criteria import criteria, ensure_year
from congvu.inspect.evidence.services.files import store, stored_path
from congvu.inspect.evidence.services.produced import (
    ProducedDocument,
    content_sha256,
    kept_file,
    produced_documents,
    render,
)
from congvu.inspect.evidence.tables import EvidenceCriterion, EvidenceItem, EvidenceTag, SourceKind
from congvu.inspect.text_input import typed_day


@dataclass(frozen=True)
class Registration:
    added: int
    changed: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.changed + self.unchanged


def _user(actor: Actor) -> int | None:
    return actor.id or None  # the system account is no row of the user table


async def _auto_criteria(year: int) -> dict[SourceKind, list[int]]:
    active = await criteria(year, active_only=True)
    return {kind: [c.id for c in active if kind.value in c.sources] for kind in SourceKind}


async def _tag(item_id: int, criterion_ids: list[int], actor: Actor, now: datetime) -> None:
    for criterion_id in criterion_ids:
        await EvidenceTag(
            item=item_id, criterion=criterion_id, tagged_by=_user(actor), tagged_at=now
        ).save()


async def _upsert(
    doc: ProducedDocument,
    year: int,
    sha256: str,
    actor: Actor,
    row: dict[str, Any] | None,
    auto: dict[SourceKind, list[int]],
) -> str:
    """ "added", "changed" or "unchanged". ``row`` is the item already registered from the
    same source; ``auto`` the criteria each source kind is auto-tagged to this year."""
    now = datetime.now(UTC)
    facts: dict[str, Any] = {
        "number": doc.number,
        "issued_on": doc.issued_on,
        "summary": doc.summary,
        "issuer_unit": doc.issuer_unit_id,
        "extension": doc.extension,
    }
    if doc.kept_sha256 is not None:
        held = stored_path(doc.kept_sha256, doc.extension) if doc.kept_sha256 else None
        facts["file_path"] = held
    if row is None:
        async with db.atomic():
            item = EvidenceItem(
                year=year,
                source_kind=doc.kind,
                source_ref=doc.source_ref,
                sha256=sha256,
                version=1,
                registered_by=_user(actor),
                registered_at=now,
                updated_at=now,
                **facts,
            )
            await item.save()
            await _tag(int(item.id), auto.get(doc.kind, []), actor, now)
            await audit.record(
                "par_evidence_registered",
                "par_evidence",
                item.id,
                actor=actor,
                after={"source": doc.source_ref, "number": doc.number, "sha256": sha256},
            )
        return "added"
    same_facts = all(row[k] == v for k, v in facts.items())
    if row["sha256"] == sha256 and same_facts:
        return "unchanged"
    changes: dict[Any, Any] = {getattr(EvidenceItem, k): v for k, v in facts.items()}
    changes[EvidenceItem.updated_at] = now
    hash_changed = row["sha256"] != sha256
    if hash_changed:
        changes[EvidenceItem.sha256] = sha256
        changes[EvidenceItem.version] = row["version"] + 1
    async with db.atomic():
        await EvidenceItem.update(changes).where(EvidenceItem.id == row["id"])
        await audit.record(
            "par_evidence_new_version" if hash_changed else "par_evidence_updated",
            "par_evidence",
            row["id"],
            actor=actor,
            before={"sha256": row["sha256"], "version": row["version"], "number": row["number"]},
            after={
                "sha256": sha256,
                "version": row["version"] + int(hash_changed),
                "number": doc.number,
            },
        )
    return "changed"


async def _copy_kept(doc: ProducedDocument, row: dict[str, Any] | None) -> ProducedDocument:
    """The document once its domain's file is in the register's store: read through the
    domain's api only when the register does not hold that file yet, so registering again
    reads nothing. Without a file when it can no longer be read."""
    if not doc.kept_sha256:
        return doc
    held = stored_path(doc.kept_sha256, doc.extension)
    if row is not None and row["sha256"] == doc.kept_sha256 and row["file_path"] == held:
        return doc
    data = await kept_file(doc.source_ref)
    if data is None:
        return replace(doc, extension="", kept_sha256="")
    sha256 = hashlib.sha256(data).hexdigest()  # what is copied, should the file have moved
    await asyncio.to_thread(store, stored_path(sha256, doc.extension), data)
    return replace(doc, kept_sha256=sha256)


async def _store_rendered(doc: ProducedDocument, row: dict[str, Any] | None) -> ProducedDocument:
    """The document once its rendered file is in the register's store, hashed by its
    bytes; without a file when it can no longer be rendered."""
    data = await render(doc.source_ref)
    if data is None:
        return replace(doc, extension="", kept_sha256="")
    sha256 = hashlib.sha256(data).hexdigest()
    held = stored_path(sha256, doc.extension)
    if row is None or row["file_path"] != held:
        await asyncio.to_thread(store, held, data)
    return replace(doc, kept_sha256=sha256)


async def register_produced(year: int, actor: Actor = SYSTEM) -> Registration:
    """Register (or bring up to date) every document the system produced in ``year``."""
    require_filer(actor)
    await ensure_year(year)
    counts = {"added": 0, "changed": 0, "unchanged": 0}
    # One read of the year's items and criteria, not one per document: a year has an
    # apology letter per late dossier, thousands in a province.
    known = {
        r["source_ref"]: r
        for r in await EvidenceItem.select().where(
            (EvidenceItem.year == year) & (EvidenceItem.source_kind != SourceKind.UPLOADED)
        )
    }
    auto = await _auto_criteria(year)
    for doc in await produced_documents(year):
        row = known.get(doc.source_ref)
        if doc.stores_rendered:
            doc = await _store_rendered(doc, row)
            sha256 = doc.kept_sha256 or ""
        elif doc.kept_sha256 is not None:
            doc = await _copy_kept(doc, row)
            sha256 = doc.kept_sha256 or ""
        else:
            data = await render(doc.source_ref) if doc.extension else None
            sha256 = content_sha256(data) if data is not None else ""
        counts[await _upsert(doc, year, sha256, actor, row, auto)] += 1
    return Registration(**counts)


@dataclass(frozen=True)
class UploadForm:
    year: int
    number: str
    issued_on: str  # dd/mm/yyyy as typed
    summary: str
    criterion_ids: list[int]
    file_name: str
    data: bytes


async def _year_criteria(year: int, criterion_ids: list[int]) -> list[int]:
    chosen = list(dict.fromkeys(criterion_ids))
    offered = {c.id for c in await criteria(year, active_only=True)}
    if any(c not in offered for c in chosen):
        raise Invalid("Tiêu chí đã chọn không thuộc danh mục năm này.", field="criteria")
    return chosen


async def upload(actor: Actor, form: UploadForm) -> int:
    """File a user's document: its content must be what its name says."""
    require_filer(actor)
    number, summary = " ".join(form.number.split()), " ".join(form.summary.split())
    if not summary or len(summary) > 1000:
        raise Invalid("Hãy nhập trích yếu (tối đa 1000 ký tự).", field="summary")
    if len(number) > 64:
        raise Invalid("Số ký hiệu tối đa 64 ký tự.", field="number")
    try:
        issued_on: date = typed_day(form.issued_on)
    except ValueError:
        raise Invalid("Ngày ban hành theo dạng dd/mm/yyyy.", field="issued_on") from None
    extension = upload_screening.document_kind(form.file_name, form.data)
    await ensure_year(form.year)
    chosen = await _year_criteria(form.year, form.criterion_ids)
    sha256 = hashlib.sha256(form.data).hexdigest()
    source_ref = f"upload:{sha256}"
    taken = (
        await EvidenceItem.select(EvidenceItem.number)
        .where((EvidenceItem.year == form.year) & (EvidenceItem.source_ref == source_ref))
        .first()
    )
    if taken is not None:
        raise Conflict(
            f"Tệp này đã có trong danh mục năm {form.year} (số {taken['number'] or 'không số'}).",
            field="file",
        )
    relative = stored_path(sha256, extension)
    await asyncio.to_thread(store, relative, form.data)
    now = datetime.now(UTC)
    async with db.atomic():
        item = EvidenceItem(
            year=form.year,
            source_kind=SourceKind.UPLOADED,
            source_ref=source_ref,
            number=number,
            issued_on=issued_on,
            summary=summary,
            issuer_unit=actor.scope_unit_id,
            sha256=sha256,
            file_path=relative,
            extension=extension,
            version=1,
            registered_by=_user(actor),
            registered_at=now,
            updated_at=now,
        )
        await item.save()
        await _tag(int(item.id), chosen, actor, now)
        await audit.record(
            "par_evidence_uploaded",
            "par_evidence",
            item.id,
            actor=actor,
            after={"number": number, "sha256": sha256, "criteria": chosen},
        )
    return int(item.id)


async def _item_for(actor: Actor, item_id: int) -> dict[str, Any]:
    """The item, if the actor may file it: a unit head only their unit's subtree's."""
    row = (
        await EvidenceItem.select(
            *EvidenceItem.all_columns(), EvidenceItem.issuer_unit.path.as_alias("unit_path")
        )
        .where(EvidenceItem.id == item_id)
        .first()
    )
    if row is None or not sees_item(actor, row["unit_path"], row["source_kind"]):
        raise NotFound("Không có tài liệu này.")
    return row


async def tag_codes(item_id: int) -> list[str]:
    rows = await EvidenceTag.select(EvidenceTag.criterion.code.as_alias("code")).where(
        EvidenceTag.item == item_id
    )
    return sorted(r["code"] for r in rows)


async def set_tags(actor: Actor, item_id: int, criterion_ids: list[int]) -> None:
    """Tag, untag, retag: the item is filed under exactly these criteria of its year."""
    require_filer(actor)
    row = await _item_for(actor, item_id)
    chosen = await _year_criteria(row["year"], criterion_ids)
    before = await tag_codes(item_id)
    now = datetime.now(UTC)
    async with db.atomic():
        have = {
            r["criterion"]
            for r in await EvidenceTag.select(EvidenceTag.criterion).where(
                EvidenceTag.item == item_id
            )
        }
        # A deactivated criterion's tag is kept unless the user could have unticked it.
        offered = {c.id for c in await criteria(row["year"], active_only=True)}
        gone = [c for c in have if c in offered and c not in chosen]
        if gone:
            await EvidenceTag.delete().where(
                (EvidenceTag.item == item_id) & EvidenceTag.criterion.is_in(gone)
            )
        await _tag(item_id, [c for c in chosen if c not in have], actor, now)
        await EvidenceItem.update({EvidenceItem.updated_at: now}).where(EvidenceItem.id == item_id)
        after = await tag_codes(item_id)
        await audit.record(
            "par_evidence_tagged",
            "par_evidence",
            item_id,
            actor=actor,
            before={"criteria": before},
            after={"criteria": after},
        )


async def criterion_ids(year: int, codes: list[str]) -> list[int]:
    """The ids of a year's criteria by code (the command line names them so)."""
    rows = await EvidenceCriterion.select(EvidenceCriterion.id, EvidenceCriterion.code).where(
        EvidenceCriterion.year == year
    )
    by_code = {r["code"]: r["id"] for r in rows}
    missing = [c for c in codes if c not in by_code]
    if missing:
        raise Invalid(f"Năm {year} không có tiêu chí {', '.join(missing)}.", field="criteria")
    return [by_code[c] for c in codes]
