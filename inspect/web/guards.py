"""Route guards: plain functions that raise. Unit scope is enforced again in services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from congvu.inspect.actor import Actor, Role
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]


def requires_role(*roles: Role) -> Guard:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.user
        if not isinstance(user, Actor) or not user.has_role(*roles):
            raise PermissionDeniedException("Bạn không có quyền truy cập trang này")

    guard.__name__ = f"requires_role({', '.join(roles)})"
    return guard


# Who may read the organisation: everyone but a plain official (who sees only self).
STAFF_ROLES = (
    Role.ADMIN,
    Role.TEAM_LEAD,
    Role.INSPECTOR,
    Role.UNIT_HEAD,
    Role.COUNCIL,
    Role.REPORTER,
    Role.PERSONNEL,
)
