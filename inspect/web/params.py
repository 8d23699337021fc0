"""Whole numbers from a request, kept inside what the database stores.

Every id is a ``Serial``: a 4-byte integer on PostgreSQL. A larger number in a path or
a query (2^63 and beyond overflow SQLite's own integers) could only ever name nothing,
but reached the driver and failed there as a 500; it is refused first, naming the
parameter. Form fields are read with ``form_id``: ``str.isdigit`` accepts ``²``, which
``int`` then refuses, so only ASCII digits count as a number typed into a form.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any

import msgspec
from congvu.inspect.errors import Invalid
from litestar import Request
from litestar.handlers import HTTPRouteHandler

# The largest value of a PostgreSQL ``integer`` (what Serial ids and counts are).
MAX_ID = 2**31 - 1
_WHOLE = re.compile(r"-?[0-9]+")

# Free text typed into a form, refused beyond (400 naming the field). A decision's
# reason is a paragraph, at most a page or two; an explanation (giải trình) may be
# longer and has its own 20,000 (transitions). A title, a name, a document number is
# one line. Without a limit a megabyte of text was stored, audited and shown on pages.
REASON_CHARS = 4_000
LINE_CHARS = 300
Reason = Annotated[str, msgspec.Meta(max_length=REASON_CHARS)]
Line = Annotated[str, msgspec.Meta(max_length=LINE_CHARS)]
# An id or a year in a JSON body: a number beyond a PostgreSQL ``integer`` failed in the
# driver as a 500 (SQLite stores it, and finds nothing).
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]
Year = Annotated[int, msgspec.Meta(ge=1900, le=2999)]


def _out_of_range(value: int) -> bool:
    return not -MAX_ID <= value <= MAX_ID


def out_of_range(field: str) -> Invalid:
    # The field is named in the problem's ``field``; a page shows no internal name.
    return Invalid(f"Số nhập vào quá lớn (tối đa {MAX_ID:,}).".replace(",", "."), field=field)


@functools.cache
def _int_query_params(handler: HTTPRouteHandler) -> tuple[str, ...]:
    """The handler's query parameters typed ``int`` or ``int | None``."""
    names = []
    for name, field in handler.parsed_fn_signature.parameters.items():
        types = [field, *field.inner_types] if field.is_optional else [field]
        if any(t.annotation is int for t in types):
            names.append(name)
    return tuple(names)


async def check_whole_numbers(request: Request[Any, Any, Any]) -> None:
    """Before a handler runs: its integer path and query parameters are within
    ``MAX_ID``, else 400 naming the parameter."""
    for name, value in request.path_params.items():
        if isinstance(value, int) and not isinstance(value, bool) and _out_of_range(value):
            raise out_of_range(name)
    handler = request.scope.get("route_handler")
    if not isinstance(handler, HTTPRouteHandler):
        return
    for name in _int_query_params(handler):
        raw = request.query_params.get(name)
        if raw is None or not _WHOLE.fullmatch(raw.strip()):
            continue  # not a number: the handler's own parsing refuses it with a 400
        # More than ten digits is out of range anyway, and int() refuses 4,300 and more.
        if len(raw.strip().lstrip("-")) > 10 or _out_of_range(int(raw)):
            raise out_of_range(name)


def form_text(value: Any, field: str, limit: int = LINE_CHARS) -> str:
    """A text field of a form read by hand (not through a dataclass), within ``limit``."""
    text = str(value or "")
    if len(text) > limit:
        raise Invalid(f"Nội dung quá dài (tối đa {limit:,} ký tự).".replace(",", "."), field=field)
    return text


def form_id(value: Any, field: str) -> int | None:
    """An id typed into a form: empty → None; ASCII digits within ``MAX_ID`` → the
    number; anything else (``²``, ``１``, ``-3``, 2^63) → 400 naming the field."""
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise Invalid("Giá trị nhập vào phải là một số (chữ số 0–9).", field=field)
    number = int(text)
    if number > MAX_ID:
        raise out_of_range(field)
    return number
