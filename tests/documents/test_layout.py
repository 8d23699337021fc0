"""The shared layout (inspect/documents): one document rendered as .docx and as a page,
both with the NĐ 30/2020 header, body blocks, signatures and nơi nhận; the .docx on A4 with
the decree's margins in Times New Roman, the page with no inline style or script."""

from __future__ import annotations

import io
import time
from dataclasses import replace
from datetime import date

import pytest
from congvu.inspect.documents import rendering
from congvu.inspect.documents.html_layout import render_html, stylesheet_text
from congvu.inspect.documents.model import (
    NumberedItems,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)
from docx import Document

from tests.documents.reading import assert_official, docx_text, html_text

SAMPLE = OfficialDocument(
    issuer="Sở Nội vụ",
    superior="Ủy ban nhân dân tỉnh Thử Nghiệm",
    number="12/BB-SNV",
    place="Thử Nghiệm",
    issued_on=date(2026, 3, 5),
    kind_name="Biên bản",
    summary="Họp <kiểm điểm> & góp ý",
    body=[
        Paragraph("Căn cứ Nghị định số 172/2025/NĐ-CP;"),
        Paragraph("KẾT LUẬN:", heading=True),
        NumberedItems(["Thứ nhất", "Thứ hai"]),
        Table(["STT", "Họ và tên"], [["1", "Nguyễn Thị Lan"], ["2", "=SUM(A1)"]]),
    ],
    signatures=[Signature("Thư ký", "Trần Văn B"), Signature("Chủ tọa", "Lê Thị C")],
    recipients=["Ông/bà Nguyễn Thị Lan", "Lưu: VT"],
    form_label="Mẫu số 01",
)


def test_the_docx_has_every_part_on_a4() -> None:
    content = rendering.render_sync(SAMPLE, "docx")
    text = docx_text(content)
    assert_official(
        text,
        issuer="Sở Nội vụ",
        number="12/BB-SNV",
        kind="Biên bản",
        date_line="Thử Nghiệm, ngày 05 tháng 03 năm 2026",
        signer_title="Chủ tọa",
    )
    for shown in (
        "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
        "Mẫu số 01",
        "KẾT LUẬN:",
        "1. Thứ nhất",
        "2. Thứ hai",
        "Nguyễn Thị Lan",
        "THƯ KÝ",
        "Trần Văn B",
        "Lê Thị C",
        "- Lưu: VT.",
    ):
        assert shown in text, shown
    doc = Document(io.BytesIO(content))
    section = doc.sections[0]
    mm = [round(x.mm) for x in (section.page_width, section.page_height)]
    assert mm == [210, 297]
    margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    assert [round(x.mm) for x in margins] == [30, 20, 20, 20]
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    motto = [
        r
        for t in doc.tables
        for c in t._cells
        for p in c.paragraphs
        for r in p.runs
        if r.text == "Độc lập - Tự do - Hạnh phúc"
    ]
    assert motto and motto[0].underline and motto[0].bold
    date_runs = [
        r
        for t in doc.tables
        for c in t._cells
        for p in c.paragraphs
        for r in p.runs
        if r.text.startswith("Thử Nghiệm, ngày")
    ]
    assert date_runs[0].italic


def test_the_same_document_renders_to_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The evidence register keeps a .docx's plain SHA-256: a render must not stamp the
    time of writing, in the core properties or in the ZIP's entries."""
    first = rendering.render_sync(SAMPLE, "docx")
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(time, "localtime", lambda *_: time.gmtime(later))
    assert rendering.render_sync(SAMPLE, "docx") == first
    properties = Document(io.BytesIO(first)).core_properties
    assert properties.created == properties.modified
    assert properties.created.date() == date(2026, 3, 5)
    other = rendering.render_sync(replace(SAMPLE, issued_on=date(2026, 3, 6)), "docx")
    assert other != first


def test_the_page_has_every_part_and_escapes_values() -> None:
    page = rendering.render_sync(SAMPLE, "html").decode()
    text = html_text(page)
    assert_official(
        text,
        issuer="Sở Nội vụ",
        number="12/BB-SNV",
        kind="Biên bản",
        date_line="Thử Nghiệm, ngày 05 tháng 03 năm 2026",
        signer_title="Chủ tọa",
    )
    assert "Họp <kiểm điểm> & góp ý" in text
    assert "&lt;kiểm điểm&gt; &amp;" in page
    assert '<link rel="stylesheet" href="/static/css/document.css">' in page
    assert '<ol start="1">' in page and "<td>=SUM(A1)</td>" in page
    css = stylesheet_text()
    assert "size: A4" in css and "Times New Roman" in css and "20mm 20mm 20mm 30mm" in css


def test_a_page_written_outside_the_app_links_its_stylesheet_beside_it() -> None:
    page = render_html(SAMPLE, stylesheet="document.css", script=None)
    assert 'href="document.css"' in page and "<script" not in page and "data-print" not in page


def test_unknown_day_number_and_format() -> None:
    blank = OfficialDocument(
        issuer="",
        superior="",
        number=None,
        place="",
        issued_on=None,
        kind_name="Báo cáo",
        summary="",
        body=[],
        signatures=[Signature("Người báo cáo")],
    )
    text = docx_text(rendering.render_sync(blank, "docx"))
    assert "ngày …… tháng …… năm ……" in text and "Số:" not in text
    assert "Nơi nhận:" not in text
    with pytest.raises(ValueError, match="unknown document format"):
        rendering.render_sync(blank, "pdf")
    assert rendering.media_type("a.docx").endswith("wordprocessingml.document")
    assert rendering.disposition("a.html") == 'inline; filename="a.html"'
    assert rendering.disposition("a.xlsx") == 'attachment; filename="a.xlsx"'


def test_a_long_list_keeps_every_row_in_order() -> None:
    rows = [[str(n), f"Người {n}", ""] for n in range(1, 301)]
    long = OfficialDocument(
        issuer="Sở Nội vụ", superior="", number="1/BC", place="Thử Nghiệm",
        issued_on=date(2026, 3, 5), kind_name="Báo cáo", summary="",
        body=[Table(["STT", "Họ và tên", "Ghi chú"], rows)], signatures=[Signature("Giám đốc")],
    )  # fmt: skip
    doc = Document(io.BytesIO(rendering.render_sync(long, "docx")))
    (table,) = [t for t in doc.tables if t.style.name == "Table Grid"]
    read = [[c.text for c in row.cells] for row in table.rows]
    assert read[0] == ["STT", "Họ và tên", "Ghi chú"] and read[1:] == rows
