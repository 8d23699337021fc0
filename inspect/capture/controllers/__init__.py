"""HTTP routes of this domain: the tablet's capture pages and the sync API."""

from __future__ import annotations

from typing import Any

from congvu.inspect.capture.controllers.api_v1 import InspectionApi
from congvu.inspect.capture.controllers.pages import capture_router

ROUTES: list[Any] = [capture_router, InspectionApi]
