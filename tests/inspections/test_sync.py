"""Capture through /api/v1/sync: every state change and every rejection, over HTTP."""

from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.capture.services import sync
from congvu.inspect.inspections.tables import (
    AttendanceCheck,
    Finding,
    Inspection,
    Signature,
    SyncConflict,
    SyncReceipt,
)
from congvu.inspect.organisation.tables import User

from tests.conftest import csrf, login
from tests.inspections.conftest import (
    InspectionWorld,
    lead_signature,
    new_uuid,
    record,
    send,
    send_one,
    start_record,
    submit_record,
)

pytestmark = pytest.mark.anyio


def attendance(iw: InspectionWorld, **payload: object) -> dict[str, object]:
    body = {"official_id": iw.world.official_a.id, "observed_at": iw.at(8, 30), **payload}
    return record("attendance", iw.inspection.id, body)


async def test_start_moves_the_inspection_to_in_progress_and_is_audited(client, iw) -> None:
    await login(client, "inspector")
    result = await send_one(client, start_record(iw))
    assert (result["status"], result["http_status"]) == ("created", 201)
    assert result["record"]["status"] == "in_progress"
    row = await Inspection.select().where(Inspection.id == iw.inspection.id).first()
    assert row["status"] == "in_progress"
    assert row["place"] == "Trụ sở UBND phường An Hòa"
    assert row["accuracy_m"] == 12.5
    assert await AuditEvent.exists().where(AuditEvent.action == "inspection_started")


async def test_a_start_outside_working_hours_needs_a_reason(client, iw) -> None:
    await login(client, "inspector")
    # 12:14 is in the lunch break of the default hours (11:30–13:30).
    lunch = start_record(iw, 12, 14)
    refused = await send_one(client, lunch)
    assert (refused["status"], refused["error"]["field"]) == ("rejected", "off_hours_reason")
    assert f"12:14 ngày {iw.day:%d/%m/%Y} trong giờ nghỉ trưa" in refused["error"]["message"]
    assert (await Inspection.select().where(Inspection.id == iw.inspection.id).first())[
        "status"
    ] == "planned"
    lunch["uuid"] = new_uuid()
    lunch["payload"]["off_hours_reason"] = "Kiểm tra việc trực trưa tại bộ phận một cửa"
    started = await send_one(client, lunch)
    assert started["status"] == "created", started
    assert started["record"]["off_hours_reason"] == lunch["payload"]["off_hours_reason"]
    row = await Inspection.select().where(Inspection.id == iw.inspection.id).first()
    assert row["off_hours_reason"] == "Kiểm tra việc trực trưa tại bộ phận một cửa"
    event = (
        await AuditEvent.select(AuditEvent.after)
        .where(AuditEvent.action == "inspection_started")
        .output(load_json=True)
        .first()
    )
    assert event["after"]["off_hours_reason"] == row["off_hours_reason"]


async def test_a_start_inside_working_hours_records_no_reason(client, iw) -> None:
    await login(client, "inspector")
    record = start_record(iw, 7, 30)  # the opening minute is inside the morning
    record["payload"]["off_hours_reason"] = "   "
    started = await send_one(client, record)
    assert started["status"] == "created", started
    assert started["record"]["off_hours_reason"] == ""


async def test_a_reason_recorded_when_planning_covers_the_start(client, iw) -> None:
    await Inspection.update({Inspection.off_hours_reason: "Ca trực tối"}).where(
        Inspection.id == iw.inspection.id
    )
    await login(client, "inspector")
    started = await send_one(client, start_record(iw, 18, 5))  # after closing (17:00)
    assert started["status"] == "created", started
    assert started["record"]["off_hours_reason"] == "Ca trực tối"


async def test_starting_twice_is_a_conflict(client, iw) -> None:
    await login(client, "inspector")
    await send_one(client, start_record(iw))
    again = await send_one(client, start_record(iw, 9, 0))
    assert (again["status"], again["http_status"]) == ("conflict", 409)


