"""Size and composition of a disciplinary council (Hội đồng kỷ luật).

* công chức: NĐ 172/2025/NĐ-CP Điều 18 — a council of 3 members (what congvu has applied
  since that decree took effect; rules/README.md, "Discipline procedure").
* viên chức: NĐ 112/2020/NĐ-CP Điều 35 (as amended by NĐ 71/2023/NĐ-CP) — 3 members where
  the public service unit has no constituent units and the person holds no management post,
  else 5 members.

* cán bộ: no size of its own was read; the 3 members applied to every case before stay.

Every council has one chair (Chủ tịch Hội đồng) and one member who is also its secretary
(Ủy viên kiêm Thư ký Hội đồng): the council meets only with both present (NĐ 112/2020
Điều 34, as amended), so a composition without them is refused here.
"""

from __future__ import annotations

from collections.abc import Sequence

from congvu.rules.discipline import Category

__all__ = ["COUNCIL_SIZES", "composition_problem", "council_sizes"]

COUNCIL_SIZES: dict[Category, tuple[int, ...]] = {
    Category.CAN_BO: (3,),
    Category.CONG_CHUC: (3,),
    Category.VIEN_CHUC: (3, 5),
}

_WHO = {
    Category.CAN_BO: "cán bộ",
    Category.CONG_CHUC: "công chức",
    Category.VIEN_CHUC: "viên chức",
}
_BASIS = {
    Category.CAN_BO: "Nghị định 172/2025/NĐ-CP",
    Category.CONG_CHUC: "Nghị định 172/2025/NĐ-CP, Điều 18",
    Category.VIEN_CHUC: "Nghị định 112/2020/NĐ-CP, Điều 35 (sửa đổi bởi Nghị định 71/2023/NĐ-CP)",
}


def council_sizes(category: Category) -> tuple[int, ...]:
    """The numbers of members the law allows for a council of ``category``, ascending."""
    return COUNCIL_SIZES[category]


def composition_problem(category: Category, duties: Sequence[str]) -> str | None:
    """Why a council whose members hold ``duties`` (one per member) is not lawful, in
    Vietnamese; None when it is."""
    sizes = council_sizes(category)
    if len(duties) not in sizes:
        allowed = " hoặc ".join(str(n) for n in sizes)
        return f"Hội đồng kỷ luật {_WHO[category]} gồm {allowed} thành viên ({_BASIS[category]})."
    folded = [d.casefold() for d in duties]
    chairs = sum("chủ tịch" in d for d in folded)
    secretaries = sum("thư ký" in d for d in folded)
    if chairs != 1:
        return "Hội đồng kỷ luật có đúng một Chủ tịch Hội đồng."
    if secretaries != 1:
        return "Hội đồng kỷ luật có đúng một Ủy viên kiêm Thư ký Hội đồng."
    return None
