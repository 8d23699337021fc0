"""Everything congvu holds about one official, read through each domain's api: the
tables of the export, the audit events about those records, and the stored files
(photos and signatures) with where they are kept. Reading is async and cheap (a
constant number of queries per domain); the files are only named here, never read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from congvu.inspect.audit import api as audit
from congvu.inspect.discipline import api as discipline
from congvu.inspect.emulation import api as emulation
from congvu.inspect.inspections import api as inspections
from congvu.inspect.organisation import api as organisation
from congvu.inspect.review import api as review

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class StoredFile:
    """A photo or a signature image as stored: copied into the ZIP, hash in the index."""

    kind: str  # "photo" | "signature"
    source: Path  # absolute, under the media directory
    name: str  # its path inside the ZIP
    concerns: str  # what it documents: "finding 12", "explanation 3", "inspection 7"
    sha256: str | None  # the photo's content address; a signature's is computed on copy


@dataclass
class PersonalData:
    profile: dict[str, Any]
    tables: dict[str, Rows] = field(default_factory=dict)
    files: list[StoredFile] = field(default_factory=list)


async def gather(official_id: int, media_dir: Path) -> PersonalData:
    profile = await organisation.official_profile(official_id)
    accounts = await organisation.official_accounts(official_id)
    findings = await review.findings_about(official_id)
    explanations = await review.explanations_about(official_id)
    photos = await review.photos_about(official_id)
    attendance = await inspections.attendance_of(official_id)
    signatures = await inspections.signatures_of(profile["full_name"], profile["unit.id"])
    ratings = await emulation.ratings_about(official_id)
    cases = await discipline.cases_about(official_id)
    objects: list[tuple[str, str]] = [("official", str(official_id))]
    objects += [("account", str(a["id"])) for a in accounts]
    objects += [("finding", str(f["id"])) for f in findings]
    objects += [("discipline_case", str(c["id"])) for c in cases["cases"]]
    objects += [("rating_sheet", s["key"]) for s in ratings["sheets"]]
    events = await audit.events_about(objects)
    data = PersonalData(profile=profile)
    data.tables = {
        "ho_so": [profile],
        "tai_khoan": accounts,
        "phat_hien": findings,
        "giai_trinh": explanations,
        "diem_danh": attendance,
        "chu_ky": [{k: v for k, v in s.items() if k != "image_path"} for s in signatures],
        "anh_chung_cu": [{k: v for k, v in p.items() if k != "stored_path"} for p in photos],
        "phieu_danh_gia": ratings["sheets"],
        "khieu_nai_tru_diem": ratings["contests"],
        "sang_kien": ratings["initiatives"],
        "ket_qua_xep_loai": ratings["results"],
        "ky_luat": cases["cases"],
        "ky_luat_can_cu": cases["sources"],
        "ky_luat_buoc": cases["steps"],
        "ky_luat_tam_hoan": cases["deferrals"],
        "ky_luat_khieu_nai": cases["appeals"],
        "nhat_ky": events,
    }
    seen: set[str] = set()
    for p in photos:
        if p["sha256"] in seen:
            continue
        seen.add(p["sha256"])
        extension = Path(p["stored_path"]).suffix
        data.files.append(
            StoredFile(
                kind="photo",
                source=media_dir / p["stored_path"],
                name=f"anh/{p['sha256']}{extension}",
                concerns=f"{p['subject']} {p['subject_id']}",
                sha256=p["sha256"],
            )
        )
    for s in signatures:
        if s["image_path"]:
            data.files.append(
                StoredFile(
                    kind="signature",
                    source=media_dir / s["image_path"],
                    name=f"chu_ky/{s['inspection']}-{s['id']}.png",
                    concerns=f"inspection {s['inspection']}",
                    sha256=None,
                )
            )
    return data
