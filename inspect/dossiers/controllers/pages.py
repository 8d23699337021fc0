"""Hồ sơ TTHC pages: per-unit list, shares and estimates, flagged dossiers, import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.services import flagged as flagged_dossiers
from congvu.inspect.dossiers.services import importing as dossier_import
from congvu.inspect.dossiers.services import labels
from congvu.inspect.dossiers.services import queries as dossiers
from congvu.inspect.dossiers.services.importing import IMPORT_ROLES
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.organisation import api as organisation
from congvu.inspect.web.guards import STAFF_ROLES, requires_role
from litestar import Controller, Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

LABELS = {
    "status": labels.STATUS_LABELS,
    "channel": labels.CHANNEL_LABELS,
    "flag": labels.FLAG_LABELS,
}
MAX_UPLOAD = 512 * 1024 * 1024  # a year of a province's dossiers as CSV


@dataclass
class UploadForm:
    file: UploadFile
    unit_code: str = ""
    mapping_name: str = ""
    exported_at: str = ""


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
    ) -> Template:
        # Every parameter is read as text: the filter form sends an empty select as
        # ``official=`` and the pager repeats it, and an empty value means "any".
        filters = dossiers.Filters(
            _blank(status),
            _blank(procedure),
            _number(official, "official", "Cán bộ không hợp lệ."),
            _blank(channel),
            _blank(period),
        )
        number = _number(page, "page", "Số trang không hợp lệ.") or 1
        view = await dossiers.unit_dossiers(request.user, unit_id, filters, number)
        return Template("dossiers/unit.html", context={"view": view, "labels": LABELS})

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

    @post("/", status_code=303, request_max_body_size=MAX_UPLOAD, name="dossier_upload")
    async def upload(
        self,
        request: Request[Actor, Any, Any],
        data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Redirect:
        unit_code = await _unit_code_in_scope(request.user, data.unit_code.strip())
        job_id = await dossier_import.start_upload(
            request.app.state.queue,
            request.user,
            media_dir=request.app.state.settings.media_dir,
            file_name=data.file.filename,
            read=data.file.read,
            unit_code=unit_code,
            mapping_name=data.mapping_name.strip(),
            exported_at=data.exported_at,
        )
        return Redirect(f"/jobs/{job_id}", status_code=303)

    @post("/mappings", status_code=303, name="dossier_mapping")
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


def _blank(value: str | None) -> str | None:
    return (value or "").strip() or None


def _number(value: str | None, name: str, message: str) -> int | None:
    text = _blank(value)
    if text is None:
        return None
    if not text.isdigit():
        raise Invalid(message, field=name)
    return int(text)


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


dossier_router = Router(path="/", route_handlers=[DossierImportPages, DossierPages])
