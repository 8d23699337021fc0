"""HTTP routes of this domain: plans, surprise draws and the minutes."""

from __future__ import annotations

from typing import Any

from congvu.inspect.inspections.controllers.minutes import MinutesPages
from congvu.inspect.inspections.controllers.plans import PlanPages

ROUTES: list[Any] = [PlanPages, MinutesPages]
