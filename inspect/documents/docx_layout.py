"""An ``OfficialDocument`` as .docx in the NĐ 30/2020 layout (Phụ lục I): A4, margins
top and bottom 20 mm, left 30 mm, right 20 mm, Times New Roman 13; the header as a
borderless two-column table (issuer and number left, Quốc hiệu, underlined tiêu ngữ and
the italic date line right), tên loại and trích yếu centred in bold, the body justified,
then nơi nhận and the signatures."""

from __future__ import annotations

import io
import zipfile
from copy import deepcopy
from datetime import UTC, date, datetime

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
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_SIZE = 13  # pt, the Normal style's
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
    """One paragraph of one run in ``container`` (the document or a table cell); a new
    cell's own empty paragraph takes the first line, so no cell opens with a blank line."""
    existing = container.paragraphs  # type: ignore[attr-defined]
    fresh = len(existing) == 1 and not existing[0].runs
    p = existing[0] if fresh else container.add_paragraph()  # type: ignore[attr-defined]
    p.alignment = align
    p.paragraph_format.space_after = Pt(3)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    run = p.add_run(text)
    # Only what differs from the Normal style is written: each property is an XML element
    # and a long list has thousands of runs.
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if underline:
        run.underline = True
    if size != BODY_SIZE:
        run.font.size = Pt(size)
    run.font.name = FONT


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
    style.font.name, style.font.size = FONT, Pt(BODY_SIZE)


def _header(doc: object, d: OfficialDocument) -> None:
    if d.form_label:
        add_line(doc, d.form_label, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    head = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
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
    width = len(block.header)
    table = doc.add_table(rows=2 if block.rows else 1, cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cells = table._cells
    for col, text in enumerate(block.header):
        add_line(cells[col], text, bold=True, size=12)
    if not block.rows:
        return
    for col in range(width):
        add_line(cells[width + col], "-", size=12, align=LEFT)  # a w:t for each text
    # One row is built through python-docx, the others are copies of its XML with their
    # texts set: python-docx takes milliseconds a cell, which made a 500-row list take
    # seconds; a copy takes microseconds.
    template = table.rows[1]._tr
    rows = [template] + [deepcopy(template) for _ in block.rows[1:]]
    for tr, values in zip(rows, block.rows, strict=True):
        for t, text in zip(tr.iter(qn("w:t")), values, strict=True):
            t.text = text
            t.set(qn("xml:space"), "preserve")
        if tr is not template:
            table._tbl.append(tr)


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
            _signature(cell, s)
        signatures = []
    foot = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    left, right = foot.rows[0].cells
    if recipients:
        add_line(left, "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT)
        for i, r in enumerate(recipients):
            end = "." if i == len(recipients) - 1 else ";"
            add_line(left, f"- {r}{end}", size=11, align=LEFT)
    for s in signatures:
        _signature(right, s)
    for note in d.notes:
        add_line(doc, note, italic=True, size=11, align=JUSTIFY)


# The day a document without a date is stamped with: any fixed day keeps its bytes stable.
UNDATED = date(2000, 1, 1)


def _stable(data: bytes) -> bytes:
    """The ZIP rewritten with every entry stamped at one fixed time, in the same order:
    python-docx stamps each entry with the time of writing, so the same document rendered
    twice would differ in bytes (and in its SHA-256, which the evidence register keeps)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def render_docx(d: OfficialDocument) -> bytes:
    """The document as the bytes of a .docx file: the same document gives the same bytes
    (core properties created and modified are its own date, the ZIP's times fixed)."""
    doc = Document()
    stamp = datetime.combine(d.issued_on or UNDATED, datetime.min.time(), UTC)
    doc.core_properties.created = stamp
    doc.core_properties.modified = stamp
    doc.core_properties.last_modified_by = ""
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
    return _stable(out.getvalue())
