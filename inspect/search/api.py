"""What other parts may use of search."""

from __future__ import annotations

from congvu.inspect.search.services.lookup import Hit, Results, search

__all__ = ["Hit", "Results", "search"]
