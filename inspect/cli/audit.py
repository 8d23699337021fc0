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
    help="Verify against this checkpoint instead of the latest one in CONGVU_CHECKPOINT_DIR.",
)
@click.option(
    "--no-checkpoint",
    is_flag=True,
    help="Recompute the chain alone (a rehashed rewrite or a cut tail then passes).",
)
def verify_audit(checkpoint_file: Path | None, no_checkpoint: bool) -> None:
    """Recompute the audit hash chain against the latest signed checkpoint; exit
    status 1 at the first bad sequence number or a checkpoint that is not ours."""
    from congvu.inspect.audit import api as audit

    settings = settings_or_exit()
    if checkpoint_file is not None and no_checkpoint:
        raise click.UsageError("--checkpoint và --no-checkpoint loại trừ nhau / exclude each other")
    if checkpoint_file is None and not no_checkpoint:
        checkpoint_file = audit.latest_file(settings.checkpoint_dir)
        if checkpoint_file is None:
            click.echo(
                f"Chưa có mốc nào trong / no checkpoint yet in {settings.checkpoint_dir}: "
                "chỉ kiểm tra chuỗi / verifying the chain alone",
                err=True,
            )
    checkpoint = None
    if checkpoint_file is not None:
        try:
            checkpoint = audit.read_checkpoint(checkpoint_file, settings.checkpoint_key)
        except audit.CheckpointError as error:
            click.echo(
                f"Mốc không hợp lệ, bị từ chối / checkpoint refused: {checkpoint_file}: {error}",
                err=True,
            )
            sys.exit(1)
        click.echo(
            f"Đối chiếu với mốc / against checkpoint {checkpoint_file} "
            f"(seq {checkpoint.seq}, {checkpoint.created_at})"
        )

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
    default=None,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Export to this file (keep a copy outside this server) instead of taking one "
    "into CONGVU_CHECKPOINT_DIR.",
)
def audit_checkpoint(out_file: Path | None) -> None:
    """Sign the head of the audit chain (Ed25519 over seq + head hash), into the
    checkpoint directory or, with --out, into a file of your choice."""
    from congvu.inspect.audit import api as audit

    settings = settings_or_exit()
    if out_file is None:
        try:
            taken = run(
                lambda: audit.take_checkpoint(
                    settings.checkpoint_dir, settings.checkpoint_key, settings.checkpoint_keep
                )
            )
        except audit.ChainDiverged as error:
            click.echo(
                f"Không ký mốc mới: chuỗi không nối tiếp mốc gần nhất / "
                f"no checkpoint taken, the chain does not extend the latest one: {error}",
                err=True,
            )
            sys.exit(1)
        checkpoint, where = taken.checkpoint, taken.path
    else:
        checkpoint = run(lambda: audit.make_checkpoint(settings.checkpoint_key))
        out_file.write_text(checkpoint.to_json())
        where = out_file
    click.echo(
        f"Đã ký mốc / checkpoint written to {where}: seq {checkpoint.seq}, "
        f"head {checkpoint.hash}\nkhóa công khai / public key {checkpoint.public_key}"
    )


def register(cli: click.Group) -> None:
    cli.add_command(verify_audit)
    cli.add_command(audit_checkpoint)
