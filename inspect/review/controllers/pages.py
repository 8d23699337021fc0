"""Xem xét phát hiện: the head's queue (findings and flagged dossiers), a finding's page
(with its history), a flagged dossier's page, the official's own findings and
explanation. Every permission is decided in the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from congvu.inspect.actor import Actor
from congvu.inspect.review.services import (
    dossier_cases,
    dossier_items,
    explanations,
    labels,
    lifecycle,
    reads,
    transitions,
)
from congvu.inspect.review.services import queue as review_queue
from congvu.inspect.review.services.items import BulkResult
from congvu.inspect.review.services.queue import QueuePage
from congvu.inspect.review.services.queue_view import QueueFilters
from congvu.inspect.web.guards import requires_role
from congvu.inspect.web.params import Line, Reason, form_id
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, QueryParameter
from litestar.response import File, Redirect, Template

MAX_EXPLANATION_UPLOAD = 40 * 1024 * 1024
LABELS = {
    "state": labels.STATE_LABELS,
    "action": labels.ACTION_LABELS,
    "follow_up": labels.FOLLOW_UP_LABELS,
    "dossier_action": labels.DOSSIER_ACTION_LABELS,
    "severity": labels.SEVERITY_LABELS,
}


@dataclass
class ActionForm:
    action: Line
    reason: Reason = ""
    follow_up: Line = ""
    inspection_id: Line = ""
    evidence_sha256: Line = ""


@dataclass
class DossierForm:
    action: Line
    reason: Reason = ""
    official_id: Line = ""


def _ids(values: list[Any], field: str) -> list[int]:
    return [i for v in values if (i := form_id(v, field)) is not None]


QUEUE_PARAMS = ("kind", "unit", "official", "state", "severity", "due", "sort", "size")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _queue_template(
    page: QueuePage,
    *,
    after: str | None,
    before: str | None,
    results: list[BulkResult] | None = None,
) -> Template:
    context = {
        "page": page,
        "items": page.items,
        "labels": LABELS,
        "results": results,
        "after": after or "",
        "before": before or "",
    }
    return Template("review/queue.html", context=context)


def _command(form: ActionForm) -> transitions.Command:
    return transitions.Command(
        action=form.action,
        reason=form.reason or None,
        follow_up=form.follow_up or None,
        inspection_id=form_id(form.inspection_id, "inspection_id"),
        evidence_sha256=form.evidence_sha256.strip() or None,
    )


class ReviewPages(Controller):
    path = "/"

    @get("/review", name="review_queue", guards=[requires_role(*lifecycle.REVIEWER_ROLES)])
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
    ) -> Template:
        # Every parameter is read as text: an empty select (``official=``) means "any".
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
        return _queue_template(page, after=after, before=before)

    @post(
        "/review/bulk",
        status_code=200,
        name="review_bulk",
        guards=[requires_role(*lifecycle.REVIEWER_ROLES)],
    )
    async def bulk(self, request: Request[Actor, Any, Any]) -> Template:
        form = await request.form()
        results = await review_queue.bulk(
            request.user,
            _ids(form.getall("finding_ids", []), "finding_ids"),
            str(form.get("action", "")),
            str(form.get("reason", "")) or None,
            dossier_ids=_ids(form.getall("dossier_ids", []), "dossier_ids"),
        )
        # The page the head acted from, with its filters, shown again with the results.
        filters = QueueFilters.parse(**{name: _text(form.get(name)) for name in QUEUE_PARAMS})
        after, before = _text(form.get("after")), _text(form.get("before"))
        page = await review_queue.queue_page(request.user, filters, after=after, before=before)
        return _queue_template(page, after=after, before=before, results=results)

    @get(
        "/review/dossiers/{dossier_id:int}",
        name="review_dossier",
        guards=[requires_role(*lifecycle.REVIEWER_ROLES)],
    )
    async def dossier(
        self, request: Request[Actor, Any, Any], dossier_id: FromPath[int]
    ) -> Template:
        item = await dossier_items.dossier_item(request.user, dossier_id)
        return Template("review/dossier.html", context={"d": item, "labels": LABELS})

    @post(
        "/review/dossiers/{dossier_id:int}/decision",
        status_code=303,
        name="review_dossier_decision",
        guards=[requires_role(*lifecycle.REVIEWER_ROLES)],
    )
    async def decide(
        self,
        request: Request[Actor, Any, Any],
        dossier_id: FromPath[int],
        data: Annotated[DossierForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        command = dossier_cases.DossierCommand(
            action=data.action,
            reason=data.reason or None,
            official_id=form_id(data.official_id, "official_id"),
        )
        result = await dossier_cases.decide(request.user, dossier_id, command)
        target = f"/findings/{result.finding_id}" if result.finding_id else "/review"
        return Redirect(target, status_code=303)

    @get("/findings/{finding_id:int}", name="finding")
    async def finding(
        self, request: Request[Actor, Any, Any], finding_id: FromPath[int]
    ) -> Template:
        item = await reads.finding_detail(request.user, finding_id)
        context = {"f": item, "labels": LABELS, "actor": request.user}
        return Template("review/finding.html", context=context)

    @post("/findings/{finding_id:int}/actions", status_code=303, name="finding_action")
    async def act(
        self,
        request: Request[Actor, Any, Any],
        finding_id: FromPath[int],
        data: Annotated[ActionForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        await transitions.transition(request.user, finding_id, _command(data))
        return Redirect(f"/findings/{finding_id}", status_code=303)

    @post(
        "/findings/{finding_id:int}/explanation",
        status_code=303,
        name="finding_explanation",
        request_max_body_size=MAX_EXPLANATION_UPLOAD,
    )
    async def explain(
        self, request: Request[Actor, Any, Any], finding_id: FromPath[int]
    ) -> Redirect:
        form = await request.form()
        # A form without any file may omit the field altogether.
        files = [
            await f.read()
            for f in form.getall("files", [])
            if isinstance(f, UploadFile) and f.filename
        ]
        await explanations.submit_explanation(
            request.user, finding_id, str(form.get("text", "")), files
        )
        return Redirect(f"/findings/{finding_id}", status_code=303)

    @get(
        "/findings/{finding_id:int}/photos/{sha256:str}",
        name="finding_photo",
        media_type="application/octet-stream",
    )
    async def photo(
        self, request: Request[Actor, Any, Any], finding_id: FromPath[int], sha256: FromPath[str]
    ) -> File:
        path, media_type = await reads.photo(request.user, finding_id, sha256)
        return File(path, media_type=media_type, content_disposition_type="inline")

    @get("/my-findings", name="my_findings")
    async def mine(self, request: Request[Actor, Any, Any]) -> Template:
        items = await reads.mine(request.user)
        return Template("review/mine.html", context={"items": items, "labels": LABELS})
