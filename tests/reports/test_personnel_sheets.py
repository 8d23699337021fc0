"""The workbook's rating, emulation and discipline sheets (openpyxl) in the report's
quarter (Q1/2026): two communes, officials scored on the quarter's board, a proposal
blocked by an open discipline case, one decided case; the figures must be those the
emulation and discipline domains show, sums are formulas, a name that looks like a
formula stays text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import openpyxl
import pytest
from congvu.inspect.actor import SYSTEM
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.tables import DisciplineCase
from congvu.inspect.emulation import api as emulation
from congvu.inspect.organisation.tables import Official
from congvu.inspect.reports import api as reports
from congvu.rules.discipline import Form
from congvu.rules.rating import Level

from tests import builders
from tests.reports.conftest import Quarter

pytestmark = pytest.mark.anyio

HTXS, HTT = (100, 100, 98), (80, 80, 80)


async def rate(official: Official | int, scores: tuple[int, int, int]) -> None:
    oid = official if isinstance(official, int) else int(official.id)
    a, b, c = scores
    form = {"a": str(a), "b": str(b), "c": str(c), "task_group": ""}
    await emulation.save_sheet(SYSTEM, "2026-Q1", oid, form, author=emulation.SheetAuthor.HEAD)


@pytest.fixture
async def rated(quarter: Quarter) -> Quarter:
    world = quarter.rw.world
    await emulation.open_period(SYSTEM, "2026-Q1")
    await emulation.open_period(SYSTEM, "2026")
    more_a = [
        await builders.official(world.desk_a, f"A1{n}", name)
        for n, name in enumerate(["Đỗ Văn Bảo", "Vũ Thị Chi", "Hồ Văn Dương", "Lý Thị Én"])
    ]
    more_b = [await builders.official(world.commune_b, "B002", "Ngô Thị Hạnh")]
    await rate(world.official_a, HTXS)
    await rate(quarter.injected, HTXS)
    for official in more_a:
        await rate(official, HTT)
    await rate(world.official_b, HTXS)
    await rate(more_b[0], HTT)
    # An open case about official B (commune B): blocks the year's titles.
    rated_by = await builders.account("tochuc", role="personnel", unit="P")
    quarter.rw.users["tochuc"] = rated_by
    await discipline.open_case(
        await quarter.rw.actor("tochuc"),
        discipline.OpenCase(
            official_id=int(world.official_b.id),
            description="Không chấp hành quy định về thời giờ làm việc",
            violation_on=date(2026, 2, 20),
            discovered_on=date(2026, 3, 2),
        ),
        today=date(2026, 3, 3),
    )
    # A decided case about one of commune A's officials (khiển trách).
    await DisciplineCase(
        official=more_a[0].id,
        unit=world.desk_a.id,
        category="CONG_CHUC",
        description="Sử dụng thời giờ làm việc vào việc riêng",
        violation_on=date(2026, 1, 5),
        discovered_on=date(2026, 1, 8),
        opened_on=date(2026, 1, 9),
        merited=Form.KHIEN_TRACH.value,
        stage="decided",
        proposed_form=Form.KHIEN_TRACH.value,
        decided_form=Form.KHIEN_TRACH.value,
        decision_number="12/QĐ-UBND",
        decided_on=date(2026, 2, 10),
        effective_on=date(2026, 2, 10),
        decision_signer="Trần Văn Hùng",
        updated_at=datetime.now(UTC),
    ).save()
    return quarter


async def build(q: Quarter) -> reports.BuiltReport:
    return await reports.build_report(SYSTEM, "2026Q1", media_dir=q.media)


def rows_of(sheet: Any, first: int, cols: int) -> list[list[Any]]:
    out = []
    for row in range(first, sheet.max_row + 1):
        values = [sheet.cell(row, c).value for c in range(1, cols + 1)]
        if not isinstance(values[0], int):
            break
        out.append(values)
    return out


def below(sheet: Any, text: str, col: int = 1) -> int:
    """The first data row of the table under the heading ``text`` (head and letters)."""
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, col).value == text:
            return row + 3
    raise AssertionError(f"{text!r} not on {sheet.title}")


async def test_sheets_are_there_with_their_header_blocks(rated: Quarter) -> None:
    built = await build(rated)
    book = openpyxl.load_workbook(built.path)
    names = book.sheetnames
    assert names[names.index("Hồ sơ TTHC") + 1 : names.index("Phương pháp")] == [
        "Xếp loại quý",
        "Thi đua",
        "Kỷ luật",
        "Kiểm chứng PAR INDEX",
    ]
    for name, form in (("Xếp loại quý", "08/KTCV"), ("Thi đua", "09/KTCV"), ("Kỷ luật", "10/KTCV")):
        sheet = book[name]
        assert sheet["A1"].value == "TỈNH THỬ NGHIỆM"
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [c.value for c in sheet[1]]
        assert sheet.cell(8, 1).value == "Biểu số:" and sheet.cell(8, 3).value == form
        assert sheet.cell(11, 3).value == "từ 15/12/2025 đến 14/03/2026"
    assert "Bìa" in names and book["Bìa"] is not None


async def test_ratings_match_the_board_the_pages_show(rated: Quarter) -> None:
    built = await build(rated)
    board = await emulation.board("2026-Q1", "/P/", "P")
    values = openpyxl.load_workbook(built.path, data_only=True)["Xếp loại quý"]
    rows = rows_of(values, below(values, "I. XẾP LOẠI TỪNG CÔNG CHỨC"), 8)
    # The rated and those the board lists without a level (cán bộ are not rated here).
    assert len(rows) == len(board["officials"]) == 10
    by_name = {o["name"]: o for o in board["officials"]}
    for _, unit, name, _, score, proposed, final, _ in rows:
        o = by_name[name]
        assert unit == o["unit_name"]
        assert score == (pytest.approx(float(o["score"]["total"])) if o["score"] else None)
        assert proposed == (Level(o["level"]).label_vi if o["level"] else None)
        assert final is None  # the period is open: nothing decided yet
    # Vietnamese order within a unit: by given name ("Bảo" before "Chi" before "Dương").
    desk = [r[2] for r in rows if r[1] == rated.rw.world.desk_a.name]
    assert desk.index("Đỗ Văn Bảo") < desk.index("Vũ Thị Chi") < desk.index("Hồ Văn Dương")
    # Counts per level: COUNTIF formulas whose values are the board's.
    level_row = below(values, "II. SỐ CÔNG CHỨC THEO MỨC XẾP LOẠI") - 1
    counted = {
        values.cell(r, 2).value: values.cell(r, 6).value for r in range(level_row, level_row + 4)
    }
    for level in Level:
        expected = sum(1 for o in board["officials"] if o["level"] == level.value)
        assert counted[level.label_vi] == expected
    # Quota check: the rule's groups, their totals, within the cap.
    quota_first = below(values, "III. KIỂM TRA HẠN MỨC HTXS (không quá 20% số HTT)")
    quota = rows_of(values, quota_first, 10)
    groups = board["quota"]["groups"]
    assert len(quota) == len(groups)
    total = quota_first + len(quota)
    assert values.cell(total, 2).value == "TỔNG CỘNG"
    assert values.cell(total, 5).value == sum(g["htxs_kept"] for g in groups)
    assert values.cell(total, 6).value == sum(g["htt_final"] for g in groups)
    assert {r[9] for r in quota} == {"Trong hạn mức"}
    formulas = openpyxl.load_workbook(built.path)["Xếp loại quý"]
    assert formulas.cell(total, 5).value.startswith("=SUM(")
    assert formulas.cell(quota_first, 10).value.startswith("=IF(")
    assert formulas.cell(level_row, 6).value.startswith("=COUNTIF(")
    # A name that looks like a formula stays text.
    first = below(formulas, "I. XẾP LOẠI TỪNG CÔNG CHỨC")
    cells = [formulas.cell(r, 3) for r in range(first, first + len(rows))]
    injected = next(c for c in cells if c.value == '=HYPERLINK("http://x")')
    assert injected.data_type == "s"


async def test_summary_has_the_htxs_share_against_its_cap(rated: Quarter) -> None:
    built = await build(rated)
    board = await emulation.board("2026-Q1", "/P/", "P")
    book = openpyxl.load_workbook(built.path, data_only=True)
    summary = book["Tổng hợp"]
    total = next(
        r for r in range(1, summary.max_row + 1) if summary.cell(r, 2).value == "TỔNG CỘNG"
    )
    heads = [summary.cell(total - 2, c).value for c in range(23, 27)]
    assert heads[2].startswith("Tỷ lệ HTXS so với HTT") and heads[3] == "Hạn mức tỷ lệ HTXS"
    htxs = sum(1 for o in board["officials"] if o["level"] == "HTXS")
    htt = sum(1 for o in board["officials"] if o["level"] == "HTT")
    assert summary.cell(total, 23).value == htxs and summary.cell(total, 24).value == htt
    assert htt > 0 and summary.cell(total, 25).value == pytest.approx(htxs / htt)
    assert summary.cell(total, 26).value == pytest.approx(0.2)
    formulas = openpyxl.load_workbook(built.path)["Tổng hợp"]
    assert formulas.cell(total, 23).data_type == "f"
    assert formulas.cell(total, 25).value.startswith("=IF(")


async def test_emulation_pipeline_shows_the_blocked_proposal(rated: Quarter) -> None:
    built = await build(rated)
    values = openpyxl.load_workbook(built.path, data_only=True)["Thi đua"]
    first = below(values, "I. TIẾN ĐỘ BÌNH XÉT THEO DANH HIỆU")
    titles = rows_of(values, first, 7)
    by_title = {r[1]: r for r in titles}
    ldtt = by_title["Lao động tiên tiến"]
    assert ldtt[2] == 10 and ldtt[4] >= 1  # every official considered, one at least blocked
    total = first + len(titles)
    assert values.cell(total, 2).value == "TỔNG CỘNG"
    assert values.cell(total, 5).value == sum(r[4] for r in titles)
    blocked = rows_of(values, below(values, "II. CÁ NHÂN KHÔNG ĐƯỢC XÉT DANH HIỆU VÀ LÝ DO"), 5)
    assert any(r[2] == "Lê Văn Đức" and r[3] == "Lao động tiên tiến" and r[4] for r in blocked)
    formulas = openpyxl.load_workbook(built.path)["Thi đua"]
    assert formulas.cell(total, 3).value.startswith("=SUM(")


async def test_discipline_cases_of_the_window(rated: Quarter) -> None:
    built = await build(rated)
    values = openpyxl.load_workbook(built.path, data_only=True)["Kỷ luật"]
    stored = await DisciplineCase.select(DisciplineCase.stage).where(
        DisciplineCase.opened_on >= date(2025, 12, 15),
        DisciplineCase.opened_on <= date(2026, 3, 14),
    )
    cases = rows_of(values, below(values, "IV. DANH SÁCH HỒ SƠ MỞ TRONG KỲ"), 10)
    assert len(cases) == len(stored) == 2
    by_name = {r[2]: r for r in cases}
    assert by_name["Đỗ Văn Bảo"][6] == Form.KHIEN_TRACH.label_vi
    assert by_name["Lê Văn Đức"][6] is None
    assert by_name["Lê Văn Đức"][4] == discipline.STAGE_LABELS[discipline.CaseStage.OPENED]
    stages = below(values, "I. THEO BƯỚC XỬ LÝ")
    stage_rows = rows_of(values, stages, 3)
    assert values.cell(stages + len(stage_rows), 3).value == 2
    units = below(values, "III. THEO ĐƠN VỊ")
    unit_rows = rows_of(values, units, 6)
    assert {r[1] for r in unit_rows} == {rated.rw.world.desk_a.name, rated.rw.world.commune_b.name}
    assert values.cell(units + len(unit_rows), 4).value == 1  # decided
    formulas = openpyxl.load_workbook(built.path)["Kỷ luật"]
    assert formulas.cell(units + len(unit_rows), 3).value.startswith("=SUM(")


async def test_method_names_the_packs_and_a_change_of_ratings_is_a_new_version(
    rated: Quarter,
) -> None:
    first = await build(rated)
    method = openpyxl.load_workbook(first.path)["Phương pháp"]
    lines = {method.cell(r, 1).value: method.cell(r, 3).value for r in range(1, method.max_row + 1)}
    packs = lines["Xếp loại, thi đua, kỷ luật theo bộ quy tắc"]
    assert "rating_cong_chuc 2026.1" in packs and "emulation" in packs and "discipline" in packs
    again = await build(rated)
    assert again.reused and again.version == first.version
    extra = await builders.official(rated.rw.world.commune_b, "B003", "Phan Văn Khải")
    await rate(extra, HTT)
    changed = await build(rated)
    assert not changed.reused and changed.version == first.version + 1


async def test_collective_titles_below_the_officials(rated: Quarter) -> None:
    world = rated.rw.world
    await emulation.rate_collective(SYSTEM, "P-A", 2026, Level.HTXS.value)
    await emulation.rate_collective(SYSTEM, "P-B", 2026, Level.HTT.value)
    built = await build(rated)
    values = openpyxl.load_workbook(built.path, data_only=True)["Thi đua"]
    first = below(values, "IV. DANH HIỆU THI ĐUA TẬP THỂ")
    heads = [values.cell(first - 2, c).value for c in range(1, 8)]
    assert heads[1] == "Tập thể" and heads[4] == "Đủ tiêu chuẩn"
    assert [values.cell(first - 1, c).value for c in range(1, 4)] == ["A", "B", "C"]
    rows = rows_of(values, first, 7)
    expected = []
    for unit in (world.commune_a, world.commune_b, world.province):
        board = await emulation.board("2026", str(unit.path), str(unit.code))
        if board["collective"]:
            for t in board["collective"]["titles"]:
                expected.append((unit.name, t["title_vi"], int(t["eligible"])))
    assert {(r[1], r[2], r[4]) for r in rows} == set(expected)
    # The province has no level of its own: its titles are listed, not qualified.
    assert {r[1] for r in rows} >= {world.commune_a.name, world.commune_b.name}
    assert {r[2] for r in rows} == {"Tập thể lao động tiên tiến", "Tập thể lao động xuất sắc"}
    by = {(r[1], r[2]): r for r in rows}
    assert by[(world.commune_a.name, "Tập thể lao động tiên tiến")][3] == Level.HTXS.label_vi
    assert all(r[5] == 0 for r in rows)  # the year is open: nothing recognised yet
    total = first + len(rows)
    assert values.cell(total, 2).value == "TỔNG CỘNG"
    assert values.cell(total, 5).value == sum(r[4] for r in rows)
    formulas = openpyxl.load_workbook(built.path)["Thi đua"]
    assert formulas.cell(total, 5).value == f"=SUM(E{first}:E{total - 1})"
    assert formulas.cell(total, 6).value.startswith("=SUM(")
