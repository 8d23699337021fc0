"""The acting user as services see it: plain data, no request object."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    id: int
    username: str
    display_name: str
    role: str
    # Materialised path of the scope unit ("/NA/NA-X01/"); "" means the whole tree.
    scope_path: str
    scope_unit_id: int | None
    official_id: int | None
    locale: str = "vi"

    def can_see_unit_path(self, unit_path: str) -> bool:
        """Unit scope: a unit head sees only their unit's subtree."""
        return unit_path.startswith(self.scope_path)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


SYSTEM = Actor(
    id=0,
    username="system",
    display_name="Hệ thống",
    role="admin",
    scope_path="",
    scope_unit_id=None,
    official_id=None,
)
