"""HTTP routes of this domain: the register page, uploads, tags, criteria and the ZIP."""

from __future__ import annotations

from typing import Any

from congvu.inspect.evidence.controllers.pages import EvidencePages

ROUTES: list[Any] = [EvidencePages]
