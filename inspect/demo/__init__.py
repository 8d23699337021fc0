"""Realistic Vietnamese demo data: one province (Nghệ An, unchanged by the 2025 merger),
its Sở Nội vụ, the provincial service centre, four communes/wards with one-stop desks,
about sixty officials and one account per role. Seeded, so every run is the same."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time

from congvu.inspect.actor import Role
from congvu.inspect.db import atomic
from congvu.inspect.demo.discipline import seed_discipline_demo
from congvu.inspect.demo.dossiers import seed_demo_dossiers, seed_demo_published
from congvu.inspect.demo.emulation import seed_emulation_demo
from congvu.inspect.demo.evidence import seed_evidence_demo
from congvu.inspect.demo.history import seed_history
from congvu.inspect.demo.inspections import seed_inspections_demo
from congvu.inspect.demo.personal_data import seed_personal_data_demo
from congvu.inspect.demo.review import seed_dossier_review_demo, seed_review_demo
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, Unit

DEMO_PASSWORD = "congvu-demo-2026"

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Thái",
    "Hà",
    "Cao",
    "Chu",
]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Đình", "Công", "Thanh", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thu", "Thanh", "Ngọc", "Thùy", "Hồng", "Minh", "Phương", "Kim", "Diệu"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hùng",
    "Huy",
    "Khánh",
    "Long",
    "Mạnh",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
]
GIVEN_FEMALE = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Trang",
    "Yến",
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    scope: str
    display_name: str


# (code, name, kind, parent, commune_type)
UNITS: list[tuple[str, str, str, str | None, str | None]] = [
    ("NA", "Ủy ban nhân dân tỉnh Nghệ An", "province", None, None),
    ("NA-SNV", "Sở Nội vụ tỉnh Nghệ An", "department", "NA", None),
    ("NA-SNV-TTR", "Thanh tra Sở Nội vụ", "sub_unit", "NA-SNV", None),
    ("NA-SNV-CCVC", "Phòng Công chức, viên chức", "sub_unit", "NA-SNV", None),
    ("NA-PVHCC", "Trung tâm Phục vụ hành chính công tỉnh Nghệ An", "service_centre", "NA", None),
    ("NA-TV", "Phường Trường Vinh", "commune", "NA", "phuong"),
    ("NA-TVI", "Phường Thành Vinh", "commune", "NA", "phuong"),
    ("NA-DC", "Xã Diễn Châu", "commune", "NA", "xa"),
    ("NA-NL", "Xã Nghi Lộc", "commune", "NA", "xa"),
]
COMMUNE_OFFICES = [
    ("VP", "Văn phòng HĐND và UBND", "sub_unit"),
    ("KT", "Phòng Kinh tế", "sub_unit"),
    ("VHXH", "Phòng Văn hóa - Xã hội", "sub_unit"),
    ("PVHCC", "Trung tâm Phục vụ hành chính công", "service_centre"),
]
# Wards abolished on 01/07/2025 keep their rows so older records still resolve.
MERGED = [
    ("NA-HB", "Phường Hưng Bình (trước 01/07/2025)", "NA-TV"),
    ("NA-LN", "Phường Lê Lợi (trước 01/07/2025)", "NA-TV"),
]


def _name(rng: random.Random, gender: str) -> str:
    if gender == "nam":
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"


def _lower_first(name: str) -> str:
    """ "Phường Trường Vinh" inside a longer name reads "… phường Trường Vinh"."""
    head, _, rest = name.partition(" ")
    return f"{head.lower()} {rest}"


async def is_seeded() -> bool:
    return bool(await Unit.exists().where(Unit.code == "NA"))


async def seed_demo(seed: int = 2026) -> list[DemoAccount]:
    """Create the demo organisation once; later calls only return the organisation."""
    if not await is_seeded():
        await _seed(random.Random(seed))
    return DEMO_ACCOUNTS


async def _seed(rng: random.Random) -> None:
    ids: dict[str, int] = {}
    for code, name, kind, parent, commune_type in UNITS:
        unit = await organisation.create_unit(
            code=code,
            name=name,
            kind=kind,
            parent_code=parent,
            commune_type=commune_type,
            valid_from=date(2025, 7, 1) if kind == "commune" else None,
        )
        ids[code] = unit.id
        if kind == "commune":
            for suffix, office, office_kind in COMMUNE_OFFICES:
                child = await organisation.create_unit(
                    code=f"{code}-{suffix}",
                    name=f"{office} {_lower_first(name)}",
                    kind=office_kind,
                    parent_code=code,
                    valid_from=date(2025, 7, 1),
                )
                ids[child.code] = child.id
    for code, name, target in MERGED:
        old = await organisation.create_unit(
            code=code,
            name=name,
            kind="commune",
            parent_code="NA",
            commune_type="phuong",
            valid_to=date(2025, 6, 30),
        )
        async with atomic():
            await Unit.update({Unit.merged_into: ids[target]}).where(Unit.id == old.id)

    # UBND tỉnh Nghệ An announces summer and winter hours every year (rules/README.md,
    # Working hours).
    await organisation.add_schedule(
        unit_id=ids["NA"],
        name="Mùa hè",
        season=("04-16", "10-15"),
        morning=(time(7, 0), time(11, 30)),
        afternoon=(time(13, 30), time(17, 0)),
        legal_basis="Thông báo giờ làm việc mùa hè của UBND tỉnh Nghệ An",
    )
    await organisation.add_schedule(
        unit_id=ids["NA"],
        name="Mùa đông",
        season=("10-16", "04-15"),
        morning=(time(7, 30), time(12, 0)),
        afternoon=(time(13, 30), time(17, 0)),
        legal_basis="Thông báo giờ làm việc mùa đông của UBND tỉnh Nghệ An",
    )

    counter = 0

    async def person(
        unit: str,
        position: str,
        category: str = "cong_chuc",
        leader: bool = False,
        desk: str | None = None,
        gender: str | None = None,
    ) -> Official:
        nonlocal counter
        counter += 1
        sex = gender or rng.choice(["nam", "nu"])
        return await organisation.add_official(
            code=f"CB{counter:04d}",
            full_name=_name(rng, sex),
            gender=sex,
            category=category,
            position=position,
            unit_id=ids[unit],
            is_leader=leader,
            desk=desk,
            birth_date=date(rng.randint(1968, 1999), rng.randint(1, 12), rng.randint(1, 28)),
        )

    await person("NA-SNV", "Giám đốc Sở", leader=True)
    await person("NA-SNV", "Phó Giám đốc Sở", leader=True)
    chief_inspector = await person("NA-SNV-TTR", "Chánh Thanh tra", leader=True, gender="nam")
    inspector = await person("NA-SNV-TTR", "Thanh tra viên", gender="nu")
    await person("NA-SNV-TTR", "Thanh tra viên")
    # The head of the personnel office (phòng Công chức, viên chức) runs rating periods
    # and discipline cases.
    personnel_officer = await person("NA-SNV-CCVC", "Trưởng phòng", leader=True)
    council_member = await person("NA-SNV-CCVC", "Chuyên viên chính")
    reporter = await person("NA-SNV-CCVC", "Chuyên viên")
    await person("NA-PVHCC", "Giám đốc Trung tâm", leader=True)
    for desk in ("Quầy 01 - Đất đai", "Quầy 02 - Tư pháp", "Quầy 03 - Đầu tư"):
        await person("NA-PVHCC", "Chuyên viên tiếp nhận hồ sơ", desk=desk)

    heads: dict[str, Official] = {}
    staff: dict[str, Official] = {}
    for commune in ("NA-TV", "NA-TVI", "NA-DC", "NA-NL"):
        heads[commune] = await person(commune, "Chủ tịch UBND", "can_bo", leader=True)
        await person(commune, "Phó Chủ tịch UBND", "can_bo", leader=True)
        await person(f"{commune}-VP", "Chánh Văn phòng", leader=True)
        await person(f"{commune}-VP", "Chuyên viên")
        await person(f"{commune}-VP", "Nhân viên lái xe", "nguoi_lao_dong", gender="nam")
        await person(f"{commune}-KT", "Trưởng phòng", leader=True)
        await person(f"{commune}-KT", "Chuyên viên địa chính")
        await person(f"{commune}-VHXH", "Trưởng phòng", leader=True)
        await person(f"{commune}-VHXH", "Chuyên viên")
        await person(f"{commune}-PVHCC", "Giám đốc Trung tâm", leader=True)
        for n, field in enumerate(
            ("Tư pháp - Hộ tịch", "Đất đai", "Lao động - Thương binh"), start=1
        ):
            official = await person(
                f"{commune}-PVHCC", "Chuyên viên một cửa", desk=f"Quầy {n:02d} - {field}"
            )
            staff.setdefault(commune, official)
        await person(f"{commune}-PVHCC", "Nhân viên hỗ trợ", "vien_chuc")

    async def account(
        username: str,
        role: str,
        scope: str,
        official: Official | None,
        display_name: str | None = None,
    ) -> None:
        await organisation.create_user(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            unit_code=scope,
            display_name=display_name or (official.full_name if official else username),
            official_code=official.code if official else None,
        )

    await account("admin", Role.ADMIN, "NA", None, "Quản trị hệ thống")
    await account("truongdoan", Role.TEAM_LEAD, "NA", chief_inspector)
    await account("kiemtra", Role.INSPECTOR, "NA", inspector)
    await account("thutruong.truongvinh", Role.UNIT_HEAD, "NA-TV", heads["NA-TV"])
    await account("thutruong.thanhvinh", Role.UNIT_HEAD, "NA-TVI", heads["NA-TVI"])
    await account("congchuc", Role.OFFICIAL, "NA-TV", staff["NA-TV"])
    await account("thidua", Role.COUNCIL, "NA", council_member)
    await account("baocao", Role.REPORTER, "NA", reporter)
    await account("tochuc", Role.PERSONNEL, "NA", personnel_officer)

    await seed_inspections_demo(rng)

    await seed_review_demo(rng)

    await seed_demo_dossiers(late_for=staff["NA-TV"])
    await seed_demo_published()

    await seed_dossier_review_demo()

    await seed_discipline_demo()
    await seed_emulation_demo(rng)
    await seed_history(rng)
    await seed_personal_data_demo()
    await seed_evidence_demo()


DEMO_ACCOUNTS = [
    DemoAccount("admin", Role.ADMIN, "NA", "Quản trị hệ thống"),
    DemoAccount("truongdoan", Role.TEAM_LEAD, "NA", "Trưởng đoàn kiểm tra"),
    DemoAccount("kiemtra", Role.INSPECTOR, "NA", "Thành viên đoàn kiểm tra"),
    DemoAccount("thutruong.truongvinh", Role.UNIT_HEAD, "NA-TV", "Thủ trưởng: Phường Trường Vinh"),
    DemoAccount("thutruong.thanhvinh", Role.UNIT_HEAD, "NA-TVI", "Thủ trưởng: Phường Thành Vinh"),
    DemoAccount("congchuc", Role.OFFICIAL, "NA-TV", "Công chức một cửa: Phường Trường Vinh"),
    DemoAccount("thidua", Role.COUNCIL, "NA", "Hội đồng thi đua - khen thưởng"),
    DemoAccount("baocao", Role.REPORTER, "NA", "Cán bộ báo cáo"),
    DemoAccount("tochuc", Role.PERSONNEL, "NA", "Cán bộ tổ chức"),
]
