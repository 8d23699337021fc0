"""``congvu import-dossiers``, ``congvu dossiers`` and ``congvu demo-dossiers``.

The commands call the same services as the web job, directly (no worker needed), as the
system account: whoever can run the CLI on the server can read the database anyway.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from congvu.inspect.cli.common import run, settings_or_exit

log = logging.getLogger("congvu.cli")


def _moment(value: str | None) -> datetime | None:
    from congvu.inspect.dossiers.api import parse_moment
    from congvu.inspect.errors import Invalid

    try:
        return parse_moment(value)
    except Invalid as error:
        raise click.BadParameter(error.message) from None


def _progress_printer(quiet: bool) -> Any:
    last = [0.0]

    async def progress(done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if quiet or (now - last[0] < 0.5 and done < total):
            return
        last[0] = now
        click.echo(f"  {message}", err=True)

    return progress


@click.command("import-dossiers")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "unit_code", default=None, help="Unit code for rows without a unit.")
@click.option("--mapping", "mapping_name", default=None, help="A saved column mapping.")
@click.option("--exported-at", default=None, help="When the export was taken (dd/mm/yyyy [HH:MM]).")
@click.option("--as-of", "as_of", default=None, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--force", is_flag=True, help="Read every row even if the file was just imported.")
def import_dossiers_command(
    file: Path,
    unit_code: str | None,
    mapping_name: str | None,
    exported_at: str | None,
    as_of: datetime | None,
    as_json: bool,
    force: bool,
) -> None:
    """Nhập hồ sơ TTHC từ tệp CSV/XLSX của hệ thống một cửa (import a one-stop export)."""
    from congvu.inspect import logs
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.dossiers.api import ImportRequest, import_dossiers

    logs.configure(settings_or_exit())
    request = ImportRequest(
        path=file.resolve(),
        file_name=file.name,
        unit_code=unit_code,
        mapping_name=mapping_name,
        exported_at=_moment(exported_at),
        as_of=as_of.date() if as_of else None,
        force=force,
    )
    # The file's name is left out, as in the job's lines: it is whatever it was saved as.
    fields = {"unit_code": unit_code, "mapping": mapping_name, "force": force}
    log.info("dossier import started", extra=fields)
    started = time.monotonic()
    try:
        summary = run(
            lambda: import_dossiers(SYSTEM, request, progress=_progress_printer(quiet=as_json))
        )
    except BaseException as error:
        # A refusal (click's exception: a bad mapping, a unit not found) or an interrupt
        # is said on the terminal already; a traceback is for what nobody anticipated.
        expected = isinstance(error, click.ClickException | KeyboardInterrupt)
        log.log(
            logging.WARNING if expected else logging.ERROR,
            "dossier import failed",
            exc_info=None if expected else error,
            extra={**fields, "error": type(error).__name__},
        )
        raise
    log.info(
        "dossier import finished",
        extra={
            **fields,
            "duration_s": time.monotonic() - started,
            "batch_id": summary["batch_id"],
            "rows_read": summary["rows_read"],
            "new": summary["inserted"],
            "changed": summary["updated"],
            "unchanged": summary["unchanged"],
            "rejected": summary["rejected"],
        },
    )
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"Lô {summary['batch_id']}: đọc {summary['rows_read']} dòng, nhập {summary['imported']}"
        f" (mới {summary['inserted']}, cập nhật {summary['updated']},"
        f" không đổi {summary['unchanged']}), loại {summary['rejected']};"
        f" đổi hạn {summary['due_changes']}."
    )
    click.echo("Trạng thái: " + ", ".join(f"{k} {v}" for k, v in summary["by_status"].items()))
    for row in summary["rejected_rows"][:20]:
        click.echo(f"  dòng {row['row']} [{row['column']}]: {row['reason']}")
    if summary["rejected"] > 20:
        click.echo(f"  … và {summary['rejected'] - 20} dòng khác (tải CSV trên trang nhập).")


@click.command("dossiers")
@click.option("--as-of", "as_of", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option("--unit", "unit_code", default=None, help="Only this unit's subtree.")
def dossiers_command(as_of: datetime, fmt: str, unit_code: str | None) -> None:
    """Trạng thái hồ sơ tại một ngày: code,status,working_days_late,flags."""
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.dossiers.api import verdicts_at

    settings_or_exit()
    day: date = as_of.date()
    frame = run(lambda: verdicts_at(SYSTEM, day, unit_code))
    if fmt == "json":
        click.echo(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False))
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "status", "working_days_late", "flags"])
    writer.writerows(frame.itertuples(index=False, name=None))


@click.command("rejudge-dossiers")
@click.option(
    "--since",
    required=True,
    type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
    help="First day of receipt to judge again (dd/mm/yyyy or yyyy-mm-dd).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def rejudge_dossiers_command(since: datetime, as_json: bool) -> None:
    """Chấm lại hồ sơ tiếp nhận từ một ngày theo lịch hiện hành (sau khi lịch đổi phiên bản)."""
    from congvu.inspect.dossiers.api import rejudge_received_since
    from congvu.rules.calendar import default_calendar

    settings_or_exit()
    counts = run(lambda: rejudge_received_since(since.date()))
    if as_json:
        click.echo(json.dumps(counts))
        return
    click.echo(
        f"Đã chấm lại {counts['scanned']} hồ sơ tiếp nhận từ {since:%d/%m/%Y}, "
        f"{counts['changed']} hồ sơ đổi kết quả (lịch {default_calendar().version})."
    )


@click.command("dossier-procedure")
@click.argument("procedure", required=False)
@click.option(
    "--restart/--pause",
    "restarts",
    default=None,
    help="A supplement restarts the term from zero (NĐ 297/2025) or only pauses it.",
)
def dossier_procedure_command(procedure: str | None, restarts: bool | None) -> None:
    """Cách tính thời hạn khi bổ sung hồ sơ của một thủ tục; không tham số: liệt kê."""
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.dossiers.api import procedure_settings, set_supplement_rule

    settings_or_exit()
    if procedure is None or restarts is None:
        if procedure is not None:
            raise click.UsageError("Hãy chọn --restart hoặc --pause.")
        for view in run(procedure_settings):
            rule = "tính lại từ đầu" if view.supplement_restarts else "tạm dừng"
            click.echo(f"{view.procedure}\t{rule}")
        return
    counts = run(lambda: set_supplement_rule(SYSTEM, procedure, restarts))
    rule = "tính lại thời hạn từ đầu" if restarts else "tạm dừng thời hạn"
    click.echo(
        f"Thủ tục “{procedure.strip()}”: bổ sung hồ sơ thì {rule}; đã chấm lại"
        f" {counts['scanned']} hồ sơ, {counts['changed']} hồ sơ đổi kết quả."
    )


@click.command("demo-dossiers")
@click.argument("rows", type=click.IntRange(1, 5_000_000))
@click.option("--seed", default=2026, show_default=True)
def demo_dossiers_command(rows: int, seed: int) -> None:
    """Sinh và nhập N hồ sơ mẫu cho các xã/phường demo (seeded demo export)."""
    from congvu.inspect.demo.dossiers import seed_demo_dossiers

    settings_or_exit()
    with tempfile.TemporaryDirectory(prefix="congvu-demo-") as folder:
        summary = run(lambda: seed_demo_dossiers(rows, seed=seed, folder=Path(folder)))
    click.echo(
        f"Đã nhập {summary['imported']} hồ sơ mẫu (loại {summary['rejected']} dòng lỗi cố ý)."
    )


COMMANDS = [
    import_dossiers_command,
    dossiers_command,
    rejudge_dossiers_command,
    dossier_procedure_command,
    demo_dossiers_command,
]
