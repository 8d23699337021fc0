"""``congvu report``: the quarterly workbook of a unit and its subtree, as a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from congvu.inspect.cli.common import run, settings_or_exit


@click.command("report")
@click.option("--quarter", "period", required=True, help="Kỳ báo cáo, ví dụ 2026Q3.")
@click.option("--unit", "unit_code", default=None, help="Mã đơn vị (mặc định: toàn tỉnh).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp .xlsx sẽ ghi.",
)
def report(period: str, unit_code: str | None, out: Path) -> None:
    """Lập báo cáo quý (Excel) / build the quarterly report workbook."""
    settings = settings_or_exit()
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.reports import api as reports

    built = run(
        lambda: reports.build_report(
            SYSTEM, period, media_dir=settings.media_dir, unit_code=unit_code
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(built.path, out)
    state = "số liệu không đổi, dùng lại" if built.reused else "bản mới"
    click.echo(
        f"Đã lập báo cáo / report written: {out} (bản chốt {built.snapshot_id},"
        f" phiên bản {built.version}, {state}; SHA-256 số liệu {built.data_hash[:12]}…)"
    )
