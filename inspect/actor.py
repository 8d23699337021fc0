"""The acting user as services see it: plain data, no request object."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What an account may do; its unit scope says where. The one vocabulary of roles:
    guards, services and templates name roles through it, never as bare strings."""

    ADMIN = "admin"  # quản trị hệ thống
    TEAM_LEAD = "team_lead"  # trưởng đoàn kiểm tra
    INSPECTOR = "inspector"  # thành viên đoàn kiểm tra
    UNIT_HEAD = "unit_head"  # thủ trưởng đơn vị
    OFFICIAL = "official"  # công chức, viên chức
    COUNCIL = "council"  # hội đồng thi đua – khen thưởng, tổ chức cán bộ
    REPORTER = "reporter"  # cán bộ báo cáo
    PERSONNEL = "personnel"  # cán bộ tổ chức: kỳ đánh giá, hồ sơ kỷ luật


# How long a process reuses what it read of a session (from Redis) and of its account
# (the Actor): the bound on how late a disabled account, an ended session or a changed
# role or scope takes effect on a page (tests/bench/README.md, P2). Here, below both the
# web's session backend and the organisation's accounts, so neither imports the other.
SESSION_REUSE_TTL = 1.0


@dataclass(frozen=True)
class Actor:
    id: int
    username: str
    display_name: str
    role: Role
    # Materialised path of the scope unit ("/NA/NA-X01/"); "" means the whole tree.
    scope_path: str
    scope_unit_id: int | None
    official_id: int | None
    locale: str = "vi"

    def can_see_unit_path(self, unit_path: str) -> bool:
        """Unit scope: a unit head sees only their unit's subtree."""
        return unit_path.startswith(self.scope_path)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


SYSTEM = Actor(
    id=0,
    username="system",
    display_name="Hệ thống",
    role=Role.ADMIN,
    scope_path="",
    scope_unit_id=None,
    official_id=None,
)
