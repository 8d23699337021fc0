"""Importing one-stop exports: formats, rejected rows, all-or-nothing, idempotency,
due-date snapshots and deadline resets."""

from __future__ import annotations

import asyncio
import unicodedata
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services import importing as dossier_import
from congvu.inspect.dossiers.services.importing import ImportRequest
from congvu.inspect.dossiers.services.importing import staging as dossier_staging
from congvu.inspect.dossiers.services.importing.reading import detect_encoding
from congvu.inspect.dossiers.services.importing.values import parse_dates
from congvu.inspect.dossiers.tables import Dossier, DueSnapshot, ImportBatch, RejectedRow
from congvu.inspect.errors import Invalid

from tests.dossiers.conftest import HEADER, run_import, stored, table_checksum, write
from tests.dossiers.generator import ExportSpec, generate, write_csv, write_xlsx
from tests.worlds import World

pytestmark = pytest.mark.anyio


def _spec(rows: int = 400, **kwargs) -> ExportSpec:
    return ExportSpec(
        rows=rows,
        units=["P-A", "P-A-PVHCC", "Xã Bình Minh"],
        officials={"P-A-PVHCC": ["Nguyễn Thị Lan"], "Xã Bình Minh": ["Lê Văn Đức", ""]},
        **kwargs,
    )


# --- formats ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("cp1258", "cp1258")],
)
async def test_generated_export_imports_in_every_encoding(
    world: World, admin: Actor, tmp_path: Path, encoding: str, expected: str
) -> None:
    export = generate(_spec())
    path = write_csv(export, tmp_path / "hoso.csv", encoding=encoding)
    summary = await run_import(admin, path)
    assert summary["encoding"] == expected
    assert summary["rows_read"] == 400
    assert summary["rejected"] == len(export.bad_rows)
    assert summary["inserted"] == 400 - len(export.bad_rows)
    assert await Dossier.count() == 400 - len(export.bad_rows)
    # Tone marks come back composed (NFC) whatever the file used.
    procedures = {r["procedure"] for r in await Dossier.select(Dossier.procedure)}
    assert "Đăng ký khai sinh" in procedures
    assert all(unicodedata.is_normalized("NFC", p) for p in procedures)
    assert all(p == p.strip() for p in procedures)


