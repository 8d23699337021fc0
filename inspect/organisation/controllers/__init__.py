"""HTTP routes of this domain: sign-in, the home page, units and officials."""

from __future__ import annotations

from typing import Any

from congvu.inspect.organisation.controllers.account import AccountPages
from congvu.inspect.organisation.controllers.accounts_admin import AccountAdminPages
from congvu.inspect.organisation.controllers.admin import PausedAccountPages
from congvu.inspect.organisation.controllers.api_v1 import UnitApi
from congvu.inspect.organisation.controllers.auth import AuthController
from congvu.inspect.organisation.controllers.calendar_admin import CalendarAdminPages
from congvu.inspect.organisation.controllers.home import HomeController
from congvu.inspect.organisation.controllers.pages import UnitPages
from congvu.inspect.organisation.controllers.password_link import PasswordLinkPages
from congvu.inspect.organisation.controllers.roster import RosterPages
from congvu.inspect.organisation.controllers.second_factor import SecondFactorController
from congvu.inspect.organisation.controllers.security import SecurityPages
from congvu.inspect.organisation.controllers.units_admin import UnitAdminPages

ROUTES: list[Any] = [
    AuthController,
    HomeController,
    UnitPages,
    UnitAdminPages,
    RosterPages,
    UnitApi,
    AccountPages,
    PausedAccountPages,
    SecondFactorController,
    SecurityPages,
    AccountAdminPages,
    PasswordLinkPages,
    CalendarAdminPages,
]
