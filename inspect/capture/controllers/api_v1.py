"""JSON API of inspection capture (the tablet's and a future native app's only way in).

Session cookie plus the ``x-csrftoken`` header (the csrftoken cookie's value) on every
write. Records sent to ``/api/v1/sync`` are answered one by one: see
``congvu.inspect.capture.services.sync`` for duplicates, conflicts and versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from congvu.inspect.actor import Actor, Role
from congvu.inspect.capture.services import evidence, sync
from congvu.inspect.capture.services.payloads import parse_moment
from congvu.inspect.inspections import api as inspections
from congvu.inspect.web import metrics
from congvu.inspect.web.guards import requires_role
from litestar import Controller, Request, Response, get, post, put
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath, FromQuery, JSONBody

CAPTURE_ROLES = (Role.INSPECTOR, Role.TEAM_LEAD, Role.ADMIN)
# The sync's own words for a result, as the operators' dashboards name them.
SYNC_OUTCOMES = {
    "created": "created",
    "duplicate": "replayed",
    "conflict": "conflict",
    "rejected": "refused",
}


@dataclass(frozen=True)
class SyncBatch:
    records: list[sync.IncomingRecord]


@dataclass(frozen=True)
class SyncAnswer:
    results: list[sync.RecordResult]


async def _image_body(request: Request[Actor, Any, Any]) -> tuple[bytes, datetime | None]:
    try:
        body = await request.body()
    except RequestEntityTooLarge:
        raise evidence.TooLarge("Ảnh quá lớn (tối đa 10 MB).", field="body") from None
    device_time = request.headers.get("x-device-time")
    return body, parse_moment(device_time, "X-Device-Time") if device_time else None


class InspectionApi(Controller):
    # Team membership, checked per inspection in the services, is what authorises
    # capture: anyone else gets 404 for an inspection, whatever their role.
    path = "/api/v1"
    tags = ["inspections"]  # noqa: RUF012

    @get("/inspections/assigned")
    async def assigned(
        self, request: Request[Actor, Any, Any]
    ) -> list[inspections.AssignedInspection]:
        """Inspections on which the caller serves (not closed): unit, roster in Vietnamese
        name order, the conduct checklist in force on the scheduled date and the unit's
        working hours that day. Reading a sealed surprise inspection is audited."""
        return await inspections.assigned(request.user)

    @post("/sync", status_code=200)
    async def sync_records(
        self, request: Request[Actor, Any, Any], data: JSONBody[SyncBatch]
    ) -> SyncAnswer:
        """Send captured records (start, attendance, finding, signature, submit). Each
        gets its own result: created 201, duplicate 200 (the original answer), conflict
        409, rejected 4xx with the field named."""
        results = await sync.sync(request.user, data.records)
        # Counted once the batch is committed: a batch rolled back counted nothing.
        for result in results:
            metrics.SYNC_RECORDS.labels(SYNC_OUTCOMES.get(result.status, result.status)).inc()
        return SyncAnswer(results)

    @get("/sync/conflicts")
    async def conflicts(
        self, request: Request[Actor, Any, Any], inspection_id: FromQuery[int | None] = None
    ) -> list[sync.ConflictView]:
        """Rejected resends (same UUID, other content), newest first, for a reviewer."""
        return await sync.conflicts(request.user, inspection_id)

    @put(
        "/evidence/{sha256:str}",
        request_max_body_size=evidence.MAX_BYTES,
        guards=[requires_role(*CAPTURE_ROLES)],
    )
    async def upload_evidence(
        self, request: Request[Actor, Any, Any], sha256: FromPath[str]
    ) -> Response[evidence.EvidenceView]:
        """Upload a photo: the raw body is the image, the path its sha256. JPEG, PNG or
        WebP (by content), ≤ 10 MB, ≤ 40 MP. 201 when new, 200 when already stored.
        Optional header X-Device-Time (ISO 8601)."""
        body, device_time = await _image_body(request)
        stored = await evidence.store(request.user, sha256, body, device_time)
        return Response(stored.evidence, status_code=201 if stored.created else 200)
