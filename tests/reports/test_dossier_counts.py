"""The quarter's dossier figures counted by the database (``ReportData.dossier_counts``)
equal what pandas computed from the dossiers' rows before (tests/bench/README.md, P5):
the same per-line resolved and on-time counts and the same Hồ sơ TTHC lines, on both
engines, at the window's edges in local time (NĐ 09/2019 15→14 quarters and calendar
quarters), with a dossier's unit counted for its reporting line."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from congvu.inspect import clock
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.reports.services.figures import (
    ON_TIME,
    RESOLVED,
    Figures,
    compute_figures,
    reporting_lines,
)
from congvu.inspect.reports.services.reading import (
    DOSSIER_COLUMNS,
    ReportData,
    Window,
    count_dossiers,
    read_dossier_rows,
    read_report_data,
)
from congvu.inspect.review.tables import Explanation, FindingReview
from congvu.rules.periods import Period, PeriodKind, PeriodScheme

from tests.reports.conftest import Quarter, review

pytestmark = pytest.mark.anyio


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), clock.zone())


async def edge_dossier(
    code: str,
    unit: int,
    status: str,
    received: datetime,
    finished: datetime | None,
    due: datetime | None,
) -> None:
    await Dossier(
        code=code,
        procedure="Chứng thực bản sao",
        unit=unit,
        received_at=received,
        due_at=due,
        finished_at=finished,
        status=status,
        working_days_late=1 if status == "late" else 0,
        updated_at=received,
    ).save()


@pytest.fixture
async def edges(quarter: Quarter) -> Quarter:
    """Dossiers on both edges of Q1/2026 (NĐ 09/2019: 15/12/2025 – 14/03/2026) and of the
    calendar Q1 (01/01 – 31/03/2026), half an hour either side of local midnight: a UTC
    day would put each of them in the wrong quarter (the zone is seven hours ahead)."""
    world = quarter.rw.world
    desk, commune_b = int(world.desk_a.id), int(world.commune_b.id)
    received = local(date(2025, 12, 1), 9)
    for code, unit, status, finished, due in [
        # The period's last day at 23:30: resolved in it.
        ("HS-E1", desk, "late", local(date(2026, 3, 14), 23, 30), local(date(2026, 3, 1), 17)),
        # Half an hour into Q2: open at Q1's end, past due by then.
        ("HS-E2", desk, "late", local(date(2026, 3, 15), 0, 30), local(date(2026, 3, 14), 23)),
        # The first day at 00:30: resolved in it; the day before at 23:30: not in the window.
        ("HS-E3", commune_b, "early", local(date(2025, 12, 15), 0, 30), None),
        ("HS-E4", commune_b, "on_time", local(date(2025, 12, 14), 23, 30), None),
        # Calendar edges: the last day of March at 23:30, the first of April at 00:30.
        ("HS-E5", commune_b, "on_time", local(date(2026, 3, 31), 23, 30), None),
        ("HS-E6", commune_b, "late", local(date(2026, 4, 1), 0, 30), None),
        ("HS-E7", commune_b, "early", local(date(2026, 1, 1), 0, 30), None),
        ("HS-E8", commune_b, "on_time", local(date(2025, 12, 31), 23, 30), None),
        # Open: due in the period's last half hour (overdue), after it (in time), no date.
        ("HS-E9", desk, "overdue", None, local(date(2026, 3, 14), 23, 30)),
        ("HS-E10", desk, "in_progress", None, local(date(2026, 3, 15), 0, 30)),
        ("HS-E11", commune_b, "in_progress", None, None),
        ("HS-E12", desk, "overdue", None, local(date(2026, 3, 31), 23, 30)),
        ("HS-E13", desk, "in_progress", None, local(date(2026, 4, 1), 0, 30)),
    ]:
        await edge_dossier(code, unit, status, received, finished, due)
    # Received in the period's last half hour (in it), and half an hour after (not).
    for code, moment in [
        ("HS-E14", local(date(2026, 3, 14), 23, 30)),
        ("HS-E15", local(date(2026, 3, 15), 0, 30)),
        ("HS-E16", local(date(2026, 3, 31), 23, 30)),
        ("HS-E17", local(date(2026, 4, 1), 0, 30)),
    ]:
        await edge_dossier(code, commune_b, "in_progress", moment, None, None)
    return quarter


def old_dossier_figures(
    rows: pd.DataFrame, data: ReportData, root_id: int, window: Window
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The figures as pandas computed them from every dossier row before they were counted
    in SQL: (per line: resolved, resolved on time) and the Hồ sơ TTHC lines."""
    _, lines, line_of = reporting_lines(data, root_id)
    first, last = window.period.first_day, window.period.last_day
    dossiers = rows.assign(line=line_of.reindex(rows["unit"]).to_numpy())
    days = dossiers["finished_at"].dt.normalize()
    resolved = dossiers[
        dossiers["status"].isin(RESOLVED)
        & (days >= pd.Timestamp(first))
        & (days <= pd.Timestamp(last))
    ]

    def per_line(frame: pd.DataFrame) -> np.ndarray:
        return (
            frame.groupby("line").size().reindex(lines["id"]).fillna(0).astype("int64").to_numpy()
        )

    summary = pd.DataFrame(
        {
            "code": lines["code"].to_numpy(),
            "resolved": per_line(resolved),
            "resolved_on_time": per_line(resolved[resolved["status"].isin(ON_TIME)]),
        }
    )
    end = pd.Timestamp(last) + pd.Timedelta(days=1)
    still_open = dossiers[dossiers["finished_at"].isna() | (dossiers["finished_at"] >= end)]
    overdue = still_open["due_at"].notna() & (still_open["due_at"] < end)
    out = pd.DataFrame(
        {
            "name": lines["name"].to_numpy(),
            "early": per_line(resolved[resolved["status"] == "early"]),
            "on_time": per_line(resolved[resolved["status"] == "on_time"]),
            "late": per_line(resolved[resolved["status"] == "late"]),
            "open_in_time": per_line(still_open[~overdue]),
            "open_overdue": per_line(still_open[overdue]),
        }
    )
    shown = out[["early", "on_time", "late", "open_in_time", "open_overdue"]]
    return summary, out[shown.sum(axis=1) > 0].reset_index(drop=True)


