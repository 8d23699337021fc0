"""An ``OfficialDocument`` as .docx in the NĐ 30/2020 layout (Phụ lục I): A4, margins
top and bottom 20 mm, left 30 mm, right 20 mm, Times New Roman 13; the header as a
borderless two-column table (issuer and number left, Quốc hiệu, underlined tiêu ngữ and
the italic date line right), tên loại and trích yếu centred in bold, the body justified,
then nơi nhận and the signatures."""

from __future__ import annotations

import io

from congvu.inspect.documents.model import (
    MOTTO,
    NATION,
    Block,
    NumberedItems,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def add_line(
    container: object,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float = 13,
    align: int = CENTER,
    indent: bool = False,
) -> None:
    """One paragraph of one run in ``container`` (the document or a table cell)."""
    p = container.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    p.paragraph_format.space_after = Pt(3)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size, run.font.name = Pt(size), FONT


def _page(doc: object, landscape: bool) -> None:
    for section in doc.sections:  # type: ignore[attr-defined]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(20)
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name, style.font.size = FONT, Pt(13)


def _header(doc: object, d: OfficialDocument) -> None:
    if d.form_label:
        add_line(doc, d.form_label, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    head = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    if d.superior:
        add_line(left, d.superior.upper(), size=12)
    if d.issuer:
        add_line(left, d.issuer.upper(), bold=True, size=12)
    if d.number_line is not None:
        add_line(left, d.number_line)
    add_line(right, NATION, bold=True, size=12)
    add_line(right, MOTTO, bold=True, underline=True)
    add_line(right, d.date_line, italic=True)


def _block(doc: object, block: Block) -> None:
    if isinstance(block, Paragraph):
        add_line(
            doc,
            block.text,
            bold=block.bold or block.heading,
            italic=block.italic,
            align=CENTER if block.heading else JUSTIFY,
            indent=not block.heading,
        )
    elif isinstance(block, NumberedItems):
        for n, item in enumerate(block.items, start=block.start):
            add_line(doc, f"{n}. {item}", align=JUSTIFY, indent=True)
    else:
        _table(doc, block)


def _table(doc: object, block: Table) -> None:
    if block.caption:
        add_line(doc, block.caption, bold=True)
    table = doc.add_table(rows=1, cols=len(block.header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.paragraphs[0].text = ""
        add_line(cell, text, bold=True, size=12)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.paragraphs[0].text = ""
            add_line(cell, text, size=12, align=LEFT)


def _signature(cell: object, s: Signature) -> None:
    for line in s.title_lines:
        add_line(cell, line, bold=True)
    if s.hint:
        add_line(cell, s.hint, italic=True)
    for _ in range(3):
        add_line(cell, "")
    add_line(cell, s.name, bold=True)


def _footer(doc: object, d: OfficialDocument) -> None:
    recipients = list(d.recipients)
    signatures = list(d.signatures)
    if len(signatures) > 1:
        row = doc.add_table(rows=1, cols=len(signatures))  # type: ignore[attr-defined]
        for cell, s in zip(row.rows[0].cells, signatures, strict=True):
            cell.paragraphs[0].text = ""
            _signature(cell, s)
        signatures = []
    foot = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    left, right = foot.rows[0].cells
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    if recipients:
        add_line(left, "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT)
        for i, r in enumerate(recipients):
            end = "." if i == len(recipients) - 1 else ";"
            add_line(left, f"- {r}{end}", size=11, align=LEFT)
    for s in signatures:
        _signature(right, s)
    for note in d.notes:
        add_line(doc, note, italic=True, size=11, align=JUSTIFY)


def render_docx(d: OfficialDocument) -> bytes:
    """The document as the bytes of a .docx file."""
    doc = Document()
    _page(doc, d.landscape)
    _header(doc, d)
    add_line(doc, d.kind_title, bold=True, size=14)
    if d.summary:
        add_line(doc, d.summary, bold=True, size=14)
    for block in d.body:
        _block(doc, block)
    _footer(doc, d)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
