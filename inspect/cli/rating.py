"""``congvu rating propose``: a quarter's proposed levels for a unit subtree, as the unit's
board shows them (score parts, deductions with their sources, caps, quota), as the system
account. The period must have been opened."""

from __future__ import annotations

import json
from typing import Any

import click
from congvu.inspect.cli.common import run, settings_or_exit


def _text(board: dict[str, Any]) -> str:
    lines = [f"{board['period']} – {board['unit_name']} ({board['state']})"]
    for o in board["officials"]:
        score = o["score"]["total"] if o["score"] else "—"
        lines.append(f"  {o['name']:<32} {score!s:>7}  {o['level_vi'] or 'chưa đề xuất'}")
    return "\n".join(lines)


@click.group("rating")
def rating_group() -> None:
    """Đánh giá, xếp loại chất lượng công chức theo quý (NĐ 335/2025/NĐ-CP)."""


@rating_group.command("propose")
@click.option("--quarter", required=True, help="2026Q3 or 2026-Q3")
@click.option("--unit", "unit_code", required=True, help="Unit code (its subtree is included).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def propose_command(quarter: str, unit_code: str, as_json: bool) -> None:
    """Đề xuất xếp loại quý của một đơn vị."""
    settings_or_exit()
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.emulation.api import unit_board

    board = run(lambda: unit_board(SYSTEM, quarter, unit_code))
    if as_json:
        click.echo(json.dumps(board, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(_text(board))
