"""Kỳ đánh giá: open, lock, reopen. Locking freezes a version — parameters, the rule-pack
versions, the proposals of the whole organisation and a SHA-256 of them — so a later change
of a finding never changes it; reopening needs a written reason and the next lock writes the
next version, the old one staying readable. Every step is audited."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from congvu.inspect import clock, db, i18n
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.access import require_manager
from congvu.inspect.emulation.services.boards import compute_quarter, compute_year, period_row
from congvu.inspect.emulation.services.criteria import CRITERIA_METHOD, criteria_year
from congvu.inspect.emulation.tables import PeriodState, PeriodVersion, RatingPeriod
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.organisation.tables import User
from congvu.inspect.periods import parse_report_period, report_scheme
from congvu.inspect.review import api as review
from congvu.inspect.review.tables import Notification
from congvu.rules.packs import PackNotFound, default_registry, format_date, pack_for
from congvu.rules.periods import Period, PeriodKind
from congvu.rules.rating_sheet import YearMethod


def period_name(text: str) -> str:
    """ "2026Q3", "2026-q3" or "2026-Q3" -> "2026-Q3"; "2026" -> "2026"."""
    value = text.strip().upper()
    if len(value) == 6 and value[4] == "Q":
        value = f"{value[:4]}-{value[4:]}"
    period = parse_report_period(value)
    if period.kind is PeriodKind.MONTH:
        raise Invalid("Kỳ đánh giá là một quý (2026-Q3) hoặc một năm (2026).", field="period")
    return period.name


def _packs(on: date) -> dict[str, str]:
    found = {}
    for topic in ("rating_cong_chuc", "rating_deductions", "emulation"):
        try:
            found[topic] = pack_for(topic, on).version
        except PackNotFound:
            found[topic] = ""
    return found


def require_scored(name: str, last_day: date) -> None:
    """A period is rated by the scores of the ``rating_deductions`` pack in force on its last
    day (the lock reads the packs on that day); before the first of them (NĐ 335/2025, from
    01/01/2026) officials were rated once a year by the criteria of NĐ 90/2020, so a quarter
    then is refused in words (a year opens as a criteria year, ``open_period``)."""
    try:
        pack_for("rating_deductions", last_day)
    except PackNotFound:
        first = default_registry().versions("rating_deductions")[0]
        raise Invalid(
            f"Kỳ {name} (đến {format_date(last_day)}) trước ngày"
            f" {format_date(first.effective_from)}: chấm điểm theo"
            f" {first.legal_basis[0].document} chỉ áp dụng từ ngày đó; năm trước được đánh giá"
            " một lần trong năm theo tiêu chí của Nghị định 90/2020/NĐ-CP: hãy mở kỳ năm"
            f" ({last_day.year}).",
            field="period",
        ) from None


def _criteria_parameters(name: str, period: Period) -> dict[str, Any] | None:
    """A year whose công chức were rated by criteria (NĐ 90/2020 + 48/2023, until
    31/12/2025) opens as a criteria year; a year before the emulation titles encoded
    (2024) is refused in words, since its board could not propose them."""
    if period.kind is not PeriodKind.YEAR or not criteria_year(period.year):
        return None
    try:
        pack_for("emulation", period.last_day)
    except PackNotFound:
        raise Invalid(
            f"Năm {name}: hệ thống chỉ ghi nhận đánh giá, xếp loại và bình xét thi đua từ năm"
            " 2024 (Luật Thi đua, khen thưởng 2022).",
            field="period",
        ) from None
    return {"scheme": str(report_scheme()), "method": CRITERIA_METHOD}


async def open_period(actor: Actor, text: str, *, year_method: str = "MEAN") -> dict[str, Any]:
    require_manager(actor)
    name = period_name(text)
    try:
        method = YearMethod(year_method)
    except ValueError:
        raise Invalid("Cách tính điểm năm không hợp lệ.", field="year_method") from None
    period = parse_report_period(name)
    criteria = _criteria_parameters(name, period)
    if criteria is None:
        require_scored(name, period.last_day)
    if await RatingPeriod.exists().where(RatingPeriod.name == name):
        raise Conflict(f"Kỳ đánh giá {name} đã được mở.", field="period")
    parameters = criteria or {"scheme": str(report_scheme()), "year_method": method.value}
    async with db.atomic():
        row = RatingPeriod(
            name=name,
            kind=period.kind.value,
            year=period.year,
            starts_on=period.first_day,
            ends_on=period.last_day,
            state=PeriodState.OPEN.value,
            version=1,
            parameters=json.dumps(parameters),
            opened_by=actor.id or None,
            opened_at=clock.now(),
        )
        await row.save()
        await audit.record(
            "rating_period.open", "rating_period", row.id, actor=actor, after=parameters
        )
    return await period_row(name)


def data_hash(parameters: dict[str, Any], packs: dict[str, str], proposals: dict[str, Any]) -> str:
    text = json.dumps(
        {"parameters": parameters, "packs": packs, "proposals": proposals},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()


Progress = Callable[[int, int, str], Awaitable[None]]


async def check_lockable(actor: Actor, text: str) -> str:
    """Before the lock job is started: the actor may lock, the period is open; its name."""
    require_manager(actor)
    period = await period_row(period_name(text))
    if period["state"] == PeriodState.LOCKED.value:
        raise Conflict(f"Kỳ đánh giá {period['name']} đã khóa.", field="period")
    return str(period["name"])


async def _no_progress(done: int, total: int, message: str = "") -> None:
    return None


async def lock_period(
    actor: Actor, text: str, *, progress: Progress | None = None, resume: bool = False
) -> dict[str, Any]:
    """Khóa kỳ: the competent head's decision, recorded by the personnel office; each
    official whose rating is in the period is told in the app (kết quả được thông báo).

    ``resume`` (the background job): a period already locked at its current version is
    the job's own earlier run, killed after its commit — answered as it is, so a rerun
    converges to one locked version with the same data hash."""
    require_manager(actor)
    step = progress or _no_progress
    period = await period_row(period_name(text))
    if period["state"] == PeriodState.LOCKED.value:
        if resume:
            return await period_row(period["name"])
        raise Conflict(f"Kỳ đánh giá {period['name']} đã khóa.", field="period")
    await step(0, 3, "Đang tính kết quả của kỳ")
    if period["kind"] == "quarter":
        proposals = await compute_quarter(period, "")
    else:
        proposals = await compute_year(period, "", None)
    parameters = json.loads(period["parameters"])
    packs = _packs(period["ends_on"])
    digest = data_hash(parameters, packs, proposals)
    version = int(period["version"])
    await step(1, 3, f"Đang ghi phiên bản {version} ({len(proposals['officials'])} người)")
    async with db.atomic():
        await PeriodVersion(
            key=f"{period['id']}:{version}",
            period=period["id"],
            version=version,
            locked_by=actor.id or None,
            locked_at=clock.now(),
            parameters=json.dumps(parameters),
            packs=json.dumps(packs),
            proposals=json.dumps(proposals, ensure_ascii=False),
            data_hash=digest,
        ).save()
        await RatingPeriod.update({RatingPeriod.state: PeriodState.LOCKED.value}).where(
            RatingPeriod.id == period["id"]
        )
        await audit.record(
            "rating_period.lock",
            "rating_period",
            period["id"],
            actor=actor,
            after={"version": version, "data_hash": digest, "packs": packs},
        )
        await step(2, 3, "Đang thông báo cho từng người")
        await notify_locked(period, version, proposals)
    await step(3, 3, f"Đã khóa, phiên bản {version}")
    return await period_row(period["name"])


async def notify_locked(period: dict[str, Any], version: int, proposals: dict[str, Any]) -> int:
    """One notification per account of an official rated in the period, keyed by period
    and version so that a rerun never doubles it; in the lock's transaction."""
    ids = [int(o["official_id"]) for o in proposals["officials"]]
    if not ids:
        return 0
    users = await User.select(User.id).where(User.official.is_in(ids), User.active.eq(True))
    label = period_label(period["name"])
    return await review.send_notifications(
        [int(u["id"]) for u in users],
        f"rating-lock:{period['id']}:{version}",
        "rating_locked",
        f"Kỳ đánh giá {label} đã khóa: xem kết quả xếp loại của bạn và danh sách của đơn vị.",
        f"/ratings/{period['name']}/me",
    )


