"""Award amounts of emulation titles (mức tiền thưởng danh hiệu thi đua) and the base salary
(mức lương cơ sở) they are multiples of.

* ``base_salary(on)``: the monthly base salary in force on a day (pack ``base_salary``:
  2,340,000 đ from 01/7/2024, Nghị định 73/2024/NĐ-CP Điều 3 khoản 2).
* ``award_amount(title, on)``: the multiple NĐ 152/2025/NĐ-CP Điều 50 gives the title (pack
  ``emulation_amounts``) times that base salary, exact, with its citation.

The law behind it: rules/README.md, "Emulation award amounts".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from congvu.rules.packs import RuleRef, format_date, pack_for

__all__ = ["AwardAmount", "AwardTitle", "BaseSalary", "award_amount", "base_salary", "vnd"]


class AwardTitle(StrEnum):
    """Titles with an award; the base-level ones share their codes with ``emulation.Title``."""

    CSTD_TOAN_QUOC = "CSTD_TOAN_QUOC"
    CSTD_TINH = "CSTD_TINH"
    CSTDCS = "CSTDCS"
    LDTT = "LDTT"
    TAP_THE_LDXS = "TAP_THE_LDXS"
    TAP_THE_LDTT = "TAP_THE_LDTT"

    @property
    def label_vi(self) -> str:
        return _LABELS[self]


_LABELS = {
    AwardTitle.CSTD_TOAN_QUOC: "Chiến sĩ thi đua toàn quốc",
    AwardTitle.CSTD_TINH: "Chiến sĩ thi đua cấp tỉnh",
    AwardTitle.CSTDCS: "Chiến sĩ thi đua cơ sở",
    AwardTitle.LDTT: "Lao động tiên tiến",
    AwardTitle.TAP_THE_LDXS: "Tập thể lao động xuất sắc",
    AwardTitle.TAP_THE_LDTT: "Tập thể lao động tiên tiến",
}


@dataclass(frozen=True)
class BaseSalary:
    monthly_vnd: int
    rule: RuleRef


@dataclass(frozen=True)
class AwardAmount:
    title: AwardTitle
    multiple: Decimal
    base_salary_vnd: int
    amount_vnd: Decimal
    rule: RuleRef
    explanation_vi: str


def vnd(amount: Decimal | int) -> str:
    """2340000 → "2.340.000 đ" (Vietnamese thousands separator); a fraction of a đồng kept."""
    whole = int(amount)
    text = f"{whole:,}".replace(",", ".")
    rest = Decimal(amount) - whole
    if rest:
        text += "," + str(rest).split(".")[1]
    return f"{text} đ"


def base_salary(on: date) -> BaseSalary:
    """The monthly base salary (mức lương cơ sở) in force on ``on``."""
    pack = pack_for("base_salary", on)
    amount = pack.parameters["monthly_vnd"]
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise pack.parameter_error(("monthly_vnd",), "must be a whole number of đồng > 0")
    return BaseSalary(amount, pack.ref())


def award_amount(title: AwardTitle | str, on: date) -> AwardAmount:
    """The award for ``title`` decided on ``on``: its multiple of the base salary then."""
    chosen = AwardTitle(title)
    pack = pack_for("emulation_amounts", on)
    raw = pack.parameters["multiples"].get(chosen.value)
    if not isinstance(raw, str):
        raise pack.parameter_error(("multiples", chosen.value), 'must be text, e.g. "1.5"')
    multiple = Decimal(raw)
    base = base_salary(on)
    amount = multiple * base.monthly_vnd
    return AwardAmount(
        title=chosen,
        multiple=multiple,
        base_salary_vnd=base.monthly_vnd,
        amount_vnd=amount,
        rule=pack.ref(),
        explanation_vi=(
            f"{chosen.label_vi}: {str(multiple).replace('.', ',')} lần mức lương cơ sở"
            f" {vnd(base.monthly_vnd)} (ngày {format_date(on)}) = {vnd(amount)}."
            f" Căn cứ: {pack.ref().legal_basis}; {base.rule.legal_basis}."
        ),
    )
