"""Phát hiện: a violation from the catalogue in force at the observation time, against a
person or the unit, with its photos; written only through ``db.write`` and read only
through ``db.raw`` so that a finding sent alone is one statement (``db.one_statement``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from congvu.inspect import clock, db
from congvu.inspect.audit import api as audit
from congvu.inspect.capture.services.context import (
    CaptureContext,
    ClientRecord,
    base_version,
    check_moment,
    require_official,
    require_open,
)
from congvu.inspect.capture.services.evidence import owned
from congvu.inspect.capture.services.payloads import (
    FindingPayload,
    iso,
    parse_moment,
    parse_payload,
)
from congvu.inspect.capture.services.records import FindingRecord
from congvu.inspect.errors import Conflict, Invalid
from congvu.inspect.inspections.tables import Finding, FindingEvidence, FindingVersion
from congvu.rules.conduct import ViolationType, catalogue
from congvu.rules.packs import PackNotFound

# Auto-created findings get a UUID derived from their attendance record, so the same
# attendance always yields the same finding UUID.
AUTO_FINDING_NS = UUID("6f1c1e5e-3c2a-4f0e-9d8b-0b7a3c1d2e4f")


# Every column of a finding captured here (``dossier`` stays NULL). Raw SQL, like the
# rest of the sync's hot path: Piccolo's query building was a quarter of a one-finding
# sync's CPU, more than the statements' own round trips (P2 profile, tests/bench/README.md).
FINDING_COLUMNS = (
    "client_uuid",
    "inspection",
    "official",
    "unit",
    "attendance",
    "violation_code",
    "rule_id",
    "rule_version",
    "legal_basis",
    "explanation_vi",
    "explanation_en",
    "facts",
    "observed_at",
    "device_time",
    "version",
    "replaces",
    "version_state",
    "recorded_by",
    "created_at",
)
INSERT_FINDING = (
    f"INSERT INTO finding ({', '.join(FINDING_COLUMNS)})"
    f" VALUES ({', '.join('{}' for _ in FINDING_COLUMNS)}) RETURNING id"
)


_INSERT_FINDING_WITH_ID = (
    f"INSERT INTO finding (id, {', '.join(FINDING_COLUMNS)})"
    f" VALUES ({', '.join('{}' for _ in range(len(FINDING_COLUMNS) + 1))})"
)


async def insert_finding(ctx: CaptureContext, row: dict[str, Any]) -> dict[str, Any]:
    """Write a finding (``row`` holds every column of ``FINDING_COLUMNS``) and its audit
    event; the row is returned with its id. A finding can end in discipline: its first
    version and each edit are audited."""
    values = [row[c] for c in FINDING_COLUMNS]
    if ctx.finding_id is not None:
        row = {**row, "id": ctx.finding_id}
        ctx.finding_id = None  # one record, one finding
        await db.write(Finding, _INSERT_FINDING_WITH_ID, row["id"], *values)
    else:
        inserted = await db.raw(Finding, INSERT_FINDING, *values)
        row = {**row, "id": inserted[0]["id"]}
    await audit.record(
        "finding_recorded", "finding", row["id"], actor=ctx.actor, after=_audited(row)
    )
    return row


def _audited(row: dict[str, Any]) -> dict[str, Any]:
    """What a finding's audit event says of it."""
    return {
        "violation_code": row["violation_code"],
        "official_id": row["official"],
        "unit_id": row["unit"],
        "version": row["version"],
        "replaces": str(row["replaces"]) if row["replaces"] else None,
    }


def finding_json(row: dict[str, Any], kind: ViolationType, evidence: list[str]) -> FindingRecord:
    return {
        "type": "finding",
        "uuid": str(row["client_uuid"]),
        "id": row["id"],
        "inspection_id": row["inspection"],
        "official_id": row["official"],
        "unit_id": row["unit"],
        "violation_code": kind.code,
        "label_vi": kind.label_vi,
        "label_en": kind.label_en,
        "severity": kind.severity,
        "rule": {
            "id": row["rule_id"],
            "version": row["rule_version"],
            "legal_basis": row["legal_basis"],
        },
        "explanation_vi": row["explanation_vi"],
        "explanation_en": row["explanation_en"],
        "facts": row["facts"],
        "observed_at": iso(row["observed_at"]),
        "evidence": evidence,
        "version": row["version"],
        "replaces": str(row["replaces"]) if row["replaces"] else None,
        "version_state": row["version_state"],
    }


