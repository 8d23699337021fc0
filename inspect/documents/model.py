"""One official document as data, whatever it is rendered to: the header of NĐ 30/2020
Phụ lục I (cơ quan chủ quản, cơ quan ban hành, số và ký hiệu, Quốc hiệu và tiêu ngữ,
địa danh và ngày tháng năm), tên loại and trích yếu, the body as blocks, the signatures
(quyền hạn, chức vụ, họ tên người ký) and nơi nhận.

A value the domain does not hold is an empty string: the layouts print a blank (dots or
spaces) for the office to fill by hand, never a made-up value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # Quốc hiệu
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # Tiêu ngữ
BLANK = "……………"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body; ``heading`` centres it in bold (``QUYẾT ĐỊNH:``)."""

    text: str
    bold: bool = False
    italic: bool = False
    heading: bool = False


@dataclass(frozen=True)
class NumberedItems:
    """Items numbered 1., 2., … (or from ``start``)."""

    items: Sequence[str]
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A bordered table: a header row, then the rows (already formatted text)."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""


Block = Paragraph | NumberedItems | Table


@dataclass(frozen=True)
class Signature:
    """One signature block: quyền hạn (``TM.``, ``KT.``…) and chức vụ on ``title``'s lines,
    the hint ("Chữ ký, dấu"), then the signer's name (blank when unknown)."""

    title: str
    name: str = ""
    hint: str = "(Chữ ký, dấu)"

    @property
    def title_lines(self) -> list[str]:
        return [line.upper() for line in self.title.splitlines() if line.strip()]


@dataclass(frozen=True)
class OfficialDocument:
    """A văn bản hành chính. ``number`` is the part after "Số: " (``None``: a form without
    a number, such as a personal report); ``issued_on`` ``None`` leaves the day blank."""

    issuer: str  # tên cơ quan, tổ chức ban hành văn bản
    superior: str  # tên cơ quan, tổ chức chủ quản trực tiếp
    number: str | None  # số và ký hiệu
    place: str  # địa danh
    issued_on: date | None
    kind_name: str  # tên loại văn bản (Quyết định, Biên bản…)
    summary: str  # trích yếu nội dung
    body: Sequence[Block]
    signatures: Sequence[Signature]
    recipients: Sequence[str] = ()  # nơi nhận
    form_label: str = ""  # "Mẫu số 01" above the header, for a form set by a decree
    file_stem: str = "van-ban"
    landscape: bool = False
    notes: Sequence[str] = field(default_factory=tuple)  # small print after the signatures

    @property
    def date_line(self) -> str:
        """ "Hà Nội, ngày 05 tháng 03 năm 2026" (dots where a part is unknown)."""
        place = self.place or BLANK
        day = self.issued_on
        if day is None:
            return f"{place}, ngày …… tháng …… năm ……"
        return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"

    @property
    def number_line(self) -> str | None:
        if self.number is None:
            return None
        return f"Số: {self.number}"

    @property
    def kind_title(self) -> str:
        return self.kind_name.upper()


def blank(value: object) -> str:
    """The value as text, or dots for the office to fill in by hand."""
    if value is None:
        return BLANK
    text = str(value).strip()
    return text or BLANK


def paragraphs(*texts: str) -> list[Paragraph]:
    """Plain body paragraphs, one a text."""
    return [Paragraph(t) for t in texts]
