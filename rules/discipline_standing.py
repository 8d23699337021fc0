"""What an official's discipline record means for a rating and an emulation review.

The discipline domain reads decisions and open cases from its tables and hands them over
as a ``DisciplineStanding``; the rating and emulation services turn it into the facts the
engines take (``rating.Facts``, ``emulation.Standing``, a collective member's heaviest form)
through the functions below, so both sides speak one vocabulary and the law sits here once:

- a decision made in the assessment year caps the quality rating at KHT (NĐ 335/2025/NĐ-CP
  counts only a duty-related violation, which ``rating`` decides from the flag given);
- while a case is being considered, and until the decision's effect ends, no emulation
  title is proposed (NĐ 152/2025/NĐ-CP Art. 4.4);
- a collective's members count with the heaviest form in force during the period.

An annulled decision never reaches a standing: the discipline domain leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .discipline import Form
from .emulation import Standing
from .rating import Facts

_SEVERITY = {form: rank for rank, form in enumerate(Form)}


@dataclass(frozen=True)
class DecisionInForce:
    """A disciplinary decision not annulled: its form, the day it was made and its effect
    (``effective_on`` to the end of ``ends_on``, see ``discipline.decision_effect``)."""

    case_id: int
    form: Form
    decided_on: date
    effective_on: date
    ends_on: date
    duty_related: bool = True

    def overlaps(self, start: date, end: date) -> bool:
        return self.effective_on <= end and self.ends_on >= start


@dataclass(frozen=True)
class DisciplineStanding:
    """One official's decisions (oldest first) and the day their open case, if any, began."""

    official_id: int
    decisions: tuple[DecisionInForce, ...] = ()
    open_case_since: date | None = None


def rating_facts(standing: DisciplineStanding, year: int) -> Facts:
    """The discipline part of the facts that can cap a year's rating: decisions made in
    the year, duty-related when any of them is."""
    in_year = [d for d in standing.decisions if d.decided_on.year == year]
    return Facts(
        disciplined_in_year=bool(in_year),
        discipline_duty_related=any(d.duty_related for d in in_year),
    )


def emulation_standing(
    standing: DisciplineStanding,
    *,
    on: date,
    inspection_with_signs: bool = False,
    complaint_verification: bool = False,
) -> Standing:
    """The blockers of an emulation proposal reviewed on ``on``: a case open by then, and
    the last day of the latest decision's effect."""
    open_case = standing.open_case_since is not None and standing.open_case_since <= on
    ends = max((d.ends_on for d in standing.decisions), default=None)
    return Standing(
        open_discipline_case=open_case,
        inspection_with_signs=inspection_with_signs,
        complaint_verification=complaint_verification,
        discipline_ends_on=ends,
    )


def heaviest_form(standing: DisciplineStanding, start: date, end: date) -> Form | None:
    """The heaviest form whose effect overlaps the period, for a collective's member."""
    forms = [d.form for d in standing.decisions if d.overlaps(start, end)]
    return max(forms, key=_SEVERITY.__getitem__, default=None)
