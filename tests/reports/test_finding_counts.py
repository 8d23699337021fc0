"""The quarter's finding figures counted by the database (``ReportData.finding_counts``,
``finding_results``, ``finding_repeats``) equal pandas' counts of the findings' rows
(``count_findings``, what the figures were computed from before), on both engines, with
awkward findings: of a unit merged away, dismissed, withdrawn, before and after the
window, half an hour either side of the period's local-midnight edges, a repeat offender
whose two latest violations share a moment."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, time

import pandas as pd
import pytest
from congvu.inspect import clock
from congvu.inspect.inspections.tables import Finding, FindingVersion
from congvu.inspect.organisation.tables import Unit
from congvu.inspect.reports.services.figures import Figures, compute_figures
from congvu.inspect.reports.services.reading import (
    ReportData,
    Window,
    count_findings,
    read_report_data,
)
from congvu.inspect.review.tables import FindingReview
from congvu.rules.periods import Period, PeriodKind, PeriodScheme

from tests import builders
from tests.reports.conftest import Quarter, review

pytestmark = pytest.mark.anyio

WINDOW = Window.of(Period(PeriodKind.QUARTER, 2026, 1, PeriodScheme.ND09))


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), clock.zone())


@pytest.fixture
async def awkward(quarter: Quarter) -> Quarter:
    rw = quarter.rw
    world = rw.world
    a, b, deputy = world.official_a, world.official_b, rw.deputy
    # A hamlet of commune B, merged into it during the quarter: its findings still count
    # for commune B's line.
    hamlet = await builders.unit("P-B-T1", "Thôn Một", kind="sub_unit", parent="P-B")
    await Unit.update(
        {Unit.valid_to: date(2026, 1, 31), Unit.merged_into: world.commune_b.id}
    ).where(Unit.id == hamlet.id)
    merged = await builders.inspection(hamlet, date(2026, 1, 20), status="submitted")
    hamlet_finding = await rw.finding(b, "NO_CARD", inspection=merged)
    await review(hamlet_finding, "confirmed", "CRITICISM")
    # Withdrawn: never counted.
    withdrawn = await rw.finding(a, "PRIVATE_BUSINESS")
    await Finding.update({Finding.version_state: FindingVersion.WITHDRAWN}).where(
        Finding.id == withdrawn
    )
    # Dismissed, in the period and in the previous quarter.
    await review(await rw.finding(a, "EARLY_LEAVE"), "dismissed")
    await review(
        await rw.finding(a, "EARLY_LEAVE", observed_at=local(date(2025, 11, 3), 9)), "dismissed"
    )
    # The period's edges, half an hour either side of local midnight (15/12/2025 and
    # 15/03/2026): in the previous quarter, the period, the period, the next quarter.
    for month, day, hour, minute in [(12, 14, 23, 30), (12, 15, 0, 30)]:
        moment = local(date(2025, month, day), hour, minute)
        await rw.finding(b, "LATE_ARRIVAL", inspection=rw.inspection_b, observed_at=moment)
    for month, day, hour, minute in [(3, 14, 23, 30), (3, 15, 0, 30)]:
        moment = local(date(2026, month, day), hour, minute)
        await rw.finding(b, "LATE_ARRIVAL", inspection=rw.inspection_b, observed_at=moment)
    # The previous quarter: closed without a follow-up (handled), a unit's violation.
    closed = await rw.finding(None, "NO_HOTLINE_POSTED", observed_at=local(date(2025, 10, 2), 9))
    await review(closed, "confirmed")
    await FindingReview.update({FindingReview.closed_at: local(date(2025, 10, 20), 9)}).where(
        FindingReview.finding == closed
    )
    # A unit's violation of the period with a follow-up, remedied by a later check.
    fixed = await rw.finding(None, "NO_HOTLINE_POSTED", inspection=rw.inspection_b)
    await review(fixed, "confirmed", "REMIND")
    await FindingReview.update({FindingReview.verified_by_inspection: rw.inspection_b.id}).where(
        FindingReview.finding == fixed
    )
    # The deputy: one in the lookback year (06/2025), one in the period; and one before
    # the read's window (06/2024: it starts 366 days before 15/09/2025), never read.
    await rw.finding(deputy, "LATE_ARRIVAL", observed_at=local(date(2025, 6, 2), 9))
    await rw.finding(deputy, "EARLY_LEAVE", inspection=rw.inspection_b)
    await rw.finding(deputy, "LATE_ARRIVAL", observed_at=local(date(2024, 6, 3), 9))
    # Two violations of B at the same latest moment: the later row's unit (the hamlet's)
    # is the unit shown.
    moment = local(date(2026, 3, 14), 23, 45)
    await rw.finding(b, "NO_CARD", inspection=rw.inspection_b, observed_at=moment)
    await rw.finding(b, "NO_CARD", inspection=merged, observed_at=moment)
    return quarter


async def both(quarter: Quarter) -> tuple[ReportData, ReportData]:
    """The database's counts (read as a build reads) and pandas' counts of the rows."""
    path, zone = str(quarter.rw.world.province.path), clock.zone()
    counted = await read_report_data(path, WINDOW, zone, finding_rows=False)
    rows = await read_report_data(path, WINDOW, zone)
    assert counted.findings.empty
    return counted, ReportData(
        rows.units,
        rows.inspections,
        rows.attendance,
        rows.findings,
        rows.dossier_counts,
        **count_findings(rows.findings, WINDOW),
    )


async def test_counted_findings_equal_pandas_counts_of_their_rows(awkward: Quarter) -> None:
    counted, from_rows = await both(awkward)
    for name in ("finding_counts", "finding_results", "finding_repeats"):
        pd.testing.assert_frame_equal(getattr(counted, name), getattr(from_rows, name))
    root = int(awkward.rw.world.province.id)
    ours, theirs = compute_figures(counted, root, WINDOW), compute_figures(from_rows, root, WINDOW)
    for field in fields(Figures):
        if field.name == "personnel":
            continue
        value, other = getattr(ours, field.name), getattr(theirs, field.name)
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, other, check_index_type=False)
        elif isinstance(value, pd.Series):
            pd.testing.assert_series_equal(value, other)
        else:
            assert value == other, field.name


async def test_the_finding_figures_by_hand(awkward: Quarter) -> None:
    counted, _ = await both(awkward)
    world = awkward.rw.world
    figures = compute_figures(counted, int(world.province.id), WINDOW)
    # The period (15/12/2025 – 14/03/2026), not dismissed, current: the fixture's four
    # (LATE_ARRIVAL of A, NO_HOTLINE_POSTED, NO_CARD of the injected official, B's
    # LATE_ARRIVAL) and here the hamlet's, 15/12 at 00:30, 14/03 at 23:30, the unit's
    # fixed one, the deputy's, B's two at the same moment: 11.
    assert figures.current["violations"] == 11
    # Handled: A's (REMIND), the hamlet's (CRITICISM), the unit's fixed one (REMIND).
    assert figures.current["handled"] == 3
    # The previous quarter: 14/12 at 23:30 and the closed unit's one (dismissed: not).
    assert (figures.previous["violations"], figures.previous["handled"]) == (2, 1)
    assert figures.remedies == {"confirmed": 3, "done": 1, "open": 2}
    assert figures.handling.to_dict("index") == {
        "CRITICISM": {"persons": 1, "units": 0},
        "REMIND": {"persons": 1, "units": 1},
    }
    lines = figures.lines.set_index("code")
    # Commune B's line: B's LATE_ARRIVAL, the hamlet's, the two edges, the unit's fixed
    # one, the deputy's and B's two at one moment (inspection B is commune B's).
    assert lines.loc["P-B", "violations"] == 8
    repeats = figures.repeats.set_index("official_name")
    # B: six in the period and one 14/12 at 23:30; the latest two share a moment, the
    # later row is the hamlet's. The deputy: one in the period, one in the lookback year
    # (the dismissed NO_CARD does not count, nor the one before the window).
    assert repeats.loc[str(world.official_b.full_name)].to_dict() == {
        "unit_name": "Thôn Một",
        "quarter": 6,
        "year": 7,
    }
    assert repeats.loc[str(awkward.rw.deputy.full_name), ["quarter", "year"]].tolist() == [1, 2]
    assert str(world.official_a.full_name) not in repeats.index


async def test_the_digest_changes_with_a_finding_row_the_counts_do_not_see(
    awkward: Quarter,
) -> None:
    """A build reads the findings counted, without their rows: its version check still
    sees a changed legal basis, which the sheets show and no count holds."""
    path, zone = str(awkward.rw.world.province.path), clock.zone()
    first = await read_report_data(path, WINDOW, zone, digest=True, finding_rows=False)
    again = await read_report_data(path, WINDOW, zone, digest=True, finding_rows=False)
    assert first.finding_digest and again.data_hash() == first.data_hash()
    late = await Finding.select(Finding.id).where(Finding.violation_code == "LATE_ARRIVAL")
    await Finding.update({Finding.legal_basis: "NĐ 172/2025/NĐ-CP"}).where(
        Finding.id == late[0]["id"]
    )
    changed = await read_report_data(path, WINDOW, zone, digest=True, finding_rows=False)
    for name in ("finding_counts", "finding_results", "finding_repeats"):
        pd.testing.assert_frame_equal(getattr(changed, name), getattr(first, name))
    assert changed.finding_digest != first.finding_digest
    assert changed.data_hash() != first.data_hash()
