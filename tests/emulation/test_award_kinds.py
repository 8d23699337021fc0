"""Mẫu số 05 sorts the awards an official received into its two parts: the danh hiệu thi
đua (Luật Thi đua, khen thưởng 2022, Điều 23–28) and every other hình thức khen thưởng."""

from __future__ import annotations

import unicodedata

import pytest
from congvu.inspect.emulation.services.document_people import is_emulation_title


@pytest.mark.parametrize(
    ("form", "title"),
    [
        ("Chiến sĩ thi đua cơ sở", True),
        ("Chiến sỹ thi đua cấp tỉnh", True),
        ("  lao động tiên tiến", True),
        ("Cờ thi đua của Ủy ban nhân dân tỉnh", True),
        ("Tập thể Lao động xuất sắc", True),
        ("Bằng khen của Chủ tịch UBND tỉnh", False),
        ("Giấy khen của Chủ tịch UBND phường", False),
        ("Huân chương Lao động hạng Ba", False),
        ("Kỷ niệm chương Vì sự nghiệp Nội vụ", False),
        (unicodedata.normalize("NFD", "Chiến sĩ thi đua cơ sở"), True),  # pasted, decomposed
    ],
)
def test_a_title_or_a_form_of_commendation(form: str, title: bool) -> None:
    assert is_emulation_title(form) is title
