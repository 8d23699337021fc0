"""HTTP routes of this domain: the head's review, the official's findings, notifications
and their JSON API."""

from __future__ import annotations

from typing import Any

from congvu.inspect.review.controllers.api_v1 import FindingApi, evidence_photo
from congvu.inspect.review.controllers.notifications import NotificationPages
from congvu.inspect.review.controllers.pages import ReviewPages

ROUTES: list[Any] = [ReviewPages, NotificationPages, FindingApi, evidence_photo]
