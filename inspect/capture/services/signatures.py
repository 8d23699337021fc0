"""Chữ ký of the team lead and of the unit's representative (or their refusal, with a
witness), and the signatures currently in force on an inspection."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from congvu.inspect.capture.services.context import (
    CaptureContext,
    ClientRecord,
    base_version,
    require_open,
)
from congvu.inspect.capture.services.evidence import write_atomically
from congvu.inspect.capture.services.payloads import SignaturePayload, parse_payload
from congvu.inspect.capture.services.records import SignatureRecord
from congvu.inspect.capture.services.roster import same_person_name, team_lead_names
from congvu.inspect.errors import Conflict, Invalid
from congvu.inspect.inspections.tables import Signature, SignatureRole
from congvu.inspect.settings import get_settings

MAX_SIGNATURE_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


async def signature(ctx: CaptureContext, record: ClientRecord) -> SignatureRecord:
    """Chữ ký of the team lead or the unit's representative; a refusal to sign is
    recorded with a witness (người làm chứng) instead of an image."""
    body = parse_payload(record.payload, SignaturePayload)
    require_open(ctx)
    name = body.name.strip()
    if not name:
        raise Invalid("Nhập họ tên người ký.", field="name")
    if body.role == SignatureRole.TEAM_LEAD:
        leads = await team_lead_names(ctx.ref.id)
        if leads and not any(same_person_name(name, lead) for lead in leads):
            raise Invalid(
                f"Người ký với tư cách Trưởng đoàn phải là Trưởng đoàn của cuộc kiểm tra:"
                f" {', '.join(leads)}.",
                field="name",
            )
    witness = (body.witness_name or "").strip() or None
    if body.refused and witness is None:
        raise Invalid("Từ chối ký phải có người làm chứng.", field="witness_name")
    image = _signature_png(body.image_png_base64) if body.image_png_base64 else None
    if record.replaces is None:
        current = await Signature.select(Signature.client_uuid).where(
            Signature.inspection == ctx.ref.id, Signature.role == body.role
        )
        replaced = {
            r["replaces"]
            for r in await Signature.select(Signature.replaces).where(
                Signature.inspection == ctx.ref.id, Signature.replaces.is_not_null()
            )
        }
        if any(r["client_uuid"] not in replaced for r in current):
            raise Conflict(
                "Đã có chữ ký cho vai trò này; gửi bản sửa (replaces) thay vì bản mới.",
                field="role",
            )
    version = await base_version(Signature, ctx, record.replaces)
    image_path = None
    if image is not None:
        relative = f"signatures/{ctx.ref.id}/{record.uuid}.png"
        write_atomically(get_settings().media_dir / relative, image)
        image_path = relative
    await Signature.insert(
        Signature(
            client_uuid=record.uuid,
            inspection=ctx.ref.id,
            role=body.role,
            name=name[:255],
            refused=body.refused,
            witness_name=witness,
            image_path=image_path,
            image_sha256=hashlib.sha256(image).hexdigest() if image is not None else None,
            device_time=record.device_time,
            version=version,
            replaces=record.replaces,
            recorded_by=ctx.actor.id,
            created_at=ctx.now,
        )
    )
    return {
        "type": "signature",
        "uuid": str(record.uuid),
        "inspection_id": ctx.ref.id,
        "role": body.role,
        "name": name,
        "refused": body.refused,
        "witness_name": witness,
        "has_image": image_path is not None,
        "version": version,
        "replaces": str(record.replaces) if record.replaces else None,
    }


def _signature_png(encoded: str) -> bytes:
    if encoded.startswith("data:"):
        encoded = encoded.partition(",")[2]
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid("Ảnh chữ ký không phải base64 hợp lệ.", field="image_png_base64") from None
    if not data.startswith(PNG_MAGIC):
        raise Invalid("Ảnh chữ ký phải là ảnh PNG.", field="image_png_base64")
    if len(data) > MAX_SIGNATURE_BYTES:
        raise Invalid("Ảnh chữ ký quá lớn (tối đa 512 KB).", field="image_png_base64")
    return data


async def current_signatures(inspection_id: int) -> list[dict[str, Any]]:
    rows = await Signature.select().where(Signature.inspection == inspection_id)
    replaced = {r["replaces"] for r in rows if r["replaces"] is not None}
    return [r for r in rows if r["client_uuid"] not in replaced]
