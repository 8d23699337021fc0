"""Hồ sơ TTHC pages: per-unit list, shares and estimates with the published 766 values
beside them, flagged dossiers, import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services import flagged as flagged_dossiers
from congvu.inspect.dossiers.services import importing as dossier_import
from congvu.inspect.dossiers.services import labels, published
from congvu.inspect.dossiers.services import queries as dossiers
from congvu.inspect.dossiers.services.importing import IMPORT_ROLES
from congvu.inspect.errors import DomainError, Invalid, NotFound
from congvu.inspect.i18n import gettext
from congvu.inspect.organisation import api as organisation
from congvu.inspect.text_input import blank_as_none, optional_number
from congvu.inspect.web import errors
from congvu.inspect.web.guards import STAFF_ROLES, requires_role
from litestar import Controller, Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

LABELS = {
    "status": labels.STATUS_LABELS,
    "channel": labels.CHANNEL_LABELS,
    "flag": labels.FLAG_LABELS,
}


# What the notice after a redirect says (the query names one, never free text).
NOTICES = {"published": "Đã ghi giá trị công bố."}


@dataclass
class PublishedForm:
    """Giá trị công bố of one quarter as typed: text, so "95,5" reaches the service."""

    period: str = ""
    timeliness: str = ""
    online: str = ""
    source: str = ""


@dataclass
class UploadForm:
    file: UploadFile
    unit_code: str = ""
    mapping_name: str = ""
    exported_at: str = ""


class TooLarge(DomainError):
    status_code = 413


TOO_LARGE = (
    "Tệp tải lên lớn hơn giới hạn {limit} MB; hãy xuất từng quý"
    " hoặc từng đơn vị thành các tệp nhỏ hơn."
)


def _too_large(request: Request[Any, Any, Any], exc: RequestEntityTooLarge) -> Response[Any]:
    limit = request.app.state.settings.max_upload_mb
    return errors.domain_error(request, TooLarge(gettext(TOO_LARGE).format(limit=limit)))


class DossierPages(Controller):
    path = "/dossiers"
    guards = [requires_role(*STAFF_ROLES)]  # noqa: RUF012

    @get("/", name="dossiers")
    async def index(self, request: Request[Actor, Any, Any]) -> Template:
        units = await organisation.visible_units(request.user)
        return Template("dossiers/index.html", context={"units": units, "labels": LABELS})

    @get("/units/{unit_id:int}", name="unit_dossiers")
    async def unit(
        self,
        request: Request[Actor, Any, Any],
        unit_id: FromPath[int],
        status: FromQuery[str | None] = None,
        procedure: FromQuery[str | None] = None,
        official: FromQuery[str | None] = None,
        channel: FromQuery[str | None] = None,
        period: FromQuery[str | None] = None,
        page: FromQuery[str | None] = None,
        notice: FromQuery[str] = "",
    ) -> Template:
        # Every parameter is read as text: the filter form sends an empty select as
        # ``official=`` and the pager repeats it, and an empty value means "any".
        filters = dossiers.Filters(
            blank_as_none(status),
            blank_as_none(procedure),
            optional_number(official, "official", "Cán bộ không hợp lệ."),
            blank_as_none(channel),
            blank_as_none(period),
        )
        number = optional_number(page, "page", "Số trang không hợp lệ.") or 1
        return await _unit_page(request, unit_id, filters, number, notice=notice)

    @post(
        "/units/{unit_id:int}/published",
        status_code=303,
        name="dossier_published",
        guards=[requires_role(*published.PUBLISH_ROLES)],
    )
    async def record_published(
        self,
        request: Request[Actor, Any, Any],
        unit_id: FromPath[int],
        data: Annotated[PublishedForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        try:
            await published.record_published(
                request.user, unit_id, data.period, data.timeliness, data.online, data.source
            )
        except Invalid as problem:
            return await _unit_page(request, unit_id, dossiers.Filters(), form=data, error=problem)
        # Back to the table, where the notice and the quarter's new values are.
        return Redirect(f"/dossiers/units/{unit_id}?notice=published#estimates", status_code=303)

    @get("/units/{unit_id:int}/flagged", name="flagged_dossiers")
    async def flagged(
        self,
        request: Request[Actor, Any, Any],
        unit_id: FromPath[int],
        after: FromQuery[str | None] = None,
        before: FromQuery[str | None] = None,
    ) -> Template:
        page = await flagged_dossiers.flagged_page(
            request.user, unit_id, after=after, before=before
        )
        context = {"unit": page.unit, "rows": page.rows, "page": page, "labels": LABELS}
        return Template("dossiers/flagged.html", context=context)

    @get("/{dossier_id:int}", name="dossier")
    async def detail(
        self, request: Request[Actor, Any, Any], dossier_id: FromPath[int]
    ) -> Template:
        detail = await dossiers.dossier_detail(request.user, dossier_id)
        return Template("dossiers/detail.html", context={"d": detail, "labels": LABELS})


class DossierImportPages(Controller):
    """Nhập hồ sơ: upload an export, saved column mappings, rejected rows as CSV."""

    path = "/dossiers/import"
    guards = [requires_role(*IMPORT_ROLES)]  # noqa: RUF012

    @get("/", name="dossier_import")
    async def form(self, request: Request[Actor, Any, Any]) -> Template:
        page = await dossiers.import_page(request.user)
        return Template("dossiers/import.html", context={"page": page})

    @post(
        "/",
        status_code=303,
        name="dossier_upload",
        # The body limit is the app's (CONGVU_MAX_UPLOAD_MB, ``routes``).
        exception_handlers={RequestEntityTooLarge: _too_large},
    )
    async def upload(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Redirect:
        unit_code = await _unit_code_in_scope(request.user, data.unit_code.strip())
        settings = request.app.state.settings
        job_id = await dossier_import.start_upload(
            request.app.state.queue,
            request.user,
            media_dir=settings.media_dir,
            file_name=data.file.filename,
            read=data.file.read,
            unit_code=unit_code,
            mapping_name=data.mapping_name.strip(),
            exported_at=data.exported_at,
            limits=dossier_import.UploadLimits.of(settings),
        )
        return Redirect(f"/jobs/{job_id}", status_code=303)

    # The app's default body limit, as before this router raised it for the upload.
    @post("/mappings", status_code=303, request_max_body_size=10_000_000, name="dossier_mapping")
    async def save_mapping(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect:
        columns = {k.removeprefix("f_"): v for k, v in data.items() if k.startswith("f_")}
        await dossier_import.save_mapping(request.user, data.get("name", ""), columns)
        return Redirect("/dossiers/import", status_code=303)

    @get("/batches/{batch_id:int}/rejected.csv", name="dossier_rejected")
    async def rejected(
        self, request: Request[Actor, Any, Any], batch_id: FromPath[int]
    ) -> Response[str]:
        text = await dossier_import.rejected_rows_csv(request.user, batch_id)
        return Response(text, media_type="text/csv; charset=utf-8", headers=_attachment(batch_id))


async def _unit_page(
    request: Request[Actor, Any, Any],
    unit_id: int,
    filters: dossiers.Filters,
    page: int = 1,
    *,
    notice: str = "",
    form: PublishedForm | None = None,
    error: Invalid | None = None,
) -> Template:
    """The unit's page; after a refused entry of published values, with the typed values
    and the error beside its field (400)."""
    view = await dossiers.unit_dossiers(request.user, unit_id, filters, page)
    return Template(
        "dossiers/unit.html",
        context={
            "view": view,
            "labels": LABELS,
            "notice": NOTICES.get(notice),
            "form": form or PublishedForm(),
            "error": error,
        },
        status_code=400 if error else 200,
    )


async def _unit_code_in_scope(actor: Actor, code: str) -> str:
    """The form's default unit, refused at once (404, like any unit out of scope) rather
    than by the import job after the upload is stored and queued."""
    if code and code.casefold() not in {
        u.code.casefold() for u in await organisation.visible_units(actor)
    }:
        raise NotFound(f"Không tìm thấy đơn vị có mã {code!r}.", field="unit_code")
    return code


def _attachment(batch_id: int) -> dict[str, str]:
    return {"content-disposition": f'attachment; filename="lo-{batch_id}-dong-bi-loai.csv"'}


def routes(max_upload_mb: int) -> list[Any]:
    """This domain's routes for one app: an upload may be up to its CONGVU_MAX_UPLOAD_MB
    (refused beyond with 413 and a sentence saying the limit)."""
    return [
        Router(
            path="/",
            route_handlers=[DossierImportPages, DossierPages],
            request_max_body_size=max_upload_mb << 20,
        )
    ]