async def test_late_arrival_is_judged_and_becomes_a_finding_with_its_rule(client, iw) -> None:
    await login(client, "inspector")
    await send_one(client, start_record(iw))
    result = await send_one(client, attendance(iw, status="late", arrival_time="08:21"))
    assert result["status"] == "created", result
    verdict = result["record"]["verdict"]
    assert verdict["status"] == "LATE"
    assert verdict["minutes"] == 51
    assert verdict["violation_code"] == "LATE_ARRIVAL"
    assert "muộn 51 phút" in verdict["explanation_vi"]
    assert "07:30" in verdict["explanation_vi"]
    assert verdict["rule"]["id"] == "working_hours"
    assert verdict["rule"]["version"] == "2025.1"
    check = await AttendanceCheck.select().first()
    assert (check["rule_id"], check["rule_version"], check["minutes"]) == (
        "working_hours",
        "2025.1",
        51,
    )
    assert "muộn 51 phút" in check["explanation_vi"]
    finding = await Finding.select().first()
    assert finding["violation_code"] == "LATE_ARRIVAL"
    assert finding["official"] == iw.world.official_a.id
    assert (finding["rule_id"], finding["rule_version"]) == ("conduct.LATE_ARRIVAL", "2025.1")
    assert "muộn 51 phút" in finding["explanation_vi"]
    assert finding["attendance"] == check["id"]


async def test_on_time_and_approved_absence_create_no_finding(client, iw) -> None:
    await login(client, "inspector")
    present, away = await send(
        client,
        attendance(iw, status="present", arrival_time="07:25"),
        attendance(iw, status="away", away_kind="business_trip", reason="Họp tại Sở Tư pháp"),
    )
    assert present["record"]["verdict"]["status"] == "ON_TIME"
    assert away["record"]["verdict"]["status"] == "AWAY_APPROVED"
    assert await Finding.count() == 0


async def test_duplicate_returns_the_original_response_and_creates_nothing(client, iw) -> None:
    await login(client, "inspector")
    rec = attendance(iw, status="late", arrival_time="08:21")
    first = await send_one(client, rec)
    counts = (await AttendanceCheck.count(), await Finding.count(), await SyncReceipt.count())
    second = await send_one(client, rec)
    assert (second["status"], second["http_status"]) == ("duplicate", 200)
    assert second["record"] == first["record"]
    assert counts == (
        await AttendanceCheck.count(),
        await Finding.count(),
        await SyncReceipt.count(),
    )


async def test_same_uuid_with_other_content_is_a_conflict_and_kept(client, iw) -> None:
    await login(client, "inspector")
    rec = attendance(iw, status="late", arrival_time="08:21")
    await send_one(client, rec)
    tampered = {**rec, "payload": {**rec["payload"], "arrival_time": "07:31"}}
    result = await send_one(client, tampered)
    assert (result["status"], result["http_status"]) == ("conflict", 409)
    assert result["error"]["field"] == "uuid"
    check = await AttendanceCheck.select().first()
    assert check["minutes"] == 51  # the original is untouched
    assert await AttendanceCheck.count() == 1
    conflict = await SyncConflict.select().output(load_json=True).first()
    assert str(conflict["client_uuid"]) == rec["uuid"]
    assert conflict["rejected_payload"]["payload"]["arrival_time"] == "07:31"
    await login(client, "lead")
    listed = (await client.get(f"/api/v1/sync/conflicts?inspection_id={iw.inspection.id}")).json()
    assert [c["client_uuid"] for c in listed] == [rec["uuid"]]
    # Reading them is audited: who read which conflicts, of which inspection.
    read = await (
        AuditEvent.select()
        .where(AuditEvent.action == "sync_conflicts_viewed")
        .output(load_json=True)
        .first()
    )
    assert (read["actor_username"], read["object_type"]) == ("lead", "inspection")
    assert read["object_id"] == str(iw.inspection.id)
    assert read["after"] == {"conflict_ids": [conflict["id"]]}


