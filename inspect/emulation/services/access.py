"""Who may do what with ratings. The personnel office (cán bộ tổ chức) opens, locks and
reopens periods and records the competent head's decision by locking; a unit head scores
the officials of their unit subtree (never themself: the superior rates the head); the
council reads; an official sees and self-scores only their own sheet."""

from __future__ import annotations

from congvu.inspect.actor import Actor, Role
from congvu.inspect.errors import Forbidden, NotFound

MANAGERS = (Role.PERSONNEL, Role.ADMIN)
BOARD_READERS = (Role.UNIT_HEAD, Role.PERSONNEL, Role.COUNCIL, Role.ADMIN)
SCORER_ROLES = (Role.UNIT_HEAD, *MANAGERS)


def require_manager(actor: Actor) -> None:
    if not actor.has_role(*MANAGERS):
        raise Forbidden("Chỉ cán bộ tổ chức được mở, khóa hoặc mở lại kỳ đánh giá.")


def require_board(actor: Actor, unit_path: str) -> None:
    if not actor.has_role(*BOARD_READERS):
        raise Forbidden("Bạn không được xem bảng xếp loại của đơn vị.")
    if not actor.can_see_unit_path(unit_path):
        raise NotFound("Không có đơn vị này trong phạm vi của bạn.", field="unit")


def require_scorer_role(actor: Actor) -> None:
    if not actor.has_role(*SCORER_ROLES):
        raise Forbidden("Chỉ thủ trưởng đơn vị được chấm điểm kết quả nhiệm vụ.")


def require_scorer(actor: Actor, unit_path: str, official_id: int) -> None:
    require_scorer_role(actor)
    if not actor.can_see_unit_path(unit_path):
        raise NotFound("Không có cán bộ này trong phạm vi của bạn.", field="official")
    if actor.official_id == official_id:
        raise Forbidden("Thủ trưởng không tự chấm điểm cho mình: cấp trên đánh giá thủ trưởng.")


def own_official(actor: Actor) -> int:
    if actor.official_id is None:
        raise Forbidden("Tài khoản này không gắn với một cán bộ, công chức.")
    return actor.official_id


# --- the emulation council (Hội đồng thi đua – khen thưởng) -------------------------------
# The personnel office sets a session up (members, candidates) within its scope; the
# session's secretary records attendance, the tally and adjustments and locks it (the
# personnel office may do it for them); its members and COUNCIL accounts in scope read it.
# No new role: the COUNCIL role plus membership of the session is enough.


def require_council_setup(actor: Actor, agency_path: str) -> None:
    if not actor.has_role(*MANAGERS):
        raise Forbidden("Chỉ cán bộ tổ chức được lập phiên họp Hội đồng thi đua – khen thưởng.")
    if not actor.can_see_unit_path(agency_path):
        raise NotFound("Không có cơ quan này trong phạm vi của bạn.", field="agency")


def council_seat(actor: Actor, member_roles: dict[int, str]) -> str | None:
    """The actor's role in the session (chair, secretary, member), or None."""
    if actor.official_id is None:
        return None
    return member_roles.get(actor.official_id)


def require_council_reader(actor: Actor, agency_path: str, member_roles: dict[int, str]) -> None:
    if council_seat(actor, member_roles) is not None:
        return
    if not actor.has_role(*MANAGERS, Role.COUNCIL):
        raise Forbidden("Chỉ thành viên Hội đồng và cán bộ tổ chức được xem phiên họp Hội đồng.")
    if not actor.can_see_unit_path(agency_path):
        raise NotFound("Không có phiên họp Hội đồng này trong phạm vi của bạn.", field="session")


def require_council_secretary(actor: Actor, agency_path: str, member_roles: dict[int, str]) -> None:
    require_council_reader(actor, agency_path, member_roles)
    if council_seat(actor, member_roles) == "secretary":
        return
    if actor.has_role(*MANAGERS) and actor.can_see_unit_path(agency_path):
        return
    raise Forbidden("Chỉ Thư ký Hội đồng hoặc cán bộ tổ chức được ghi kết quả phiên họp.")