async def figures_of(
    quarter: Quarter, scheme: PeriodScheme
) -> tuple[ReportData, pd.DataFrame, Window, Figures]:
    world = quarter.rw.world
    window = Window.of(Period(PeriodKind.QUARTER, 2026, 1, scheme))
    zone: ZoneInfo = clock.zone()
    data = await read_report_data(str(world.province.path), window, zone)
    rows = await read_dossier_rows(str(world.province.path), window, zone)
    return data, rows, window, compute_figures(data, int(world.province.id), window)


@pytest.mark.parametrize("scheme", [PeriodScheme.ND09, PeriodScheme.CALENDAR])
async def test_counted_dossiers_give_the_figures_the_rows_gave(
    edges: Quarter, scheme: PeriodScheme
) -> None:
    data, rows, window, figures = await figures_of(edges, scheme)
    summary, dossier_lines = old_dossier_figures(
        rows, data, int(edges.rw.world.province.id), window
    )
    lines = figures.lines.set_index("code")
    expected = summary.set_index("code").reindex(lines.index)
    pd.testing.assert_frame_equal(lines[["resolved", "resolved_on_time"]], expected)
    shown = list(dossier_lines.columns)
    pd.testing.assert_frame_equal(figures.dossier_lines[shown], dossier_lines)
    # The database's counts are pandas' counts of the same rows.
    pd.testing.assert_frame_equal(data.dossier_counts, count_dossiers(rows, window))
    # The raw sheet's rows: the window's dossiers, each once, with its unit's name.
    assert rows["id"].is_unique
    assert list(rows.columns) == [*DOSSIER_COLUMNS, "unit_name"]
    assert figures.dossiers.empty  # filled by the workbook's own read


async def test_window_edges_by_hand(edges: Quarter) -> None:
    """NĐ 09/2019 Q1/2026, by hand: P-A counts its one-stop desk's dossiers."""
    _, rows, _, figures = await figures_of(edges, PeriodScheme.ND09)
    codes = set(rows["code"])
    assert {"HS-E1", "HS-E2", "HS-E3", "HS-E14"} <= codes
    assert not {"HS-E4", "HS-E15", "HS-OLD"} & codes
    shown = ["early", "on_time", "late", "open_in_time", "open_overdue"]
    lines = figures.dossier_lines.set_index("name")[shown]
    commune_a = lines.loc[str(edges.rw.world.commune_a.name)]
    # HS-1 early, HS-2 on time, HS-3 and HS-E1 late; HS-E10, HS-E12 and HS-E13 open in
    # time (due after the end); HS-E2 and HS-E9 open past due at the end.
    assert commune_a.to_dict() == {
        "early": 1,
        "on_time": 1,
        "late": 2,
        "open_in_time": 3,
        "open_overdue": 2,
    }
    commune_b = lines.loc[str(edges.rw.world.commune_b.name)]
    # Early: HS-E3, HS-E7; on time: "=cmd…", HS-E8; late: HS-4; open: HS-5 (its due day
    # 12/01 passed) and, in time, HS-E5 and HS-E6 (finished after the end), HS-E11, HS-E14.
    assert commune_b.to_dict() == {
        "early": 2,
        "on_time": 2,
        "late": 1,
        "open_in_time": 4,
        "open_overdue": 1,
    }


