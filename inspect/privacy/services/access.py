"""Whose data an account may download: an account linked to an official, their own;
a personnel officer (cán bộ tổ chức), any official's of their unit scope; nobody else."""

from __future__ import annotations

from dataclasses import dataclass

from congvu.inspect.actor import Actor, Role
from congvu.inspect.errors import Forbidden, NotFound
from congvu.inspect.organisation import api as organisation

# Who may download another official's data, on their behalf (audited as such).
ON_BEHALF_ROLES = (Role.PERSONNEL,)


@dataclass(frozen=True)
class Subject:
    """Chủ thể dữ liệu: the official whose data is exported."""

    official_id: int
    code: str
    full_name: str
    on_behalf: bool  # exported by someone else than the official


async def subject_for(actor: Actor, code: str | None) -> Subject:
    """The official ``code`` names (the actor's own one when None)."""
    if code is None or not code.strip():
        if actor.official_id is None:
            raise Forbidden("Tài khoản này không gắn với một cán bộ, công chức.")
        found = await organisation.official_in_scope(_whole_tree(actor), actor.official_id)
        return Subject(found["id"], found["code"], found["full_name"], on_behalf=False)
    official_id = await organisation.official_id_by_code(code.strip())
    if official_id is not None and official_id == actor.official_id:
        return await subject_for(actor, None)
    if not actor.has_role(*ON_BEHALF_ROLES):
        raise Forbidden("Bạn không có quyền tải dữ liệu cá nhân của người khác.")
    if official_id is None:
        raise NotFound("Không tìm thấy cán bộ.")
    found = await organisation.official_in_scope(actor, official_id)
    return Subject(found["id"], found["code"], found["full_name"], on_behalf=True)


def _whole_tree(actor: Actor) -> Actor:
    """One's own record is one's own wherever one's account is scoped."""
    return Actor(
        id=actor.id,
        username=actor.username,
        display_name=actor.display_name,
        role=actor.role,
        scope_path="",
        scope_unit_id=None,
        official_id=actor.official_id,
    )