async def test_an_edit_names_the_latest_version_and_a_stale_edit_is_409(client, iw) -> None:
    await login(client, "inspector")
    original = attendance(iw, status="late", arrival_time="08:21")
    await send_one(client, original)
    edit = attendance(iw, status="late", arrival_time="08:05")
    edit["replaces"] = original["uuid"]
    result = await send_one(client, edit)
    assert result["status"] == "created"
    assert result["record"]["version"] == 2
    assert result["record"]["verdict"]["minutes"] == 35
    stale = attendance(iw, status="present", arrival_time="07:00")
    stale["replaces"] = original["uuid"]
    rejected = await send_one(client, stale)
    assert (rejected["status"], rejected["http_status"]) == ("conflict", 409)
    assert rejected["error"]["field"] == "replaces"
    findings = await Finding.select(Finding.version_state, Finding.version).order_by(Finding.id)
    assert [(f["version_state"], f["version"]) for f in findings] == [
        ("superseded", 1),
        ("current", 2),
    ]
    # Kept in the conflict ledger for a reviewer, like any other conflict.
    kept = await SyncConflict.select().output(load_json=True)
    assert [(str(c["client_uuid"]), c["rejected_payload"]["replaces"]) for c in kept] == [
        (stale["uuid"], original["uuid"])
    ]
    await login(client, "lead")
    listed = (await client.get(f"/api/v1/sync/conflicts?inspection_id={iw.inspection.id}")).json()
    assert [c["client_uuid"] for c in listed] == [stale["uuid"]]


def _hotline_finding(iw: InspectionWorld) -> dict[str, Any]:
    return record(
        "finding",
        iw.inspection.id,
        {
            "official_id": None,
            "violation_code": "NO_HOTLINE_POSTED",
            "facts": "Không niêm yết số đường dây nóng",
            "observed_at": iw.at(9, 0),
        },
    )


async def test_a_resend_that_only_spells_out_a_default_is_the_same_content(client, iw) -> None:
    await login(client, "inspector")
    await send_one(client, start_record(iw))
    rec = _hotline_finding(iw)
    first = await send_one(client, rec)
    assert first["status"] == "created"
    spelled = {**rec, "payload": {**rec["payload"], "evidence": [], "official_id": None}}
    again = await send_one(client, spelled)
    assert (again["status"], again["http_status"]) == ("duplicate", 200)
    assert again["record"] == first["record"]
    assert await SyncConflict.count() == 0
    assert await Finding.count() == 1


async def test_a_receipt_hashed_before_canonicalisation_still_answers_its_resend(
    client, iw
) -> None:
    await login(client, "inspector")
    await send_one(client, start_record(iw))
    rec = _hotline_finding(iw)
    rec["payload"]["evidence"] = []
    first = await send_one(client, rec)
    incoming = sync.IncomingRecord(
        uuid=rec["uuid"],
        type=rec["type"],
        inspection_id=rec["inspection_id"],
        payload=rec["payload"],
        replaces=rec["replaces"],
    )
    # As an earlier release stored it: the hash of the payload as it was sent.
    await SyncReceipt.update({SyncReceipt.content_hash: _legacy_hash(incoming)}).where(
        SyncReceipt.id == uuid.UUID(rec["uuid"])
    )
    again = await send_one(client, rec)
    assert (again["status"], again["record"]) == ("duplicate", first["record"])
    assert await SyncConflict.count() == 0


