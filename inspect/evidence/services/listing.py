"""The register as the page shows it: a year's documents, filtered by criterion and by
source, and how many documents each criterion has (those with none stand out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.evidence.services.access import require_reader, sees_item
from congvu.inspect.evidence.services.criteria import (
    Criterion,
    code_order,
    criteria,
    index_order,
)
from congvu.inspect.evidence.services.labels import SOURCE_LABELS, UNTAGGED
from congvu.inspect.evidence.tables import EvidenceItem, EvidenceTag


@dataclass(frozen=True)
class ItemRow:
    id: int
    number: str
    issued_on: date | None
    summary: str
    source_kind: str
    source: str
    codes: tuple[str, ...]
    criterion_ids: tuple[int, ...]
    has_file: bool
    version: int


@dataclass
class Register:
    year: int
    criteria: list[Criterion]
    counts: dict[str, int]
    items: list[ItemRow] = field(default_factory=list)

    @property
    def empty_criteria(self) -> list[Criterion]:
        return [c for c in self.criteria if c.active and self.counts.get(c.code, 0) == 0]


async def register(
    actor: Actor, year: int, *, code: str | None = None, source: str | None = None
) -> Register:
    """The year's items the actor may see (a unit head: their subtree's), newest first."""
    require_reader(actor)
    year_criteria = await criteria(year)
    rows = await EvidenceItem.select(
        *EvidenceItem.all_columns(), EvidenceItem.issuer_unit.path.as_alias("unit_path")
    ).where(EvidenceItem.year == year)
    rows = [r for r in rows if sees_item(actor, r["unit_path"], r["source_kind"])]
    ids = [r["id"] for r in rows]
    tags = (
        await EvidenceTag.select(
            EvidenceTag.item,
            EvidenceTag.criterion,
            EvidenceTag.criterion.code.as_alias("code"),
        ).where(EvidenceTag.item.is_in(ids))
        if ids
        else []
    )
    by_item: dict[int, list[tuple[str, int]]] = {}
    for t in tags:
        by_item.setdefault(t["item"], []).append((t["code"], t["criterion"]))
    counts: dict[str, int] = {}
    for pairs in by_item.values():
        for c, _ in pairs:
            counts[c] = counts.get(c, 0) + 1
    result = Register(year, year_criteria, counts)
    for r in sorted(rows, key=lambda r: (r["issued_on"] or date.min, r["id"]), reverse=True):
        pairs = sorted(by_item.get(r["id"], []), key=lambda p: code_order(p[0]))
        if code and code not in {c for c, _ in pairs}:
            continue
        if source and r["source_kind"] != source:
            continue
        result.items.append(
            ItemRow(
                r["id"],
                r["number"],
                r["issued_on"],
                r["summary"],
                r["source_kind"],
                SOURCE_LABELS.get(r["source_kind"], r["source_kind"]),
                tuple(c for c, _ in pairs),
                tuple(i for _, i in pairs),
                bool(r["file_path"] or r["extension"]),
                r["version"],
            )
        )
    return result


async def item_codes(ids: list[int]) -> dict[int, list[str]]:
    """Item id → the codes of the criteria it is filed under (none: absent)."""
    if not ids:
        return {}
    tags = await EvidenceTag.select(
        EvidenceTag.item, EvidenceTag.criterion.code.as_alias("code")
    ).where(EvidenceTag.item.is_in(ids))
    codes: dict[int, list[str]] = {}
    for t in tags:
        codes.setdefault(t["item"], []).append(t["code"])
    return codes


def issue_order(item: dict[str, Any]) -> tuple[object, ...]:
    """A year's documents in the order they were issued: date, number, then filing."""
    return (item["issued_on"] or date.min, item["number"], item["id"])


@dataclass(frozen=True)
class RegisterLine:
    """One document under one criterion, as the register holds it: the hash is the one
    taken when it was filed (nothing is rendered again)."""

    code: str  # the criterion's code, UNTAGGED for a document filed under none
    number: str
    issued_on: date | None
    summary: str
    source: str
    unit_name: str
    sha256: str


@dataclass(frozen=True)
class UnitRegister:
    """A unit's (subtree's) register for a year: its documents by criterion, and every
    active criterion with how many of those documents it has."""

    year: int
    lines: tuple[RegisterLine, ...] = ()
    criteria: tuple[tuple[str, str, int], ...] = ()  # code, name, documents


async def unit_register(actor: Actor, year: int, unit_path: str) -> UnitRegister:
    """The year's documents issued within ``unit_path``'s subtree that the actor may see,
    with the organisation's own (no issuing unit) when the unit is the top one; ordered
    by criterion code, then date and number (the ZIP's index order)."""
    require_reader(actor)
    rows = await EvidenceItem.select(
        EvidenceItem.id,
        EvidenceItem.number,
        EvidenceItem.issued_on,
        EvidenceItem.summary,
        EvidenceItem.source_kind,
        EvidenceItem.sha256,
        EvidenceItem.issuer_unit.path.as_alias("unit_path"),
        EvidenceItem.issuer_unit.name.as_alias("unit_name"),
    ).where(EvidenceItem.year == year)
    top = unit_path.count("/") <= 2

    def within(path: str | None) -> bool:
        return top if path is None else path.startswith(unit_path)

    rows = [
        r
        for r in rows
        if within(r["unit_path"]) and sees_item(actor, r["unit_path"], r["source_kind"])
    ]
    codes = await item_codes([r["id"] for r in rows])
    placed: list[tuple[tuple[object, ...], RegisterLine]] = []
    counts: dict[str, int] = {}
    for r in sorted(rows, key=issue_order):
        for code in sorted(codes.get(r["id"], []), key=code_order) or [UNTAGGED]:
            counts[code] = counts.get(code, 0) + 1
            line = RegisterLine(
                code,
                r["number"],
                r["issued_on"],
                r["summary"],
                SOURCE_LABELS.get(r["source_kind"], r["source_kind"]),
                r["unit_name"] or "",
                r["sha256"],
            )
            placed.append(((index_order(code, UNTAGGED), len(placed)), line))
    year_criteria = await criteria(year, active_only=True)
    return UnitRegister(
        year,
        tuple(line for _, line in sorted(placed, key=lambda p: p[0])),
        tuple((c.code, c.name, counts.get(c.code, 0)) for c in year_criteria),
    )
