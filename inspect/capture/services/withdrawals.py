"""Rút lại phát hiện: a finding recorded by mistake (a wrong chip, a wrong person) is
withdrawn from the tablet before the minutes are submitted. Nothing is deleted: the
finding keeps its row, marked withdrawn, and the audit trail keeps who did it and why."""

from __future__ import annotations

from congvu.inspect.audit import api as audit
from congvu.inspect.capture.services.context import (
    CaptureContext,
    ClientRecord,
    base_version,
    require_open,
)
from congvu.inspect.capture.services.payloads import FindingWithdrawalPayload, parse_payload
from congvu.inspect.capture.services.records import FindingWithdrawalRecord
from congvu.inspect.errors import Conflict, Invalid
from congvu.inspect.inspections.tables import Finding, FindingVersion


async def withdraw_finding(ctx: CaptureContext, record: ClientRecord) -> FindingWithdrawalRecord:
    """Withdraw the finding version ``record.replaces`` names, which must be the latest
    one; a finding the working-hours rules made is corrected through its attendance."""
    body = parse_payload(record.payload, FindingWithdrawalPayload)
    require_open(ctx)
    if record.replaces is None:
        raise Invalid("Cần chỉ rõ phát hiện cần rút lại.", field="replaces")
    reason = body.reason.strip()
    if not reason:
        raise Invalid("Nhập lý do rút lại phát hiện.", field="reason")
    await base_version(Finding, ctx, record.replaces)
    row = (
        await Finding.select(Finding.id, Finding.version_state, Finding.attendance)
        .where(Finding.client_uuid == record.replaces)
        .first()
    )
    if row is None:  # base_version found it in this inspection a moment ago
        raise Invalid("Không tìm thấy phát hiện cần rút lại.", field="replaces")
    if row["attendance"] is not None:
        raise Invalid(
            "Phát hiện này do kết quả điểm danh tạo ra: hãy sửa điểm danh của người đó.",
            field="replaces",
        )
    if row["version_state"] != FindingVersion.CURRENT:
        raise Conflict("Phát hiện này đã được rút lại hoặc đã có bản sửa.", field="replaces")
    await Finding.update({Finding.version_state: FindingVersion.WITHDRAWN}).where(
        Finding.id == row["id"]
    )
    await audit.record(
        "finding_withdrawn",
        "finding",
        row["id"],
        actor=ctx.actor,
        before={"version_state": FindingVersion.CURRENT.value},
        after={"version_state": FindingVersion.WITHDRAWN.value},
        reason=reason,
    )
    return {
        "type": "withdrawal",
        "uuid": str(record.uuid),
        "inspection_id": ctx.ref.id,
        "finding_id": row["id"],
        "finding_uuid": str(record.replaces),
        "reason": reason,
        "version_state": FindingVersion.WITHDRAWN.value,
    }
