"""Who may do what in the register: everyone who reports on PAR INDEX reads it and files
documents (the reporting officer, the personnel office, the administrator, and a unit
head for their own unit's documents); only an administrator or a reporting officer of
the whole organisation changes a year's criteria list (it is the province's)."""

from __future__ import annotations

from congvu.inspect.actor import Actor, Role
from congvu.inspect.errors import Forbidden
from congvu.inspect.evidence.tables import SourceKind

READ_ROLES = (Role.ADMIN, Role.REPORTER, Role.PERSONNEL, Role.UNIT_HEAD)
FILE_ROLES = READ_ROLES
CRITERIA_ROLES = (Role.ADMIN, Role.REPORTER)


def whole_organisation(actor: Actor) -> bool:
    """Scoped to the top unit (materialised path "/P/") or to no unit at all."""
    return actor.scope_path.count("/") <= 2


def sees_item(actor: Actor, unit_path: str | None, source_kind: str = "") -> bool:
    """An item of a unit is seen within that unit's scope; one of no unit (filed by the
    system) belongs to the whole organisation. A discipline decision names the official:
    a unit head does not see it here, as on the discipline pages."""
    if source_kind == SourceKind.DISCIPLINE_DOCUMENT and actor.has_role(Role.UNIT_HEAD):
        return False
    if unit_path is None:
        return whole_organisation(actor)
    return actor.can_see_unit_path(unit_path)


def may_edit_criteria(actor: Actor) -> bool:
    return actor.has_role(*CRITERIA_ROLES) and whole_organisation(actor)


def require_reader(actor: Actor) -> None:
    if not actor.has_role(*READ_ROLES):
        raise Forbidden("Bạn không có quyền xem danh mục tài liệu kiểm chứng.")


def require_filer(actor: Actor) -> None:
    if not actor.has_role(*FILE_ROLES):
        raise Forbidden("Bạn không có quyền cập nhật tài liệu kiểm chứng.")


def require_criteria_admin(actor: Actor) -> None:
    if not may_edit_criteria(actor):
        raise Forbidden(
            "Chỉ quản trị hệ thống và cán bộ báo cáo cấp tỉnh được sửa danh mục tiêu chí."
        )
