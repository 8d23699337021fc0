"""The discipline documents as the command line sees them: every case document, and the
period's report for a unit, rendered by kind."""

from __future__ import annotations

from congvu.inspect.actor import Actor
from congvu.inspect.discipline.services.documents import KINDS, TITLES, document
from congvu.inspect.discipline.services.period_report import period_report
from congvu.inspect.documents.catalogue import DocumentKind, Subject
from congvu.inspect.documents.rendering import FORMATS, WITH_LISTS
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.periods import parse_report_period

PERIOD_REPORT = "bao-cao-ky-luat"
DOCUMENTS: tuple[DocumentKind, ...] = (
    *(DocumentKind(k, TITLES[k], Subject.CASE, FORMATS) for k in KINDS),
    DocumentKind(
        PERIOD_REPORT, "Báo cáo tình hình xử lý kỷ luật trong kỳ", Subject.UNIT, WITH_LISTS
    ),
)


async def render_document(
    actor: Actor,
    kind: str,
    fmt: str,
    *,
    period: str | None = None,
    unit_code: str | None = None,
    case_id: int | None = None,
) -> tuple[str, bytes]:
    """The file name and bytes of one discipline document."""
    if kind == PERIOD_REPORT:
        if not period:
            raise Invalid("Hãy nhập kỳ báo cáo (ví dụ 2026-Q1).", field="period")
        return await period_report(actor, parse_report_period(period), unit_code, fmt)
    if kind not in KINDS:
        raise NotFound("Không có văn bản này.")
    if case_id is None:
        raise Invalid("Văn bản của một hồ sơ kỷ luật: hãy nhập số hồ sơ.", field="case")
    return await document(actor, case_id, kind, fmt)
