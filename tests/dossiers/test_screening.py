"""What an upload is refused for before anything parses it, what the rejected-rows CSV
gives back, and the import of a CSV whose header is not a header."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services.importing import rejected_rows_csv
from congvu.inspect.dossiers.services.importing.rejected import inert
from congvu.inspect.dossiers.tables import Dossier, ImportBatch
from congvu.inspect.errors import Invalid
from congvu.inspect.settings import SettingsError, load_settings
from congvu.inspect.upload_screening import (
    UploadLimits,
    screen,
    sniff,
)

from tests.dossiers import hostile
from tests.dossiers.conftest import HEADER, run_import, write
from tests.dossiers.generator import cp1258_text

pytestmark = pytest.mark.anyio


def _refusal(path: Path, name: str, limits: UploadLimits | None = None) -> str:
    with pytest.raises(Invalid) as refused:
        screen(path, name, limits or UploadLimits())
    assert refused.value.field == "file"
    return refused.value.message


@pytest.mark.parametrize(
    ("head", "says"),
    [
        (hostile.jpeg(), "nội dung là ảnh JPEG"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "nội dung là ảnh PNG"),
        (b"%PDF-1.7\n", "nội dung là PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "Excel 97-2003 (.xls)"),
        (b"Ma ho so,Ten\r\nA\x00B,C\r\n", "có byte nhị phân ở vị trí 15"),
        (b"\x81\x8d\x8f\x90\x9d" * 20, "không đọc được bằng UTF-8 hay Windows-1258"),
    ],
)
def test_a_file_that_is_not_csv_text_is_refused_by_name(head: bytes, says: str) -> None:
    with pytest.raises(Invalid) as refused:
        sniff("bao-cao-quy-1.csv", head)
    assert "Tệp bao-cao-quy-1.csv không phải tệp CSV" in refused.value.message
    assert says in refused.value.message


@pytest.mark.parametrize(
    "text",
    [
        HEADER,
        "\ufeff" + HEADER,  # UTF-8 with BOM
        "Mã hồ sơ;Ngày tiếp nhận\tx\r\n" + "é" * 2000,  # a character cut at 1 KB
    ],
)
def test_csv_text_in_any_encoding_the_reader_supports_passes(text: str) -> None:
    sniff("hoso.csv", text.encode("utf-8"))
    sniff("hoso.csv", cp1258_text("Mã hồ sơ,Ngày tiếp nhận,Đơn vị").encode("cp1258"))


def test_an_xls_or_anything_else_named_xlsx_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match=r"Tệp cu\.xlsx là tệp Excel 97-2003 \(\.xls\) đổi tên"):
        sniff("cu.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(Invalid, match=r"Tệp anh\.xlsx không phải tệp XLSX hợp lệ"):
        sniff("anh.xlsx", hostile.jpeg())
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(200))
    assert "Tệp hong.xlsx không phải tệp XLSX hợp lệ" in _refusal(broken, "hong.xlsx")


def test_a_real_workbook_passes(tmp_path: Path) -> None:
    path = tmp_path / "that.xlsx"
    path.write_bytes(hostile.small_xlsx([["H-1", "Khai sinh", "P-A", "02/01/2025"]]))
    screen(path, "that.xlsx", UploadLimits())


def test_an_xlsx_over_each_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lon.xlsx"
    path.write_bytes(
        hostile.replace_parts(
            hostile.small_xlsx(),
            {"xl/worksheets/sheet1.xml": hostile.small_sheet_claiming("A1:T500000")},
        )
    )
    assert "có 10.000.000 ô, nhiều hơn giới hạn 1.000.000 ô" in _refusal(
        path, "lon.xlsx", UploadLimits(max_cells=1_000_000)
    )
    many = tmp_path / "nhieu.xlsx"
    many.write_bytes(
        hostile.replace_parts(
            hostile.small_xlsx(),
            {
                f"xl/worksheets/sheet{i}.xml": hostile.small_sheet_claiming("A1:D1")
                for i in range(2, 6)
            },
        )
    )
    assert "có 5 trang tính, nhiều hơn giới hạn 3" in _refusal(
        many, "nhieu.xlsx", UploadLimits(max_sheets=3)
    )
    packed = tmp_path / "anh.xlsx"
    packed.write_bytes(
        hostile.replace_parts(hostile.small_xlsx(), {"xl/media/image1.png": os.urandom(3 << 20)})
    )
    assert "Tệp anh.xlsx giải nén ra 4 MB, lớn hơn giới hạn 2 MB" in _refusal(
        packed, "anh.xlsx", UploadLimits(max_unpacked_bytes=2 << 20)
    )


def test_upload_limits_are_settings_with_defaults() -> None:
    settings = load_settings({"CONGVU_VAR_DIR": "/tmp/congvu-settings-test"})
    assert settings.max_upload_mb == 256
    assert UploadLimits.of(settings) == UploadLimits()
    changed = load_settings(
        {"CONGVU_VAR_DIR": "/tmp/congvu-settings-test", "CONGVU_MAX_UPLOAD_MB": "50"}
    )
    assert changed.max_upload_mb == 50
    with pytest.raises(SettingsError, match="CONGVU_XLSX_MAX_CELLS"):
        load_settings({"CONGVU_VAR_DIR": "/tmp/congvu-settings-test", "CONGVU_XLSX_MAX_CELLS": "0"})


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+84 912", "'+84 912"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Nguyễn Thị Lan", "Nguyễn Thị Lan"),
        ("", ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_written_as_text(cell: str, written: str) -> None:
    assert inert(cell) == written


async def test_the_rejected_rows_csv_never_hands_back_a_formula(
    admin: Actor, tmp_path: Path
) -> None:
    lines = [
        HEADER,
        '=cmd|"/c calc"!A1,Đăng ký khai sinh,Hộ tịch,KHONG-CO,,Trực tiếp,24/01/2025,,,,,,',
    ]
    summary = await run_import(admin, write(tmp_path, lines))
    assert summary["rejected"] == 1
    text = await rejected_rows_csv(admin, summary["batch_id"])
    assert "'=cmd|" in text
    assert ",=cmd|" not in text and '"=cmd|' not in text


async def test_a_header_longer_than_a_megabyte_is_refused_not_imported_as_nothing(
    admin: Actor, tmp_path: Path
) -> None:
    giant = HEADER + "," + "x" * (3 << 20)
    rows = ["H-1,Đăng ký khai sinh,Hộ tịch,P-A,,Trực tiếp,24/01/2025,,,,,,"]
    path = write(tmp_path, [giant, *rows], name="dai.csv")
    with pytest.raises(Invalid, match=r"Tệp dai\.csv: dòng tiêu đề \(dòng 1\) dài hơn 1 MB"):
        await run_import(admin, path)
    assert await Dossier.count() == 0
    assert await ImportBatch.count() == 0


def test_every_refusal_has_its_english() -> None:
    from congvu.inspect import upload_screening as screening
    from congvu.inspect.dossiers.controllers import pages
    from congvu.inspect.dossiers.services.importing import reading
    from congvu.inspect.i18n import EN

    messages = [
        *(getattr(screening, name) for name in dir(screening) if name.isupper()),
        *(kind for _, kind in screening.SIGNATURES),
        reading.HEADER_TOO_LONG,
        reading.CELL_TOO_LONG,
        pages.TOO_LARGE,
    ]
    texts = [m for m in messages if isinstance(m, str) and m.startswith(("Tệp", "ảnh", "tệp"))]
    assert len(texts) >= 20
    for message in [*texts, *(kind for _, kind in screening.SIGNATURES)]:
        assert message in EN, message
