"""Test data, built the way the product builds it.

Units (đơn vị), officials (cán bộ, công chức), working schedules (giờ làm việc) and
accounts (tài khoản) go through the organisation's public services,
``congvu.inspect.organisation.api``: a unit's scope path, an official's sort key, an
account's password hash and its audit event are the product's own. An inspection and
its team (đoàn kiểm tra) have no service short of a whole plan, so they are written as
the rows a planned visit leaves. Photos go through the capture service, as an upload.

Every fixture and benchmark builds its organisation here. The defaults are the ordinary
case; a caller names only what its test is about. Import this module after the
``CONGVU_*`` environment is set (tests/conftest.py does it first; a benchmark sets its
own before it builds anything).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.capture import api as capture
from congvu.inspect.inspections.tables import Inspection, InspectionMember
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, Unit, User, WorkSchedule
from PIL import Image

PASSWORD = "mat-khau-thu-nghiem"

Ref = Unit | int  # a unit, or its id
Person = User | int  # an account, or its id


def _id(row: Unit | User | Inspection | int) -> int:
    return row if isinstance(row, int) else int(row.id)


async def unit(
    code: str,
    name: str | None = None,
    *,
    kind: str = "commune",
    parent: str | None = None,
    commune_type: str | None = None,
) -> Unit:
    """A unit, under the unit whose code is ``parent`` when given."""
    return await organisation.create_unit(
        code=code,
        name=name or f"Đơn vị {code}",
        kind=kind,
        parent_code=parent,
        commune_type=commune_type,
    )


async def official(
    unit: Ref,
    code: str,
    full_name: str = "Nguyễn Văn An",
    *,
    gender: str = "nam",
    category: str = "cong_chuc",
    position: str = "Chuyên viên",
    is_leader: bool = False,
    desk: str | None = None,
) -> Official:
    """An official of ``unit``: by default a male công chức, chuyên viên, not a leader."""
    return await organisation.add_official(
        code=code,
        full_name=full_name,
        gender=gender,
        category=category,
        position=position,
        unit_id=_id(unit),
        is_leader=is_leader,
        desk=desk,
    )


async def schedule(
    unit: Ref,
    name: str = "Mùa hè",
    *,
    season: tuple[str, str] = ("04-15", "10-14"),
    morning: tuple[time, time] = (time(7), time(11, 30)),
    afternoon: tuple[time, time] = (time(13), time(17)),
) -> WorkSchedule:
    """The office hours of ``unit`` over a season (MM-DD to MM-DD, both included)."""
    return await organisation.add_schedule(
        unit_id=_id(unit),
        name=name,
        season=season,
        morning=morning,
        afternoon=afternoon,
    )


async def account(
    username: str,
    *,
    role: str,
    unit: str | None,
    official: Official | str | None = None,
    password: str = PASSWORD,
    display_name: str | None = None,
) -> User:
    """An account with ``role``, scoped to the unit whose code is ``unit`` (None: an
    administrator of everything), linked to ``official`` (the official or its code)."""
    return await organisation.create_user(
        username=username,
        password=password,
        role=role,
        unit_code=unit,
        display_name=display_name or username,
        official_code=official.code if isinstance(official, Official) else official,
    )


async def actor(user: Person) -> Actor:
    """Who ``user`` acts as, as a signed-in request would see them."""
    found = await organisation.actor_for(_id(user))
    assert found is not None, f"no actor for account {_id(user)}"
    return found


async def inspection(
    unit: Ref,
    day: date,
    *,
    status: str = "planned",
    kind: str = "SCHEDULED",
    topics: Sequence[str] = ("working_hours", "conduct"),
    members: Sequence[Person] = (),
    lead: Person | None = None,
    created_at: datetime | None = None,
    **columns: Any,
) -> Inspection:
    """An inspection of ``unit`` on ``day``, with its team: ``members`` (thành viên) and
    ``lead`` (trưởng đoàn). ``columns``: any other column of the row (plan, sealed…)."""
    row = Inspection(
        unit=_id(unit),
        kind=kind,
        scheduled_date=day,
        topics=list(topics),
        status=status,
        created_at=created_at or datetime.now(UTC),
        **columns,
    )
    await row.save()
    for member in members:
        await serve_on(row, member)
    if lead is not None:
        await serve_on(row, lead, "truong_doan")
    return row


async def serve_on(inspection: Inspection | int, user: Person, role: str = "thanh_vien") -> None:
    """Put ``user`` on the team of ``inspection`` (thành viên by default)."""
    await InspectionMember.insert(
        InspectionMember(inspection=_id(inspection), user=_id(user), role=role)
    )


def png(colour: str | tuple[int, int, int] = "blue", size: tuple[int, int] = (20, 20)) -> bytes:
    """The bytes of a real PNG image, one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


async def photo(by: Actor, colour: str = "green") -> str:
    """A photo uploaded by ``by`` as evidence; returns its sha256."""
    data = png(colour, (32, 24))
    sha = hashlib.sha256(data).hexdigest()
    await capture.store(by, sha, data, None)
    return sha
