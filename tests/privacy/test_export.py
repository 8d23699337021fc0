"""Tải dữ liệu cá nhân over HTTP: the ZIP is opened with zipfile and its index and files
are checked against the database; who may download whose data; the download is
audited; a stored file that is gone is listed as absent."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.inspections.tables import Evidence, Finding
from congvu.inspect.review.tables import Explanation, FindingReview
from congvu.inspect.settings import get_settings

from tests.conftest import login
from tests.privacy.conftest import PrivacyWorld

pytestmark = pytest.mark.anyio


def _open(response: Any) -> zipfile.ZipFile:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "du-lieu-ca-nhan-A001-" in response.headers["content-disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def _table(archive: zipfile.ZipFile, name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(archive.read(f"du_lieu/{name}.json"))
    return rows


async def test_an_official_downloads_everything_held_about_them(client, pw: PrivacyWorld) -> None:
    await login(client, "official_a")
    archive = _open(await client.get("/personal-data/export"))

    index = json.loads(archive.read("index.json"))
    assert index["subject"]["code"] == "A001"
    assert index["on_behalf"] is False
    official_id = pw.rw.world.official_a.id
    findings = await Finding.select(Finding.id).where(Finding.official == official_id)
    assert [f["id"] for f in _table(archive, "phat_hien")] == [f["id"] for f in findings]
    (finding,) = _table(archive, "phat_hien")
    assert finding["legal_basis"] == "CT 05/2008/CT-TTg"
    assert finding["facts"] == "Ghi nhận tại quầy"
    review = await FindingReview.select(FindingReview.state, FindingReview.explanation_due).first()
    assert finding["review_state"] == review["state"] == "under_review"
    assert finding["explanation_due"] == review["explanation_due"].isoformat()
    (explanation,) = _table(archive, "giai_trinh")
    stored = await Explanation.select(Explanation.text).first()
    assert explanation["text"] == stored["text"] == "Tắc đường do mưa lớn."
    assert _table(archive, "ho_so")[0]["full_name"] == "Nguyễn Thị Lan"
    assert "password_hash" not in archive.read("du_lieu/tai_khoan.json").decode()

    # Every table as CSV with a BOM (Excel) and JSON, each hashed in the index.
    for table in index["tables"]:
        body = archive.read(table["name"])
        assert hashlib.sha256(body).hexdigest() == table["sha256"]
        if table["name"].endswith(".csv"):
            assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(archive.read("du_lieu/phat_hien.csv").decode()[1:])))
    assert rows[0]["violation_code"] == "LATE_ARRIVAL"

    # The photos as stored, byte for byte, with their sha256.
    photos = {f["sha256"]: f for f in index["files"] if f["kind"] == "photo"}
    assert set(photos) == {pw.finding_photo, pw.explanation_photo}
    for sha, entry in photos.items():
        kept = await Evidence.select(Evidence.stored_path).where(Evidence.sha256 == sha).first()
        data = archive.read(entry["name"])
        assert data == (get_settings().media_dir / kept["stored_path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha and entry["present"]

    # The audit events about their records, and the README that says what each file is.
    events = await AuditEvent.select(AuditEvent.id).where(
        AuditEvent.object_type == "finding", AuditEvent.object_id == str(pw.finding)
    )
    assert len(events) >= 2  # recorded, notified, explained
    exported = {(e["object_type"], e["object_id"], e["id"]) for e in _table(archive, "nhat_ky")}
    assert {("finding", str(pw.finding), e["id"]) for e in events} <= exported
    assert all(e[0] != "finding" or e[1] == str(pw.finding) for e in exported)
    readme = archive.read("README.txt").decode()
    assert "Nguyễn Thị Lan" in readme and "Luật Bảo vệ dữ liệu cá nhân" in readme
    assert pw.finding_photo in readme

    (event,) = await AuditEvent.select().where(AuditEvent.action == "personal_data_exported")
    assert (event["actor_username"], event["object_type"], event["object_id"]) == (
        "official_a",
        "official",
        str(official_id),
    )


async def test_nothing_about_someone_else_is_in_the_download(client, pw: PrivacyWorld) -> None:
    await login(client, "official_a")
    archive = _open(await client.get("/personal-data/export"))
    text = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("du_lieu/"))
    assert "Lê Văn Đức".encode() not in text and b"B001" not in text


async def test_a_personnel_officer_downloads_for_an_official_of_their_unit(
    client, pw: PrivacyWorld
) -> None:
    await login(client, "tochuc_a")
    archive = _open(await client.get("/personal-data/export", params={"code": "A001"}))
    assert json.loads(archive.read("index.json"))["on_behalf"] is True
    assert "thay mặt chủ thể dữ liệu" in archive.read("README.txt").decode()
    (event,) = await AuditEvent.select().where(AuditEvent.action == "personal_data_exported")
    assert event["actor_username"] == "tochuc_a"
    assert event["object_id"] == str(pw.rw.world.official_a.id)

    outside = await client.get("/personal-data/export", params={"code": "B001"})
    assert outside.status_code == 404
    unknown = await client.get("/personal-data/export", params={"code": "NOBODY"})
    assert unknown.status_code == 404
    alone = await client.get("/personal-data/export")  # no official of their own
    assert alone.status_code == 403


async def test_others_may_not_download_someone_elses_data(client, pw: PrivacyWorld) -> None:
    await login(client, "official_a")
    assert (await client.get("/personal-data/export", params={"code": "A002"})).status_code == 403
    own = await client.get("/personal-data/export", params={"code": "A001"})
    assert own.status_code == 200
    await login(client, "head_a")
    assert (await client.get("/personal-data/export", params={"code": "A001"})).status_code == 403


async def test_a_stored_file_that_is_gone_is_listed_as_absent(client, pw: PrivacyWorld) -> None:
    kept = (
        await Evidence.select(Evidence.stored_path)
        .where(Evidence.sha256 == pw.finding_photo)
        .first()
    )
    (get_settings().media_dir / kept["stored_path"]).unlink()
    await login(client, "official_a")
    archive = _open(await client.get("/personal-data/export"))
    index = json.loads(archive.read("index.json"))
    (gone,) = [f for f in index["files"] if f["sha256"] == pw.finding_photo]
    assert gone["present"] is False and gone["name"] not in archive.namelist()
    assert "KHÔNG CÒN TRÊN MÁY CHỦ" in archive.read("README.txt").decode()


async def test_the_notice_page_is_public_and_reads_the_retention_settings(client) -> None:
    response = await client.get("/privacy")
    assert response.status_code == 200
    settings = get_settings()
    assert f"{settings.retain_photos_days} ngày kể từ khi vụ việc khép lại" in response.text
    assert "91/2025/QH15" in response.text and "NĐ 172/2025" in response.text
    assert 'href="/personal-data/export"' in response.text
    login_page = await client.get("/login")
    assert 'href="/privacy"' in login_page.text
