"""HTTP routes of this domain: the reports page, its builds and the files; the
dashboard."""

from __future__ import annotations

from typing import Any

from congvu.inspect.reports.controllers.dashboard import DashboardPage
from congvu.inspect.reports.controllers.pages import ReportPages

ROUTES: list[Any] = [ReportPages, DashboardPage]
