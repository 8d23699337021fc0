"""Render a document to a format by name, off the event loop: building a .docx, a page or
a workbook takes tens of milliseconds of CPU that a web worker must not spend between
requests."""

from __future__ import annotations

from collections.abc import Sequence

from congvu.inspect import cpu_pool
from congvu.inspect.documents.docx_layout import DOCX_MEDIA_TYPE, render_docx
from congvu.inspect.documents.html_layout import HTML_MEDIA_TYPE, render_html
from congvu.inspect.documents.model import OfficialDocument, SheetTable
from congvu.inspect.documents.xlsx_layout import XLSX_MEDIA_TYPE, render_xlsx

FORMATS = ("docx", "html")
WITH_LISTS = ("docx", "html", "xlsx")  # a document with lists is also a workbook
MEDIA_TYPES = {"docx": DOCX_MEDIA_TYPE, "html": HTML_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}


def render_sync(document: OfficialDocument, fmt: str, tables: Sequence[SheetTable] = ()) -> bytes:
    """The document's bytes in ``fmt``: "docx", "html" (the page in UTF-8) or "xlsx" (its
    ``tables`` as sheets under its header)."""
    cpu_pool.off_loop()
    if fmt == "html":
        return render_html(document).encode()
    if fmt == "docx":
        return render_docx(document)
    if fmt == "xlsx":
        return render_xlsx(document, tables)
    raise ValueError(f"unknown document format {fmt!r}")


async def render(document: OfficialDocument, fmt: str, tables: Sequence[SheetTable] = ()) -> bytes:
    """``render_sync`` in the CPU pool (python-docx and xlsxwriter hold the GIL: a thread
    of the web process would still stall its event loop); a thread where none is open."""
    return await cpu_pool.run(render_sync, document, fmt, tuple(tables))


def media_type(file_name: str) -> str:
    """The media type of a file this package writes, from its extension."""
    return MEDIA_TYPES[file_name.rsplit(".", 1)[-1]]


def disposition(file_name: str) -> str:
    """A page opens in the browser (to print it); a file is downloaded."""
    how = "inline" if file_name.endswith(".html") else "attachment"
    return f'{how}; filename="{file_name}"'
