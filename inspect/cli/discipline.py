"""``congvu discipline cases``: the discipline cases of a unit's subtree, as the
personnel office's list shows them (stage, next deadline, overdue, the form proposed or
decided, the limitation verdict with its reason), read as the system account."""

from __future__ import annotations

import json
from typing import Any

import click
from congvu.inspect.cli.common import run, settings_or_exit


def case_rows(timelines: list[Any]) -> list[dict[str, Any]]:
    """One plain dict per case (``discipline.api.Timeline``), dates as dd/mm/yyyy."""
    from congvu.rules.discipline import Form
    from congvu.rules.packs import format_date

    def day(value: Any) -> str | None:
        return format_date(value) if value is not None else None

    rows = []
    for t in timelines:
        c = t.file.case
        form = c["decided_form"] or c["proposed_form"]
        rows.append(
            {
                "case": t.file.id,
                "official": c["official_name"],
                "unit": c["unit_name"],
                "stage": t.stage_label,
                "next_step": t.next_label,
                "next_deadline": day(t.next_deadline),
                "overdue": t.overdue,
                "form": Form(form).label_vi if form else None,
                "form_decided": bool(c["decided_form"]),
                "annulled": c["annulled_on"] is not None,
                "limitation_within": t.limitation.within,
                "limitation": t.limitation.explanation_vi,
            }
        )
    return rows


@click.group("discipline")
def discipline_group() -> None:
    """Hồ sơ xử lý kỷ luật (discipline cases)."""


@discipline_group.command("cases")
@click.option("--unit", "unit_code", default=None, help="Only this unit's cases (its code).")
@click.option("--json", "as_json", is_flag=True, help="Print the cases as JSON.")
def cases_command(unit_code: str | None, as_json: bool) -> None:
    """Danh sách hồ sơ kỷ luật: bước hiện tại, hạn bước tiếp theo, thời hiệu."""
    settings_or_exit()
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.discipline import api as discipline

    timelines = run(lambda: discipline.cases(SYSTEM, discipline.CaseFilter(unit_code=unit_code)))
    rows = case_rows(timelines)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Không có hồ sơ kỷ luật.")
    for r in rows:
        late = " — QUÁ HẠN" if r["overdue"] else ""
        click.echo(
            f"#{r['case']} {r['official']} ({r['unit']}): {r['stage']}; "
            f"hạn bước tiếp theo {r['next_deadline'] or '—'}{late}; "
            f"hình thức {r['form'] or '—'}"
        )
        click.echo(f"    {r['limitation']}")
