"""``congvu emulation propose``: a year's rating and emulation titles for a unit subtree
(LĐTT, CSTĐCS per official, the collective's titles), each reason in Vietnamese, as the
system account. The year's period must have been opened."""

from __future__ import annotations

import json
from typing import Any

import click
from congvu.inspect.cli.common import run, settings_or_exit


def _text(board: dict[str, Any]) -> str:
    lines = [f"{board['period']} – {board['unit_name']} ({board['state']})"]
    for o in board["officials"]:
        titles = ", ".join(o.get("proposed_titles", [])) or "—"
        lines.append(f"  {o['name']:<32} {o['level'] or '—':<5} {titles}")
    return "\n".join(lines)


@click.group("emulation")
def emulation_group() -> None:
    """Bình xét thi đua hằng năm (Luật Thi đua, khen thưởng 2022; NĐ 152/2025/NĐ-CP)."""


@emulation_group.command("propose")
@click.option("--year", required=True, type=int)
@click.option("--unit", "unit_code", required=True, help="Unit code (its subtree is included).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def propose_command(year: int, unit_code: str, as_json: bool) -> None:
    """Đề xuất xếp loại năm và danh hiệu thi đua của một đơn vị."""
    settings_or_exit()
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.emulation.api import unit_board

    board = run(lambda: unit_board(SYSTEM, str(year), unit_code))
    if as_json:
        click.echo(json.dumps(board, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(_text(board))
