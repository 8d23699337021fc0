"""Nhập danh sách cán bộ (HTML pages): upload a CSV or XLSX roster, see what it would
change, confirm. Administrators and cán bộ tổ chức, within their unit scope."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from congvu.inspect import clock, cpu_pool
from congvu.inspect.actor import Actor
from congvu.inspect.errors import Invalid
from congvu.inspect.organisation.controllers.auth import request_info
from congvu.inspect.organisation.controllers.units_admin import ROSTER_ROLES, read_form, text
from congvu.inspect.organisation.services import roster_import, roster_reading
from congvu.inspect.upload_screening import UploadLimits
from congvu.inspect.web.guards import requires_role
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.response import Template

PAGE = "organisation/roster.html"


async def _saved(upload: UploadFile) -> Path:
    """The upload in a temporary file (the screening and the reader take a path),
    refused past ``MAX_BYTES``."""
    handle, name = tempfile.mkstemp(suffix=Path(upload.filename or "").suffix.lower()[:8])
    size = 0
    with os.fdopen(handle, "wb") as out:
        while chunk := await upload.read(1 << 16):
            size += len(chunk)
            if size > roster_reading.MAX_BYTES:
                out.close()
                os.unlink(name)
                raise Invalid("Tệp lớn hơn 10 MB: hãy chia thành nhiều tệp.", field="file")
            out.write(chunk)
    return Path(name)


class RosterPages(Controller):
    path = "/units/roster"
    guards = [requires_role(*ROSTER_ROLES)]  # noqa: RUF012

    @get("/", name="roster_import")
    async def form(self) -> Template:
        return Template(PAGE, context={"plan": None, "result": None, "error": None})

    @post("/", name="roster_preview", status_code=200)
    async def preview(self, request: Request[Actor, Any, Any]) -> Template:
        """Xem trước: nothing is written yet."""
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _refused("Chưa chọn tệp danh sách cán bộ.")
        try:
            path = await _saved(upload)
            try:
                limits = UploadLimits.of(request.app.state.settings)
                raw = await cpu_pool.run(roster_reading.read_roster, path, upload.filename, limits)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            if not raw:
                raise Invalid("Tệp không có dòng cán bộ nào dưới dòng tiêu đề.", field="file")
        except Invalid as refused:
            return _refused(str(refused))
        plan = await roster_import.plan_roster(request.user, Path(upload.filename).name, raw)
        return Template(PAGE, context={"plan": plan, "result": None, "error": None})

    @post("/confirm", name="roster_confirm", status_code=200)
    async def confirm(self, request: Request[Actor, Any, Any]) -> Template:
        form = await read_form(request)
        try:
            raw = roster_import.raw_from_json(text(form, "rows"))
        except Invalid as refused:
            return _refused(str(refused))
        file_name = text(form, "file_name")[:255] or "danh-sach.csv"
        plan = await roster_import.plan_roster(request.user, file_name, raw)
        await roster_import.apply_roster(
            request.user, plan, today=clock.today(), ip=request_info(request).ip
        )
        return Template(PAGE, context={"plan": None, "result": plan, "error": None})


def _refused(message: str) -> Template:
    return Template(PAGE, context={"plan": None, "result": None, "error": message}, status_code=400)
