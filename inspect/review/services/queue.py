"""The head's queue and bulk actions: findings and flagged dossiers side by side.

Both kinds are decided by their own module (``transitions``, ``dossier_cases``); this one
only puts them in one list and sends a bulk action to each item's own transition, so
every item keeps its own transaction and audit event."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.errors import DomainError, Forbidden, Invalid
from congvu.inspect.organisation import api as organisation
from congvu.inspect.review.services.access import own_official, readable
from congvu.inspect.review.services.dossier_cases import bulk_one
from congvu.inspect.review.services.dossier_flags import DossierAction
from congvu.inspect.review.services.dossier_items import DossierItem
from congvu.inspect.review.services.items import BulkResult, audit_listing
from congvu.inspect.review.services.labels import STATE_LABELS
from congvu.inspect.review.services.lifecycle import (
    BULK_ACTIONS,
    NOTIFIER_ROLES,
    REVIEWER_ROLES,
    Action,
    local_day,
)
from congvu.inspect.review.services.queue_batch import queue_items
from congvu.inspect.review.services.queue_findings import finding_groups, page_deadlines
from congvu.inspect.review.services.queue_index import (
    Entry,
    dossier_entries,
    entries,
    finding_entries,
)
from congvu.inspect.review.services.queue_sql import DossierStream, dossier_stream
from congvu.inspect.review.services.queue_view import (
    SORTS,
    FacetOption,
    Matcher,
    QueueFilters,
    Window,
    decode_cursor,
    due_bucket,
    encode_cursor,
    facets,
)
from congvu.inspect.review.services.reads import FindingItem, severity
from congvu.inspect.review.services.transitions import Command, transition


def _require_reviewer(actor: Actor) -> None:
    if not actor.has_role(*REVIEWER_ROLES):
        raise Forbidden("Chỉ thủ trưởng đơn vị hoặc quản trị mới có hàng chờ xem xét.")


async def queue(actor: Actor, *, now: datetime | None = None) -> list[FindingItem | DossierItem]:
    """Hàng chờ xem xét của thủ trưởng, every item: open findings of the actor's unit
    subtree (from submitted minutes, or late-dossier cases) and the flagged dossiers not
    yet decided, nearest deadline first (findings not yet notified last). The pages and
    the API show it a page at a time (``queue_page``)."""
    _require_reviewer(actor)
    today = local_day(now or datetime.now(UTC))
    found = sorted(await entries(actor, now=now), key=SORTS["deadline"])
    items = await queue_items(actor, await own_official(actor), found, today)
    await audit_listing(actor, "queue", items)
    return items


@dataclass
class QueuePage:
    """One page of the queue, with what the filters would show and the links around it."""

    items: list[FindingItem | DossierItem]
    filters: QueueFilters
    facets: dict[str, list[FacetOption]]
    in_scope: int  # every item of the queue, whatever the filters
    total: int  # the items the filters keep
    number: int  # page number, from 1
    pages: int
    first: int  # the position of the page's first item, from 1
    next_cursor: str | None
    previous_cursor: str | None
    today: date

    def overdue(self, deadline: date | None) -> bool:
        return due_bucket(deadline, self.today) == "overdue"


async def queue_page(
    actor: Actor,
    filters: QueueFilters,
    *,
    after: str | None = None,
    before: str | None = None,
    now: datetime | None = None,
) -> QueuePage:
    """One page of the queue the filters keep, in their order, after (or before) the item
    a cursor names; only the page's items are read in full, and only they are audited.

    Two streams: the undecided flagged dossiers, filtered, counted and cut in SQL
    (``queue_sql``), and the rest in Python (the findings, and the flagged dossiers an
    earlier decision may cover), merged in the filters' order."""
    _require_reviewer(actor)
    today = local_day(now or datetime.now(UTC))
    units = await organisation.visible_units(actor)
    if filters.unit is not None and filters.unit not in {u.id for u in units}:
        raise Invalid("Đơn vị không hợp lệ.", field="unit")
    paths = {u.id: u.path for u in units}
    unit_path = None if filters.unit is None else paths.get(filters.unit)
    matcher = Matcher(filters, paths, today)
    stream = dossier_stream(actor, today)
    after_key = decode_cursor(after, filters, "after")
    before_key = decode_cursor(before, filters, "before")
    # The three reads do not depend on each other: on PostgreSQL they overlap.
    groups, decided, (combinations, names) = await asyncio.gather(
        finding_groups(actor, matcher),
        dossier_entries(actor, today, decided_only=True),
        stream.combinations(matcher),
    )
    combinations.update(groups.combinations)
    names.update(groups.names)
    # A page of the deadline order, forwards, reads the findings of its own deadlines;
    # the other orders and a page backwards read them all (``queue_findings``).
    chosen = None
    if filters.sort == "deadline" and not filters.descending and before_key is None:
        chosen = page_deadlines(groups, after_key, filters.size)
    deadlines, settled = (None, 0) if chosen is None else chosen
    found = await finding_entries(actor, deadlines)
    findings = [
        e for e, (_, misses) in zip(found, matcher.classify(found), strict=True) if not misses
    ]
    classified = matcher.classify(decided)
    combinations.update(classified)
    names.update(
        {e.official_id: e.official_name for e in decided if e.official_id and e.official_name}
    )
    matching = [
        *findings,
        *(e for e, (_, misses) in zip(decided, classified, strict=True) if not misses),
    ]
    cut = await _cut(
        stream,
        filters,
        unit_path,
        matching,
        sum(n for (_, misses), n in combinations.items() if not misses),
        after_key,
        before_key,
        settled,
    )
    items = await queue_items(actor, await own_official(actor), cut.entries, today)
    await audit_listing(actor, "queue", items)
    return QueuePage(
        items=items,
        filters=filters,
        facets=facets(combinations, names, units),
        in_scope=sum(combinations.values()),
        total=cut.total,
        number=cut.number,
        pages=cut.pages,
        first=cut.start + 1,
        next_cursor=None if cut.next_key is None else encode_cursor(filters, cut.next_key),
        previous_cursor=(
            None if cut.previous_key is None else encode_cursor(filters, cut.previous_key)
        ),
        today=today,
    )


