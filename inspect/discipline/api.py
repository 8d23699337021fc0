"""Discipline cases for other domains, the CLI and the demo: open a case, walk its
procedure, defer it, record a Party decision or an appeal, read its timeline, and the
standings the rating and emulation domains read (``standings``)."""

from __future__ import annotations

from datetime import date

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.discipline.services.appeals import decide_appeal, submit_appeal
from congvu.inspect.discipline.services.catalogue import DOCUMENTS, render_document
from congvu.inspect.discipline.services.convictions import (
    KIND_LABELS as CONVICTION_KINDS,
)
from congvu.inspect.discipline.services.convictions import (
    ConvictionInput,
    open_from_conviction,
    record_conviction,
)
from congvu.inspect.discipline.services.convictions import basis as conviction_basis
from congvu.inspect.discipline.services.documents import KINDS as DOCUMENT_KINDS
from congvu.inspect.discipline.services.documents import TITLES as DOCUMENT_TITLES
from congvu.inspect.discipline.services.documents import available as available_documents
from congvu.inspect.discipline.services.documents import document
from congvu.inspect.discipline.services.listing import CaseFilter, cases
from congvu.inspect.discipline.services.loading import CaseFile, load, may_manage
from congvu.inspect.discipline.services.opening import OpenCase, join_findings, open_case
from congvu.inspect.discipline.services.pauses import (
    defer,
    exclude_period,
    record_party_decision,
)
from congvu.inspect.discipline.services.period_report import cases_opened, form_of, period_report
from congvu.inspect.discipline.services.personal_data import cases_about
from congvu.inspect.discipline.services.procedure import (
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
from congvu.inspect.discipline.services.reminders import remind_step_deadlines
from congvu.inspect.discipline.services.retention import case_holds
from congvu.inspect.discipline.services.standings import standings
from congvu.inspect.discipline.services.timeline import (
    DEFERRAL_REASONS,
    EXCLUDED_KINDS,
    STAGE_LABELS,
    STEPS,
    StepRow,
    Timeline,
    timeline,
)
from congvu.inspect.discipline.tables import AppealOutcome, CaseStage
from congvu.inspect.settings import get_settings
from congvu.rules.discipline_council import COUNCIL_SIZES, council_sizes


async def remind_deadlines(today: date | None = None) -> dict[str, int]:
    """The daily cron's reminders, N working days before (CONGVU_DISCIPLINE_REMINDER_DAYS)."""
    return await remind_step_deadlines(
        today or clock.today(), get_settings().discipline_reminder_days
    )


async def case_timeline(actor: Actor, case_id: int, today: date | None = None) -> Timeline:
    """The case page's read: the case if the actor may see it, with its timeline."""
    return timeline(await load(actor, case_id), today or clock.today())


__all__ = [
    "CONVICTION_KINDS",
    "COUNCIL_SIZES",
    "DEFERRAL_REASONS",
    "DOCUMENTS",
    "DOCUMENT_KINDS",
    "DOCUMENT_TITLES",
    "EXCLUDED_KINDS",
    "STAGE_LABELS",
    "STEPS",
    "AppealOutcome",
    "CaseFile",
    "CaseFilter",
    "CaseStage",
    "ConvictionInput",
    "DecisionInput",
    "MemberInput",
    "OpenCase",
    "StepRow",
    "Timeline",
    "available_documents",
    "case_holds",
    "case_timeline",
    "cases",
    "cases_about",
    "cases_opened",
    "close",
    "conviction_basis",
    "council_sizes",
    "decide",
    "decide_appeal",
    "defer",
    "document",
    "exclude_period",
    "form_of",
    "hold_review_meeting",
    "join_findings",
    "may_manage",
    "notify",
    "open_case",
    "open_from_conviction",
    "period_report",
    "recommend",
    "record_conviction",
    "record_party_decision",
    "remind_deadlines",
    "remind_step_deadlines",
    "render_document",
    "send_report",
    "set_up_council",
    "standings",
    "submit_appeal",
    "summon",
]
