"""HTTP routes of this domain: the personnel office's discipline cases and the
subject's own."""

from __future__ import annotations

from typing import Any

from congvu.inspect.discipline.controllers.pages import DisciplinePages

ROUTES: list[Any] = [DisciplinePages]
