"""Inspections for other domains: access to an inspection, the tablet's assigned list,
plans and surprise draws (the demo uses them), the team decision, closing the minutes."""

from __future__ import annotations

from congvu.inspect.inspections.services.access import (
    InspectionRef,
    member_inspection,
    readable_inspection,
)
from congvu.inspect.inspections.services.assigned import AssignedInspection, assigned
from congvu.inspect.inspections.services.labels import (
    KIND_LABELS,
    MEMBER_ROLE_LABELS,
    STATUS_LABELS,
    TOPIC_LABELS,
)
from congvu.inspect.inspections.services.minutes import (
    close_inspection,
)
from congvu.inspect.inspections.services.minutes_document import minutes_docx
from congvu.inspect.inspections.services.personal_data import attendance_of, signatures_of
from congvu.inspect.inspections.services.plan_document import plan_docx
from congvu.inspect.inspections.services.plans import (
    PlanForm,
    PlannedVisit,
    TeamMember,
    create_plan,
    plan_choices,
)
from congvu.inspect.inspections.services.surprise_draws import (
    DrawForm,
    SuggestedWeights,
    draw_surprise,
)
from congvu.inspect.inspections.services.team_decision import (
    TeamDecisionForm,
    record_team_decision,
)

__all__ = [
    "KIND_LABELS",
    "MEMBER_ROLE_LABELS",
    "STATUS_LABELS",
    "TOPIC_LABELS",
    "AssignedInspection",
    "DrawForm",
    "InspectionRef",
    "PlanForm",
    "PlannedVisit",
    "SuggestedWeights",
    "TeamDecisionForm",
    "TeamMember",
    "assigned",
    "attendance_of",
    "close_inspection",
    "create_plan",
    "draw_surprise",
    "member_inspection",
    "minutes_docx",
    "plan_choices",
    "plan_docx",
    "readable_inspection",
    "record_team_decision",
    "signatures_of",
]
