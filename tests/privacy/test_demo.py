"""On the demo data, the demo official ``congchuc`` downloads a ZIP that holds what the
brief of a data subject expects: findings, a giải trình, photos, a rating and a
discipline case."""

from __future__ import annotations

import json
import zipfile

import pytest
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import User
from congvu.inspect.privacy import api as privacy

pytestmark = pytest.mark.anyio


async def test_the_demo_official_gets_a_full_download(demo_db: None) -> None:
    user = await User.select(User.id).where(User.username == "congchuc").first()
    actor = await organisation.actor_for(user["id"])
    assert actor is not None
    made = await privacy.export_personal_data(actor)
    try:
        with zipfile.ZipFile(made.path) as archive:
            index = json.loads(archive.read("index.json"))
            rows = {t["name"]: t["rows"] for t in index["tables"]}
            for table in ("phat_hien", "giai_trinh", "phieu_danh_gia", "ky_luat", "nhat_ky"):
                assert rows[f"du_lieu/{table}.json"] > 0, table
            photos = [f for f in index["files"] if f["kind"] == "photo"]
            assert photos and all(f["present"] for f in photos)
            for f in photos:
                assert archive.getinfo(f["name"]).file_size == f["bytes"] > 0
    finally:
        made.path.unlink()