async def test_a_findings_first_explanation_is_its_explained_moment(edges: Quarter) -> None:
    rw = edges.rw
    finding = await rw.finding(rw.world.official_a, "EARLY_LEAVE")
    other = await rw.finding(rw.world.official_a, "NO_CARD")
    for f in (finding, other):
        await review(f, None)
    row = (
        await FindingReview.select(FindingReview.id).where(FindingReview.finding == finding).first()
    )
    assert row is not None
    for moment in (local(date(2026, 2, 25), 10), local(date(2026, 2, 24), 15, 45)):
        await Explanation(review=row["id"], text="Giải trình", submitted_at=moment).save()
    data, _, _, _ = await figures_of(edges, PeriodScheme.ND09)
    explained = data.findings.set_index("id")["explained_at"]
    assert explained[finding] == pd.Timestamp(2026, 2, 24, 15, 45)
    assert pd.isna(explained[other])


async def test_the_digest_changes_with_any_dossier_row_of_the_window(edges: Quarter) -> None:
    """The build's version check: the counts alone would not see a changed lateness."""
    path = str(edges.rw.world.province.path)
    window = Window.of(Period(PeriodKind.QUARTER, 2026, 1, PeriodScheme.ND09))
    zone = clock.zone()
    first = await read_report_data(path, window, zone, digest=True)
    again = await read_report_data(path, window, zone, digest=True)
    assert first.dossier_digest and again.data_hash() == first.data_hash()
    assert (await read_report_data(path, window, zone)).dossier_digest == ""
    await Dossier.update({Dossier.working_days_late: 3}).where(Dossier.code == "HS-3")
    changed = await read_report_data(path, window, zone, digest=True)
    pd.testing.assert_frame_equal(changed.dossier_counts, first.dossier_counts)
    assert changed.dossier_digest != first.dossier_digest
    assert changed.data_hash() != first.data_hash()


async def test_apologies_by_hand(edges: Quarter) -> None:
    """The letters of apology (thư xin lỗi) of Q1/2026 (NĐ 09/2019), as the last verdicts
    flagged them. Commune A's late or overdue dossiers in the window: HS-3, HS-E1 and
    HS-E2 (late; HS-E2 finished after the end), HS-E9 and HS-E12 (overdue) = 5; commune
    B's: HS-4 (late), HS-5 (overdue), HS-E6 (late, finished after the end) = 3. HS-2 was
    resolved on time: a late letter there needs no apology and is not counted."""
    for code, flags in [
        ("HS-3", "APOLOGY_MISSING"),
        ("HS-E1", "OVERDUE_IN_PROGRESS;APOLOGY_LATE"),
        ("HS-E9", "APOLOGY_MISSING;OVERDUE_IN_PROGRESS"),
        ("HS-4", "APOLOGY_LATE"),
        ("HS-2", "APOLOGY_LATE"),
    ]:
        await Dossier.update({Dossier.flags: flags}).where(Dossier.code == code)
    for scheme in (PeriodScheme.ND09, PeriodScheme.CALENDAR):
        data, rows, window, figures = await figures_of(edges, scheme)
        # The database's counts are pandas' counts of the same rows, flags included.
        pd.testing.assert_frame_equal(data.dossier_counts, count_dossiers(rows, window))
    _, _, _, figures = await figures_of(edges, PeriodScheme.ND09)
    world = edges.rw.world
    apology = ["apology_needed", "apology_kept", "apology_late", "apology_missing"]
    lines = figures.dossier_lines.set_index("name")[apology]
    assert lines.loc[str(world.commune_a.name)].to_list() == [5, 2, 1, 2]
    assert lines.loc[str(world.commune_b.name)].to_list() == [3, 2, 1, 0]
    summary = figures.lines.set_index("name")
    assert summary.loc[str(world.commune_a.name), ["apology_needed", "apology_kept"]].to_list() == [
        5,
        2,
    ]