async def _cut(
    stream: DossierStream,
    filters: QueueFilters,
    unit_path: str | None,
    matching: Sequence[Entry],
    total: int,
    after: tuple[Any, ...] | None,
    before: tuple[Any, ...] | None,
    settled: int = 0,
) -> Window:
    """The page after ``after`` (or before ``before``, or the first) of both streams, as
    ``queue_view.window`` cuts one list: the SQL stream gives its first ``size`` rows on
    the page's side of the cursor and how many lie on the other side; ``settled`` matching
    items lie before ``after`` without being in ``matching``."""
    key = SORTS[filters.sort]
    down = filters.descending
    size = filters.size
    ordered = sorted(((key(e), e) for e in matching), key=itemgetter(0), reverse=down)

    def beyond(k: tuple[Any, ...], mark: tuple[Any, ...]) -> bool:
        try:
            return k < mark if down else k > mark
        except TypeError as error:  # a cursor from an edited URL
            raise Invalid("Liên kết trang không hợp lệ.", field="after") from error

    def merged(extra: list[Entry], mine: list[tuple[tuple[Any, ...], Entry]]) -> list[Entry]:
        both = sorted([*mine, *((key(e), e) for e in extra)], key=itemgetter(0), reverse=down)
        return [e for _, e in both]

    start = 0
    mark: tuple[Any, ...] | None = None
    if after is not None:
        start = settled + sum(1 for k, _ in ordered if not beyond(k, after))
        start += await stream.count(filters, unit_path, after, descending=down, beyond=False)
        mark = after
    elif before is not None:
        end = sum(1 for k, _ in ordered if beyond(before, k))
        end += await stream.count(filters, unit_path, before, descending=not down, beyond=True)
        start = max(0, end - size)
    if before is not None and start > 0:
        # The ``size`` items just before ``before``: the SQL stream read backwards.
        earlier = await stream.page(filters, unit_path, before, size, descending=not down)
        chosen = merged(earlier, [(k, e) for k, e in ordered if beyond(before, k)])[-size:]
    else:
        page = await stream.page(filters, unit_path, mark, size, descending=down)
        mine = [(k, e) for k, e in ordered if mark is None or beyond(k, mark)][:size]
        chosen = merged(page, mine)[:size]
    pages = max(1, -(-total // size))
    return Window(
        entries=chosen,
        start=start,
        total=total,
        next_key=key(chosen[-1]) if start + len(chosen) < total else None,
        previous_key=key(chosen[0]) if start > 0 and chosen else None,
        pages=pages,
        number=min(start // size + 1 + (1 if start % size else 0), pages),
    )


async def bulk(
    actor: Actor,
    finding_ids: Sequence[int],
    action: str,
    reason: str | None,
    dossier_ids: Sequence[int] = (),
) -> list[BulkResult]:
    """Thông báo / xác nhận / không xác nhận nhiều phát hiện nhẹ (minor) cùng lúc, and
    take up or dismiss many flagged dossiers: each item goes through its own transition
    (``transitions.transition``, ``dossier_cases.decide``), with its own transaction and
    audit event. An action that does not apply to an item's kind fails for that item only."""
    finding_actions = {a.value for a in BULK_ACTIONS}
    dossier_actions = {a.value for a in DossierAction}
    if action not in finding_actions | dossier_actions:
        raise Invalid("Hành động này không làm hàng loạt được.", field="action")
    if not actor.has_role(*REVIEWER_ROLES, *NOTIFIER_ROLES):
        raise Forbidden("Bạn không có quyền xử lý hàng loạt.")
    if len(finding_ids) + len(dossier_ids) > 200:
        raise Invalid("Tối đa 200 mục mỗi lần.", field="finding_ids")
    results = []
    for finding_id in dict.fromkeys(finding_ids):
        try:
            if action not in finding_actions:
                raise Invalid("Hành động này chỉ áp dụng cho hồ sơ trễ hạn.", field="action")
            if action != Action.notify:
                ref = await readable(actor, finding_id)
                if severity(ref) != "minor":
                    raise Invalid(
                        "Chỉ xử lý hàng loạt các vi phạm nhẹ; vi phạm này cần xem xét riêng.",
                        field="finding_ids",
                    )
            command = Command(action=action, reason=reason)
            state = await transition(actor, finding_id, command)
            results.append(BulkResult(finding_id, True, 200, STATE_LABELS[state]))
        except DomainError as error:
            results.append(BulkResult(finding_id, False, error.status_code, error.message))
    for dossier_id in dict.fromkeys(dossier_ids):
        results.append(await bulk_one(actor, dossier_id, action, reason))
    return results
