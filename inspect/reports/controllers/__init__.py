"""HTTP routes of this domain: the reports page, its builds and the files; the
dashboard and
the draw weighted by its suggestions."""

from __future__ import annotations

from typing import Any

from congvu.inspect.reports.controllers.dashboard import DashboardPage
from congvu.inspect.reports.controllers.pages import ReportPages
from congvu.inspect.reports.controllers.suggested_draw import SuggestedDrawPage

ROUTES: list[Any] = [ReportPages, DashboardPage, SuggestedDrawPage]
