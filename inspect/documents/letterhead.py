"""Who issues a document (NĐ 30/2020 layout): the unit (cơ quan ban hành), the root of its
unit tree (cơ quan chủ quản, "Ủy ban nhân dân tỉnh …") unless it is the root itself, and the
place name of the date line, taken from the root's name. Shared by every domain's
documents."""

from __future__ import annotations

from dataclasses import dataclass

from congvu.inspect.organisation.tables import Unit


@dataclass(frozen=True)
class Letterhead:
    issuer: str
    superior: str
    place: str


async def letterhead(unit_path: str, unit_name: str) -> Letterhead:
    root_code = unit_path.strip("/").split("/")[0]
    root = await Unit.select(Unit.name).where(Unit.code == root_code).first()
    superior = root["name"] if root else ""
    place = superior.split(" tỉnh ")[-1].split(" thành phố ")[-1] if superior else ""
    return Letterhead(unit_name, "" if superior == unit_name else superior, place)
