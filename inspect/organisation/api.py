"""What other domains, the jobs and the CLI may use of the organisation: units and their
scope, officials, working schedules, and accounts."""

from __future__ import annotations

from congvu.inspect.organisation.services.accounts import (
    SESSION_ACTOR_TTL,
    actor_for,
    create_user,
    session_actors,
)
from congvu.inspect.organisation.services.credentials import reset_password
from congvu.inspect.organisation.services.pauses import PausedAccount, paused_accounts, unlock
from congvu.inspect.organisation.services.personal_data import (
    official_accounts,
    official_id_by_code,
    official_in_scope,
    official_profile,
)
from congvu.inspect.organisation.services.units import (
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
    "SESSION_ACTOR_TTL",
    "PausedAccount",
    "UnitView",
    "actor_for",
    "add_official",
    "add_schedule",
    "create_unit",
    "create_user",
    "official_accounts",
    "official_id_by_code",
    "official_in_scope",
    "official_profile",
    "officials_of_unit",
    "paused_accounts",
    "reset_password",
    "schedules_by_unit",
    "seasonal_schedule",
    "seasonal_schedule_for_path",
    "session_actors",
    "unit_in_scope",
    "unit_statistics",
    "unlock",
    "visible_units",
]
