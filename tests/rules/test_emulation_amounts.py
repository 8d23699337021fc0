"""Award amounts of NĐ 152/2025/NĐ-CP Điều 50 times the base salary of NĐ 73/2024/NĐ-CP
(2,340,000 đ from 01/7/2024), hand-computed."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from congvu.rules import emulation_amounts
from congvu.rules.emulation_amounts import AwardTitle, award_amount, base_salary, vnd
from congvu.rules.packs import PackError, PackNotFound, RulePack, pack_for

DAY = date(2026, 1, 15)


def test_the_base_salary_is_dated() -> None:
    salary = base_salary(date(2024, 7, 1))
    assert salary.monthly_vnd == 2_340_000
    assert "Nghị định 73/2024/NĐ-CP" in salary.rule.legal_basis
    assert base_salary(DAY).monthly_vnd == 2_340_000
    with pytest.raises(PackNotFound):
        base_salary(date(2024, 6, 30))  # 1,800,000 đ under NĐ 24/2023: not encoded


@pytest.mark.parametrize(
    ("title", "multiple", "amount"),
    [
        (AwardTitle.CSTD_TOAN_QUOC, "4.5", 10_530_000),
        (AwardTitle.CSTD_TINH, "3.0", 7_020_000),
        (AwardTitle.CSTDCS, "1.0", 2_340_000),
        (AwardTitle.LDTT, "0.3", 702_000),
        (AwardTitle.TAP_THE_LDXS, "1.5", 3_510_000),
        (AwardTitle.TAP_THE_LDTT, "0.8", 1_872_000),
    ],
)
def test_award_amounts(title: AwardTitle, multiple: str, amount: int) -> None:
    award = award_amount(title.value, DAY)
    assert award.multiple == Decimal(multiple)
    assert award.amount_vnd == amount and award.base_salary_vnd == 2_340_000
    assert award.rule.id == "emulation_amounts"
    assert "Nghị định 152/2025/NĐ-CP, Điều 50" in award.explanation_vi
    assert vnd(amount) in award.explanation_vi


def test_no_amount_before_the_decree() -> None:
    with pytest.raises(PackNotFound):
        award_amount(AwardTitle.LDTT, date(2025, 6, 30))


def test_vnd_formatting() -> None:
    assert vnd(2_340_000) == "2.340.000 đ"
    assert vnd(Decimal("1872000.0")) == "1.872.000 đ"
    assert vnd(Decimal("702000.5")) == "702.000,5 đ"


def _with(pack: RulePack, **parameters: Any) -> RulePack:
    return dataclasses.replace(pack, parameters={**pack.parameters, **parameters})


def test_bad_parameters_name_the_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    salary = pack_for("base_salary", DAY)
    amounts = pack_for("emulation_amounts", DAY)
    bad = {
        "base_salary": _with(salary, monthly_vnd="2.340.000"),
        "emulation_amounts": _with(amounts, multiples={"LDTT": 0.3}),
    }
    monkeypatch.setattr(emulation_amounts, "pack_for", lambda topic, on: bad[topic])
    with pytest.raises(PackError, match="monthly_vnd: must be a whole number"):
        base_salary(DAY)
    with pytest.raises(PackError, match=r"multiples\.LDTT: must be text"):
        award_amount(AwardTitle.LDTT, DAY)