# The finding handler writes only through db.write (see ONE_STATEMENT).
_FINDING_STATE = "SELECT version_state FROM finding WHERE client_uuid = {}"
_SUPERSEDE_FINDING = "UPDATE finding SET version_state = 'superseded' WHERE client_uuid = {}"
_LINK_EVIDENCE = "INSERT INTO finding_evidence (finding, evidence) VALUES ({}, {})"


async def finding(ctx: CaptureContext, record: ClientRecord) -> FindingRecord:
    """Phát hiện: a catalogue code against a person, or against the unit when the
    catalogue allows (facilities, postings), with facts and photos already uploaded."""
    body = parse_payload(record.payload, FindingPayload)
    require_open(ctx)
    code = (body.violation_code or "").strip()
    if not code:
        raise Invalid("Phát hiện phải có mã hành vi vi phạm.", field="violation_code")
    observed_at = parse_moment(body.observed_at, "observed_at")
    check_moment(ctx, observed_at, "observed_at")
    kind = violation(code, observed_at)
    if body.official_id is None and not kind.for_unit:
        raise Invalid(
            f"Hành vi “{kind.label_vi}” phải gắn với một cán bộ cụ thể.", field="official_id"
        )
    if body.official_id is not None:
        await require_official(ctx, body.official_id)
        if not kind.for_person:
            raise Invalid(
                f"Hành vi “{kind.label_vi}” ghi nhận đối với đơn vị, không đối với cá nhân.",
                field="official_id",
            )
    hashes = list(dict.fromkeys(h.lower() for h in body.evidence))
    # Photos the syncing account uploaded itself: a hash alone proves nothing.
    by_hash = await owned(ctx.actor.id, hashes, field="evidence")
    version = await base_version(Finding, ctx, record.replaces)
    if record.replaces is not None:
        state = await db.raw(Finding, _FINDING_STATE, record.replaces)
        if state and state[0]["version_state"] == FindingVersion.WITHDRAWN:
            raise Conflict("Phát hiện này đã được rút lại; không thể sửa.", field="replaces")
        await db.write(Finding, _SUPERSEDE_FINDING, record.replaces)
    rule = kind.ref
    row = await insert_finding(
        ctx,
        {
            "client_uuid": record.uuid,
            "inspection": ctx.ref.id,
            "official": body.official_id,
            "unit": ctx.ref.unit_id,
            "attendance": None,
            "violation_code": kind.code,
            "rule_id": rule.id,
            "rule_version": rule.version,
            "legal_basis": rule.legal_basis,
            "explanation_vi": f"{kind.label_vi} (căn cứ: {rule.legal_basis})",
            "explanation_en": f"{kind.label_en} (legal basis: {rule.legal_basis})",
            "facts": body.facts.strip(),
            "observed_at": observed_at,
            "device_time": record.device_time,
            "version": version,
            "replaces": record.replaces,
            "version_state": FindingVersion.CURRENT,
            "recorded_by": ctx.actor.id,
            "created_at": ctx.now,
        },
    )
    for sha in hashes:
        await db.write(FindingEvidence, _LINK_EVIDENCE, row["id"], by_hash[sha])
    return finding_json(row, kind, hashes)


def violation(code: str, observed_at: datetime) -> ViolationType:
    try:
        return catalogue(clock.local(observed_at).date())[code]
    except PackNotFound:
        raise Invalid(
            "Không có danh mục hành vi vi phạm có hiệu lực vào thời điểm này.",
            field="observed_at",
        ) from None
    except KeyError:
        raise Invalid(
            f"Mã hành vi {code!r} không có trong danh mục có hiệu lực "
            f"ngày {clock.local(observed_at).date().strftime('%d/%m/%Y')}.",
            field="violation_code",
        ) from None
