"""Size and composition of the disciplinary council: 3 for công chức (NĐ 172/2025 Điều 18),
3 or 5 for viên chức (NĐ 112/2020 Điều 35, as amended), one chair and one secretary."""

from __future__ import annotations

import pytest
from congvu.rules.discipline import Category
from congvu.rules.discipline_council import composition_problem, council_sizes

CHAIR, MEMBER, SECRETARY = "Chủ tịch Hội đồng", "Ủy viên", "Ủy viên kiêm Thư ký"


def test_the_legal_sizes_per_category() -> None:
    assert council_sizes(Category.CONG_CHUC) == (3,)
    assert council_sizes(Category.VIEN_CHUC) == (3, 5)
    assert council_sizes(Category.CAN_BO) == (3,)  # as before: no other size was read


@pytest.mark.parametrize(
    ("category", "duties", "problem"),
    [
        (Category.CONG_CHUC, [CHAIR, MEMBER, SECRETARY], None),
        (Category.VIEN_CHUC, [CHAIR, MEMBER, SECRETARY], None),
        (Category.VIEN_CHUC, [CHAIR, MEMBER, MEMBER, MEMBER, SECRETARY], None),
        (Category.CONG_CHUC, [CHAIR, MEMBER, MEMBER, MEMBER, SECRETARY], "công chức gồm 3 thành"),
        (Category.VIEN_CHUC, [CHAIR, MEMBER, MEMBER, SECRETARY], "gồm 3 hoặc 5 thành viên"),
        (Category.CONG_CHUC, [CHAIR, SECRETARY], "Nghị định 172/2025/NĐ-CP, Điều 18"),
        (Category.CONG_CHUC, [MEMBER, MEMBER, SECRETARY], "đúng một Chủ tịch"),
        (Category.CONG_CHUC, [CHAIR, "Phó Chủ tịch", SECRETARY], "đúng một Chủ tịch"),
        (Category.VIEN_CHUC, [CHAIR, MEMBER, MEMBER], "đúng một Ủy viên kiêm Thư ký"),
        (Category.VIEN_CHUC, ["chủ tịch", MEMBER, "thư ký hội đồng"], None),
    ],
)
def test_composition(category: Category, duties: list[str], problem: str | None) -> None:
    found = composition_problem(category, duties)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found
