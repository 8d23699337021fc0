"""Who may see and decide a finding: loading it with its review, the read check (404
outside scope), the actor's own official record and separation of duties (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from congvu.inspect import clock
from congvu.inspect.actor import Actor, Role
from congvu.inspect.errors import Forbidden, Invalid, NotFound
from congvu.inspect.inspections.tables import Finding, FindingVersion, InspectionMember
from congvu.inspect.organisation.tables import Official
from congvu.inspect.review.services.lifecycle import REVIEWER_ROLES
from congvu.inspect.review.tables import FindingReview, ReviewState
from congvu.rules import review as rules

S = ReviewState


@dataclass(frozen=True)
class FindingRef:
    id: int
    inspection_id: int | None  # None for a late-dossier case
    inspection_status: str | None
    official_id: int | None
    official_name: str | None
    official_is_leader: bool
    official_unit_path: str | None
    unit_id: int
    unit_path: str
    unit_name: str
    violation_code: str
    rule_id: str
    rule_version: str
    legal_basis: str
    explanation_vi: str
    explanation_en: str
    facts: str
    observed_at: datetime
    recorded_by: int | None
    capture_status: str
    review: dict[str, Any] | None
    dossier_id: int | None = None
    dossier_code: str | None = None

    @property
    def ready(self) -> bool:
        """Open to the head and the subject: minutes submitted, or a dossier case."""
        return self.dossier_id is not None or self.inspection_status in ("submitted", "closed")

    @property
    def state(self) -> ReviewState:
        return ReviewState(self.review["state"]) if self.review else S.RECORDED

    @property
    def observed_on(self) -> date:
        return self.observed_at.astimezone(clock.zone()).date()

    def about(self, actor: Actor) -> bool:
        return self.official_id is not None and self.official_id == actor.official_id


# The columns a FindingRef is made of (``finding_ref``).
FINDING_COLUMNS = (
    *Finding.all_columns(),
    Finding.inspection.status,
    Finding.official.full_name,
    Finding.official.is_leader,
    Finding.official._.unit._.path,
    Finding.unit.path,
    Finding.unit.name,
    Finding.dossier.code,
)


def finding_ref(row: dict[str, Any], review: dict[str, Any] | None) -> FindingRef:
    """A FindingRef from a row of ``FINDING_COLUMNS`` and its review row, if any."""
    return FindingRef(
        id=row["id"],
        inspection_id=row["inspection"],
        inspection_status=row["inspection.status"],
        official_id=row["official"],
        official_name=row["official.full_name"],
        official_is_leader=bool(row["official.is_leader"]),
        official_unit_path=row["official.unit.path"],
        unit_id=row["unit"],
        unit_path=row["unit.path"],
        unit_name=row["unit.name"],
        violation_code=row["violation_code"],
        rule_id=row["rule_id"],
        rule_version=row["rule_version"],
        legal_basis=row["legal_basis"],
        explanation_vi=row["explanation_vi"],
        explanation_en=row["explanation_en"],
        facts=row["facts"],
        observed_at=row["observed_at"],
        recorded_by=row["recorded_by"],
        capture_status=row["version_state"],
        review=review,
        dossier_id=row["dossier"],
        dossier_code=row["dossier.code"],
    )


async def load_unchecked(finding_id: int) -> FindingRef | None:
    """A finding with its review row, or None; no access check (``readable`` does it,
    the reminder cron needs none)."""
    row = await Finding.select(*FINDING_COLUMNS).where(Finding.id == finding_id).first()
    if row is None:
        return None
    review = await FindingReview.select().where(FindingReview.finding == finding_id).first()
    return finding_ref(row, review)


async def _is_member(actor: Actor, inspection_id: int) -> bool:
    return await InspectionMember.exists().where(
        InspectionMember.inspection == inspection_id, InspectionMember.user == actor.id
    )


async def readable(actor: Actor, finding_id: int) -> FindingRef:
    """The current version of a finding the actor may see; 404 otherwise (scope does
    not reveal which findings exist).

    Its subject once notified; admins and team leads in scope; unit heads in scope once
    the minutes are submitted (a dossier case at once); inspectors of its team, and any
    inspector in scope for a unit finding whose correction awaits verification."""
    ref = await load_unchecked(finding_id)
    if ref is None or ref.capture_status != FindingVersion.CURRENT:
        raise NotFound("Không tìm thấy phát hiện.")
    if ref.about(actor) and ref.review is not None:
        return ref
    in_scope = actor.can_see_unit_path(ref.unit_path)
    if in_scope and actor.has_role(Role.ADMIN, Role.TEAM_LEAD):
        return ref
    if in_scope and actor.has_role(Role.UNIT_HEAD) and ref.ready:
        return ref
    if (
        ref.inspection_id is not None
        and actor.has_role(Role.INSPECTOR, Role.TEAM_LEAD)
        and await _is_member(actor, ref.inspection_id)
    ):
        return ref
    if (
        in_scope
        and actor.has_role(Role.INSPECTOR)
        and ref.official_id is None
        and ref.state is S.FOLLOW_UP_DECIDED
    ):
        return ref
    raise NotFound("Không tìm thấy phát hiện.")


@dataclass(frozen=True)
class Person:
    official_id: int
    unit_path: str


async def own_official(actor: Actor) -> Person | None:
    if actor.official_id is None:
        return None
    row = (
        await Official.select(Official.id, Official.unit.path)
        .where(Official.id == actor.official_id)
        .first()
    )
    return Person(row["id"], row["unit.path"]) if row else None


class Subject(Protocol):
    """Whom a decision is about, as separation of duties needs it."""

    @property
    def official_id(self) -> int | None: ...

    @property
    def official_is_leader(self) -> bool: ...

    @property
    def official_unit_path(self) -> str | None: ...


SELF_CONFLICT = "Không được xem xét phát hiện về chính mình."
SUPERIOR_CONFLICT = "Không được xem xét phát hiện về lãnh đạo cấp trên của mình."


def duty_conflict(
    actor: Actor,
    me: Person | None,
    ref: Subject,
    messages: tuple[str, str] = (SELF_CONFLICT, SUPERIOR_CONFLICT),
) -> str | None:
    """Why the actor may not decide about this subject (separation of duties), or None;
    the predicate is ``congvu.rules.review.duty_conflict``, ``messages`` say it for a
    finding (the default) or for a dossier."""
    conflict = rules.duty_conflict(
        actor.official_id,
        me.unit_path if me is not None else None,
        ref.official_id,
        ref.official_is_leader,
        ref.official_unit_path,
    )
    if conflict is None:
        return None
    return messages[0] if conflict is rules.DutyConflict.self else messages[1]


async def require_reviewer(actor: Actor, ref: FindingRef) -> None:
    if not actor.has_role(*REVIEWER_ROLES):
        raise Forbidden("Chỉ thủ trưởng đơn vị hoặc quản trị mới được xem xét phát hiện.")
    problem = duty_conflict(actor, await own_official(actor), ref)
    if problem:
        raise Forbidden(problem)


def required_reason(reason: str | None, message: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid(message, field="reason")
    return text
