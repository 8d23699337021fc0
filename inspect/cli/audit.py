"""``congvu verify-audit`` and ``congvu audit-checkpoint``: proving the audit trail."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from congvu.inspect.cli.common import run, settings_or_exit


@click.command("verify-audit")
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Also require the chain to reach this exported checkpoint.",
)
def verify_audit(checkpoint_file: Path | None) -> None:
    """Recompute the audit hash chain; exit status 1 at the first bad sequence number."""
    from congvu.inspect.audit import api as audit

    settings = settings_or_exit()
    checkpoint = None
    if checkpoint_file is not None:
        try:
            checkpoint = audit.Checkpoint.from_json(checkpoint_file.read_text())
            audit.check_signature(checkpoint, settings.secret_key)
        except audit.CheckpointError as error:
            raise click.ClickException(f"checkpoint {checkpoint_file}: {error}") from None

    result = run(lambda: audit.verify(checkpoint))
    speed = (
        f"{result.rows:,} sự kiện / events in {result.seconds:.2f}s "
        f"({result.rows_per_second:,.0f} rows/s)"
    )
    if not result.ok:
        click.echo(
            f"Nhật ký bị sửa đổi / audit trail broken at seq {result.first_bad_seq}: "
            f"{result.problem}",
            err=True,
        )
        click.echo(speed, err=True)
        sys.exit(1)
    click.echo(
        f"Nhật ký toàn vẹn / audit trail intact: seq 1..{result.head_seq}, "
        f"head {result.head_hash[:16]}…, {result.unsealed} chưa niêm phong / unsealed"
    )
    if checkpoint is not None:
        click.echo(f"Khớp mốc / matches the checkpoint at seq {checkpoint.seq}")
    click.echo(speed)


@click.command("audit-checkpoint")
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the signed checkpoint (keep a copy outside this server).",
)
def audit_checkpoint(out_file: Path) -> None:
    """Export a signed checkpoint (Ed25519 over seq + head hash) of the audit chain."""
    from congvu.inspect.audit import api as audit

    settings = settings_or_exit()
    checkpoint = run(lambda: audit.make_checkpoint(settings.secret_key))
    out_file.write_text(checkpoint.to_json())
    click.echo(
        f"Đã xuất mốc / checkpoint written to {out_file}: seq {checkpoint.seq}, "
        f"head {checkpoint.hash}\nkhóa công khai / public key {checkpoint.public_key}"
    )


def register(cli: click.Group) -> None:
    cli.add_command(verify_audit)
    cli.add_command(audit_checkpoint)
