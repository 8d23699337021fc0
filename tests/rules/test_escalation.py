"""Escalation of management measures (rules/README.md, "Escalation of repeated violations").

The ladder is a policy knob (pack ``escalation``), not law; cases whose id starts with "§2"
check the follow-up practice of inspection teams described there, "pack" the knob's values. The
window boundary follows BLDS 147-148 as tái phạm does (NĐ 172/2025 Art. 2.8): a prior violation
exactly 12 months before the new one counts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from congvu.rules import escalation
from congvu.rules.conduct import CODES, UnknownViolation
from congvu.rules.conduct import violation as conduct_violation
from congvu.rules.escalation import (
    ConfirmedViolation,
    EscalationStep,
    FollowUp,
    suggest_follow_up,
)
from congvu.rules.packs import PackError, pack_for, parse_pack
from hypothesis import given
from hypothesis import strategies as st

D = date
NEW = D(2026, 3, 5)
S = EscalationStep


def late(on: date) -> ConfirmedViolation:
    return ConfirmedViolation("LATE_ARRIVAL", on)


def smoking(on: date) -> ConfirmedViolation:
    return ConfirmedViolation("SMOKING", on)


@pytest.mark.parametrize(
    ("history", "step", "follow_up"),
    [
        pytest.param([], S.NHAC_NHO, FollowUp.REMIND, id="§2-first-remind"),
        pytest.param(
            [late(D(2025, 9, 1))], S.PHE_BINH, FollowUp.CRITICISE, id="§2-second-criticise"
        ),
        pytest.param(
            [late(D(2025, 9, 1)), smoking(D(2026, 1, 10))],
            S.YEU_CAU_KIEM_DIEM,
            FollowUp.REQUIRE_SELF_REVIEW,
            id="§2-third-self-review-any-code",
        ),
        pytest.param(
            [late(D(2025, 9, 1)), smoking(D(2026, 1, 10)), late(D(2026, 2, 2))],
            S.DE_NGHI_KY_LUAT,
            FollowUp.PROPOSE_DISCIPLINE,
            id="§2-fourth-propose-discipline",
        ),
        pytest.param(
            [late(D(2025, 4 + i, 1)) for i in range(6)],
            S.DE_NGHI_KY_LUAT,
            FollowUp.PROPOSE_DISCIPLINE,
            id="§2-top-step-is-the-ceiling",
        ),
    ],
)
def test_every_step_of_the_ladder(
    history: list[ConfirmedViolation], step: EscalationStep, follow_up: FollowUp
) -> None:
    verdict = suggest_follow_up(late(NEW), history)
    assert verdict.step is step and verdict.follow_up is follow_up
    assert verdict.prior_count == min(len(history), 6)


@pytest.mark.parametrize(
    ("prior_on", "counted"),
    [
        pytest.param(D(2025, 3, 4), 0, id="pack-12m-day-before-window-outside"),
        pytest.param(D(2025, 3, 5), 1, id="pack-12m-exactly-12-months-inside"),
        pytest.param(D(2025, 3, 6), 1, id="pack-12m-day-after-inside"),
        pytest.param(D(2026, 3, 5), 1, id="same-day-other-code-inside"),
        pytest.param(D(2026, 3, 6), 0, id="future-ignored"),
    ],
)
def test_window_boundary(prior_on: date, counted: int) -> None:
    verdict = suggest_follow_up(late(NEW), [smoking(prior_on)])
    assert verdict.prior_count == counted
    assert verdict.window_start == D(2025, 3, 5)


def test_window_over_a_leap_day() -> None:
    # 29/02/2028 minus 12 months has no 29/02: the window opens on 28/02/2027 (BLDS 148).
    new = late(D(2028, 2, 29))
    assert suggest_follow_up(new, [smoking(D(2027, 2, 28))]).prior_count == 1
    assert suggest_follow_up(new, [smoking(D(2027, 2, 27))]).prior_count == 0


def test_the_violation_itself_is_not_counted_twice() -> None:
    verdict = suggest_follow_up(late(NEW), [late(NEW), late(D(2025, 12, 1))])
    assert verdict.prior_count == 1


@pytest.mark.parametrize(
    ("code", "priors", "step"),
    [
        pytest.param(
            "HARASSMENT", 0, S.DE_NGHI_KY_LUAT, id="pack-harassment-straight-to-discipline"
        ),
        pytest.param("GAMBLING", 0, S.DE_NGHI_KY_LUAT, id="pack-gambling-straight-to-discipline"),
        pytest.param(
            "ALCOHOL_WORKING_HOURS", 0, S.YEU_CAU_KIEM_DIEM, id="pack-alcohol-hours-self-review"
        ),
        pytest.param(
            "ALCOHOL_DUTY_DAY", 0, S.YEU_CAU_KIEM_DIEM, id="pack-alcohol-duty-self-review"
        ),
        pytest.param(
            "ALCOHOL_DUTY_DAY", 1, S.DE_NGHI_KY_LUAT, id="pack-severe-climbs-from-its-floor"
        ),
        pytest.param("ALCOHOL_LUNCH", 0, S.NHAC_NHO, id="pack-alcohol-lunch-not-severe"),
    ],
)
def test_severe_codes_start_higher(code: str, priors: int, step: EscalationStep) -> None:
    history = [smoking(D(2026, 1, 1 + i)) for i in range(priors)]
    verdict = suggest_follow_up(ConfirmedViolation(code, NEW), history)
    assert verdict.step is step
    assert verdict.severe is (code != "ALCOHOL_LUNCH")


@pytest.mark.parametrize(
    ("unit_history", "head_reviews", "code", "action", "count"),
    [
        pytest.param(
            [smoking(D(2026, 1, 1))], [], "LATE_ARRIVAL", None, 2, id="§2-two-in-unit-no-flag"
        ),
        pytest.param(
            [smoking(D(2026, 1, 1)), late(D(2026, 2, 1))],
            [],
            "LATE_ARRIVAL",
            FollowUp.REQUEST_HEAD_REVIEW,
            3,
            id="§2-three-in-unit-head-review",
        ),
        pytest.param(
            [smoking(D(2026, 1, 1)), late(D(2025, 3, 4))],
            [],
            "LATE_ARRIVAL",
            None,
            2,
            id="§2-unit-count-uses-the-window",
        ),
        pytest.param(
            [smoking(D(2026, 1, 1)), late(D(2026, 2, 1))],
            [D(2025, 10, 1)],
            "LATE_ARRIVAL",
            FollowUp.PROPOSE_DISCIPLINE,
            3,
            id="§2-head-already-reviewed-discipline",
        ),
        pytest.param(
            [smoking(D(2026, 1, 1)), late(D(2026, 2, 1))],
            [D(2025, 3, 4)],
            "LATE_ARRIVAL",
            FollowUp.REQUEST_HEAD_REVIEW,
            3,
            id="§2-old-head-review-outside-window",
        ),
        pytest.param(
            [], [], "HARASSMENT", FollowUp.REQUEST_HEAD_REVIEW, 1, id="172/9.3b-severe-flags-head"
        ),
    ],
)
def test_the_unit_head_is_flagged(
    unit_history: list[ConfirmedViolation],
    head_reviews: list[date],
    code: str,
    action: FollowUp | None,
    count: int,
) -> None:
    verdict = suggest_follow_up(
        ConfirmedViolation(code, NEW), unit_history=unit_history, head_reviews=head_reviews
    )
    assert verdict.head_action is action
    assert verdict.unit_count == count


def test_explanation_says_these_are_management_measures() -> None:
    verdict = suggest_follow_up(
        late(NEW),
        [late(D(2025, 9, 1))],
        unit_history=[smoking(D(2026, 1, 1)), late(D(2025, 9, 1))],
    )
    label = conduct_violation("LATE_ARRIVAL", NEW).label_vi
    assert verdict.explanation_vi.startswith(
        f"Vi phạm “{label}” ngày 05/03/2026: trong 12 tháng (từ 05/03/2025 đến 05/03/2026) đã "
        "có 1 vi phạm khác được xác nhận. Đề xuất: phê bình. Đơn vị có 3 vi phạm trong 12 tháng"
    )
    assert "biện pháp quản lý, không phải hình thức kỷ luật" in verdict.explanation_vi
    assert "yêu cầu người đứng đầu kiểm điểm" in verdict.explanation_vi
    assert "management measures, not legal disciplinary forms" in verdict.explanation_en
    assert verdict.rule.id == "escalation"


def test_severe_and_head_discipline_are_explained() -> None:
    verdict = suggest_follow_up(ConfirmedViolation("GAMBLING", NEW), head_reviews=[D(2026, 1, 1)])
    assert verdict.head_action is FollowUp.PROPOSE_DISCIPLINE
    assert "vi phạm nghiêm trọng" in verdict.explanation_vi
    assert "đề nghị xem xét kỷ luật người đứng đầu" in verdict.explanation_vi
    assert "propose that discipline of the head be considered" in verdict.explanation_en


def test_the_pack_says_it_is_a_policy_knob_not_law() -> None:
    pack = pack_for("escalation", NEW)
    assert "không phải quy định pháp luật" in pack.label_vi
    assert "not law" in pack.label_en


def test_severe_codes_of_the_pack_are_conduct_codes() -> None:
    pack = pack_for("escalation", NEW)
    assert set(pack.parameters["severe_codes"]) <= set(CODES)


def test_unknown_code_is_refused() -> None:
    with pytest.raises(UnknownViolation):
        suggest_follow_up(ConfirmedViolation("NAPPING", NEW))


def test_a_bad_step_in_the_pack_names_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    source = Path(escalation.__file__).parent / "packs" / "escalation--2020-01-01.yaml"
    text = source.read_text(encoding="utf-8").replace("GAMBLING: DE_NGHI_KY_LUAT", "GAMBLING: BAN")
    bad = parse_pack(text, "escalation--bad.yaml")
    monkeypatch.setattr(escalation, "pack_for", lambda topic, on: bad)
    with pytest.raises(PackError, match=r"escalation--bad.yaml line \d+: parameters.severe_codes"):
        suggest_follow_up(ConfirmedViolation("GAMBLING", NEW))


def test_step_labels() -> None:
    assert [s.label_vi for s in S] == [
        "nhắc nhở",
        "phê bình",
        "yêu cầu kiểm điểm",
        "đề nghị cấp có thẩm quyền xem xét kỷ luật",
    ]
    assert S.PHE_BINH.label_en == "criticism"


_codes = st.sampled_from(["LATE_ARRIVAL", "SMOKING", "NO_CARD", "HARASSMENT", "ALCOHOL_DUTY_DAY"])
_days = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 3, 5))


@given(_codes, st.lists(_days, max_size=8), _days)
def test_one_more_prior_violation_never_lowers_the_step(
    code: str, days: list[date], extra: date
) -> None:
    new = ConfirmedViolation(code, NEW)
    before = suggest_follow_up(new, [smoking(d) for d in days])
    after = suggest_follow_up(new, [smoking(d) for d in [*days, extra]])
    ladder = list(S)
    assert ladder.index(after.step) >= ladder.index(before.step)
    assert after.prior_count - before.prior_count in (0, 1)