def _legacy_hash(record: sync.IncomingRecord) -> str:
    text = json.dumps(
        {
            "type": record.type,
            "inspection_id": record.inspection_id,
            "replaces": record.replaces,
            "payload": record.payload,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


async def test_one_bad_record_does_not_lose_the_good_ones(client, iw) -> None:
    await login(client, "inspector")
    good, bad, also_good = await send(
        client,
        attendance(iw, status="absent"),
        attendance(iw, status="late"),  # no arrival time
        record(
            "finding",
            iw.inspection.id,
            {
                "official_id": None,
                "violation_code": "NO_HOTLINE_POSTED",
                "observed_at": iw.at(9, 0),
            },
        ),
    )
    assert good["status"] == also_good["status"] == "created"
    assert (bad["status"], bad["http_status"], bad["error"]["field"]) == (
        "rejected",
        400,
        "arrival_time",
    )
    assert await AttendanceCheck.count() == 1


async def test_unknown_official_is_404_on_official_id(client, iw) -> None:
    await login(client, "inspector")
    for official_id in (iw.world.official_b.id, 999_999):  # commune B's official, nobody
        result = await send_one(client, attendance(iw, status="absent", official_id=official_id))
        assert (result["http_status"], result["error"]["field"]) == (404, "official_id")


@pytest.mark.parametrize("username", ["head_b", "inspector2", "admin"])
async def test_an_inspection_not_assigned_to_the_user_is_404(client, iw, username) -> None:
    await login(client, username)
    result = await send_one(client, attendance(iw, status="absent"))
    assert (result["http_status"], result["error"]["field"]) == (404, "inspection_id")
    assert await AttendanceCheck.count() == 0
    assert (await client.get("/api/v1/inspections/assigned")).json() == []


async def test_a_timestamp_in_the_future_or_before_the_day_is_rejected(client, iw) -> None:
    from datetime import datetime, timedelta

    from congvu.inspect.settings import get_settings

    await login(client, "inspector")
    future = (datetime.now(get_settings().zone) + timedelta(minutes=30)).isoformat()
    before = iw.at(8, 0).replace(str(iw.day), str(iw.day - timedelta(days=1)))
    for moment in (future, before):
        result = await send_one(client, attendance(iw, status="absent", observed_at=moment))
        assert (result["http_status"], result["error"]["field"]) == (400, "observed_at")
    skewed = (datetime.now(get_settings().zone) + timedelta(minutes=3)).isoformat()
    ok = await send_one(client, attendance(iw, status="absent", observed_at=skewed))
    assert ok["status"] == "created"


async def test_a_finding_needs_a_violation_code_from_the_catalogue(client, iw) -> None:
    await login(client, "inspector")
    base = {"official_id": iw.world.official_a.id, "facts": "…", "observed_at": iw.at(9, 0)}
    missing, unknown, unit_only = await send(
        client,
        record("finding", iw.inspection.id, base),
        record("finding", iw.inspection.id, {**base, "violation_code": "NOT_A_CODE"}),
        record(
            "finding", iw.inspection.id, {**base, "official_id": None, "violation_code": "NO_CARD"}
        ),
    )
    assert (missing["http_status"], missing["error"]["field"]) == (400, "violation_code")
    assert (unknown["http_status"], unknown["error"]["field"]) == (400, "violation_code")
    assert (unit_only["http_status"], unit_only["error"]["field"]) == (400, "official_id")
    assert await Finding.count() == 0


async def test_a_person_finding_stores_the_rule_and_its_legal_basis(client, iw) -> None:
    await login(client, "inspector")
    result = await send_one(
        client,
        record(
            "finding",
            iw.inspection.id,
            {
                "official_id": iw.world.official_a.id,
                "violation_code": "NO_CARD",
                "facts": "Không đeo thẻ công chức khi tiếp công dân tại Quầy 01",
                "observed_at": iw.at(9, 10),
                "evidence": [],
            },
        ),
    )
    assert result["status"] == "created"
    stored = await Finding.select().first()
    assert stored["rule_id"] == "conduct.NO_CARD"
    assert stored["rule_version"] == "2025.1"
    assert "CT 26" in stored["legal_basis"]
    assert stored["version_state"] == "current"


async def test_a_finding_with_a_photo_not_uploaded_yet_is_rejected(client, iw) -> None:
    await login(client, "inspector")
    result = await send_one(
        client,
        record(
            "finding",
            iw.inspection.id,
            {
                "official_id": None,
                "violation_code": "FACILITY_UNTIDY",
                "observed_at": iw.at(9, 0),
                "evidence": ["a" * 64],
            },
        ),
    )
    assert (result["http_status"], result["error"]["field"]) == (400, "evidence")


async def test_refusing_to_sign_needs_a_witness(client, iw) -> None:
    await login(client, "inspector")
    payload = {"role": "unit_representative", "name": "Trần Văn Hùng", "refused": True}
    refused = await send_one(client, record("signature", iw.inspection.id, payload))
    assert (refused["http_status"], refused["error"]["field"]) == (400, "witness_name")
    witnessed = await send_one(
        client,
        record("signature", iw.inspection.id, {**payload, "witness_name": "Lê Thị Mai"}),
    )
    assert witnessed["status"] == "created"
    assert (await Signature.select().first())["witness_name"] == "Lê Thị Mai"


async def test_a_signature_image_is_stored_as_a_png_file(client, iw) -> None:
    import base64
    import io

    from congvu.inspect.settings import get_settings
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    await login(client, "inspector")
    result = await send_one(
        client,
        record(
            "signature",
            iw.inspection.id,
            {
                "role": "team_lead",
                "name": "Phạm Văn Trưởng",
                "image_png_base64": base64.b64encode(buffer.getvalue()).decode(),
            },
        ),
    )
    assert result["record"]["has_image"] is True
    path = (await Signature.select(Signature.image_path).first())["image_path"]
    assert (get_settings().media_dir / path).read_bytes() == buffer.getvalue()


async def test_submit_needs_start_and_the_lead_signature_and_happens_once(client, iw) -> None:
    await login(client, "inspector")
    submit = submit_record(iw)
    not_started = await send_one(client, submit)
    assert not_started["http_status"] == 409
    await send_one(client, start_record(iw))
    unsigned = await send_one(client, submit_record(iw))
    assert (unsigned["http_status"], unsigned["error"]["field"]) == (400, "signature")
    await send_one(client, lead_signature(iw))
    done = await send_one(client, submit_record(iw))
    assert done["status"] == "created", done
    assert done["record"]["minutes_number"].endswith("/BB-ĐKTCV")
    row = await Inspection.select().where(Inspection.id == iw.inspection.id).first()
    assert row["status"] == "submitted"
    twice = await send_one(client, submit_record(iw))
    assert (twice["status"], twice["http_status"]) == ("conflict", 409)
    late = await send_one(client, attendance(iw, status="absent"))
    assert late["http_status"] == 409
    assert await AuditEvent.exists().where(AuditEvent.action == "inspection_submitted")


async def test_a_record_of_unknown_type_or_bad_uuid_is_rejected_alone(client, iw) -> None:
    await login(client, "inspector")
    odd = record("coffee", iw.inspection.id, {})
    bad_uuid = {**attendance(iw, status="absent"), "uuid": "not-a-uuid"}
    fine = attendance(iw, status="absent")
    results = await send(client, odd, bad_uuid, fine)
    assert [(r["http_status"], (r["error"] or {}).get("field")) for r in results] == [
        (400, "type"),
        (400, "uuid"),
        (201, None),
    ]


async def test_a_start_and_records_in_one_batch_work_offline_style(client, iw) -> None:
    await login(client, "inspector")
    results = await send(
        client,
        start_record(iw),
        attendance(iw, status="late", arrival_time="08:21"),
        lead_signature(iw),
        submit_record(iw),
    )
    assert [r["status"] for r in results] == ["created"] * 4, results
    assert uuid.UUID(results[0]["uuid"])


def unit_finding(iw: InspectionWorld, hour: int = 9) -> dict[str, object]:
    payload = {
        "official_id": None,
        "violation_code": "NO_HOTLINE_POSTED",
        "observed_at": iw.at(hour, 0),
    }
    return record("finding", iw.inspection.id, payload)


async def test_a_disabled_account_can_capture_nothing_more_at_once(client, iw) -> None:
    """The session's actor is reused for a moment (see SessionActors), but a capture
    write reads the account with the team: disabling it stops the very next record."""
    await login(client, "inspector")
    assert (await send_one(client, unit_finding(iw)))["status"] == "created"
    await User.update({User.active: False}).where(User.username == "inspector")
    alone = await send_one(client, unit_finding(iw, 10))
    in_batch = await send(client, unit_finding(iw, 10), unit_finding(iw, 11))
    for result in (alone, *in_batch):
        assert (result["http_status"], result["error"]["field"]) == (404, "inspection_id")
    assert await Finding.count() == 1


@pytest.mark.parametrize("alone", [True, False], ids=["alone", "in a batch"])
async def test_a_record_that_loses_the_race_to_its_uuid_is_undone_and_answered_again(
    client, iw, monkeypatch, alone: bool
) -> None:
    """A concurrent request stored a receipt for the same UUID after this one looked:
    the finding and audit event already written are undone, the answer is the
    conflict the stored receipt calls for, and a batch keeps its other records."""
    await login(client, "inspector")
    taken = start_record(iw)
    assert (await send_one(client, taken))["status"] == "created"
    real_receipt_of = sync._receipt_of
    looked = []

    # Every look at a receipt (a batch's and a record alone's) reads its row through
    # _receipt_of. A record alone looks twice (its receipt alone, outside any
    # transaction, then with its context inside it); the twin commits after the last.
    misses = 2 if alone else 1

    def receipt_of_before_the_twin_committed(record_id: uuid.UUID, row: dict) -> object:
        found = real_receipt_of(record_id, row)
        if len(looked) < misses:
            looked.append(True)
            return None
        return found

    monkeypatch.setattr(sync, "_receipt_of", receipt_of_before_the_twin_committed)
    rival = {**unit_finding(iw), "uuid": taken["uuid"]}
    other = unit_finding(iw, 10)
    results = await send(client, rival) if alone else await send(client, rival, other)
    assert (results[0]["status"], results[0]["http_status"]) == ("conflict", 409)
    assert await SyncConflict.count() == 1
    kept = await Finding.select(Finding.client_uuid)
    assert [str(f["client_uuid"]) for f in kept] == ([] if alone else [other["uuid"]])
    audited = await AuditEvent.count().where(AuditEvent.action == "finding_recorded")
    assert audited == len(kept)
    assert looked  # the race was staged


async def test_a_finding_sent_alone_is_written_whole_with_its_edit_and_audit(client, iw) -> None:
    """The path of a finding sent on its own (one statement on PostgreSQL): the edit
    supersedes the version it names, a stale edit is 409 and writes nothing, and each
    version has its audit event and its receipt."""
    await login(client, "inspector")
    await send_one(client, start_record(iw))
    original = unit_finding(iw)
    created = await send_one(client, original)
    assert created["status"] == "created"
    edit = {**unit_finding(iw, 10), "replaces": original["uuid"]}
    edited = await send_one(client, edit)
    assert (edited["status"], edited["record"]["version"]) == ("created", 2)
    assert edited["record"]["id"] != created["record"]["id"]
    stale = {**unit_finding(iw, 11), "replaces": original["uuid"]}
    rejected = await send_one(client, stale)
    assert (rejected["http_status"], rejected["error"]["field"]) == (409, "replaces")

    findings = await Finding.select(Finding.id, Finding.version_state, Finding.version).order_by(
        Finding.id
    )
    assert [(f["version_state"], f["version"]) for f in findings] == [
        ("superseded", 1),
        ("current", 2),
    ]
    assert [f["id"] for f in findings] == [created["record"]["id"], edited["record"]["id"]]
    events = await AuditEvent.select(AuditEvent.object_id).where(
        AuditEvent.action == "finding_recorded"
    )
    assert sorted(e["object_id"] for e in events) == sorted(str(f["id"]) for f in findings)
    receipts = await SyncReceipt.select(SyncReceipt.id)
    assert {str(r["id"]) for r in receipts} >= {original["uuid"], edit["uuid"]}
    assert stale["uuid"] not in {str(r["id"]) for r in receipts}


async def test_a_duplicate_answers_the_original_record_byte_for_byte(client, iw) -> None:
    # The receipt's JSON is replayed as stored: same keys, same order, same values as
    # the answer the record got when it was created (nested verdict and finding too).
    await login(client, "inspector")
    body = {"records": [attendance(iw, status="late", arrival_time="08:21")]}
    first = await client.post("/api/v1/sync", json=body, headers=csrf(client))
    again = await client.post("/api/v1/sync", json=body, headers=csrf(client))
    created = first.text.replace('"status":"created","http_status":201', "")
    duplicate = again.text.replace('"status":"duplicate","http_status":200', "")
    assert '"violation_code":"' in created
    assert duplicate == created


async def test_the_schema_names_each_record_type_and_its_fields(client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    components = schema["components"]["schemas"]
    answer = schema["paths"]["/api/v1/sync"]["post"]["responses"]["200"]["content"]
    assert answer["application/json"]["schema"] == {"$ref": "#/components/schemas/SyncAnswer"}
    record = components["RecordResult"]["properties"]["record"]["oneOf"]
    assert {r.get("$ref", "").rpartition("/")[2] for r in record} == {
        "StartRecord",
        "AttendanceRecord",
        "FindingRecord",
        "FindingWithdrawalRecord",
        "SignatureRecord",
        "SubmitRecord",
        "",  # null: a refused record has none
    }
    finding = components["FindingRecord"]["properties"]
    assert finding["type"] == {"type": "string", "const": "finding"}
    assert finding["violation_code"] == {"type": "string"}
    assert finding["rule"] == {"$ref": "#/components/schemas/RuleRecord"}
    assert set(components["RuleRecord"]["properties"]) == {"id", "version", "legal_basis"}
    verdict = components["AttendanceRecord"]["properties"]["verdict"]
    assert verdict == {"$ref": "#/components/schemas/VerdictRecord"}
    assert "minutes" in components["VerdictRecord"]["properties"]
    assert "minutes_number" in components["SubmitRecord"]["properties"]
    withdrawal = components["FindingWithdrawalRecord"]["properties"]
    assert withdrawal["type"] == {"type": "string", "const": "withdrawal"}
    assert {"finding_uuid", "reason"} <= set(withdrawal)


async def test_submit_lists_the_unmarked_and_records_the_confirmation(client, iw) -> None:
    """Nobody of the roster leaves the minutes silently: a submit that leaves people
    unmarked names them and is refused until the team lead confirms exactly them."""
    await login(client, "inspector")
    await send(client, start_record(iw), attendance(iw, status="present"), lead_signature(iw))
    head = [i for i in iw.roster if i != iw.world.official_a.id]
    silent = await send_one(client, record("submit", iw.inspection.id, {}))
    assert (silent["http_status"], silent["error"]["field"]) == (400, "unmarked_confirmed")
    assert "Còn 1 người chưa điểm danh: Trần Văn Hùng." in silent["error"]["message"]
    # Confirming somebody else does not cover the one left out.
    wrong = await send_one(client, submit_record(iw, [iw.world.official_a.id]))
    assert wrong["http_status"] == 400 and "Trần Văn Hùng" in wrong["error"]["message"]
    done = await send_one(client, submit_record(iw, head))
    assert done["http_status"] == 201, done
    row = (
        await Inspection.select(Inspection.unmarked_at_submit)
        .where(Inspection.id == iw.inspection.id)
        .output(load_json=True)
        .first()
    )
    assert row == {"unmarked_at_submit": head}
    event = (
        await AuditEvent.select(AuditEvent.after)
        .where(AuditEvent.action == "inspection_submitted")
        .output(load_json=True)
        .first()
    )
    assert event is not None and event["after"]["unmarked_confirmed"] == head


async def test_everyone_marked_needs_no_confirmation(client, iw) -> None:
    await login(client, "inspector")
    marks = [
        record(
            "attendance",
            iw.inspection.id,
            {"official_id": official, "status": "present", "observed_at": iw.at(8, 0)},
        )
        for official in iw.roster
    ]
    await send(client, start_record(iw), *marks, lead_signature(iw))
    done = await send_one(client, record("submit", iw.inspection.id, {}))
    assert done["http_status"] == 201, done


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("Phạm Văn Trưởng", 201),
        # Decomposed diacritics and stray spaces, as some tablet keyboards send them.
        (unicodedata.normalize("NFD", " phạm  văn TRƯỞNG "), 201),
        ("Nguyễn Văn Khác", 400),
    ],
)
async def test_the_team_lead_signs_under_the_team_leads_name(client, iw, name, status) -> None:
    await login(client, "inspector")
    await send(client, start_record(iw))
    signed = await send_one(
        client,
        record(
            "signature",
            iw.inspection.id,
            {"role": "team_lead", "name": name, "refused": False},
        ),
    )
    assert signed["http_status"] == status, signed
    if status == 400:
        assert signed["error"]["field"] == "name"
        assert "Phạm Văn Trưởng" in signed["error"]["message"]


async def test_the_tablet_gets_the_team_lead_name(client, iw) -> None:
    await login(client, "inspector")
    (assigned,) = (await client.get("/api/v1/inspections/assigned")).json()
    assert assigned["team_lead"] == "Phạm Văn Trưởng"


def _withdrawal(iw: InspectionWorld, finding_uuid: str, reason: str = "Chọn nhầm hành vi") -> dict:
    return record("withdrawal", iw.inspection.id, {"reason": reason}, finding_uuid)


async def test_a_finding_recorded_by_mistake_is_withdrawn_and_kept(client, iw) -> None:
    """Withdrawn, not deleted: the row stays marked withdrawn with the reason audited, and
    the minutes no longer list it."""
    await login(client, "inspector")
    mistaken = unit_finding(iw)
    await send(client, start_record(iw), mistaken)
    no_reason = await send_one(client, _withdrawal(iw, mistaken["uuid"], reason="  "))
    assert (no_reason["http_status"], no_reason["error"]["field"]) == (400, "reason")
    done = await send_one(client, _withdrawal(iw, mistaken["uuid"]))
    assert done["http_status"] == 201, done
    assert done["record"]["version_state"] == "withdrawn"
    row = (
        await Finding.select(Finding.id, Finding.version_state)
        .where(Finding.client_uuid == mistaken["uuid"])
        .first()
    )
    assert row is not None and row["version_state"] == "withdrawn"
    event = (
        await AuditEvent.select(AuditEvent.reason)
        .where(AuditEvent.action == "finding_withdrawn", AuditEvent.object_id == str(row["id"]))
        .first()
    )
    assert event == {"reason": "Chọn nhầm hành vi"}
    again = await send_one(client, _withdrawal(iw, mistaken["uuid"]))
    assert again["http_status"] == 409
    edit = record(
        "finding",
        iw.inspection.id,
        {"official_id": None, "violation_code": "NO_HOTLINE_POSTED", "observed_at": iw.at(9, 0)},
        mistaken["uuid"],
    )
    assert (await send_one(client, edit))["http_status"] == 409
    await send(client, lead_signature(iw), submit_record(iw))
    minutes = (await client.get(f"/inspections/{iw.inspection.id}/minutes")).text
    assert "Không niêm yết" not in minutes


async def test_an_edited_finding_keeps_its_history_and_only_the_latest_counts(client, iw) -> None:
    await login(client, "inspector")
    first = record(
        "finding",
        iw.inspection.id,
        {
            "official_id": iw.world.official_a.id,
            "violation_code": "NO_CARD",
            "facts": "Không đeo thẻ",
            "observed_at": iw.at(9, 0),
        },
    )
    await send(client, start_record(iw), first)
    fixed = record(
        "finding",
        iw.inspection.id,
        {
            "official_id": None,
            "violation_code": "NO_HOTLINE_POSTED",
            "facts": "Không niêm yết số đường dây nóng",
            "observed_at": iw.at(9, 0),
        },
        first["uuid"],
    )
    answer = await send_one(client, fixed)
    assert answer["http_status"] == 201, answer
    rows = (
        await Finding.select(Finding.violation_code, Finding.version_state, Finding.version)
        .where(Finding.inspection == iw.inspection.id)
        .order_by(Finding.version)
    )
    assert [(r["violation_code"], r["version_state"], r["version"]) for r in rows] == [
        ("NO_CARD", "superseded", 1),
        ("NO_HOTLINE_POSTED", "current", 2),
    ]
    # An edit of the outdated version is a conflict, kept for the reviewers.
    stale = record("finding", iw.inspection.id, dict(fixed["payload"]), first["uuid"])
    assert (await send_one(client, stale))["http_status"] == 409
    assert await SyncConflict.count() >= 1


async def test_a_finding_made_by_attendance_is_corrected_through_the_attendance(client, iw) -> None:
    await login(client, "inspector")
    late = attendance(iw, status="late", arrival_time="08:21")
    results = await send(client, start_record(iw), late)
    made = results[1]["record"]["finding"]
    assert made is not None
    refused = await send_one(client, _withdrawal(iw, made["uuid"]))
    assert (refused["http_status"], refused["error"]["field"]) == (400, "replaces")
    assert "sửa điểm danh" in refused["error"]["message"]


async def test_nothing_is_withdrawn_after_the_minutes_are_submitted(client, iw) -> None:
    await login(client, "inspector")
    finding = unit_finding(iw)
    await send(client, start_record(iw), finding, lead_signature(iw), submit_record(iw))
    late = await send_one(client, _withdrawal(iw, finding["uuid"]))
    assert late["http_status"] == 409
    row = (
        await Finding.select(Finding.version_state)
        .where(Finding.client_uuid == finding["uuid"])
        .first()
    )
    assert row == {"version_state": "current"}
