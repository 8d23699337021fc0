"""``congvu documents``: ``kinds`` lists every kind of every domain with its Vietnamese
title (``--json`` too), unique names; ``render`` writes a file that opens — a case
document, the period's report as a workbook, a self-contained page — and says what is
missing; and once on the demo, in a subprocess, as a user runs it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from congvu.inspect.cli import cli
from congvu.inspect.cli.documents import kind_rows, render_kind
from congvu.inspect.discipline.api import CaseStage
from docx import Document
from openpyxl import load_workbook

from tests.discipline.conftest import DisciplineWorld, dw  # noqa: F401  (the fixture)
from tests.discipline.test_procedure import opened, walk_to
from tests.documents.reading import docx_text, html_text

CONGVU = str(Path(sys.executable).parent / "congvu")


def test_kinds_lists_every_kind_with_its_title() -> None:
    result = CliRunner().invoke(cli, ["documents", "kinds"])
    assert result.exit_code == 0, result.output
    assert "to-trinh-khen-thuong" in result.output
    assert "Tờ trình đề nghị khen thưởng" in result.output
    as_json = CliRunner().invoke(cli, ["documents", "kinds", "--json"])
    rows = json.loads(as_json.output)
    assert rows == kind_rows()
    names = [r["kind"] for r in rows]
    assert len(names) == len(set(names)) == 14
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["quyet-dinh"]["needs"] == "case"
    assert by_kind["phieu-danh-gia"]["needs"] == "official"
    assert by_kind["bao-cao-ky-luat"]["formats"] == ["docx", "html", "xlsx"]
    assert all(r["title"] and r["domain"] in {"discipline", "emulation"} for r in rows)


def test_render_needs_its_subject() -> None:
    result = CliRunner().invoke(cli, ["documents", "render", "quyet-dinh"])
    assert result.exit_code != 0 and "--out" in result.output


@pytest.mark.anyio
async def test_render_writes_files_that_open(dw: DisciplineWorld) -> None:  # noqa: F811
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.NOTIFIED)
    name, content = await render_kind("quyet-dinh", "docx", case_id=case)
    assert name == f"quyet-dinh-{case}.docx"
    assert "Số: 15/QĐ-UBND" in docx_text(content)
    Document(io.BytesIO(content))
    name, content = await render_kind("bao-cao-ky-luat", "xlsx", period="2026-Q1", unit_code="P")
    assert name == "bao-cao-ky-luat-2026-Q1-P.xlsx"
    assert "Danh sách" in load_workbook(io.BytesIO(content)).sheetnames
    _, page = await render_kind("giay-trieu-tap", "html", case_id=case)
    text = page.decode()
    assert "<style>" in text and "Times New Roman" in text and "<script" not in text
    assert "data-print" not in text and "/static/" not in text
    assert "GIẤY TRIỆU TẬP" in text
    with pytest.raises(click.UsageError, match="--case"):
        await render_kind("quyet-dinh", "docx")
    with pytest.raises(click.BadParameter):
        await render_kind("quyet-dinh", "xlsx", case_id=case)
    with pytest.raises(click.BadParameter):
        await render_kind("khong-co", "docx")
    with pytest.raises(click.UsageError, match="--official"):
        await render_kind("phieu-danh-gia", "docx", period="2026-Q3", unit_code="P")
    assert html_text  # the reader used by the page checks elsewhere


@pytest.mark.slow
def test_render_on_the_demo(tmp_path: Path, demo_var: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    env["CONGVU_VAR_DIR"] = str(tmp_path / "var")

    def congvu(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CONGVU, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )

    out = tmp_path / "thong-bao.docx"
    done = congvu(
        "documents", "render", "thong-bao-xep-loai", "--period", "2026-Q3", "--unit", "NA-TV",
        "--format", "docx", "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Đã ghi thong-bao-xep-loai-2026-Q3-NA-TV.docx" in done.stdout
    text = docx_text(out.read_bytes())
    assert "THÔNG BÁO" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    book = tmp_path / "to-trinh.xlsx"
    done = congvu(
        "documents", "render", "to-trinh-khen-thuong", "--period", "2026", "--unit", "NA-TV",
        "--format", "xlsx", "--out", str(book),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert load_workbook(book).sheetnames == ["Danh sách đề nghị"]
    missing = congvu(
        "documents", "render", "thong-bao-xep-loai", "--period", "2026-Q4", "--unit", "NA-TV",
        "--out", str(tmp_path / "x.docx"),
    )  # fmt: skip
    assert missing.returncode != 0 and "chưa được mở" in missing.stderr
