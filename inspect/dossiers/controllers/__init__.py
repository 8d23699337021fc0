"""HTTP routes of this domain: dossier pages and the import (``routes``, built per app
with its upload limit)."""

from __future__ import annotations

from congvu.inspect.dossiers.controllers.pages import routes

__all__ = ["routes"]
