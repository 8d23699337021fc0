"""Lập báo cáo quý: read the unit's data, freeze it as a snapshot, write the workbook.

A build reads the rows once, hashes them, and compares with the latest version of the
same unit, period and scheme: the same data hash (under the same rule-pack versions and
generator) answers that version again, file and all, so building twice makes one
version; any change of the data makes version n + 1 with its own file. The workbook is
written in a worker thread: xlsxwriter is CPU-bound and would stall the event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.metadata
import pickle
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from congvu.inspect import clock, cpu_pool
from congvu.inspect.actor import Actor
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.organisation.tables import Unit
from congvu.inspect.periods import parse_report_period
from congvu.inspect.reports.services.access import report_unit
from congvu.inspect.reports.services.figures import ANNUAL_COVERAGE_TARGET, compute_figures
from congvu.inspect.reports.services.layout import Book, ReportContext
from congvu.inspect.reports.services.personnel import (
    PersonnelFigures,
    quota_percent,
    read_personnel,
)
from congvu.inspect.reports.services.reading import (
    Window,
    read_dossier_rows_here,
    read_finding_rows_here,
    read_report_data_here,
)
from congvu.inspect.reports.services.sheets import SHEETS, titles
from congvu.inspect.reports.services.trends import RecordTrends, read_trends
from congvu.inspect.reports.tables import ReportSnapshot
from congvu.rules.calendar import default_calendar
from congvu.rules.packs import PackNotFound, default_registry
from congvu.rules.periods import Period, PeriodKind
from piccolo.query.functions.aggregate import Max

Progress = Callable[[int, int, str], Awaitable[None]]
STEPS = 4


@dataclass(frozen=True)
class BuiltReport:
    snapshot_id: int
    version: int
    data_hash: str
    path: Path
    reused: bool  # the data had not changed since this version: no new file

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "version": self.version,
            "data_hash": self.data_hash,
            "reused": self.reused,
            "download": f"/reports/snapshots/{self.snapshot_id}/file",
        }


def quarter(text: str) -> Period:
    """ "2026Q3", "2026-Q3" or "2026-q3" under the organisation's scheme."""
    cleaned = text.strip().upper().replace(" ", "")
    if len(cleaned) == 6 and cleaned[4] == "Q":
        cleaned = f"{cleaned[:4]}-{cleaned[4:]}"
    period = parse_report_period(cleaned)
    if period.kind is not PeriodKind.QUARTER:
        raise Invalid("Báo cáo lập theo quý (ví dụ 2026Q3).", field="quarter")
    return period


def rule_versions(on: Any) -> dict[str, str]:
    """The version of every rule pack in force on ``on`` (topics not yet in force: none)."""
    registry, out = default_registry(), {}
    for topic in registry.topics():
        try:
            out[topic] = registry.pack_for(topic, on).version
        except PackNotFound:
            continue
    return out


def generator_version() -> str:
    try:
        return f"congvu {importlib.metadata.version('congvu')}"
    except importlib.metadata.PackageNotFoundError:
        return "congvu"


def _place(root_name: str) -> str:
    """The địa danh of the date line: "Nghệ An" of "Ủy ban nhân dân tỉnh Nghệ An"."""
    lowered = f" {root_name.lower()}"
    for marker in (" tỉnh ", " thành phố "):
        if marker in lowered:
            return root_name[lowered.index(marker) + len(marker) - 1 :]
    return root_name


async def _nothing(done: int, total: int, message: str) -> None:
    return None


async def build_report(
    actor: Actor,
    period_text: str,
    *,
    media_dir: Path,
    unit_code: str | None = None,
    job_id: uuid.UUID | None = None,
    progress: Progress | None = None,
) -> BuiltReport:
    """Báo cáo quý of ``unit_code`` (the actor's scope unit by default) and its subtree."""
    step = progress or _nothing
    period = quarter(period_text)
    unit = await report_unit(actor, unit_code)
    window = Window.of(period)
    zone = clock.zone()
    await step(0, STEPS, "Đang đọc số liệu")
    # Reading into frames, hashing and aggregating are CPU work: in the CPU pool, which
    # leaves the figures in a file of its own until the workbook is written.
    work = media_dir / "reports" / ".work"
    await asyncio.to_thread(work.mkdir, parents=True, exist_ok=True)
    figures_file = work / f"figures-{uuid.uuid4().hex}.pickle"
    try:
        return await _build(
            actor, period, unit, window, zone, media_dir, job_id, step, figures_file
        )
    finally:
        await asyncio.to_thread(figures_file.unlink, missing_ok=True)


