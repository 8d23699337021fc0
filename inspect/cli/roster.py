"""``congvu roster import FILE``: the web page's roster import (nhập danh sách cán bộ) at
the server, for a province's whole roster at once: a preview by default, written with
``--confirm`` (audited as the system)."""

from __future__ import annotations

from pathlib import Path

import click
from congvu.inspect.cli.common import run, settings_or_exit


@click.group("roster")
def roster_group() -> None:
    """Rosters of officials (danh sách cán bộ)."""


@roster_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--confirm", is_flag=True, help="Write the new and changed officials.")
def import_roster(file: Path, confirm: bool) -> None:
    """Judge the CSV or XLSX roster FILE: new, changed, unchanged and rejected rows (with
    their row number and reason); with --confirm, write it."""
    from congvu.inspect import clock
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.organisation import api as organisation
    from congvu.inspect.upload_screening import UploadLimits

    settings = settings_or_exit()
    plan = run(
        lambda: organisation.import_roster_file(
            SYSTEM, file, UploadLimits.of(settings), confirm=confirm, today=clock.today()
        )
    )
    counts = plan.counts
    click.echo(
        f"Mới / new: {counts['new']}  Thay đổi / changed: {counts['changed']}"
        f"  Không đổi / unchanged: {counts['unchanged']}  Bị loại / rejected: {counts['rejected']}"
    )
    for row in plan.of("rejected"):
        click.echo(f"  Dòng {row.number}: {row.note}")
    click.echo(
        "Đã ghi / written." if confirm else "Chưa ghi: thêm --confirm để nhập / preview only."
    )
