"""Tài liệu kiểm chứng pages: the year's register with its filters and counts, the
buttons that register the system's documents and start the ZIP, uploads, tags and the
criteria list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.background import api as background
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.evidence.services import criteria as criteria_admin
from congvu.inspect.evidence.services.access import (
    FILE_ROLES,
    READ_ROLES,
    may_edit_criteria,
    require_filer,
)
from congvu.inspect.evidence.services.criteria import DEFAULT_NOTE, ensure_year
from congvu.inspect.evidence.services.export import export_file
from congvu.inspect.evidence.services.labels import SOURCE_LABELS
from congvu.inspect.evidence.services.listing import register
from congvu.inspect.evidence.services.register import (
    UploadForm,
    register_produced,
    set_tags,
    upload,
)
from congvu.inspect.evidence.tables import SourceKind
from congvu.inspect.web.guards import requires_role
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import File, Redirect, Template

ZIP = "application/zip"


def _year(value: Any) -> int:
    text = str(value or "").strip()
    if not text:
        return clock.today().year
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise Invalid("Năm không hợp lệ.", field="year")
    return int(text)


def _ids(values: list[Any]) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def _back(year: int, **extra: str) -> Redirect:
    query = urlencode({"year": year, **{k: v for k, v in extra.items() if v}})
    return Redirect(f"/evidence?{query}", status_code=303)


class EvidencePages(Controller):
    path = "/evidence"
    guards = [requires_role(*READ_ROLES)]  # noqa: RUF012
    include_in_schema = False

    @get("/", name="evidence")
    async def index(self, request: Request[Actor, Any, Any]) -> Template:
        year = _year(request.query_params.get("year"))
        code = request.query_params.get("code") or None
        source = request.query_params.get("source") or None
        seeded = await ensure_year(year)
        listing = await register(request.user, year, code=code, source=source)
        context = {
            "r": listing,
            "year": year,
            "code": code or "",
            "source": source or "",
            "sources": [(k.value, SOURCE_LABELS[k]) for k in SourceKind],
            "produced_sources": [
                (k.value, SOURCE_LABELS[k]) for k in SourceKind if k != SourceKind.UPLOADED
            ],
            "source_labels": SOURCE_LABELS,
            "default_note": DEFAULT_NOTE,
            "seeded": seeded,
            "may_file": request.user.has_role(*FILE_ROLES),
            "may_edit_criteria": may_edit_criteria(request.user),
            "today": clock.today(),
            "notice": request.query_params.get("notice") or "",
        }
        return Template("evidence/index.html", context=context)

    @post("/register", status_code=303, name="evidence_register")
    async def register_documents(self, request: Request[Actor, Any, Any]) -> Redirect:
        form = await request.form()
        year = _year(form.get("year"))
        done = await register_produced(year, request.user)
        notice = (
            f"Đã cập nhật: {done.added} mới, {done.changed} thay đổi, {done.unchanged} không đổi."
        )
        return _back(year, notice=notice)

    @post("/upload", status_code=303, name="evidence_upload", request_max_body_size=25 * 2**20)
    async def upload_document(self, request: Request[Actor, Any, Any]) -> Redirect:
        require_filer(request.user)
        form = await request.form()
        year = _year(form.get("year"))
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            raise Invalid("Hãy chọn tệp cần tải lên.", field="file")
        data = await file.read()
        await upload(
            request.user,
            UploadForm(
                year=year,
                number=str(form.get("number") or ""),
                issued_on=str(form.get("issued_on") or ""),
                summary=str(form.get("summary") or ""),
                criterion_ids=_ids(form.getall("criteria")),
                file_name=file.filename,
                data=data,
            ),
        )
        return _back(year, notice="Đã tải lên và gắn tiêu chí.")

    @post("/items/{item_id:int}/tags", status_code=303, name="evidence_tags")
    async def retag(self, request: Request[Actor, Any, Any], item_id: FromPath[int]) -> Redirect:
        form = await request.form()
        year = _year(form.get("year"))
        await set_tags(request.user, item_id, _ids(form.getall("criteria")))
        return _back(year, notice="Đã cập nhật tiêu chí của tài liệu.")

    @post("/criteria", status_code=303, name="evidence_criteria")
    async def criteria(self, request: Request[Actor, Any, Any]) -> Redirect:
        """One form, one action: add, rename, deactivate, reactivate, choose the sources
        auto-tagged to it, copy last year's."""
        form = await request.form()
        year = _year(form.get("year"))
        action = str(form.get("action") or "")
        actor = request.user
        criterion = int(str(form.get("criterion") or "0") or "0")
        if action == "add":
            await criteria_admin.add_criterion(
                actor, year, str(form.get("code") or ""), str(form.get("name") or "")
            )
        elif action == "rename":
            await criteria_admin.rename_criterion(actor, criterion, str(form.get("name") or ""))
        elif action in ("deactivate", "activate"):
            await criteria_admin.set_active(actor, criterion, action == "activate")
        elif action == "sources":
            chosen = [str(v) for v in form.getall("sources")]
            await criteria_admin.set_sources(actor, criterion, chosen)
        elif action == "copy":
            added = await criteria_admin.copy_previous_year(actor, year)
            return _back(year, notice=f"Đã chép {added} tiêu chí của năm {year - 1}.")
        else:
            raise Invalid("Thao tác không hợp lệ.", field="action")
        return _back(year, notice="Đã cập nhật danh mục tiêu chí.")

    @post("/exports", status_code=303, name="evidence_export")
    async def start_export(self, request: Request[Actor, Any, Any]) -> Redirect:
        form = await request.form()
        year = _year(form.get("year"))
        job_id = await background.start_evidence_export(
            request.app.state.queue, request.user, year=year
        )
        return Redirect(f"/evidence/exports/{job_id}", status_code=303)

    @get("/exports/{job_id:uuid}", name="evidence_export_page")
    async def progress(self, request: Request[Actor, Any, Any], job_id: FromPath[UUID]) -> Template:
        job = await background.get_job(request.user, job_id)
        return Template("evidence/export.html", context={"job": job})

    @get("/exports/{job_id:uuid}/status", name="evidence_export_status")
    async def status(self, request: Request[Actor, Any, Any], job_id: FromPath[UUID]) -> Template:
        job = await background.get_job(request.user, job_id)
        return Template("evidence/_export_status.html", context={"job": job})

    @get("/exports/{job_id:uuid}/file", name="evidence_export_file")
    async def download(self, request: Request[Actor, Any, Any], job_id: FromPath[UUID]) -> File:
        job = await background.get_job(request.user, job_id)
        path = export_file(str(job_id))
        if job.kind != background.JobKind.EXPORT_EVIDENCE or not path.is_file():
            raise NotFound("Không tìm thấy tệp.")
        year = (job.result or {}).get("year", "")
        return File(path=path, filename=f"tai-lieu-kiem-chung-{year}.zip", media_type=ZIP)
