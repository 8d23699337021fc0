"""An ``OfficialDocument`` as a print-ready HTML page (``templates/documents/document.html``
with ``static/css/document.css``: A4, the NĐ 30/2020 margins, Times New Roman). The page
has no inline style or script, as the Content-Security-Policy forbids them; its print
button is wired by ``static/js/document.js``.

The page is rendered here, not by the web app's template engine, so that the CLI writes
the same page as the web route serves."""

from __future__ import annotations

from congvu.inspect.documents.model import (
    MOTTO,
    NATION,
    NumberedItems,
    OfficialDocument,
    Paragraph,
    Table,
)
from jinja2 import Environment, PackageLoader, select_autoescape

HTML_MEDIA_TYPE = "text/html; charset=utf-8"
STYLESHEET = "/static/css/document.css"
SCRIPT = "/static/js/document.js"

_environment = Environment(
    loader=PackageLoader("congvu.templates", "documents"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
# The template tells a block's kind by its class: ``{% if block is instance_of(Table) %}``.
_environment.tests["instance_of"] = isinstance


def render_html(
    d: OfficialDocument, *, stylesheet: str = STYLESHEET, script: str | None = SCRIPT
) -> str:
    """The page as text. ``stylesheet`` and ``script`` are the addresses it links; a file
    written for use outside the web app links a stylesheet beside it and no script."""
    template = _environment.get_template("document.html")
    return template.render(
        d=d,
        nation=NATION,
        motto=MOTTO,
        stylesheet=stylesheet,
        script=script,
        Paragraph=Paragraph,
        NumberedItems=NumberedItems,
        Table=Table,
    )


def stylesheet_text() -> str:
    """The print CSS, for a page written outside the web app to link beside it."""
    loader = PackageLoader("congvu.templates", "static")
    source, _, _ = loader.get_source(_environment, "css/document.css")
    return source
