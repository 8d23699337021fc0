"""A year's criteria list (tiêu chí, tiêu chí thành phần của Chỉ số CCHC): seeded with a
default list the first time a year is opened, then edited by hand (add, rename,
deactivate) or copied from the year before.

The Bộ Nội vụ re-issues the list with the methodology of the Đề án xác định Chỉ số cải
cách hành chính; no authoritative list is in ``rules/README.md``, so the seed is a small
default one, labelled as such on the page, to be brought in line with the ministry's
decision for the year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.evidence.services.access import require_criteria_admin
from congvu.inspect.evidence.tables import EvidenceCriterion, SourceKind

DEFAULT_NOTE = "Danh mục mặc định, cần cập nhật theo quyết định của Bộ Nội vụ."

# Codes follow the Chỉ số CCHC's areas (lĩnh vực): 1 direction, 2 institutions, 3 procedures,
# 4 organisation (4.3: kiểm tra công vụ), 5 civil service, 6 public finance, 7 e-government,
# 8 impact on people.
# The third field is the source kinds auto-tagged to it (SourceKind values).
DEFAULT_CRITERIA: tuple[tuple[str, str, str], ...] = (
    ("1.1", "Kế hoạch cải cách hành chính năm", ""),
    ("1.2", "Báo cáo cải cách hành chính định kỳ", ""),
    ("1.3", "Kiểm tra công tác cải cách hành chính", ""),
    (
        "3.2",
        "Công khai thủ tục hành chính, giải quyết hồ sơ đúng hạn, xin lỗi khi trễ hạn",
        "apology_letter",
    ),
    ("4.3", "Kiểm tra công vụ, xử lý sau kiểm tra", "plan;team_decision;minutes;handling_decision"),
    ("5.2", "Đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức", "rating_document"),
    ("5.3", "Thi đua, khen thưởng", "emulation_document"),
    ("5.4", "Chấp hành kỷ luật, kỷ cương hành chính; xử lý kỷ luật", "discipline_document"),
)


@dataclass(frozen=True)
class Criterion:
    id: int
    year: int
    code: str
    name: str
    active: bool
    sources: tuple[str, ...]


def _criterion(row: dict[str, Any]) -> Criterion:
    return Criterion(
        row["id"],
        row["year"],
        row["code"],
        row["name"],
        bool(row["active"]),
        tuple(k for k in (row["sources"] or "").split(";") if k),
    )


def code_order(code: str) -> tuple[int | str, ...]:
    """ "4.10" after "4.9": each dotted part compared as a number when it is one."""
    return tuple(int(p) if p.isdigit() else p for p in code.split("."))


def index_order(code: str, untagged: str) -> tuple[int | str, ...]:
    """Where a document filed under ``code`` stands in a year's index: by criterion
    code, the documents filed under none (``untagged``) last."""
    return code_order(code) if code != untagged else (10**9,)


async def criteria(year: int, *, active_only: bool = False) -> list[Criterion]:
    query = EvidenceCriterion.select().where(EvidenceCriterion.year == year)
    if active_only:
        query = query.where(EvidenceCriterion.active.eq(True))
    rows = [_criterion(r) for r in await query]
    return sorted(rows, key=lambda c: code_order(c.code))


async def ensure_year(year: int) -> bool:
    """Seed the default list for a year that has none; True when it did."""
    if await EvidenceCriterion.exists().where(EvidenceCriterion.year == year):
        return False
    async with db.atomic():
        for code, name, sources in DEFAULT_CRITERIA:
            await EvidenceCriterion(
                year=year, code=code, name=name, active=True, sources=sources
            ).save()
    return True


def _clean(code: str, name: str) -> tuple[str, str]:
    code, name = code.strip(), " ".join(name.split())
    if not code or len(code) > 16 or not all(p.isalnum() for p in code.split(".")):
        raise Invalid("Mã tiêu chí gồm chữ số và dấu chấm, ví dụ 4.3.", field="code")
    if not name or len(name) > 500:
        raise Invalid("Hãy nhập tên tiêu chí (tối đa 500 ký tự).", field="name")
    return code, name


async def add_criterion(actor: Actor, year: int, code: str, name: str) -> int:
    require_criteria_admin(actor)
    code, name = _clean(code, name)
    taken = await EvidenceCriterion.exists().where(
        (EvidenceCriterion.year == year) & (EvidenceCriterion.code == code)
    )
    if taken:
        raise Conflict(f"Năm {year} đã có tiêu chí {code}.", field="code")
    async with db.atomic():
        row = EvidenceCriterion(year=year, code=code, name=name, active=True)
        await row.save()
        await audit.record(
            "par_criterion_added",
            "par_criterion",
            row.id,
            actor=actor,
            after={"year": year, "code": code, "name": name},
        )
    return int(row.id)


async def _one(criterion_id: int) -> dict[str, Any]:
    row = await EvidenceCriterion.select().where(EvidenceCriterion.id == criterion_id).first()
    if row is None:
        raise NotFound("Không có tiêu chí này.")
    return row


async def rename_criterion(actor: Actor, criterion_id: int, name: str) -> None:
    require_criteria_admin(actor)
    row = await _one(criterion_id)
    _, name = _clean(row["code"], name)
    async with db.atomic():
        await EvidenceCriterion.update({EvidenceCriterion.name: name}).where(
            EvidenceCriterion.id == criterion_id
        )
        await audit.record(
            "par_criterion_renamed",
            "par_criterion",
            criterion_id,
            actor=actor,
            before={"name": row["name"]},
            after={"name": name},
        )


async def set_active(actor: Actor, criterion_id: int, active: bool) -> None:
    """Deactivate (or bring back) a criterion: its tags stay, it is offered no more."""
    require_criteria_admin(actor)
    row = await _one(criterion_id)
    async with db.atomic():
        await EvidenceCriterion.update({EvidenceCriterion.active: active}).where(
            EvidenceCriterion.id == criterion_id
        )
        await audit.record(
            "par_criterion_activated" if active else "par_criterion_deactivated",
            "par_criterion",
            criterion_id,
            actor=actor,
            before={"active": bool(row["active"])},
            after={"active": active},
        )


async def set_sources(actor: Actor, criterion_id: int, sources: list[str]) -> None:
    """Which produced documents registration files under this criterion."""
    require_criteria_admin(actor)
    row = await _one(criterion_id)
    known = {k.value for k in SourceKind}
    chosen = [k for k in dict.fromkeys(sources) if k]
    if any(k not in known for k in chosen):
        raise Invalid("Nguồn tài liệu không hợp lệ.", field="sources")
    joined = ";".join(chosen)
    async with db.atomic():
        await EvidenceCriterion.update({EvidenceCriterion.sources: joined}).where(
            EvidenceCriterion.id == criterion_id
        )
        await audit.record(
            "par_criterion_sources_set",
            "par_criterion",
            criterion_id,
            actor=actor,
            before={"sources": row["sources"]},
            after={"sources": joined},
        )


async def copy_previous_year(actor: Actor, year: int) -> int:
    """Add the year before's active criteria the year lacks; how many were added."""
    require_criteria_admin(actor)
    have = {c.code for c in await criteria(year)}
    added = 0
    async with db.atomic():
        for c in await criteria(year - 1, active_only=True):
            if c.code in have:
                continue
            await EvidenceCriterion(
                year=year, code=c.code, name=c.name, active=True, sources=";".join(c.sources)
            ).save()
            added += 1
        await audit.record(
            "par_criteria_copied",
            "par_criterion_year",
            year,
            actor=actor,
            after={"from": year - 1, "added": added},
        )
    return added
