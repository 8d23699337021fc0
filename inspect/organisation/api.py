"""What other domains, the jobs and the CLI may use of the organisation: units and their
scope (and the name a renamed unit bore on a past day, for documents of that period),
officials and the roster import, working schedules, and accounts (with their second
factor)."""

from __future__ import annotations

from congvu.inspect.organisation.calendar_tables import AnnouncementKind
from congvu.inspect.organisation.services.accounts import (
    SESSION_ACTOR_TTL,
    actor_for,
    create_user,
    session_actors,
)
from congvu.inspect.organisation.services.calendar import (
    CALENDAR_RECHECK_SECONDS,
    KIND_LABELS,
    AnnouncementInput,
    AnnouncementView,
    announce,
    announcements,
    calendar_revision,
    forget_calendar,
    may_change_calendar,
    refresh_calendar,
    require_calendar_editor,
    withdraw,
)
from congvu.inspect.organisation.services.contact import (
    digest_addresses,
    own_email,
    set_own_email,
)
from congvu.inspect.organisation.services.credentials import reset_password
from congvu.inspect.organisation.services.pauses import PausedAccount, paused_accounts, unlock
from congvu.inspect.organisation.services.personal_data import (
    official_accounts,
    official_id_by_code,
    official_in_scope,
    official_profile,
)
from congvu.inspect.organisation.services.roster_import import RosterPlan, import_roster_file
from congvu.inspect.organisation.services.second_factor import enrol_demo_admin
from congvu.inspect.organisation.services.second_factor import reset as reset_second_factor
from congvu.inspect.organisation.services.unit_admin import apply_due_mergers
from congvu.inspect.organisation.services.unit_admin import name_on as unit_name_on
from congvu.inspect.organisation.services.units import (
    OfficialView,
    UnitView,
    add_official,
    add_schedule,
    create_unit,
    officials_of_unit,
    schedules_by_unit,
    seasonal_schedule,
    seasonal_schedule_for_path,
    unit_in_scope,
    unit_statistics,
    visible_units,
)

__all__ = [
    "CALENDAR_RECHECK_SECONDS",
    "KIND_LABELS",
    "SESSION_ACTOR_TTL",
    "AnnouncementInput",
    "AnnouncementKind",
    "AnnouncementView",
    "OfficialView",
    "PausedAccount",
    "RosterPlan",
    "UnitView",
    "actor_for",
    "add_official",
    "add_schedule",
    "announce",
    "announcements",
    "apply_due_mergers",
    "calendar_revision",
    "create_unit",
    "create_user",
    "digest_addresses",
    "enrol_demo_admin",
    "forget_calendar",
    "import_roster_file",
    "may_change_calendar",
    "official_accounts",
    "official_id_by_code",
    "official_in_scope",
    "official_profile",
    "officials_of_unit",
    "own_email",
    "paused_accounts",
    "refresh_calendar",
    "require_calendar_editor",
    "reset_password",
    "reset_second_factor",
    "schedules_by_unit",
    "seasonal_schedule",
    "seasonal_schedule_for_path",
    "session_actors",
    "set_own_email",
    "unit_in_scope",
    "unit_name_on",
    "unit_statistics",
    "unlock",
    "visible_units",
    "withdraw",
]
