"""Demo dossiers for the demo communes, imported through the real import path, and the
766 values the national portal published for some of them, entered as a reporting
officer would."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM
from congvu.inspect.demo.dossier_export import STATUS_DONE, ExportSpec, generate, write_csv
from congvu.inspect.dossiers.api import (
    ImportRequest,
    import_dossiers,
    record_published,
)
from congvu.inspect.errors import NotFound
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, Unit, User
from congvu.inspect.periods import report_scheme
from congvu.rules.calendar import default_calendar
from congvu.rules.periods import PeriodKind, period_of

DEMO_COMMUNES = ("NA-TV", "NA-TVI", "NA-DC", "NA-NL")
# (timeliness, online) as published, the last finished quarter first. Xã Nghi Lộc has
# none, so the demo also shows a commune whose values nobody has entered yet; Xã Diễn
# Châu's online share for the older quarter was not published.
PUBLISHED = {
    # The province's own score: what the quarterly workbook of the province shows.
    "NA": [("89,6", "44,1"), ("88,2", "40,7")],
    "NA-TV": [("92,4", "61,0"), ("90,8", "57,5")],
    "NA-TVI": [("95,1", "48,3"), ("93,6", "44,9")],
    "NA-DC": [("88,7", "35,2"), ("86,0", "")],
}


async def seed_demo_dossiers(
    rows: int = 400,
    *,
    seed: int = 2026,
    folder: Path | None = None,
    late_for: Official | None = None,
) -> dict[str, Any]:
    """A seeded export of the demo communes' one-stop centres over the last 15 months.

    ``late_for``: an official of a one-stop desk (or its ward) gets one dossier
    resolved late without an apology letter, so the demo always has a case about them
    (which generated dossiers turn out late moves with today's date)."""
    units = await Unit.select(Unit.code).where(
        Unit.code.is_in([f"{c}-PVHCC" for c in DEMO_COMMUNES])
    )
    codes = sorted(r["code"] for r in units)
    officials: dict[str, list[str]] = {}
    for row in await Official.select(Official.full_name, Official.unit.code).where(
        Official.unit.code.is_in(codes)
    ):
        officials.setdefault(row["unit.code"], []).append(row["full_name"])
    end = clock.today()
    spec = ExportSpec(
        rows=rows,
        units=codes or ["NA"],
        officials=officials,
        seed=seed,
        start=end.replace(year=end.year - 1, day=1),
        end=end,
        exported_at=datetime.combine(end, datetime.min.time()),
        bad_rate=0.01,
    )
    export = generate(spec)
    if late_for is not None:
        export.frame = pd.concat(
            [export.frame, await _late_row(late_for, end, len(export.frame) + 1)],
            ignore_index=True,
        )
    with tempfile.TemporaryDirectory(prefix="congvu-demo-") as scratch:
        path = write_csv(export, (folder or Path(scratch)) / "ho-so-mot-cua-demo.csv")
        return await import_dossiers(SYSTEM, ImportRequest(path=path, file_name=path.name))


async def _late_row(official: Official, end: date, number: int) -> pd.DataFrame:
    """Received 12 working days ago, one working day to process (khai sinh), finished two
    working days ago, at the official's own unit."""
    calendar = default_calendar()
    received = calendar.add_working_days(end, -12)
    due = calendar.add_working_days(received, 1)
    finished = calendar.add_working_days(end, -2)
    # The official's own unit: the desk itself, or the ward whose desk they staff.
    unit = await Unit.select(Unit.code).where(Unit.id == official.unit).first()
    desk = unit["code"] if unit else "NA"
    return pd.DataFrame(
        [
            {
                "STT": str(number),
                "Mã hồ sơ": f"DEMO-{received:%Y%m%d}-TRE",
                "Tên thủ tục": "Đăng ký khai sinh",
                "Lĩnh vực": "Hộ tịch",
                "Đơn vị": desk,
                "Cán bộ xử lý": official.full_name,
                "Kênh nộp": "Trực tiếp",
                "Ngày tiếp nhận": f"{received:%d/%m/%Y} 09:15",
                "Ngày hẹn trả": f"{due:%d/%m/%Y}",
                "Ngày có kết quả": f"{finished:%d/%m/%Y} 10:00",
                "Ngày trả": f"{finished:%d/%m/%Y} 14:00",
                "Trạng thái": STATUS_DONE,
                "Thư xin lỗi": "",
                "Gia hạn": "",
            }
        ]
    )


async def seed_demo_published() -> None:
    """The last two finished quarters' published values of the province and three
    communes, entered by the reporting officer (baocao) a few days after each quarter
    closed."""
    user = await User.select(User.id).where(User.username == "baocao").first()
    reporter = await organisation.actor_for(user["id"]) if user else None
    if reporter is None:
        raise NotFound("Dữ liệu demo thiếu tài khoản cán bộ báo cáo (baocao).")
    scheme = report_scheme()
    today = clock.today()
    current = period_of(today, PeriodKind.QUARTER, scheme)
    last = period_of(current.first_day - timedelta(days=1), PeriodKind.QUARTER, scheme)
    before_last = period_of(last.first_day - timedelta(days=1), PeriodKind.QUARTER, scheme)
    units = {
        r["code"]: r["id"]
        for r in await Unit.select(Unit.id, Unit.code).where(Unit.code.is_in(list(PUBLISHED)))
    }
    for code, values in PUBLISHED.items():
        for quarter, (timeliness, online) in zip((last, before_last), values, strict=True):
            looked_up = min(today, quarter.last_day + timedelta(days=5))
            await record_published(
                reporter,
                units[code],
                quarter.name,
                timeliness,
                online,
                f"Cổng Dịch vụ công quốc gia, tra cứu ngày {looked_up:%d/%m/%Y}",
            )
