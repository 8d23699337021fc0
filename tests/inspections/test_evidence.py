"""Evidence photos: upload by content hash, magic bytes, caps, EXIF, no duplicate files."""

from __future__ import annotations

import hashlib
import io

import pytest
from congvu.inspect.inspections.tables import Evidence, Finding, FindingEvidence
from congvu.inspect.settings import get_settings
from PIL import Image

from tests.conftest import csrf, login
from tests.inspections.conftest import record, send_one

pytestmark = pytest.mark.anyio


def jpeg_with_exif(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "2026:03:05 08:21:07"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (18.0, 40.0, 12.0)
    gps[3], gps[4] = "E", (105.0, 41.0, 24.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


async def put(client, body: bytes, sha: str | None = None, content_type: str = "image/jpeg"):
    sha = sha or hashlib.sha256(body).hexdigest()
    return await client.put(
        f"/api/v1/evidence/{sha}",
        content=body,
        headers={
            **csrf(client),
            "content-type": content_type,
            "x-device-time": "2026-03-05T08:22:00+07:00",
        },
    )


def stored_files() -> list[str]:
    root = get_settings().media_dir / "evidence"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_a_photo_is_stored_once_with_its_exif_and_retries_do_not_duplicate(
    client, iw
) -> None:
    await login(client, "inspector")
    body = jpeg_with_exif()
    sha = hashlib.sha256(body).hexdigest()
    first = await put(client, body)
    assert first.status_code == 201, first.text
    data = first.json()
    assert (data["width"], data["height"], data["media_type"]) == (64, 48, "image/jpeg")
    assert data["exif_taken_at"].startswith("2026-03-05T08:21:07")
    assert data["exif_lat"] == pytest.approx(18.67, abs=1e-3)
    assert data["exif_lon"] == pytest.approx(105.69, abs=1e-3)
    assert data["device_time"].startswith("2026-03-05T01:22:00")
    again = await put(client, body)
    assert again.status_code == 200
    assert await Evidence.count() == 1
    assert stored_files() == [f"{sha}.jpg"]
    assert not [p for p in stored_files() if p.startswith(".upload-")]
    path = get_settings().media_dir / "evidence" / sha[:2] / sha[2:4] / f"{sha}.jpg"
    assert path.read_bytes() == body
    download = await client.get(f"/api/v1/evidence/{sha}")
    assert download.content == body


async def test_a_hash_that_does_not_match_the_body_is_400_on_sha256(client, iw) -> None:
    await login(client, "inspector")
    response = await put(client, jpeg_with_exif(), sha="0" * 64)
    assert response.status_code == 400
    assert response.json()["field"] == "sha256"
    assert await Evidence.count() == 0
    assert stored_files() == []


async def test_bytes_that_are_not_an_image_are_refused_whatever_the_header(client, iw) -> None:
    await login(client, "inspector")
    for body in (b"<?php echo 'x'; ?>" * 10, b"\xff\xd8\xff\xe0 but not really a jpeg"):
        response = await put(client, body, content_type="image/jpeg")
        assert response.status_code == 415
        assert response.json()["field"] == "body"
    assert await Evidence.count() == 0


async def test_a_photo_over_10_mb_is_413(client, iw) -> None:
    await login(client, "inspector")
    body = b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024)
    response = await put(client, body)
    assert response.status_code == 413
    assert response.json()["field"] == "body"


async def test_an_image_over_40_megapixels_is_413(client, iw) -> None:
    # A tiny PNG that claims 8000×6000 pixels: a decompression bomb in the making.
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG", optimize=True)
    await login(client, "inspector")
    response = await put(client, buffer.getvalue(), content_type="image/png")
    assert response.status_code == 413
    assert await Evidence.count() == 0


async def test_a_finding_links_uploaded_photos(client, iw) -> None:
    await login(client, "inspector")
    body = jpeg_with_exif()
    sha = hashlib.sha256(body).hexdigest()
    await put(client, body)
    result = await send_one(
        client,
        record(
            "finding",
            iw.inspection.id,
            {
                "official_id": None,
                "violation_code": "NO_HOTLINE_POSTED",
                "facts": "Không niêm yết số điện thoại đường dây nóng",
                "observed_at": iw.at(9, 0),
                "evidence": [sha.upper()],
            },
        ),
    )
    assert result["status"] == "created", result
    assert result["record"]["evidence"] == [sha]
    link = await FindingEvidence.select(
        FindingEvidence.finding, FindingEvidence.evidence.sha256
    ).first()
    assert link["evidence.sha256"] == sha
    assert link["finding"] == (await Finding.select(Finding.id).first())["id"]


async def test_a_unit_head_may_not_upload(client, iw) -> None:
    await login(client, "head_a")
    assert (await put(client, jpeg_with_exif())).status_code == 403
