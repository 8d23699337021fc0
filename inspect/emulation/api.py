"""Ratings and emulation for the app, the CLI and the demo: rating periods (open, lock,
reopen, versions), the Mẫu số 01 sheets, proposals per unit and per official, initiatives
and collective levels; the emulation council's sessions (members, attendance, tally,
adjustments, lock) and the facts of their minutes; thematic campaigns (board, proposals,
lock and reopen with versions)."""

from __future__ import annotations

from congvu.inspect.emulation.services.access import SCORER_ROLES
from congvu.inspect.emulation.services.annual_step_files import Upload as StepUpload
from congvu.inspect.emulation.services.annual_steps import STEP_LABELS as ANNUAL_STEP_LABELS
from congvu.inspect.emulation.services.annual_steps import (
    missing_steps,
    record_step,
    step_file,
    unit_steps,
    warn_at_lock,
)
from congvu.inspect.emulation.services.awards import add_award, awards, remove_award
from congvu.inspect.emulation.services.boards import board, period_row
from congvu.inspect.emulation.services.campaign_collectives import (
    propose_collectives,
    withdraw_collective,
)
from congvu.inspect.emulation.services.campaign_lock import lock_campaign, reopen_campaign
from congvu.inspect.emulation.services.campaign_proposals import propose as propose_for_campaign
from congvu.inspect.emulation.services.campaign_proposals import (
    withdraw as withdraw_campaign_proposal,
)
from congvu.inspect.emulation.services.campaign_view import campaign_board
from congvu.inspect.emulation.services.campaigns import CHOICES as CAMPAIGN_CRITERIA
from congvu.inspect.emulation.services.campaigns import PERCENT_FIELDS as CAMPAIGN_PERCENT_FIELDS
from congvu.inspect.emulation.services.campaigns import campaigns, create_campaign
from congvu.inspect.emulation.services.catalogue import DOCUMENTS, render_document
from congvu.inspect.emulation.services.council import (
    add_candidate,
    adjust_result,
    council_session,
    create_session,
    record_meeting,
    record_tally,
    remove_member,
    sessions,
    set_member,
)
from congvu.inspect.emulation.services.council_document import minutes_file
from congvu.inspect.emulation.services.council_fill import fill_candidates
from congvu.inspect.emulation.services.council_lock import lock_session, reopen_session
from congvu.inspect.emulation.services.council_minutes import (
    CouncilMinutes,
    MinutesCandidate,
    MinutesMember,
    council_minutes,
)
from congvu.inspect.emulation.services.council_whatif import adopt_settings, what_if
from congvu.inspect.emulation.services.criteria import COUNT_LABELS as CRITERIA_COUNT_LABELS
from congvu.inspect.emulation.services.criteria import GENERAL_LABELS as CRITERIA_GENERAL_LABELS
from congvu.inspect.emulation.services.criteria import LEADER_LABELS as CRITERIA_LEADER_LABELS
from congvu.inspect.emulation.services.criteria import save_criteria
from congvu.inspect.emulation.services.documents import KINDS as DOCUMENT_KINDS
from congvu.inspect.emulation.services.documents import PER_OFFICIAL as PER_OFFICIAL_DOCUMENTS
from congvu.inspect.emulation.services.documents import document, my_document
from congvu.inspect.emulation.services.entry import boards_by_period, my_periods, units_in_scope
from congvu.inspect.emulation.services.kpi_import import import_sheets
from congvu.inspect.emulation.services.periods import (
    all_periods,
    check_lockable,
    data_hash,
    lock_period,
    lock_summary,
    open_period,
    period_name,
    reopen_period,
    version_proposals,
    versions,
)
from congvu.inspect.emulation.services.personal_data import ratings_about
from congvu.inspect.emulation.services.proposals import my_sheet, unit_board
from congvu.inspect.emulation.services.sheets import (
    add_initiative,
    contest,
    rate_collective,
    save_sheet,
)
from congvu.inspect.emulation.services.weights_whatif import adopt_weights
from congvu.inspect.emulation.services.weights_whatif import what_if as weights_what_if
from congvu.inspect.emulation.tables import SheetAuthor

__all__ = [
    "ANNUAL_STEP_LABELS",
    "CAMPAIGN_CRITERIA",
    "CAMPAIGN_PERCENT_FIELDS",
    "CRITERIA_COUNT_LABELS",
    "CRITERIA_GENERAL_LABELS",
    "CRITERIA_LEADER_LABELS",
    "DOCUMENTS",
    "DOCUMENT_KINDS",
    "PER_OFFICIAL_DOCUMENTS",
    "SCORER_ROLES",
    "CouncilMinutes",
    "MinutesCandidate",
    "MinutesMember",
    "SheetAuthor",
    "StepUpload",
    "add_award",
    "add_candidate",
    "add_initiative",
    "adjust_result",
    "adopt_settings",
    "adopt_weights",
    "all_periods",
    "awards",
    "board",
    "boards_by_period",
    "campaign_board",
    "campaigns",
    "check_lockable",
    "contest",
    "council_minutes",
    "council_session",
    "create_campaign",
    "create_session",
    "data_hash",
    "document",
    "fill_candidates",
    "import_sheets",
    "lock_campaign",
    "lock_period",
    "lock_session",
    "lock_summary",
    "minutes_file",
    "missing_steps",
    "my_document",
    "my_periods",
    "my_sheet",
    "open_period",
    "period_name",
    "period_row",
    "propose_collectives",
    "propose_for_campaign",
    "rate_collective",
    "ratings_about",
    "record_meeting",
    "record_step",
    "record_tally",
    "remove_award",
    "remove_member",
    "render_document",
    "reopen_campaign",
    "reopen_period",
    "reopen_session",
    "save_criteria",
    "save_sheet",
    "sessions",
    "set_member",
    "step_file",
    "unit_board",
    "unit_steps",
    "units_in_scope",
    "version_proposals",
    "versions",
    "warn_at_lock",
    "weights_what_if",
    "what_if",
    "withdraw_campaign_proposal",
    "withdraw_collective",
]
