"""``congvu rating propose``: a quarter's proposed levels for a unit subtree, as the unit's
board shows them (score parts, deductions with their sources, caps, quota), or a year's
(``--year``; before 2026 the criteria of NĐ 90/2020 as the head entered them), as the system
account. The period must have been opened."""

from __future__ import annotations

import json
from typing import Any

import click
from congvu.inspect.cli.common import run, settings_or_exit


def _criteria_text(o: dict[str, Any]) -> str:
    c = o.get("criteria")
    if not c:
        return "—"
    return f"{c['tasks_done_well']}/{c['tasks_assigned']} (+{c['tasks_exceeded']})"


def _text(board: dict[str, Any]) -> str:
    lines = [f"{board['period']} – {board['unit_name']} ({board['state']})"]
    for o in board["officials"]:
        if board.get("method") == "CRITERIA":
            shown = _criteria_text(o)
        else:
            score = o["score"]["total"] if isinstance(o["score"], dict) else o["score"]
            shown = "—" if score is None else str(score)
        lines.append(f"  {o['name']:<32} {shown:>9}  {o['level_vi'] or 'chưa đề xuất'}")
    return "\n".join(lines)


@click.group("rating")
def rating_group() -> None:
    """Đánh giá, xếp loại chất lượng công chức: theo quý (NĐ 335/2025/NĐ-CP) hoặc năm."""


@rating_group.command("propose")
@click.option("--quarter", default=None, help="2026Q3 or 2026-Q3")
@click.option(
    "--year", type=int, default=None, help="A year (before 2026: by NĐ 90/2020's criteria)."
)
@click.option("--unit", "unit_code", required=True, help="Unit code (its subtree is included).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def propose_command(quarter: str | None, year: int | None, unit_code: str, as_json: bool) -> None:
    """Đề xuất xếp loại quý hoặc năm của một đơn vị."""
    if (quarter is None) == (year is None):
        raise click.UsageError("Give --quarter or --year (one of them).")
    settings_or_exit()
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.emulation.api import unit_board

    period = quarter if quarter is not None else str(year)
    board = run(lambda: unit_board(SYSTEM, period, unit_code))
    if as_json:
        click.echo(json.dumps(board, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(_text(board))