async def _build(
    actor: Actor,
    period: Period,
    unit: dict[str, Any],
    window: Window,
    zone: ZoneInfo,
    media_dir: Path,
    job_id: uuid.UUID | None,
    step: Progress,
    figures_file: Path,
) -> BuiltReport:
    rows_hash, versions, calendar_version = await cpu_pool.run(
        gather_figures, unit["path"], unit["id"], window, zone, figures_file
    )
    # Ratings, emulation and discipline through their domains' services, on this loop: a
    # change there is a change of the data as much as a new finding is.
    personnel = await read_personnel(actor, unit, period, versions)
    trends = await read_trends(actor, unit, period)
    data_hash = hashlib.sha256(
        f"{rows_hash}:{personnel.data_hash()}:{trends.data_hash()}".encode()
    ).hexdigest()
    generator = generator_version()
    latest = (
        await ReportSnapshot.select()
        .where(
            ReportSnapshot.unit == unit["id"],
            ReportSnapshot.period == period.name,
            ReportSnapshot.scheme == period.scheme.value,
        )
        .order_by(ReportSnapshot.version, ascending=False)
        .output(load_json=True)
        .first()
    )
    if (
        latest is not None
        and latest["data_hash"] == data_hash
        and latest["rule_versions"] == versions
        and latest["parameters"].get("generator") == generator
        and (media_dir / latest["file_path"]).exists()
    ):
        await step(STEPS, STEPS, "Số liệu không đổi: dùng lại bản đã lập")
        return BuiltReport(
            latest["id"], latest["version"], data_hash, media_dir / latest["file_path"], True
        )
    await step(1, STEPS, "Đang tổng hợp")
    parent = None
    if unit["parent"] is not None:
        parent = await Unit.select(Unit.name).where(Unit.id == unit["parent"]).first()
    root_code = unit["path"].strip("/").split("/")[0]
    root = await Unit.select(Unit.name).where(Unit.code == root_code).first()
    now = clock.now()
    end_of_period = datetime.combine(period.last_day + timedelta(days=1), time(0), zone)
    contents = titles()
    parameters = {
        "unit": unit["code"],
        "period": period.name,
        "scheme": period.scheme.value,
        "annual_target": ANNUAL_COVERAGE_TARGET,
        "generator": generator,
    }
    async with atomic():
        number = (
            await ReportSnapshot.select(Max(ReportSnapshot.version, alias="top"))
            .where(
                ReportSnapshot.unit == unit["id"],
                ReportSnapshot.period == period.name,
                ReportSnapshot.scheme == period.scheme.value,
            )
            .first()
        )
        version = int((number or {}).get("top") or 0) + 1
        relative = f"reports/{unit['code']}/{period.name}-{period.scheme.value}-v{version}.xlsx"
        inserted = await ReportSnapshot.insert(
            ReportSnapshot(
                unit=unit["id"],
                period=period.name,
                scheme=period.scheme.value,
                first_day=period.first_day,
                last_day=period.last_day,
                version=version,
                data_hash=data_hash,
                parameters=parameters,
                rule_versions=versions,
                file_path=relative,
                file_sha256="",
                size_bytes=0,
                job_id=job_id,
                created_by=actor.id or None,
                created_at=now.astimezone(UTC),
            )
        )
    snapshot_id = int(inserted[0]["id"])
    ctx = ReportContext(
        unit_name=unit["name"],
        unit_code=unit["code"],
        issuing_body=parent["name"] if parent else unit["name"],
        recipient=parent["name"] if parent else "Bộ Nội vụ",
        place=_place(root["name"] if root else unit["name"]),
        period=period,
        previous=window.previous,
        year_start=window.year_start,
        cut_off=min(now, end_of_period).astimezone(zone),
        generated_at=now.astimezone(zone),
        generated_by=actor.display_name,
        snapshot_id=snapshot_id,
        version=version,
        data_hash=data_hash,
        rule_versions=versions,
        calendar_version=calendar_version,
        generator_version=generator,
        parameters=parameters,
        contents=contents,
    )
    path = media_dir / relative
    await step(2, STEPS, "Đang ghi tệp Excel")
    try:
        digest, size = await cpu_pool.run(
            write_workbook_file, path, ctx, figures_file, personnel, trends, unit["path"], zone
        )
    except BaseException:
        async with atomic():
            await ReportSnapshot.delete().where(ReportSnapshot.id == snapshot_id)
        raise
    async with atomic():
        await ReportSnapshot.update(
            {ReportSnapshot.file_sha256: digest, ReportSnapshot.size_bytes: size}
        ).where(ReportSnapshot.id == snapshot_id)
    await step(STEPS, STEPS, "Đã lập báo cáo")
    return BuiltReport(snapshot_id, version, data_hash, path, False)


