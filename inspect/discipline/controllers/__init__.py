"""Discipline pages (private to the domain), registered through ``ROUTES``."""

from __future__ import annotations

from typing import Any

ROUTES: list[Any] = []
