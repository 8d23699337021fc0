"""A supplement that restarts the term (NĐ 297/2025/NĐ-CP ngày 17/11/2025) against the
default pause, hand-computed on the 2026 calendar (Tết Bính Ngọ off Sat 14/02–Sun 22/02),
on both engines."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from congvu.rules.dossiers import DossierFacts, DossierStatus, evaluate_dossier
from congvu.rules.dossiers_vector import evaluate_dossiers, frames_from_facts


def dt(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


# Received Mon 02/02/2026 09:00, 10 working days; supplement asked Wed 04/02, the complete
# dossier back Thu 12/02 14:00; finished Wed 04/03.
TET = dict(
    received_at=dt("02/02/2026 09:00"),
    processing_time=10,
    pauses=[(dt("04/02/2026 10:00"), dt("12/02/2026 14:00"))],
    finished_at=dt("04/03/2026 16:00"),
)
# Received Mon 09/03/2026 08:00, 5 working days; supplement asked Tue 10/03, the complete
# dossier sent online on Sat 14/03 10:00.
WEEKEND = dict(
    received_at=dt("09/03/2026 08:00"),
    processing_time=5,
    pauses=[(dt("10/03/2026 08:30"), dt("14/03/2026 10:00"))],
)

CASES = [
    # Pause: due 23/02 09:00 (10 working days, Tết skipped) + the 6 working days waited
    # (05, 06, 09, 10, 11, 12/02) = Tue 03/03 09:00; finished 04/03 → 1 day late.
    pytest.param(TET, None, "03/03/2026 09:00", DossierStatus.LATE, 6, id="tet-pause"),
    # Restart: 10 working days from Thu 12/02 14:00 = 13/02, then (Tết) 23, 24, 25, 26, 27/02,
    # 02, 03, 04, 05/03 → Thu 05/03 14:00; the wait before it is not counted; early.
    pytest.param(
        TET, dt("12/02/2026 14:00"), "05/03/2026 14:00", DossierStatus.EARLY, 0, id="tet-restart"
    ),
    # Pause: due 16/03 08:00 + 3 working days waited (11, 12, 13/03) = Thu 19/03 08:00.
    pytest.param(WEEKEND, None, "19/03/2026 08:00", DossierStatus.IN_PROGRESS, 3, id="wk-pause"),
    # Restart on a Saturday: counted from Mon 16/03 07:30; 17, 18, 19, 20, 23/03 → Mon 23/03.
    pytest.param(
        WEEKEND,
        dt("14/03/2026 10:00"),
        "23/03/2026 07:30",
        DossierStatus.IN_PROGRESS,
        0,
        id="weekend-restart",
    ),
]


@pytest.mark.parametrize(("base", "restarted", "due", "status", "paused"), CASES)
def test_restart_or_pause(
    base: dict[str, object],
    restarted: datetime | None,
    due: str,
    status: DossierStatus,
    paused: int,
) -> None:
    facts = DossierFacts(**base, restarted_at=restarted)  # type: ignore[arg-type]
    as_of = date(2026, 3, 18)
    v = evaluate_dossier(facts, as_of)
    assert (v.due_at, v.status, v.paused_working_days) == (dt(due), status, paused)
    frames = frames_from_facts([facts])
    row = evaluate_dossiers(frames.dossiers, as_of, pauses=frames.pauses).iloc[0]
    assert (row.due_at.to_pydatetime(), row.status, row.paused_working_days) == (
        dt(due),
        status.value,
        paused,
    )
    if restarted is not None:
        assert "Nghị định 297/2025/NĐ-CP" in v.explanation_vi
        assert "Nhận đủ hồ sơ bổ sung, tính lại thời hạn từ đầu" in v.explanation_vi
        assert "restarts from zero" in v.explanation_en
    else:
        assert "297/2025" not in v.explanation_vi


def test_a_pause_after_the_restart_still_counts() -> None:
    # Restarted 12/02 14:00 → due 05/03 14:00; a pause 02/03 → 04/03 counts 03 and 04/03:
    # due Mon 09/03 14:00.
    facts = DossierFacts(
        received_at=TET["received_at"],  # type: ignore[arg-type]
        processing_time=10,
        pauses=[*TET["pauses"], (dt("02/03/2026 08:00"), dt("04/03/2026 08:00"))],  # type: ignore[list-item]
        restarted_at=dt("12/02/2026 14:00"),
    )
    v = evaluate_dossier(facts, date(2026, 3, 18))
    assert v.due_at == dt("09/03/2026 14:00") and v.paused_working_days == 2


def test_a_restart_not_yet_known_leaves_the_wait_running() -> None:
    # On 10/02 the supplement has not arrived: the running wait keeps the dossier in time.
    facts = DossierFacts(**TET, restarted_at=dt("12/02/2026 14:00"))  # type: ignore[arg-type]
    v = evaluate_dossier(facts, date(2026, 2, 10))
    assert v.status is DossierStatus.IN_PROGRESS and "297/2025" not in v.explanation_vi


def test_a_restart_changes_nothing_before_it_is_known() -> None:
    facts = DossierFacts(
        received_at=dt("02/02/2026 09:00"),
        due_at=dt("27/02/2026 09:00"),
        restarted_at=dt("12/02/2026 14:00"),
    )
    assert evaluate_dossier(facts, date(2026, 2, 11)).due_at == dt("27/02/2026 09:00")


def test_a_slips_term_restarts_from_the_complete_dossier() -> None:
    # Slip: received Mon 02/02 09:00, return Fri 06/02 16:00: 4 working days (03–06/02).
    # Complete dossier Thu 12/02 14:00 → 13/02, then (Tết) 23, 24, 25/02 → Wed 25/02 16:00.
    facts = DossierFacts(
        received_at=dt("02/02/2026 09:00"),
        due_at=dt("06/02/2026 16:00"),
        pauses=[(dt("04/02/2026 10:00"), dt("12/02/2026 14:00"))],
        restarted_at=dt("12/02/2026 14:00"),
    )
    v = evaluate_dossier(facts, date(2026, 2, 24))
    assert v.due_at == dt("25/02/2026 16:00") and v.paused_working_days == 0
    assert "4 ngày làm việc như phiếu hẹn" in v.explanation_vi and "297/2025" in v.explanation_vi
    frames = frames_from_facts([facts])
    row = evaluate_dossiers(frames.dossiers, date(2026, 2, 24), pauses=frames.pauses).iloc[0]
    assert row.due_at.to_pydatetime() == dt("25/02/2026 16:00") and row.status == "in_progress"
    # Without the restart setting the same slip pauses: 06/02 + 6 working days waited
    # (05, 06, 09, 10, 11, 12/02) = 09, 10, 11, 12, 13/02, then (Tết) Mon 23/02 16:00.
    paused = DossierFacts(received_at=facts.received_at, due_at=facts.due_at, pauses=facts.pauses)
    assert evaluate_dossier(paused, date(2026, 2, 24)).due_at == dt("23/02/2026 16:00")
