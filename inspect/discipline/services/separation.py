"""Separation of duties on a case: who recorded and who confirmed its findings, and
whether a council member or the decider is one of them, the subject, or related to
the subject (a declared relation)."""

from __future__ import annotations

from dataclasses import dataclass

from congvu.inspect.actor import Actor
from congvu.inspect.discipline.services.loading import CaseFile
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.organisation.tables import User
from congvu.inspect.review.tables import FindingReview


@dataclass(frozen=True)
class FindingPeople:
    """Accounts that recorded or confirmed the case's findings, and their officials."""

    recorders: frozenset[int]
    confirmers: frozenset[int]
    officials_of: dict[int, int | None]  # account -> its official


async def finding_people(file: CaseFile) -> FindingPeople:
    ids = [s.finding_id for s in file.sources]
    recorders: set[int] = set()
    confirmers: set[int] = set()
    if ids:
        recorders = {
            r["recorded_by"]
            for r in await Finding.select(Finding.recorded_by).where(Finding.id.is_in(ids))
            if r["recorded_by"] is not None
        }
        confirmers = {
            r["decided_by"]
            for r in await FindingReview.select(FindingReview.decided_by).where(
                FindingReview.finding.is_in(ids)
            )
            if r["decided_by"] is not None
        }
    accounts = recorders | confirmers | {m.account_id for m in file.members if m.account_id}
    officials = (
        {
            r["id"]: r["official"]
            for r in await User.select(User.id, User.official).where(User.id.is_in(list(accounts)))
        }
        if accounts
        else {}
    )
    return FindingPeople(frozenset(recorders), frozenset(confirmers), officials)


def member_conflict(
    file: CaseFile,
    people: FindingPeople,
    name: str,
    account_id: int | None,
    official_id: int | None,
    relation: str | None,
) -> str | None:
    """Why this person may not sit on the council, or None."""
    subject = file.case["official"]
    if official_id == subject:
        return f"{name} là người bị xem xét kỷ luật: không được là thành viên Hội đồng."
    if relation and relation.strip():
        return (
            f"{name} có quan hệ “{relation.strip()}” với người bị xem xét kỷ luật: "
            "không được là thành viên Hội đồng."
        )
    if account_id is not None and account_id in people.recorders:
        return f"{name} đã ghi nhận vi phạm: không được là thành viên Hội đồng."
    if account_id is not None and account_id in people.confirmers:
        return f"{name} đã xác nhận vi phạm: không được là thành viên Hội đồng."
    return None


def decider_conflict(
    file: CaseFile, people: FindingPeople, decider: int, actor: Actor | None
) -> str | None:
    """Why this account may not sign the decision, or None: the subject themself, the
    recorder or confirmer of a finding, or a council member."""
    subject = file.case["official"]
    own = actor.official_id if actor is not None else people.officials_of.get(decider)
    if own is not None and own == subject:
        return "Không ai được tự quyết định kỷ luật chính mình."
    if decider in people.recorders:
        return "Người đã ghi nhận vi phạm không được ký quyết định kỷ luật."
    if decider in people.confirmers:
        return "Người đã xác nhận vi phạm không được ký quyết định kỷ luật."
    if any(m.account_id == decider for m in file.members):
        return "Thành viên Hội đồng kỷ luật không được ký quyết định kỷ luật."
    return None
