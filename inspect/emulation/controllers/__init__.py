"""HTTP routes of this domain: the personnel office's period control, the head's rating
board, the official's own sheet, the awards already received, thematic campaigns, the
emulation council's sessions, and their JSON API."""

from __future__ import annotations

from typing import Any

from congvu.inspect.emulation.controllers.api_v1 import RatingApi
from congvu.inspect.emulation.controllers.awards import AwardPages
from congvu.inspect.emulation.controllers.campaigns import CampaignPages
from congvu.inspect.emulation.controllers.council import CouncilApi, CouncilPages, CouncilWhatIf
from congvu.inspect.emulation.controllers.pages import RatingPages

ROUTES: list[Any] = [
    AwardPages,
    CampaignPages,
    RatingPages,
    RatingApi,
    CouncilPages,
    CouncilWhatIf,
    CouncilApi,
]
