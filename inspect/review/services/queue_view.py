"""Lọc, đếm, sắp xếp và phân trang hàng chờ xem xét: the filters a head combines (kind,
unit, official, state, severity, review deadline), how many items each filter value
would show, the orders the table offers, and keyset pages over them.

A page is named by the sort key of an item next to it (``after`` the last one shown,
``before`` the first one), never by an offset: an item decided while the head reads
page 3 does not push an unseen item from page 4 onto page 3.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Any

from congvu.inspect.errors import Invalid
from congvu.inspect.i18n import name_sort_key
from congvu.inspect.organisation.api import UnitView
from congvu.inspect.review.services.items import ItemKind
from congvu.inspect.review.services.labels import SEVERITY_LABELS, STATE_LABELS
from congvu.inspect.review.services.queue_index import DOSSIER_STATE, Entry
from congvu.inspect.review.tables import ReviewState
from congvu.inspect.text_input import blank_as_none, optional_number

KIND_LABELS = {ItemKind.FINDING.value: "Phát hiện", ItemKind.DOSSIER.value: "Hồ sơ trễ hạn"}
QUEUE_STATE_LABELS = {
    **{s.value: label for s, label in STATE_LABELS.items() if s is not ReviewState.CLOSED},
    DOSSIER_STATE: "Hồ sơ chờ quyết định",
}
DUE_LABELS = {
    "overdue": "Quá hạn xem xét",
    "week": "Đến hạn trong tuần này",
    "later": "Sau tuần này",
    "none": "Chưa có hạn",
}
SEVERITY_RANK = {"severe": 0, "serious": 1, "minor": 2}

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25


def _deadline_key(e: Entry) -> tuple[Any, ...]:
    # Ordinal days and plain strings: a cursor carries the key as JSON.
    return (e.deadline is None, e.deadline.toordinal() if e.deadline else 0, str(e.kind), e.id)


# The table's orders: every key ends with the deadline's and the item's own, so that two
# items never tie and a cursor names one place.
SORTS: dict[str, Callable[[Entry], tuple[Any, ...]]] = {
    "deadline": _deadline_key,
    "unit": lambda e: (e.unit_path, *_deadline_key(e)),
    "official": lambda e: (e.official_name is None, e.official_key, *_deadline_key(e)),
    "severity": lambda e: (SEVERITY_RANK.get(e.severity, 3), *_deadline_key(e)),
    "kind": lambda e: (str(e.kind), *_deadline_key(e)),
}


def _choice(value: str | None, name: str, allowed: Sequence[str], message: str) -> str | None:
    text = blank_as_none(value)
    if text is not None and text not in allowed:
        raise Invalid(message, field=name)
    return text


@dataclass(frozen=True)
class QueueFilters:
    kind: str | None = None
    unit: int | None = None
    official: int | None = None
    state: str | None = None
    severity: str | None = None
    due: str | None = None
    sort: str = "deadline"
    descending: bool = False
    size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def parse(
        cls,
        *,
        kind: str | None = None,
        unit: str | None = None,
        official: str | None = None,
        state: str | None = None,
        severity: str | None = None,
        due: str | None = None,
        sort: str | None = None,
        size: str | None = None,
    ) -> QueueFilters:
        """The filters from a query string; each empty value means "any"."""
        order = blank_as_none(sort) or "deadline"
        descending = order.startswith("-")
        if order.removeprefix("-") not in SORTS:
            raise Invalid("Cách sắp xếp không hợp lệ.", field="sort")
        page_size = optional_number(size, "size", "Số dòng mỗi trang không hợp lệ.")
        if page_size is not None and page_size not in PAGE_SIZES:
            raise Invalid("Số dòng mỗi trang không hợp lệ.", field="size")
        return cls(
            kind=_choice(kind, "kind", list(KIND_LABELS), "Loại mục không hợp lệ."),
            unit=optional_number(unit, "unit", "Đơn vị không hợp lệ."),
            official=optional_number(official, "official", "Cán bộ không hợp lệ."),
            state=_choice(state, "state", list(QUEUE_STATE_LABELS), "Trạng thái không hợp lệ."),
            severity=_choice(
                severity, "severity", list(SEVERITY_LABELS), "Mức độ vi phạm không hợp lệ."
            ),
            due=_choice(due, "due", list(DUE_LABELS), "Hạn xem xét không hợp lệ."),
            sort=order.removeprefix("-"),
            descending=descending,
            size=page_size or DEFAULT_PAGE_SIZE,
        )

    @property
    def order(self) -> str:
        return f"-{self.sort}" if self.descending else self.sort

    def query(self, **changes: Any) -> dict[str, str]:
        """The filters as query parameters (empty ones left out), with ``changes``."""
        values: dict[str, Any] = {
            "kind": self.kind,
            "unit": self.unit,
            "official": self.official,
            "state": self.state,
            "severity": self.severity,
            "due": self.due,
            "sort": None if self.order == "deadline" else self.order,
            "size": None if self.size == DEFAULT_PAGE_SIZE else self.size,
        }
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v is not None and v != ""}


def due_bucket(deadline: date | None, today: date) -> str:
    """Quá hạn / trong tuần này (to Sunday) / sau tuần này / chưa có hạn."""
    if deadline is None:
        return "none"
    if deadline < today:
        return "overdue"
    if deadline <= today + timedelta(days=6 - today.weekday()):
        return "week"
    return "later"


@dataclass(frozen=True)
class FacetOption:
    """One value of a filter, with the number of items it would show."""

    value: str
    label: str
    count: int
    depth: int = 0


DIMENSIONS = ("unit", "kind", "official", "state", "severity", "due")


@dataclass
class Matcher:
    """Which filters each entry fails, worked out once per entry: a page, its filters'
    counts and the number of matches then cost one pass over bit masks."""

    filters: QueueFilters
    units: dict[int, str]  # unit id → path, of the actor's scope
    today: date

    def values(self, e: Entry) -> tuple[str, ...]:
        """The entry's value of each dimension (its unit's path for "unit")."""
        return (
            e.unit_path,
            e.kind,  # a StrEnum: equal to, and hashed as, its value
            str(e.official_id) if e.official_id is not None else "",
            e.state,
            e.severity,
            due_bucket(e.deadline, self.today),
        )

    def misses(self, values: tuple[str, ...]) -> int:
        """A bit per filter (in DIMENSIONS order) the values fail."""
        f = self.filters
        mask = 0
        if f.unit is not None:
            path = self.units.get(f.unit)
            if path is None or not values[0].startswith(path):
                mask |= 1
        for bit, wanted in enumerate((f.kind, f.official, f.state, f.severity, f.due), 1):
            if wanted is not None and values[bit] != str(wanted):
                mask |= 1 << bit
        return mask

    def classify(self, entries: Sequence[Entry]) -> list[tuple[tuple[str, ...], int]]:
        # A province's 100,000 items share a few hundred combinations of values (units ×
        # officials × states × deadline buckets): each combination's mask is worked out once.
        masks: dict[tuple[str, ...], int] = {}
        out = []
        for e in entries:
            values = self.values(e)
            mask = masks.get(values)
            if mask is None:
                mask = masks[values] = self.misses(values)
            out.append((values, mask))
        return out


def facets(
    combinations: Counter[tuple[tuple[str, ...], int]],
    names: dict[int, str],
    units: Sequence[UnitView],
) -> dict[str, list[FacetOption]]:
    """For each filter, its values with how many items each would show together with
    the other filters chosen; ``combinations`` counts the items by their values and the
    filters they miss (``Matcher.classify``), ``names`` are the officials'."""
    # An entry counts for a filter when it misses no other filter: those that miss none
    # count everywhere (Counter, column by column), those that miss one count for it.
    counts: list[Counter[str]] = [Counter() for _ in DIMENSIONS]
    for (values, mask), n in combinations.items():
        if not mask:
            for bit, value in enumerate(values):
                counts[bit][value] += n
        elif not mask & (mask - 1):
            bit = mask.bit_length() - 1
            counts[bit][values[bit]] += n
    out: dict[str, list[FacetOption]] = {}
    for name, labels in (
        ("kind", KIND_LABELS),
        ("state", QUEUE_STATE_LABELS),
        ("severity", SEVERITY_LABELS),
        ("due", DUE_LABELS),
    ):
        found = counts[DIMENSIONS.index(name)]
        out[name] = [FacetOption(v, label, found.get(v, 0)) for v, label in labels.items()]
    by_official = counts[DIMENSIONS.index("official")]
    out["official"] = [
        FacetOption(str(i), name, by_official.get(str(i), 0))
        for i, name in sorted(names.items(), key=lambda o: name_sort_key(o[1] or ""))
        if name
    ]
    by_unit = counts[DIMENSIONS.index("unit")]
    out["unit"] = [
        FacetOption(
            str(u.id),
            u.name,
            sum(n for path, n in by_unit.items() if path.startswith(u.path)),
            u.depth,
        )
        for u in units
    ]
    return out


