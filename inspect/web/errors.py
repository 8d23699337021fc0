"""Map errors once: an HTML page for the browser, problem details for the JSON API.

No input answers 500: a value that fails Python's own parsing or arithmetic (a date
beyond year 9999, a number a driver cannot bind, JSON nested deeper than the decoder
recurses) is the request's fault, answered 400; the field is named where the request
says which one it was (a validation error's ``key``)."""

from __future__ import annotations

import logging
import re
from typing import Any

from congvu.inspect.errors import DomainError
from congvu.inspect.i18n import gettext
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect, Template

log = logging.getLogger("congvu.web")

_TITLES = {
    400: "Yêu cầu không hợp lệ",
    403: "Bạn không có quyền truy cập trang này",
    404: "Không tìm thấy trang",
}


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _problem(status: int, detail: str, field: str | None = None) -> Response[Any]:
    body: dict[str, Any] = {
        "status": status,
        "title": gettext(_TITLES.get(status, "Đã xảy ra lỗi")),
        "detail": detail,
    }
    if field is not None:
        body["field"] = field
    return Response(body, status_code=status, media_type="application/problem+json")


def _page(request: Request[Any, Any, Any], status: int, detail: str) -> Response[Any]:
    # Translated here, shown as text there: Jinja's gettext %-formats what it returns, so
    # a '%' in a message (often the user's own input) broke the error page itself.
    title = gettext(_TITLES.get(status, "Đã xảy ra lỗi"))
    return Template(
        "errors/error.html",
        context={"status": status, "title": title, "detail": gettext(detail) if detail else ""},
        status_code=status,
        media_type=MediaType.HTML,
    )


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if _wants_json(request):
        return _problem(exc.status_code, gettext(exc.message), exc.field)
    return _page(request, exc.status_code, exc.message)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    detail = str(exc.detail or "")
    if status == 401 and not _wants_json(request):
        return Redirect(f"/login?next={request.url.path}")
    if status == 403 and "CSRF" in detail:
        detail = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang."
    if isinstance(exc, ValidationException):
        detail = _validation_detail(exc)
    if _wants_json(request):
        return _problem(status, gettext(detail), _validation_field(exc))
    if status == 404 and detail == "Not Found":
        detail = ""  # the router's own English text: the page says it in Vietnamese
    return _page(request, status, detail)


_TOO_LONG = re.compile(r"`str` of length <= (\d+)")


def _validation_detail(exc: ValidationException) -> str:
    """In the user's words, not the framework's ("Validation failed for POST /…")."""
    message = next(
        (e.get("message", "") for e in exc.extra if isinstance(e, dict))
        if isinstance(exc.extra, list)
        else iter(()),
        "",
    )
    limit = _TOO_LONG.search(str(message))
    if limit:
        return f"Nội dung quá dài (tối đa {int(limit.group(1)):,} ký tự).".replace(",", ".")
    return "Dữ liệu gửi lên không hợp lệ."


def _validation_field(exc: HTTPException) -> str | None:
    """The parameter a validation error names (``key`` of its first entry)."""
    if not isinstance(exc, ValidationException) or not isinstance(exc.extra, list):
        return None
    for entry in exc.extra:
        if isinstance(entry, dict) and isinstance(entry.get("key"), str):
            return str(entry["key"])
    return None


def bad_value(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A value Python could not parse or compute with: the request's fault, 400."""
    log.warning(
        "value refused",
        exc_info=exc,
        extra={"method": request.method, "path": request.url.path, "error": type(exc).__name__},
    )
    if isinstance(exc, RecursionError):
        detail, field = "Dữ liệu JSON lồng nhau quá sâu.", "body"
    else:
        detail, field = "Giá trị nhập vào nằm ngoài phạm vi cho phép.", None
    if _wants_json(request):
        return _problem(400, gettext(detail), field)
    return _page(request, 400, detail)


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # The path, not the query string: a query may carry what someone typed.
    log.error(
        "unhandled error",
        exc_info=exc,
        extra={"method": request.method, "path": request.url.path, "error": type(exc).__name__},
    )
    if _wants_json(request):
        return _problem(500, gettext("Đã xảy ra lỗi"))
    return _page(request, 500, "Đã xảy ra lỗi")


HANDLERS: dict[Any, Any] = {
    DomainError: domain_error,
    HTTPException: http_error,
    NotAuthorizedException: http_error,
    # ValueError covers the drivers' own: asyncpg's DataError for a number beyond
    # ``integer`` is one; SQLite's 64-bit limit is an OverflowError.
    ValueError: bad_value,
    OverflowError: bad_value,
    RecursionError: bad_value,
    500: server_error,
}
