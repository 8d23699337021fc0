"""Map errors once: an HTML page for the browser, problem details for the JSON API."""

from __future__ import annotations

import logging
from typing import Any

from congvu.inspect.errors import DomainError
from congvu.inspect.i18n import gettext
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
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
    return Template(
        "errors/error.html",
        context={"status": status, "title": _TITLES.get(status, "Đã xảy ra lỗi"), "detail": detail},
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
    if _wants_json(request):
        return _problem(status, gettext(detail))
    if status == 404 and detail == "Not Found":
        detail = ""  # the router's own English text: the page says it in Vietnamese
    return _page(request, status, detail)


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
    500: server_error,
}