# --- keyset pages --------------------------------------------------------------------


def encode_cursor(filters: QueueFilters, key: tuple[Any, ...]) -> str:
    raw = json.dumps([filters.order, *key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str | None, filters: QueueFilters, name: str) -> tuple[Any, ...] | None:
    """The sort key a cursor names; None for none, or for a cursor of another order (the
    head changed the order: the first page of the new one)."""
    text = blank_as_none(token)
    if text is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError) as error:
        raise Invalid("Liên kết trang không hợp lệ.", field=name) from error
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        raise Invalid("Liên kết trang không hợp lệ.", field=name)
    if value[0] != filters.order:
        return None
    return tuple(value[1:])


@dataclass
class Window:
    """The entries of one page and the cursors around it."""

    entries: list[Entry]
    start: int  # position of the first one among all matching
    total: int
    next_key: tuple[Any, ...] | None = None
    previous_key: tuple[Any, ...] | None = None
    pages: int = 1
    number: int = 1


def window(
    matching: Sequence[Entry],
    filters: QueueFilters,
    after: tuple[Any, ...] | None,
    before: tuple[Any, ...] | None,
) -> Window:
    """The page after ``after`` (or before ``before``, or the first), in the filters' order."""
    key = SORTS[filters.sort]
    # Each key worked out once: the sort and the cursors both need it.
    decorated = sorted(
        ((key(e), e) for e in matching), key=itemgetter(0), reverse=filters.descending
    )
    keys = [k for k, _ in decorated]
    ordered = [e for _, e in decorated]
    size = filters.size

    def beyond(k: tuple[Any, ...], mark: tuple[Any, ...]) -> bool:
        try:
            return k < mark if filters.descending else k > mark
        except TypeError as error:  # a cursor from an edited URL
            raise Invalid("Liên kết trang không hợp lệ.", field="after") from error

    start = 0
    if after is not None:
        start = next((i for i, k in enumerate(keys) if beyond(k, after)), len(keys))
    elif before is not None:
        end = next((i for i, k in enumerate(keys) if not beyond(before, k)), len(keys))
        start = max(0, end - size)
    chosen = ordered[start : start + size]
    total = len(ordered)
    return Window(
        entries=chosen,
        start=start,
        total=total,
        next_key=keys[start + len(chosen) - 1] if start + len(chosen) < total else None,
        previous_key=keys[start] if start > 0 and chosen else None,
        pages=max(1, -(-total // size)),
        number=min(start // size + 1 + (1 if start % size else 0), max(1, -(-total // size))),
    )
