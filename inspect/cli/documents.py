"""``congvu documents kinds`` and ``congvu documents render``: every official document the
domains write (NĐ 30/2020 layout), listed with its Vietnamese title, and one rendered to a
file as the system account. The command composes what each domain's api offers
(``DOCUMENTS``, ``render_document``); an HTML file is written self-contained, its print
stylesheet inlined."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import click
from congvu.inspect.cli.common import run, settings_or_exit

Renderer = Callable[..., Awaitable[tuple[str, bytes]]]


def catalogue() -> dict[str, tuple[str, Any, Renderer]]:
    """kind -> (domain, ``DocumentKind``, the domain's ``render_document``)."""
    from congvu.inspect.discipline import api as discipline
    from congvu.inspect.emulation import api as emulation

    found: dict[str, tuple[str, Any, Renderer]] = {}
    for domain, api in (("discipline", discipline), ("emulation", emulation)):
        for kind in api.DOCUMENTS:
            found[kind.name] = (domain, kind, api.render_document)
    return found


def kind_rows() -> list[dict[str, Any]]:
    return [
        {
            "kind": kind.name,
            "title": kind.title,
            "domain": domain,
            "needs": str(kind.subject),
            "formats": list(kind.formats),
        }
        for domain, kind, _ in catalogue().values()
    ]


async def render_kind(
    kind: str,
    fmt: str,
    *,
    period: str | None = None,
    unit_code: str | None = None,
    case_id: int | None = None,
    official_id: int | None = None,
) -> tuple[str, bytes]:
    """One document rendered as the system account: the file name the domain gives it
    and the bytes to write (a page self-contained)."""
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.documents.catalogue import Subject
    from congvu.inspect.documents.html_layout import standalone_page

    known = catalogue()
    if kind not in known:
        raise click.BadParameter(f"không có loại văn bản {kind!r}", param_hint="KIND")
    _, spec, render = known[kind]
    if fmt not in spec.formats:
        raise click.BadParameter(
            f"{kind} có các định dạng {', '.join(spec.formats)}", param_hint="--format"
        )
    if spec.subject is Subject.CASE:
        if case_id is None:
            raise click.UsageError(f"{kind} là văn bản của một hồ sơ kỷ luật: thêm --case ID.")
        name, content = await render(SYSTEM, kind, fmt, case_id=case_id)
    elif spec.subject is Subject.OFFICIAL:
        if official_id is None:
            raise click.UsageError(f"{kind} là văn bản của một cán bộ: thêm --official ID.")
        name, content = await render(
            SYSTEM, kind, fmt, period=period, unit_code=unit_code, official_id=official_id
        )
    else:
        name, content = await render(SYSTEM, kind, fmt, period=period, unit_code=unit_code)
    if fmt == "html":
        content = standalone_page(content.decode()).encode()
    return name, content


@click.group("documents")
def documents_group() -> None:
    """Văn bản theo thể thức Nghị định 30/2020/NĐ-CP (official documents)."""


@documents_group.command("kinds")
@click.option("--json", "as_json", is_flag=True, help="Print the kinds as JSON.")
def kinds_command(as_json: bool) -> None:
    """Các loại văn bản: mã loại, tên, cần gì để lập, các định dạng."""
    rows = kind_rows()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r['kind']:<32} {r['title']} [{', '.join(r['formats'])}]")


@documents_group.command("render")
@click.argument("kind")
@click.option("--period", default=None, help="2026-Q3, 2026-03 or 2026.")
@click.option("--unit", "unit_code", default=None, help="The unit's code.")
@click.option("--official", "official_id", type=int, default=None, help="An official's id.")
@click.option("--case", "case_id", type=int, default=None, help="A discipline case's id.")
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "html", "xlsx"]), default="docx",
    show_default=True,
)  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def render_command(
    kind: str,
    period: str | None,
    unit_code: str | None,
    official_id: int | None,
    case_id: int | None,
    fmt: str,
    out: Path,
) -> None:
    """Lập một văn bản và ghi ra tệp OUT."""
    settings_or_exit()
    name, content = run(
        lambda: render_kind(
            kind,
            fmt,
            period=period,
            unit_code=unit_code,
            case_id=case_id,
            official_id=official_id,
        )
    )
    out.write_bytes(content)
    click.echo(f"Đã ghi {name} vào {out}")