async def reopen_period(actor: Actor, text: str, reason: str | None) -> dict[str, Any]:
    require_manager(actor)
    period = await period_row(period_name(text))
    why = (reason or "").strip()
    if not why:
        raise Invalid("Mở lại kỳ đã khóa phải ghi rõ lý do.", field="reason")
    if period["state"] != PeriodState.LOCKED.value:
        raise Conflict(f"Kỳ đánh giá {period['name']} đang mở.", field="period")
    version = int(period["version"])
    async with db.atomic():
        await PeriodVersion.update(
            {
                PeriodVersion.reopened_by: actor.id or None,
                PeriodVersion.reopened_at: clock.now(),
                PeriodVersion.reopen_reason: why,
            }
        ).where(PeriodVersion.key == f"{period['id']}:{version}")
        await RatingPeriod.update(
            {RatingPeriod.state: PeriodState.OPEN.value, RatingPeriod.version: version + 1}
        ).where(RatingPeriod.id == period["id"])
        await audit.record(
            "rating_period.reopen",
            "rating_period",
            period["id"],
            actor=actor,
            before={"version": version},
            after={"version": version + 1},
            reason=why,
        )
    return await period_row(period["name"])


async def versions(text: str) -> list[dict[str, Any]]:
    period = await period_row(period_name(text))
    rows = (
        await PeriodVersion.select(
            PeriodVersion.version,
            PeriodVersion.locked_at,
            PeriodVersion.locked_by.display_name,
            PeriodVersion.data_hash,
            PeriodVersion.packs,
            PeriodVersion.reopened_at,
            PeriodVersion.reopen_reason,
        )
        .where(PeriodVersion.period == period["id"])
        .order_by(PeriodVersion.version)
    )
    return rows


