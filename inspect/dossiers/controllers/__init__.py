"""HTTP routes of this domain: dossier pages and the import."""

from __future__ import annotations

from typing import Any

from congvu.inspect.dossiers.controllers.pages import dossier_router

ROUTES: list[Any] = [dossier_router]
