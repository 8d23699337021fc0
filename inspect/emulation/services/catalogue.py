"""The rating and emulation documents as the command line sees them: the unit's lists and
each official's sheet and report, rendered by kind."""

from __future__ import annotations

from congvu.inspect.actor import Actor
from congvu.inspect.documents.catalogue import DocumentKind, Subject
from congvu.inspect.documents.rendering import FORMATS, WITH_LISTS
from congvu.inspect.emulation.services.documents import KINDS, PER_OFFICIAL, document
from congvu.inspect.errors import Invalid

DOCUMENTS: tuple[DocumentKind, ...] = tuple(
    DocumentKind(k, title, Subject.OFFICIAL, FORMATS)
    if k in PER_OFFICIAL
    else DocumentKind(k, title, Subject.UNIT, WITH_LISTS)
    for k, title in KINDS.items()
)


async def render_document(
    actor: Actor,
    kind: str,
    fmt: str,
    *,
    period: str | None = None,
    unit_code: str | None = None,
    official_id: int | None = None,
) -> tuple[str, bytes]:
    """The file name and bytes of one rating or emulation document."""
    if not period:
        raise Invalid("Hãy nhập kỳ đánh giá (ví dụ 2026-Q3 hoặc 2026).", field="period")
    if not unit_code:
        raise Invalid("Hãy nhập mã đơn vị.", field="unit")
    return await document(actor, period, unit_code, kind, fmt, official_id)
