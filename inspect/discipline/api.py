"""Discipline cases for other domains, the CLI and the demo: open a case, walk its
procedure, defer it, record a Party decision or an appeal, read its timeline, and the
standings the rating and emulation domains read (``standings``)."""

from __future__ import annotations

from datetime import date

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.discipline.services.appeals import decide_appeal, submit_appeal
from congvu.inspect.discipline.services.documents import KINDS as DOCUMENT_KINDS
from congvu.inspect.discipline.services.documents import document
from congvu.inspect.discipline.services.listing import CaseFilter, cases
from congvu.inspect.discipline.services.loading import CaseFile, load, may_manage
from congvu.inspect.discipline.services.opening import OpenCase, join_findings, open_case
from congvu.inspect.discipline.services.pauses import defer, record_party_decision
from congvu.inspect.discipline.services.personal_data import cases_about
from congvu.inspect.discipline.services.procedure import (
    COUNCIL_SIZE,
    DecisionInput,
    MemberInput,
    close,
    decide,
    hold_review_meeting,
    notify,
    recommend,
    send_report,
    set_up_council,
    summon,
)
from congvu.inspect.discipline.services.retention import case_holds
from congvu.inspect.discipline.services.standings import standings
from congvu.inspect.discipline.services.timeline import (
    DEFERRAL_REASONS,
    STAGE_LABELS,
    STEPS,
    StepRow,
    Timeline,
    timeline,
)
from congvu.inspect.discipline.tables import AppealOutcome, CaseStage


async def case_timeline(actor: Actor, case_id: int, today: date | None = None) -> Timeline:
    """The case page's read: the case if the actor may see it, with its timeline."""
    return timeline(await load(actor, case_id), today or clock.today())


__all__ = [
    "COUNCIL_SIZE",
    "DEFERRAL_REASONS",
    "DOCUMENT_KINDS",
    "STAGE_LABELS",
    "STEPS",
    "AppealOutcome",
    "CaseFile",
    "CaseFilter",
    "CaseStage",
    "DecisionInput",
    "MemberInput",
    "OpenCase",
    "StepRow",
    "Timeline",
    "case_holds",
    "case_timeline",
    "cases",
    "cases_about",
    "close",
    "decide",
    "decide_appeal",
    "defer",
    "document",
    "hold_review_meeting",
    "join_findings",
    "may_manage",
    "notify",
    "open_case",
    "recommend",
    "record_party_decision",
    "send_report",
    "set_up_council",
    "standings",
    "submit_appeal",
    "summon",
]
