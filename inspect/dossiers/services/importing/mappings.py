"""Saved column mappings (bảng ánh xạ cột): dossier field → header of an export, shared
by all importers, replaced only from within the unit that saved them."""

from __future__ import annotations

import unicodedata

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services.importing.reading import FIELD_BY_NAME
from congvu.inspect.dossiers.tables import ColumnMapping
from congvu.inspect.errors import Forbidden, Invalid, NotFound


async def saved_mapping(name: str | None) -> dict[str, str] | None:
    if name is None:
        return None
    row = (
        await ColumnMapping.select(ColumnMapping.columns)
        .where(ColumnMapping.name == name)
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(f"Không có bảng ánh xạ cột tên {name!r}.", field="mapping")
    return dict(row["columns"])


async def save_mapping(actor: Actor, name: str, columns: dict[str, str]) -> None:
    """Save (or replace) a named column mapping: dossier field → header in the export."""
    name = name.strip()
    if not name or len(name) > 64:
        raise Invalid("Tên bảng ánh xạ từ 1 đến 64 ký tự.", field="name")
    unknown = [f for f in columns if f not in FIELD_BY_NAME]
    if unknown:
        raise Invalid(f"Trường không hợp lệ: {', '.join(unknown)}.", field="columns")
    clean = {f: unicodedata.normalize("NFC", h).strip() for f, h in columns.items() if h.strip()}
    async with db.atomic():
        existing = (
            await ColumnMapping.select(
                ColumnMapping.id,
                ColumnMapping.created_by._.scope_unit._.path.as_alias("owner_path"),
            )
            .where(ColumnMapping.name == name)
            .first()
        )
        # Names are shared by all importers; one saved in another unit is not theirs to
        # replace (they may still use it, or save under another name).
        owner = existing["owner_path"] if existing else None
        if owner is not None and not actor.can_see_unit_path(owner):
            raise Forbidden(
                f"Bảng ánh xạ {name!r} do đơn vị khác lập; hãy lưu với tên khác.", field="name"
            )
        if existing:
            await ColumnMapping.update({ColumnMapping.columns: clean}).where(
                ColumnMapping.id == existing["id"]
            )
        else:
            await ColumnMapping.insert(
                ColumnMapping(
                    name=name,
                    columns=clean,
                    created_by=actor.id or None,
                    created_at=clock.now(),
                )
            )


async def mapping_names() -> list[str]:
    rows = await ColumnMapping.select(ColumnMapping.name).order_by(ColumnMapping.name)
    return [r["name"] for r in rows]
