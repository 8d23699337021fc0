"""Reading a rendered document back, for the tests of every domain: the text of a .docx
(tables' cells first, then the body paragraphs, as python-docx gives them) and of an HTML
page, and the check that the NĐ 30/2020 header and footer are there."""

from __future__ import annotations

import io
from html.parser import HTMLParser

from docx import Document

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([*cells, *(p.text for p in doc.paragraphs)])


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.inline_style = False
        self.inline_script = False
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "style" or "style" in names or any(n.startswith("on") for n in names):
            self.inline_style = True
        self._in_script = tag == "script"
        if tag == "script" and "src" not in names:
            self.inline_script = True

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False
        if tag in {"div", "p", "li", "tr", "h1", "td", "th"}:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._in_script:
            self.parts.append(data)


def html_text(content: bytes | str) -> str:
    """The page's visible text; fails if it carries an inline style or script (the CSP
    would block them)."""
    parser = _Text()
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    assert not parser.inline_style, "inline style in a document page"
    assert not parser.inline_script, "inline script in a document page"
    lines = ("".join(parser.parts)).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def assert_official(
    text: str,
    *,
    issuer: str,
    number: str | None,
    kind: str,
    date_line: str,
    signer_title: str,
    recipients: bool = True,
) -> None:
    """The parts of an NĐ 30/2020 document: Quốc hiệu, tiêu ngữ, issuer, số và ký hiệu,
    place and date, kind name, the signature block and nơi nhận."""
    assert NATION in text
    assert MOTTO in text
    assert issuer.upper() in text, issuer
    if number is not None:
        assert f"Số: {number}" in text, number
    assert kind.upper() in text, kind
    assert date_line in text, date_line
    assert signer_title.upper() in text, signer_title
    assert ("Nơi nhận:" in text) is recipients