def gather_figures(
    unit_path: str, root_id: int, window: Window, zone: ZoneInfo, figures_file: Path
) -> tuple[str, dict[str, str], str]:
    """In the CPU pool: read the subtree's rows, aggregate them into ``figures_file``;
    answers the data's hash (``ReportData.data_hash``), the rule packs' versions and the
    calendar's (the first use in a process loads them: a second and more)."""
    cpu_pool.off_loop()
    # The finding rows are left to the workbook's sheets: their digest stands for them.
    data = read_report_data_here(unit_path, window, zone, digest=True, finding_rows=False)
    figures_file.write_bytes(pickle.dumps(compute_figures(data, root_id, window)))
    versions = rule_versions(window.period.last_day)
    return data.data_hash(), versions, default_calendar().version


def write_workbook_file(
    path: Path,
    ctx: ReportContext,
    figures_file: Path,
    personnel: PersonnelFigures,
    trends: RecordTrends,
    unit_path: str,
    zone: ZoneInfo,
) -> tuple[str, int]:
    """In the CPU pool: ``write_workbook`` with the figures ``gather_figures`` left, the
    personnel figures and the trends read on the loop and the dossiers' and findings' rows for the
    sheets that list them, read here (the figures only count them). xlsxwriter writes in
    Python, holding the GIL for the whole workbook."""
    cpu_pool.off_loop()
    personnel = replace(personnel, quota_percent=quota_percent(ctx.period.year))
    window = Window.of(ctx.period)
    dossiers = read_dossier_rows_here(unit_path, window, zone)
    findings = read_finding_rows_here(unit_path, window, zone)
    figures = replace(
        pickle.loads(figures_file.read_bytes()),
        personnel=personnel,
        trends=trends,
        dossiers=dossiers,
        findings=findings,
    )
    return write_workbook(path, ctx, figures)


def write_workbook(path: Path, ctx: ReportContext, figures: Any) -> tuple[str, int]:
    """Every sheet of ``SHEETS`` into ``path``; answers the file's sha256 and size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    book = Book(partial)
    try:
        for sheet in SHEETS:
            sheet.write(book, ctx, figures)
    finally:
        book.close()
    partial.replace(path)
    content = path.read_bytes()
    return hashlib.sha256(content).hexdigest(), len(content)


async def snapshot_file(actor: Actor, snapshot_id: int, media_dir: Path) -> tuple[Path, str]:
    """The stored file of a snapshot the actor may read, and the name to download it as."""
    row = (
        await ReportSnapshot.select(
            ReportSnapshot.file_path,
            ReportSnapshot.period,
            ReportSnapshot.version,
            ReportSnapshot.size_bytes,
            ReportSnapshot.unit.code.as_alias("code"),
        )
        .where(ReportSnapshot.id == snapshot_id)
        .first()
    )
    if row is None or not row["size_bytes"]:
        raise NotFound("Không tìm thấy báo cáo.")
    await report_unit(actor, row["code"])
    path = media_dir / row["file_path"]
    if not path.exists():
        raise NotFound("Tệp báo cáo không còn trên máy chủ.")
    return path, f"bao-cao-{row['code']}-{row['period']}-v{row['version']}.xlsx"