async def version_proposals(actor: Actor, text: str, version: int) -> dict[str, Any]:
    """A locked version's proposals, the officials of the actor's unit scope only."""
    require_manager(actor)
    period = await period_row(period_name(text))
    row = (
        await PeriodVersion.select(PeriodVersion.proposals)
        .where(PeriodVersion.period == period["id"], PeriodVersion.version == version)
        .first()
    )
    if row is None:
        raise NotFound(f"Kỳ {period['name']} không có phiên bản {version}.", field="version")
    proposals = json.loads(row["proposals"])
    mine = [o for o in proposals["officials"] if actor.can_see_unit_path(o["unit_path"])]
    return {**proposals, "officials": mine}


def period_label(name: str) -> str:
    """ "Quý III/2026" or "Năm 2026" (English: "Q3 2026"), in the reader's language."""
    return parse_report_period(name).label(i18n.current_locale.get(), bounds=False)


async def all_periods() -> list[dict[str, Any]]:
    rows = await RatingPeriod.select().order_by(RatingPeriod.starts_on, ascending=False)
    return [{**r, "label": period_label(r["name"])} for r in rows]


async def lock_summary(name: str) -> dict[str, Any]:
    """What the lock job reports: the version locked, its hash, how many officials it
    holds and how many accounts were told."""
    period = await period_row(period_name(name))
    version = (
        await PeriodVersion.select(
            PeriodVersion.version, PeriodVersion.data_hash, PeriodVersion.proposals
        )
        .where(PeriodVersion.period == period["id"])
        .order_by(PeriodVersion.version, ascending=False)
        .first()
    )
    if version is None:
        raise NotFound(f"Kỳ {period['name']} chưa có phiên bản khóa.", field="period")
    key = f"rating-lock:{period['id']}:{version['version']}:%"
    return {
        "period": period["name"],
        "label": period_label(period["name"]),
        "version": int(version["version"]),
        "data_hash": version["data_hash"],
        "officials": len(json.loads(version["proposals"])["officials"]),
        "notified": await Notification.count().where(Notification.key.like(key)),
    }
