"""HTTP routes of this domain: a job's page and its JSON."""

from __future__ import annotations

from typing import Any

from congvu.inspect.background.controllers.api_v1 import JobApi
from congvu.inspect.background.controllers.pages import JobPages

ROUTES: list[Any] = [JobPages, JobApi]
