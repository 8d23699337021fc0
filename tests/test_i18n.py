"""Vietnamese first: name order, dates, and an English entry for every UI message."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from congvu.inspect.i18n import EN, format_date, format_datetime, name_sort_key, text_sort_key

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.mark.parametrize(
    ("unsorted", "expected"),
    [
        # Given name first: An < Bình although Trần > Nguyễn.
        (["Trần Thị Bình", "Nguyễn Văn An"], ["Nguyễn Văn An", "Trần Thị Bình"]),
        # đ is its own letter after d.
        (["Lê Văn Đức", "Phạm Văn Dũng"], ["Phạm Văn Dũng", "Lê Văn Đức"]),
        # ư after u, ơ after ô after o.
        (["Hồ Văn Ưng", "Hồ Văn Uy"], ["Hồ Văn Uy", "Hồ Văn Ưng"]),
        (["Vũ Thị Ơn", "Vũ Thị Ông", "Vũ Thị Oanh"], ["Vũ Thị Oanh", "Vũ Thị Ông", "Vũ Thị Ơn"]),
        # Same given name: the middle name decides, then the family name.
        (["Trần Văn Hùng", "Lê Đức Hùng"], ["Lê Đức Hùng", "Trần Văn Hùng"]),
        (["Trần Văn Hùng", "Lê Văn Hùng"], ["Lê Văn Hùng", "Trần Văn Hùng"]),
        # Tones only break ties: Hà (huyền) before Hạ (nặng); "An" before "Anh".
        (["Đỗ Thu Hạ", "Đỗ Thu Hà"], ["Đỗ Thu Hà", "Đỗ Thu Hạ"]),
        (["Ngô Thị Anh", "Ngô Thị An"], ["Ngô Thị An", "Ngô Thị Anh"]),
        # ă and â follow a.
        (["Cao Văn Ân", "Cao Văn Ăn", "Cao Văn Anh"], ["Cao Văn Anh", "Cao Văn Ăn", "Cao Văn Ân"]),
    ],
)
def test_vietnamese_name_order(unsorted: list[str], expected: list[str]) -> None:
    assert sorted(unsorted, key=name_sort_key) == expected


@pytest.mark.parametrize(
    ("unsorted", "expected"),
    [
        # A unit's name sorts word by word in its own order (not given name first).
        (
            ["Văn phòng HĐND và UBND", "Trung tâm Phục vụ hành chính công", "Phòng Văn hóa"],
            ["Phòng Văn hóa", "Trung tâm Phục vụ hành chính công", "Văn phòng HĐND và UBND"],
        ),
        (["Phòng Văn hóa - Xã hội", "Phòng Kinh tế"], ["Phòng Kinh tế", "Phòng Văn hóa - Xã hội"]),
        # đ after d, ư after u; a shorter name before a longer one it begins.
        (["Đội Quản lý", "Dịch vụ"], ["Dịch vụ", "Đội Quản lý"]),
        (["Xã Ưng Hòa", "Xã Uy Nỗ"], ["Xã Uy Nỗ", "Xã Ưng Hòa"]),
        (["Phường An Hòa", "Phường An"], ["Phường An", "Phường An Hòa"]),
    ],
)
def test_vietnamese_title_order(unsorted: list[str], expected: list[str]) -> None:
    assert sorted(unsorted, key=text_sort_key) == expected


def test_decomposed_and_composed_names_sort_the_same() -> None:
    import unicodedata

    name = "Nguyễn Thị Hương"
    assert name_sort_key(unicodedata.normalize("NFD", name)) == name_sort_key(name)


def test_dates_are_dd_mm_yyyy_in_the_local_time_zone() -> None:
    assert format_date(date(2026, 3, 5)) == "05/03/2026"
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    # 18:30 UTC is 01:30 the next morning in Hà Nội.
    moment = datetime(2026, 1, 31, 18, 30, tzinfo=UTC)
    assert format_date(moment, zone) == "01/02/2026"
    assert format_datetime(moment, zone) == "01/02/2026 01:30"
    assert format_date(None) == ""


def test_every_template_message_has_an_english_translation() -> None:
    pattern = re.compile(r'_\("([^"]+)"\)')
    missing = set()
    for template in TEMPLATES.rglob("*.html"):
        for message in pattern.findall(template.read_text()):
            if message not in EN:
                missing.add((template.name, message))
    assert not missing, f"add to congvu.inspect.i18n.EN: {sorted(missing)}"


def test_every_label_shown_through_gettext_has_an_english_translation() -> None:
    from congvu.inspect import i18n

    for labels in (
        i18n.ROLE_LABELS,
        i18n.CATEGORY_LABELS,
        i18n.UNIT_KIND_LABELS,
        i18n.JOB_STATUS_LABELS,
    ):
        for label in labels.values():
            assert label in EN, label


def test_decimals_use_a_comma_in_vietnamese_and_a_point_in_english() -> None:
    from congvu.inspect.i18n import current_locale, format_decimal

    assert format_decimal(47.94) == "47,9"
    token = current_locale.set("en")
    try:
        assert format_decimal(47.94) == "47.9"
    finally:
        current_locale.reset(token)
