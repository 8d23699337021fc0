"""Render a document to a format by name, off the event loop: building a .docx or a page
takes tens of milliseconds of CPU that a web worker must not spend between requests."""

from __future__ import annotations

import asyncio

from congvu.inspect.documents.docx_layout import DOCX_MEDIA_TYPE, render_docx
from congvu.inspect.documents.html_layout import HTML_MEDIA_TYPE, render_html
from congvu.inspect.documents.model import OfficialDocument

FORMATS = ("docx", "html")
MEDIA_TYPES = {
    "docx": DOCX_MEDIA_TYPE,
    "html": HTML_MEDIA_TYPE,
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def render_sync(document: OfficialDocument, fmt: str) -> bytes:
    """The document's bytes in ``fmt`` ("docx" or "html", the page in UTF-8)."""
    if fmt == "html":
        return render_html(document).encode()
    if fmt == "docx":
        return render_docx(document)
    raise ValueError(f"unknown document format {fmt!r}")


async def render(document: OfficialDocument, fmt: str) -> bytes:
    """``render_sync`` in a worker thread."""
    return await asyncio.to_thread(render_sync, document, fmt)


def media_type(file_name: str) -> str:
    """The media type of a file this package writes, from its extension."""
    return MEDIA_TYPES[file_name.rsplit(".", 1)[-1]]


def disposition(file_name: str) -> str:
    """A page opens in the browser (to print it); a file is downloaded."""
    how = "inline" if file_name.endswith(".html") else "attachment"
    return f'{how}; filename="{file_name}"'
