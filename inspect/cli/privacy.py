"""``congvu purge-media [--dry-run]``: delete the photos and signature images past their
retention period (Luật 91/2025/QH15), as the daily job does; each deletion is a
``media_purged`` audit event and the file's hash stays on record."""

from __future__ import annotations

import click
from congvu.inspect.cli.common import run, settings_or_exit


@click.command("purge-media")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def purge_media(dry_run: bool) -> None:
    """Xoá ảnh chứng cứ và chữ ký quá thời hạn lưu trữ / delete files past retention."""
    from congvu.inspect.actor import SYSTEM
    from congvu.inspect.privacy import api as privacy

    settings = settings_or_exit()
    result = run(lambda: privacy.purge_media(SYSTEM, dry_run=dry_run))
    verb = "Sẽ xoá / would delete" if dry_run else "Đã xoá / deleted"
    for item in result.expired:
        click.echo(f"{verb}: {item.path} (khép lại / closed {item.closed_on:%d/%m/%Y})")
    click.echo(
        f"{verb} {len(result.expired)} tệp / files; giữ lại vì vụ việc chưa khép lại / kept"
        f" while their matter is open: {result.kept_open}; thời hạn / retention:"
        f" ảnh {settings.retain_photos_days} ngày, chữ ký {settings.retain_signatures_days} ngày"
    )
