"""JSON API of the review under /api/v1: the queue, findings, transitions, dossier
decisions, notifications and photos (documented at /schema). Every permission is
decided in the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from congvu.inspect.actor import Actor, Role
from congvu.inspect.review.services import (
    dossier_cases,
    dossier_items,
    evidence,
    items,
    lifecycle,
    notifications,
    reads,
    transitions,
)
from congvu.inspect.review.services import queue as review_queue
from congvu.inspect.review.services.queue_view import QueueFilters
from congvu.inspect.web.guards import requires_role
from congvu.inspect.web.params import Line, Reason
from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import File, Response


@dataclass(frozen=True)
class TransitionIn:
    action: Line
    reason: Reason | None = None
    follow_up: Line | None = None
    explanation: str | None = None  # at most 20,000 characters (the service says so)
    inspection_id: int | None = None
    evidence_sha256: Line | None = None
    attachments: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class TransitionOut:
    finding_id: int
    state: str


@dataclass(frozen=True)
class BulkIn:
    action: Line
    finding_ids: list[int] = field(default_factory=list)
    reason: Reason | None = None
    dossier_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class DossierDecisionIn:
    action: Line  # take_up | dismiss
    reason: Reason | None = None
    official_id: int | None = None


# Who may ask for a stored photo by its hash; the finding's rules decide the rest.
EVIDENCE_READERS = (Role.INSPECTOR, Role.TEAM_LEAD, Role.ADMIN)


class FindingApi(Controller):
    path = "/api/v1"
    tags = ["review"]  # noqa: RUF012

    @get("/findings/queue", guards=[requires_role(*lifecycle.REVIEWER_ROLES)])
    async def queue(
        self,
        request: Request[Actor, Any, Any],
        kind: FromQuery[str | None] = None,
        unit: FromQuery[str | None] = None,
        official: FromQuery[str | None] = None,
        # "state" is Litestar's reserved name for the application state.
        review_state: Annotated[str | None, QueryParameter(name="state")] = None,
        severity: FromQuery[str | None] = None,
        due: FromQuery[str | None] = None,
        sort: FromQuery[str | None] = None,
        size: FromQuery[str | None] = None,
        after: FromQuery[str | None] = None,
        before: FromQuery[str | None] = None,
    ) -> Response[list[reads.FindingItem | dossier_items.DossierItem]]:
        """One page of the head's review queue: open findings of the unit subtree and
        flagged dossiers not yet decided (``kind``), nearest deadline first, each with the
        escalation rules' suggested follow-up. The same filters as the page (kind, unit,
        official, state, severity, due = overdue | week | later | none; empty = any),
        ``sort`` (deadline, unit, official, severity, kind; "-" for descending), ``size``
        (10, 25, 50, 100). The next and previous pages are in the ``Link`` header
        (keyset cursors ``after`` / ``before``); ``X-Total-Count`` counts what the
        filters keep."""
        filters = QueueFilters.parse(
            kind=kind,
            unit=unit,
            official=official,
            state=review_state,
            severity=severity,
            due=due,
            sort=sort,
            size=size,
        )
        page = await review_queue.queue_page(request.user, filters, after=after, before=before)
        links = [
            f'</api/v1/findings/queue?{urlencode(filters.query(**{name: cursor}))}>; rel="{rel}"'
            for name, cursor, rel in (
                ("after", page.next_cursor, "next"),
                ("before", page.previous_cursor, "prev"),
            )
            if cursor
        ]
        headers = {"x-total-count": str(page.total)}
        if links:
            headers["link"] = ", ".join(links)
        return Response(page.items, headers=headers)

    @get("/findings/mine")
    async def mine(self, request: Request[Actor, Any, Any]) -> list[reads.FindingItem]:
        """Findings about the caller's own official record, once notified."""
        return await reads.mine(request.user)

    @get("/findings/{finding_id:int}")
    async def finding(
        self, request: Request[Actor, Any, Any], finding_id: FromPath[int]
    ) -> reads.FindingItem:
        """One finding with its history (the read is audited); 404 outside the scope."""
        return await reads.finding_detail(request.user, finding_id)

    @get("/findings/{finding_id:int}/history")
    async def history(
        self, request: Request[Actor, Any, Any], finding_id: FromPath[int]
    ) -> list[reads.HistoryEntry]:
        """The finding's audit events, oldest first."""
        return await reads.history(request.user, finding_id)

    @post("/findings/{finding_id:int}/transitions", status_code=200)
    async def transition(
        self,
        request: Request[Actor, Any, Any],
        finding_id: FromPath[int],
        data: JSONBody[TransitionIn],
    ) -> TransitionOut:
        """Move the finding through its lifecycle (notify, acknowledge, explain, waive,
        start_review, confirm, dismiss, decide_follow_up, close). 409 lists the actions
        allowed in the current state; 403 for separation-of-duty refusals."""
        command = transitions.Command(
            action=data.action,
            reason=data.reason,
            follow_up=data.follow_up,
            explanation=data.explanation,
            inspection_id=data.inspection_id,
            evidence_sha256=data.evidence_sha256,
            attachments=tuple(data.attachments),
        )
        state = await transitions.transition(request.user, finding_id, command)
        return TransitionOut(finding_id, state.value)

    @post("/findings/bulk", status_code=200, guards=[requires_role(*lifecycle.REVIEWER_ROLES)])
    async def bulk(
        self, request: Request[Actor, Any, Any], data: JSONBody[BulkIn]
    ) -> list[items.BulkResult]:
        """Notify, confirm or dismiss many minor findings, take up or dismiss many
        flagged dossiers; one result (and one audit event) per item."""
        return await review_queue.bulk(
            request.user, data.finding_ids, data.action, data.reason, data.dossier_ids
        )

    @get("/review/dossiers/{dossier_id:int}", guards=[requires_role(*lifecycle.REVIEWER_ROLES)])
    async def dossier(
        self, request: Request[Actor, Any, Any], dossier_id: FromPath[int]
    ) -> dossier_items.DossierItem:
        """A flagged dossier of the unit subtree with its earlier decisions (the read is
        audited); 404 outside the scope."""
        return await dossier_items.dossier_item(request.user, dossier_id)

    @post(
        "/review/dossiers/{dossier_id:int}/decision",
        status_code=200,
        guards=[requires_role(*lifecycle.REVIEWER_ROLES)],
    )
    async def decide(
        self,
        request: Request[Actor, Any, Any],
        dossier_id: FromPath[int],
        data: JSONBody[DossierDecisionIn],
    ) -> dossier_cases.DecisionResult:
        """Take up (a case about the named official, notified at once) or dismiss (reason
        required) a flagged dossier. Repeating a decision answers with the first; 409
        when the flags were already decided otherwise; 403 for separation of duties."""
        command = dossier_cases.DossierCommand(data.action, data.reason, data.official_id)
        return await dossier_cases.decide(request.user, dossier_id, command)

    @get("/notifications")
    async def notifications(
        self, request: Request[Actor, Any, Any]
    ) -> list[notifications.NotificationView]:
        """The caller's in-app notifications, newest first."""
        return await notifications.list_for(request.user)


# A function, not a FindingApi method: the tablet's upload (PUT) of the same path is a
# capture route, and Litestar refuses two controllers that share a path.
@get(
    "/api/v1/evidence/{sha256:str}",
    media_type="application/octet-stream",
    guards=[requires_role(*EVIDENCE_READERS)],
    tags=["review"],
)
async def evidence_photo(request: Request[Actor, Any, Any], sha256: FromPath[str]) -> File:
    """The stored photo (server-generated name, outside the web root), for whoever may
    read a finding it documents, or its uploader; every read is audited."""
    path, media_type = await evidence.read_evidence(
        request.user, sha256, request_id=request.headers.get("x-request-id")
    )
    return File(path, media_type=media_type, content_disposition_type="inline")
