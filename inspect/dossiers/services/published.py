"""Giá trị công bố: the 766 values (Bộ chỉ số 766, QĐ 766/QĐ-TTg) that Cổng Dịch vụ công
quốc gia published for a unit's quarter, typed in by an official so that they stand beside
congvu's own estimates (``queries.PeriodEstimate``) and in the quarterly report.

The estimates are never corrected from them: the portal counts with its own data and
calendar quarters, so a gap between the two is information, not an error to hide. Who may
type them is who may import the unit's dossiers; every change is audited with the values
it replaced."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.dossiers.services.importing import IMPORT_ROLES
from congvu.inspect.dossiers.tables import PublishedIndex
from congvu.inspect.errors import Forbidden, Invalid
from congvu.inspect.organisation import api as organisation
from congvu.inspect.periods import parse_report_period
from congvu.rules.periods import PeriodKind

PUBLISH_ROLES = IMPORT_ROLES
SOURCE_MAX = 500
# Digits, then at most two decimals after a comma (how Vietnamese is typed) or a point;
# a trailing % is what people copy from the portal's page.
_PERCENT = re.compile(r"(\d{1,3})(?:[.,](\d{1,2}))?\s*%?")


@dataclass(frozen=True)
class PublishedValue:
    period: str  # "2026-Q3", as PeriodEstimate.period
    timeliness: float | None  # % đúng hạn as published; None when not entered
    online: float | None  # % trực tuyến as published
    source: str
    entered_by: str | None  # display name of the account; None once it is deleted
    entered_at: datetime

    @property
    def digits(self) -> int:
        """Decimals to show: one, as the estimates, unless a value was typed with two
        (rounding a published 92,45 to 92,5 would misquote the portal)."""
        typed = (v for v in (self.timeliness, self.online) if v is not None)
        return 2 if any(round(v, 1) != v for v in typed) else 1

    def label(self, locale: str, *, bounds: bool = True) -> str:
        """ "Quý III/2026 (15/06/2026 – 14/09/2026)", as the estimates name their quarter."""
        return parse_report_period(self.period).label(locale, bounds=bounds)


def may_record_published(actor: Actor) -> bool:
    return actor.has_role(*PUBLISH_ROLES)


def _row_value(row: dict[str, Any]) -> PublishedValue:
    return PublishedValue(
        period=row["period"],
        timeliness=row["timeliness"],
        online=row["online"],
        source=row["source"],
        entered_by=row["entered_by.display_name"],
        entered_at=row["entered_at"],
    )


_COLUMNS = (
    PublishedIndex.period,
    PublishedIndex.timeliness,
    PublishedIndex.online,
    PublishedIndex.source,
    PublishedIndex.entered_by.display_name,
    PublishedIndex.entered_at,
)


async def published_values(unit_id: int) -> dict[str, PublishedValue]:
    """The values entered for the unit itself (not its sub-units: the portal publishes
    each unit on its own), by period. No scope check: the caller has already read the
    unit through ``organisation.unit_in_scope``."""
    rows = await PublishedIndex.select(*_COLUMNS).where(PublishedIndex.unit == unit_id)
    return {r["period"]: _row_value(r) for r in rows}


# Whole sentences per field, so that each has its English entry (templates/i18n).
_NOT_A_PERCENT = {
    "timeliness": "Tỷ lệ đúng hạn phải là một số, tối đa hai chữ số thập phân (ví dụ 95,5).",
    "online": "Tỷ lệ trực tuyến phải là một số, tối đa hai chữ số thập phân (ví dụ 61,0).",
}
_OUT_OF_RANGE = {
    "timeliness": "Tỷ lệ đúng hạn phải nằm trong khoảng từ 0 đến 100.",
    "online": "Tỷ lệ trực tuyến phải nằm trong khoảng từ 0 đến 100.",
}


def _percent(typed: str | float | None, field: str) -> float | None:
    if typed is None:
        return None
    if isinstance(typed, str):
        text = typed.strip()
        if not text:
            return None
        match = _PERCENT.fullmatch(text)
        if match is None:
            raise Invalid(_NOT_A_PERCENT[field], field=field)
        value = float(f"{match.group(1)}.{match.group(2) or 0}")
    else:
        value = float(typed)
    if not 0 <= value <= 100:
        raise Invalid(_OUT_OF_RANGE[field], field=field)
    return round(value, 2)


def _quarter(text: str) -> str:
    period = parse_report_period(text)
    if period.kind is not PeriodKind.QUARTER:
        raise Invalid("Giá trị công bố được ghi theo quý (ví dụ 2026-Q3).", field="period")
    if period.first_day > clock.today():
        raise Invalid("Quý này chưa bắt đầu nên chưa có giá trị công bố.", field="period")
    return period.name


def _audited(value: PublishedValue | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "period": value.period,
        "timeliness": value.timeliness,
        "online": value.online,
        "source": value.source,
    }


async def record_published(
    actor: Actor,
    unit_id: int,
    period: str,
    timeliness: str | float | None,
    online: str | float | None,
    source: str,
) -> PublishedValue:
    """Enter or replace the published values of ``unit_id``'s quarter ``period``
    ("2026-Q3"). A value is a percent from 0 to 100, typed "95,5" or "95.5"; an empty one
    is "not published", but not both. The previous values go to the audit trail."""
    if not may_record_published(actor):
        raise Forbidden("Chỉ người được nhập hồ sơ của đơn vị mới được ghi giá trị công bố.")
    unit = await organisation.unit_in_scope(actor, unit_id)
    name = _quarter(period)
    timeliness_value = _percent(timeliness, "timeliness")
    online_value = _percent(online, "online")
    if timeliness_value is None and online_value is None:
        raise Invalid(
            "Hãy nhập ít nhất một giá trị: tỷ lệ đúng hạn hoặc tỷ lệ trực tuyến.",
            field="timeliness",
        )
    note = " ".join(source.split())
    if len(note) > SOURCE_MAX:
        raise Invalid("Nguồn ghi tối đa 500 ký tự.", field="source")
    key = f"{unit.id}:{name}"
    async with db.atomic():
        before = await _current(key)
        if before is None:
            created = await PublishedIndex.insert(
                PublishedIndex(key=key, unit=unit.id, period=name, entered_at=clock.now())
            ).on_conflict(target=PublishedIndex.key, action="DO NOTHING")
            if not created:
                # Another official's first entry landed in between: this one replaces it.
                before = await _current(key)
        await PublishedIndex.update(
            {
                PublishedIndex.timeliness: timeliness_value,
                PublishedIndex.online: online_value,
                PublishedIndex.source: note,
                PublishedIndex.entered_by: actor.id or None,
                PublishedIndex.entered_at: clock.now(),
            }
        ).where(PublishedIndex.key == key)
        after = await _current(key)
        assert after is not None, "inserted or updated above"
        await audit.record(
            "published_index_recorded",
            "dossier_published_index",
            key,
            actor=actor,
            before=_audited(before),
            after=_audited(after),
        )
    return after


async def _current(key: str) -> PublishedValue | None:
    query = PublishedIndex.select(*_COLUMNS).where(PublishedIndex.key == key)
    if not db.is_sqlite():
        # Two officials replacing the same quarter at once: the second waits for the first,
        # and its audit event names the first's values as the ones it replaced.
        query = query.lock_rows(of=(PublishedIndex,))
    row = await query.first()
    return None if row is None else _row_value(row)
