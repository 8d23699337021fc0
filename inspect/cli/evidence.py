"""``congvu evidence``: the PAR INDEX evidence register (tài liệu kiểm chứng) from the
command line: register the system's documents of a year, list the criteria, export the
year's ZIP."""

from __future__ import annotations

from pathlib import Path

import click
from congvu.inspect.cli.common import run, settings_or_exit


@click.group("evidence")
def evidence_group() -> None:
    """Tài liệu kiểm chứng Chỉ số CCHC / PAR INDEX evidence register."""


@evidence_group.command("register")
@click.option("--year", type=int, required=True, help="Năm đánh giá, ví dụ 2026.")
def register_command(year: int) -> None:
    """Cập nhật danh mục từ văn bản hệ thống / register the system's documents."""
    settings_or_exit()
    from congvu.inspect.evidence import api as evidence

    done = run(lambda: evidence.register_produced(year))
    click.echo(
        f"Năm {year}: {done.added} tài liệu mới, {done.changed} cập nhật,"
        f" {done.unchanged} không đổi / {done.total} documents."
    )


@evidence_group.command("criteria")
@click.option("--year", type=int, required=True, help="Năm đánh giá, ví dụ 2026.")
def criteria_command(year: int) -> None:
    """Danh mục tiêu chí của năm / the year's criteria."""
    settings_or_exit()
    from congvu.inspect.evidence import api as evidence

    async def work() -> list[evidence.Criterion]:
        if await evidence.ensure_year(year):
            click.echo(evidence.DEFAULT_NOTE)
        return await evidence.criteria(year)

    for c in run(work):
        state = "" if c.active else " (ngừng dùng)"
        click.echo(f"{c.code}\t{c.name}{state}")


@evidence_group.command("export")
@click.option("--year", type=int, required=True, help="Năm đánh giá, ví dụ 2026.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp .zip sẽ ghi.",
)
def export_command(year: int, out: Path) -> None:
    """Tải bộ tài liệu kiểm chứng (ZIP) / export the year's evidence as a ZIP."""
    settings_or_exit()
    from congvu.inspect.evidence import api as evidence

    bundle = run(lambda: evidence.export_year(year, out))
    click.echo(
        f"Đã ghi / written: {out} ({len(bundle.rows)} dòng mục lục, {len(bundle.files)} tệp,"
        f" {bundle.changed} tệp đã thay đổi sau khi đăng ký)."
    )