async def test_xlsx_with_native_excel_dates_and_title_rows(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    export = generate(_spec(rows=120, bad_rate=0))
    path = write_xlsx(export, tmp_path / "hoso.xlsx")
    summary = await run_import(admin, path)
    assert summary["rejected"] == 0
    assert summary["inserted"] == 120
    first = export.frame.iloc[0]
    row = await stored(first["Mã hồ sơ"])
    assert row["received_at"] is not None


async def test_dates_in_every_format_mean_the_same_moment(world: World, admin: Actor, tmp_path):
    lines = [HEADER]
    forms = ["24/01/2025 10:00", "2025-01-24T10:00:00", "45681.416667", "2025-01-24 03:00:00Z"]
    for n, received in enumerate(forms):
        lines.append(f"HS-{n},Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,{received},,,,,,")
    lines.append("HS-9,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,24/01/2025,,,,,,")
    await run_import(admin, write(tmp_path, lines))
    moments = {
        (await stored(f"HS-{n}"))["received_at"].replace(second=0) for n in range(len(forms))
    }
    assert moments == {datetime.fromisoformat("2025-01-24T03:00:00+00:00")}
    # A date without a clock time is midnight local time.
    assert (await stored("HS-9"))["received_at"].isoformat() == "2025-01-23T17:00:00+00:00"


def test_date_parser_reports_what_it_cannot_read() -> None:
    cells = pa.array(["24/01/2025", "31/02/2025", "", "hôm qua", "7/2/2025", " 24/01/2025 "])
    parsed, bad = parse_dates(cells)
    assert list(bad) == [False, True, False, True, False, False]
    assert parsed[4] == np.datetime64("2025-02-07")
    assert parsed[5] == parsed[0] == np.datetime64("2025-01-24")
    assert np.isnat(parsed[[1, 2, 3]]).all()


def test_encodings_are_detected_from_the_bytes() -> None:
    text = "Mã hồ sơ,Tên thủ tục,Đơn vị\r\nHS-1,Đăng ký khai sinh,Phường An Hòa\r\n"
    from tests.dossiers.generator import cp1258_text

    assert detect_encoding(b"\xef\xbb\xbf" + text.encode()) == "utf-8-sig"
    assert detect_encoding(text.encode()) == "utf-8"
    assert detect_encoding(cp1258_text(text).encode("cp1258")) == "cp1258"
    assert detect_encoding("Code,Procédure,Unité\r\n1,Déclaration,Café\r\n".encode("cp1252")) == (
        "cp1252"
    )


async def test_semicolons_nfd_headers_and_channels(world: World, admin: Actor, tmp_path: Path):
    header = unicodedata.normalize(
        "NFD", "Số biên nhận;Thủ tục;Cơ quan giải quyết;Hình thức nộp;Ngày nhận;Hạn giải quyết"
    )
    lines = [
        header,
        "A1;Đăng ký kết hôn;P-A;Trực tuyến một phần;02/03/2026 08:00;03/03/2026",
        "A2;Đăng ký kết hôn;p-a;Qua dịch vụ bưu chính công ích;02/03/2026 08:00;03/03/2026",
        "A3;Đăng ký kết hôn;Phường An Hòa;Nộp trực tiếp;02/03/2026 08:00;03/03/2026",
    ]
    summary = await run_import(admin, write(tmp_path, lines))
    assert summary["rejected"] == 0, summary["rejected_rows"]
    channels = {
        r["code"]: r["channel"] for r in await Dossier.select(Dossier.code, Dossier.channel)
    }
    assert channels == {"A1": "online", "A2": "postal", "A3": "direct"}


async def test_rows_with_missing_or_extra_cells_are_read_in_place(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    """Hand-edited files drop trailing empty cells or add stray ones; such a row is
    padded or cut and keeps its place (its row number, who came first)."""
    line = "Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,02/03/2026 08:00"
    lines = [
        HEADER,
        f"FULL,{line},03/03/2026,,,,,",
        f"SHORT,{line}",
        'MULTI,"Đăng ký\nkhai sinh",Hộ tịch,P-A,,Trực tiếp,02/03/2026 08:00,,,,,,',
        f"LONG,{line},03/03/2026,,,,,,,ghi chú thêm",
        f"SHORT,{line}",
        f"BAD,{line[:-16]}31/02/2026 08:00,,,,,,",
    ]
    summary = await run_import(admin, write(tmp_path, lines))
    assert summary["inserted"] == 4
    rejected = [(r["row"], r["reason"]) for r in summary["rejected_rows"]]
    assert rejected == [
        (6, "trùng mã hồ sơ với dòng 3"),
        (7, "ngày không đọc được: '31/02/2026 08:00'"),
    ]
    assert (await stored("SHORT"))["due_at"] is None
    assert (await stored("LONG"))["due_at"] is not None
    assert (await stored("MULTI"))["procedure"] == "Đăng ký khai sinh"


async def test_the_unit_option_fills_a_file_without_a_unit_column(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    path = write(
        tmp_path, ["Mã hồ sơ,Ngày tiếp nhận,Cán bộ xử lý", "X1,02/03/2026 08:00,Nguyễn Thị Lan"]
    )
    with pytest.raises(Invalid, match="Đơn vị"):
        await run_import(admin, path)
    await run_import(admin, path, unit_code="P-A")
    row = await stored("X1")
    assert row["unit"] == world.commune_a.id
    # The handling official is found by name inside the unit's subtree.
    assert row["official"] == world.official_a.id


async def test_a_saved_mapping_reads_unusual_headers(world: World, admin: Actor, tmp_path: Path):
    await dossier_import.save_mapping(
        admin, "Hệ thống cũ", {"code": "Số HS", "received_at": "Nhận lúc", "unit": "Nơi nhận"}
    )
    path = write(tmp_path, ["Số HS,Nhận lúc,Nơi nhận", "Z1,02/03/2026 08:00,P-B"])
    summary = await run_import(admin, path, mapping_name="Hệ thống cũ")
    assert summary["inserted"] == 1
    assert await dossier_import.mapping_names() == ["Hệ thống cũ"]


# --- rejected rows -------------------------------------------------------------------


async def test_each_bad_row_is_rejected_with_row_column_and_reason(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    lines = [
        "UBND TỈNH THỬ NGHIỆM",
        "",
        HEADER,
        "OK-1,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,02/03/2026 08:00,03/03/2026,,,,,",
        "BAD-DATE,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,31/02/2026 08:00,03/03/2026,,,,,",
        "BAD-DUE,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,05/03/2026 08:00,03/03/2026,,,,,",
        "BAD-UNIT,Đăng ký khai sinh,Hộ tịch,KHONG-CO,,Trực tiếp,02/03/2026 08:00,03/03/2026,,,,,",
        "OK-1,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,02/03/2026 09:00,03/03/2026,,,,,",
        ",Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,02/03/2026 08:00,03/03/2026,,,,,",
        "OK-2,Đăng ký khai sinh,Hộ tịch,P-B,,Trực tiếp,02/03/2026 08:00,,,,,,",
    ]
    summary = await run_import(admin, write(tmp_path, lines))
    assert summary["inserted"] == 2
    rejected = {(r["row"], r["column"]): r["reason"] for r in summary["rejected_rows"]}
    assert rejected == {
        (5, "Ngày tiếp nhận"): "ngày không đọc được: '31/02/2026 08:00'",
        (6, "Ngày hẹn trả"): "ngày hẹn trả trước ngày tiếp nhận: '03/03/2026'",
        (7, "Đơn vị"): "không tìm thấy đơn vị: 'KHONG-CO'",
        (8, "Mã hồ sơ"): "trùng mã hồ sơ với dòng 4",
        (9, "Mã hồ sơ"): "thiếu mã hồ sơ",
    }
    csv_text = await dossier_import.rejected_rows_csv(admin, summary["batch_id"])
    assert csv_text.startswith("\ufeffdòng,Mã hồ sơ,")
    assert csv_text.splitlines()[0].endswith("cột,lý do")
    assert "BAD-UNIT" in csv_text and "không tìm thấy đơn vị" in csv_text
    assert await RejectedRow.count() == 5
    batch = await ImportBatch.select().where(ImportBatch.id == summary["batch_id"]).first()
    assert (batch["status"], batch["rows_read"], batch["rows_inserted"]) == ("done", 7, 2)
    assert (batch["rows_rejected"], batch["finished_at"] is not None) == (5, True)


async def test_a_unit_outside_the_importers_scope_counts_as_unknown(
    world: World, tmp_path: Path
) -> None:
    from tests.dossiers.conftest import actor

    head_a = await actor(world, "head_a")
    lines = [
        HEADER,
        "A-1,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,02/03/2026 08:00,,,,,,",
        "B-1,Đăng ký khai sinh,Hộ tịch,P-B,,Trực tiếp,02/03/2026 08:00,,,,,,",
    ]
    summary = await run_import(head_a, write(tmp_path, lines))
    assert summary["inserted"] == 1
    assert summary["rejected_rows"][0]["reason"] == "không tìm thấy đơn vị: 'P-B'"


async def test_a_failed_merge_leaves_nothing_half_imported(
    world: World, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(generate(_spec(rows=200)), tmp_path / "hoso.csv")

    async def broken(*args, **kwargs):
        raise RuntimeError("mất kết nối giữa chừng")

    monkeypatch.setattr(dossier_staging, "_reevaluate_snapshots", broken)
    with pytest.raises(RuntimeError):
        await run_import(admin, path)
    assert await Dossier.count() == 0
    assert await RejectedRow.count() == 0
    batch = await ImportBatch.select(ImportBatch.status, ImportBatch.error).first()
    assert batch["status"] == "failed"
    assert "mất kết nối" in batch["error"]


# --- idempotency, snapshots -------------------------------------------------------------


async def test_importing_the_same_file_twice_changes_nothing(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    path = write_csv(generate(_spec(rows=500)), tmp_path / "hoso.csv")
    first = await run_import(admin, path)
    before = await table_checksum()
    # Recognised by its checksum: the same file as the last import that wrote anything.
    again = await run_import(admin, path)
    assert again["same_file_as_batch"] == first["batch_id"]
    assert await table_checksum() == before
    assert again["inserted"] == again["updated"] == 0
    assert again["unchanged"] == first["inserted"]
    assert again["rejected_rows"] == first["rejected_rows"]
    # Read row by row anyway: every content hash matches, nothing is written.
    forced = await dossier_import.import_dossiers(
        admin, ImportRequest(path=path, file_name=path.name, as_of=date(2026, 4, 1), force=True)
    )
    assert "same_file_as_batch" not in forced
    assert (forced["inserted"], forced["updated"]) == (0, 0)
    assert forced["unchanged"] == first["inserted"]
    assert await table_checksum() == before


async def test_a_file_is_read_again_once_another_export_changed_dossiers(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    old = write(tmp_path, [HEADER, _one("X", "10/03/2026", received="02/03/2026 08:00")], "a.csv")
    new = write(tmp_path, [HEADER, _one("X", "12/03/2026", received="02/03/2026 08:00")], "b.csv")
    await run_import(admin, old)
    await run_import(admin, new)
    back = await run_import(admin, old)
    assert "same_file_as_batch" not in back
    assert back["updated"] == 1


def _one(code: str, due: str, *, apology: str = "", finished: str = "", received: str) -> str:
    return (
        f"{code},Cấp Giấy chứng nhận quyền sử dụng đất lần đầu,Đất đai,P-A,Nguyễn Thị Lan,"
        f"Trực tiếp,{received},{due},{finished},,,{apology},"
    )


async def test_a_due_date_moved_later_without_apology_is_a_deadline_reset(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    received = "02/03/2026 08:00"
    first = [
        HEADER,
        _one("RESET", "10/03/2026", received=received),
        _one("APOLOGISED", "10/03/2026", received=received),
        _one("EARLIER", "20/03/2026", received=received),
        _one("SAME", "10/03/2026", received=received),
    ]
    await run_import(
        admin,
        write(tmp_path, first, "t1.csv"),
        exported_at=datetime(2026, 3, 5, 7),
        as_of=date(2026, 3, 5),
    )
    assert await DueSnapshot.count() == 0
    second = [
        HEADER,
        _one("RESET", "20/03/2026", received=received),
        _one("APOLOGISED", "20/03/2026", received=received, apology="06/03/2026"),
        _one("EARLIER", "12/03/2026", received=received),
        _one("SAME", "10/03/2026 17:00", received=received, finished="09/03/2026 10:00"),
    ]
    summary = await run_import(
        admin,
        write(tmp_path, second, "t2.csv"),
        exported_at=datetime(2026, 3, 9, 7),
        as_of=date(2026, 3, 9),
    )
    assert summary["due_changes"] == 3
    assert (await stored("RESET"))["flags"] == "DEADLINE_RESET"
    assert (await stored("APOLOGISED"))["flags"] == ""
    assert (await stored("EARLIER"))["flags"] == "DEADLINE_MOVED_EARLIER"
    assert (await stored("SAME"))["status"] == "early"
    # Two snapshots per changed dossier: the first due date (seen 05/03) and the new one.
    assert await DueSnapshot.count() == 6


async def test_an_overdue_dossier_whose_due_date_is_pushed_back_is_flagged(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    received = "02/03/2026 08:00"
    await run_import(
        admin,
        write(tmp_path, [HEADER, _one("CLEARED", "05/03/2026", received=received)], "t1.csv"),
        exported_at=datetime(2026, 3, 9, 7),
        as_of=date(2026, 3, 9),
    )
    assert (await stored("CLEARED"))["status"] == "overdue"
    # The next export shows a later date and an apology: overdue cleared in the source.
    line = _one("CLEARED", "16/03/2026", received=received, apology="10/03/2026")
    await run_import(
        admin,
        write(tmp_path, [HEADER, line], "t2.csv"),
        exported_at=datetime(2026, 3, 11, 7),
        as_of=date(2026, 3, 11),
    )
    row = await stored("CLEARED")
    # The source's new due date is the yardstick now: the reset is what shows the delay.
    assert row["status"] == "in_progress"
    assert "DEADLINE_RESET" in row["flags"].split(";")


async def test_two_imports_at_once_write_each_dossier_once(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    """Exports of overlapping periods imported at the same moment (two workers): one waits
    for the other, so a dossier new to both is inserted once and updated by the second."""
    received = "02/03/2026 08:00"
    first = [HEADER] + [_one(f"C{k:03d}", "10/03/2026", received=received) for k in range(60)]
    second = [HEADER] + [_one(f"C{k:03d}", "12/03/2026", received=received) for k in range(30, 90)]
    a, b = await asyncio.gather(
        run_import(admin, write(tmp_path, first, "a.csv"), as_of=date(2026, 3, 5)),
        run_import(admin, write(tmp_path, second, "b.csv"), as_of=date(2026, 3, 5)),
    )
    assert await Dossier.count() == 90
    assert a["inserted"] + b["inserted"] == 90
    assert a["updated"] + b["updated"] == 30
    assert not a["rejected_rows"] and not b["rejected_rows"]


async def test_small_chunks_find_the_same_duplicates_and_rows(
    world: World, admin: Actor, tmp_path: Path
) -> None:
    lines = [HEADER] + [
        _one(code, "10/03/2026", received="02/03/2026 08:00")
        for code in ("C1", "C2", "C3", "C1", "C4", "C2", "C5", "C5")
    ]
    summary = await dossier_import.import_dossiers(
        admin,
        ImportRequest(path=write(tmp_path, lines), file_name="x.csv", as_of=date(2026, 3, 5)),
        chunk_rows=3,
    )
    assert summary["inserted"] == 5
    assert [(r["row"], r["reason"]) for r in summary["rejected_rows"]] == [
        (5, "trùng mã hồ sơ với dòng 2"),
        (7, "trùng mã hồ sơ với dòng 3"),
        (9, "trùng mã hồ sơ với dòng 8"),
    ]
