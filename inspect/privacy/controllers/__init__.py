"""HTTP routes of this domain: the personal-data notice and the download."""

from __future__ import annotations

from typing import Any

from congvu.inspect.privacy.controllers.pages import PersonalDataPages, privacy_notice

ROUTES: list[Any] = [privacy_notice, PersonalDataPages]
