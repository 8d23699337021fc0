"""HTTP routes of search."""

from __future__ import annotations

from typing import Any

from congvu.inspect.search.controllers.pages import SearchPage

ROUTES: list[Any] = [SearchPage]
