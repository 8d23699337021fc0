"""Xếp loại, thi đua, kỷ luật for the workbook: read through the emulation and discipline
domains' own services (the board the rating pages show, the council sessions, the
discipline period report's cases), never recomputed here, so the workbook cannot disagree
with the pages. The result is plain data (picklable, hashed into the snapshot's data hash).

Access: the quarter's and the year's boards are read for the report's unit (the caller
already checked the actor may see it); council sessions are those the actor may read;
discipline cases carry the official's name only for an actor who may manage them (what
the discipline period report shows), otherwise only counts and stages.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.discipline import api as discipline
from congvu.inspect.emulation import api as emulation
from congvu.inspect.emulation.tables import CollectiveRating
from congvu.inspect.errors import Forbidden, NotFound
from congvu.inspect.i18n import name_sort_key
from congvu.inspect.organisation.tables import Unit
from congvu.rules.council import VoteTitle
from congvu.rules.discipline import Category, Form
from congvu.rules.emulation import Title
from congvu.rules.packs import PackNotFound
from congvu.rules.periods import Period
from congvu.rules.rating import Level, rating_pack

LOCKED = "locked"
HIDDEN_NAME = "(không hiển thị)"
# The rule packs these sheets stand on, named on the method sheet.
PACK_TOPICS = ("rating", "emulation", "discipline", "council")


@dataclass(frozen=True)
class RatingRow:
    """One official on the quarter's board (Xếp loại quý)."""

    unit_name: str
    name: str
    group: str  # Lãnh đạo, quản lý / Công chức
    score: float | None
    proposed: str  # the level's Vietnamese label, "" when not rated
    final: str  # the same once the period is locked, else ""
    capped: str  # why the level is lower than the score alone gives


@dataclass(frozen=True)
class QuotaRow:
    """One quota group (cơ quan, nhóm nhiệm vụ) as the rule checked it."""

    unit_name: str
    task_group: str
    htxs_proposed: int
    htxs: int  # HTXS kept after the quota
    htt: int  # HTT after the quota (the base of the 20%)
    note: str


@dataclass(frozen=True)
class TitleRow:
    """Per title of the year: how many were considered, eligible, blocked, voted, approved."""

    title: str
    considered: int
    eligible: int
    blocked: int
    voted: int
    approved: int


@dataclass(frozen=True)
class BlockedRow:
    unit_name: str
    name: str
    title: str
    reason: str


@dataclass(frozen=True)
class CollectiveRow:
    """A collective title of the year for one unit (Tập thể LĐTT, Tập thể LĐXS), as the
    year board computes it: the unit's level, whether it qualifies, whether the period is
    locked with it qualified, and the rule's explanation."""

    unit_name: str
    title: str
    level: str  # the collective's level (label), "" when not rated
    eligible: bool
    approved: bool
    explanation: str


@dataclass(frozen=True)
class VoteRow:
    """A candidate of a council session (Hội đồng thi đua, khen thưởng)."""

    session: str  # agency and campaign
    held_on: date | None
    quorum: str
    name: str
    unit_name: str
    title: str
    in_favour: int | None
    against: int | None
    invalid: int | None
    result: str


@dataclass(frozen=True)
class CaseRow:
    """A discipline case opened in the period (NĐ 172/2025)."""

    unit_name: str
    name: str
    opened_on: date
    stage: str
    proposed_form: str
    decided_form: str
    next_step: str
    next_deadline: date | None
    pending: bool  # a next step is due (not closed)
    overdue: bool


@dataclass(frozen=True)
class PersonnelFigures:
    """What the rating, emulation and discipline sheets show, and the Tổng hợp's HTXS
    columns (per unit path: HTXS and HTT counts)."""

    rating_state: str = "Chưa mở kỳ đánh giá"
    ratings: tuple[RatingRow, ...] = ()
    unit_levels: tuple[tuple[str, int, int], ...] = ()  # unit path, HTXS, HTT
    quotas: tuple[QuotaRow, ...] = ()
    quota_percent: float = 20.0  # set in the CPU pool (``quota_percent``)
    year: int = 0
    year_state: str = "Chưa mở kỳ đánh giá năm"
    titles: tuple[TitleRow, ...] = ()
    blocked: tuple[BlockedRow, ...] = ()
    collectives: tuple[CollectiveRow, ...] = ()
    votes: tuple[VoteRow, ...] = ()
    cases: tuple[CaseRow, ...] = ()
    cases_as_of: date | None = None
    names_shown: bool = True
    packs: dict[str, str] = field(default_factory=dict)

    def data_hash(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


def _state(board: dict[str, Any]) -> str:
    if board["state"] == LOCKED:
        return f"Đã khóa (phiên bản {board['version']})"
    return "Đang mở: kết quả đề xuất, tính theo số liệu hiện có"


def _level_label(code: str | None) -> str:
    return Level(code).label_vi if code else ""


async def _unit_names(unit_path: str) -> dict[str, str]:
    rows = await Unit.select(Unit.code, Unit.name).where(Unit.path.like(unit_path + "%"))
    return {r["code"]: r["name"] for r in rows}


def _capped(official: dict[str, Any]) -> str:
    parts = list(official.get("reasons_vi") or []) if official.get("capped") else []
    if official.get("quota"):
        parts.append(official["quota"])
    return "; ".join(p for p in parts if p)


def _ratings(
    board: dict[str, Any],
) -> tuple[tuple[RatingRow, ...], tuple[tuple[str, int, int], ...]]:
    locked = board["state"] == LOCKED
    rows, levels = [], []
    for o in board["officials"]:
        label = _level_label(o["level"])
        score = o["score"]["total"] if o.get("score") else None
        rows.append(
            RatingRow(
                unit_name=o["unit_name"],
                name=o["name"],
                group="Lãnh đạo, quản lý" if o.get("leader") else "Công chức",
                score=float(score) if score is not None else None,
                proposed=label,
                final=label if locked else "",
                capped=_capped(o),
            )
        )
        levels.append(
            (
                o["unit_path"],
                int(o["level"] == Level.HTXS.value),
                int(o["level"] == Level.HTT.value),
            )
        )
    order = sorted(range(len(rows)), key=lambda i: (rows[i].unit_name, name_sort_key(rows[i].name)))
    return tuple(rows[i] for i in order), tuple(levels)


def _quotas(board: dict[str, Any], names: dict[str, str]) -> tuple[QuotaRow, ...]:
    out = []
    for g in board.get("quota", {}).get("groups", []):
        agency, _, task_group = str(g["group"]).partition("/")
        notes = []
        demoted = int(g["htxs_proposed"]) - int(g["htxs_kept"])
        if demoted:
            notes.append(f"Chuyển {demoted} người từ HTXS xuống HTT do vượt hạn mức")
        if g["tie_at_cutoff"]:
            notes.append("Đồng điểm tại ngưỡng hạn mức: Hội đồng xem xét, quyết định")
        out.append(
            QuotaRow(
                unit_name=names.get(agency, agency),
                task_group=task_group,
                htxs_proposed=int(g["htxs_proposed"]),
                htxs=int(g["htxs_kept"]),
                htt=int(g["htt_final"]),
                note="; ".join(notes),
            )
        )
    return tuple(sorted(out, key=lambda q: (q.unit_name, q.task_group)))


async def _year(
    year: int, unit_path: str, unit_code: str, names: dict[str, str]
) -> tuple[str, dict[str, TitleRow], tuple[BlockedRow, ...]]:
    try:
        board = await emulation.board(str(year), unit_path, unit_code)
    except NotFound:
        return f"Chưa mở kỳ đánh giá năm {year}", {}, ()
    locked = board["state"] == LOCKED
    counts: dict[str, list[int]] = {}
    blocked = []
    for o in board["officials"]:
        for t in o.get("titles", []):
            c = counts.setdefault(t["title_vi"], [0, 0, 0, 0])
            c[0] += 1
            c[1] += bool(t["eligible"] or t["awaiting_vote"])
            blockers = [r for r in t["reasons"] if r in o.get("blockers", [])]
            if blockers:
                c[2] += 1
                blocked.append(
                    BlockedRow(
                        names.get(o["unit"], o["unit"]), o["name"], t["title_vi"],
                        t["explanation_vi"],
                    )
                )  # fmt: skip
            c[3] += bool(t["eligible"] and locked)
    rows = {
        title: TitleRow(title, c[0], c[1], c[2], 0, c[3] if title != _cstdcs() else 0)
        for title, c in counts.items()
    }
    blocked.sort(key=lambda b: (b.unit_name, name_sort_key(b.name), b.title))
    return _state(board), rows, tuple(blocked)


def _collective_rows(
    board: dict[str, Any], unit_code: str, names: dict[str, str]
) -> list[CollectiveRow]:
    """The board's collective titles, if the board computed them for ``unit_code`` (a
    locked year keeps the collective of the unit it was locked for)."""
    c = board.get("collective")
    if not c or c.get("unit") != unit_code:
        return []
    locked = board["state"] == LOCKED
    return [
        CollectiveRow(
            unit_name=names.get(unit_code, unit_code),
            title=t["title_vi"],
            level=_level_label(c.get("level")),
            eligible=bool(t["eligible"]),
            approved=bool(t["eligible"]) and locked,
            explanation=t["explanation_vi"],
        )
        for t in c.get("titles", [])
    ]


async def _collectives(
    year: int, unit_path: str, unit_code: str, names: dict[str, str]
) -> tuple[CollectiveRow, ...]:
    """The collective titles of the report's unit and of every unit below it rated as a
    collective for the year (a collective's titles need its level), each from the year
    board of its own subtree, as the rating pages show it."""
    rated = await CollectiveRating.select(
        CollectiveRating.unit.code.as_alias("code"), CollectiveRating.unit.path.as_alias("path")
    ).where((CollectiveRating.year == year) & CollectiveRating.unit.path.like(unit_path + "%"))
    units = {unit_code: unit_path} | {r["code"]: r["path"] for r in rated}
    rows: list[CollectiveRow] = []
    for code, path in units.items():
        try:
            board = await emulation.board(str(year), path, code)
        except NotFound:
            return ()
        rows.extend(_collective_rows(board, code, names))
    rows.sort(key=lambda r: (0 if r.unit_name == names.get(unit_code) else 1, r.unit_name))
    return tuple(rows)


def _cstdcs() -> str:
    return Title.CSTDCS.label_vi


async def _votes(actor: Actor, year: int, unit_path: str) -> list[dict[str, Any]]:
    out = []
    for s in await emulation.sessions(actor):
        if int(s["year"]) != year or not str(s["agency.path"]).startswith(unit_path):
            continue
        out.append(await emulation.council_session(actor, int(s["id"])))
    return out


def _vote_rows(sessions: list[dict[str, Any]]) -> tuple[VoteRow, ...]:
    rows = []
    for s in sessions:
        label = s["agency"] + (f" ({s['campaign']})" if s.get("campaign") else "")
        held = date.fromisoformat(s["held_on"]) if s.get("held_on") else None
        for r in s["results"]:
            rows.append(
                VoteRow(
                    session=label,
                    held_on=held,
                    quorum=s["quorum"]["explanation_vi"],
                    name=r["name"],
                    unit_name=r["unit"],
                    title=r["title_vi"],
                    in_favour=r["in_favour"],
                    against=r["against"],
                    invalid=r["invalid"],
                    result=r["result_vi"],
                )
            )
    return tuple(rows)


def _with_votes(
    titles: dict[str, TitleRow], votes: tuple[VoteRow, ...], results: list[Any]
) -> tuple[TitleRow, ...]:
    tallied: dict[str, list[int]] = {}
    for r in results:
        c = tallied.setdefault(r["title_vi"], [0, 0])
        c[0] += bool(r["tallied"])
        c[1] += r["result"] is True
    out = dict(titles)
    for title, (voted, approved) in tallied.items():
        row = out.get(title) or TitleRow(title, 0, 0, 0, 0, 0)
        out[title] = TitleRow(row.title, row.considered, row.eligible, row.blocked, voted, approved)
    order = [t.label_vi for t in Title] + [v.label_vi for v in VoteTitle]
    return tuple(
        sorted(
            out.values(), key=lambda t: (order.index(t.title) if t.title in order else 99, t.title)
        )
    )


def _form(code: str | None) -> str:
    return Form(code).label_vi if code else ""


async def _cases(actor: Actor, period: Period, unit_path: str, as_of: date) -> tuple[CaseRow, ...]:
    shown = discipline.may_manage(actor)
    rows = []
    for t in await discipline.cases_opened(period, unit_path, as_of):
        c = t.file.case
        rows.append(
            CaseRow(
                unit_name=c["unit_name"],
                name=c["official_name"] if shown else HIDDEN_NAME,
                opened_on=c["opened_on"],
                stage=t.stage_label,
                proposed_form=_form(c["proposed_form"]),
                decided_form=_form(c["decided_form"]),
                next_step=t.next_label or "",
                next_deadline=t.next_deadline,
                pending=t.next is not None and t.file.stage is not discipline.CaseStage.CLOSED,
                overdue=bool(t.overdue),
            )
        )
    return tuple(rows)


def quota_percent(year: int) -> float:
    """The HTXS cap, in % of HTT, of the công chức rating pack in force for ``year``. Called
    in the CPU pool: the first use of the rule packs in a process parses them all, a second
    and more, which would stall the event loop."""
    try:
        return float(rating_pack(Category.CONG_CHUC, year).parameters["htxs_percent_of_htt"])
    except PackNotFound:
        return 20.0


async def read_personnel(
    actor: Actor, unit: dict[str, Any], period: Period, versions: dict[str, str]
) -> PersonnelFigures:
    """The quarter's ratings and quota check, the year's emulation pipeline and council
    votes, and the discipline cases opened in the period, for ``unit``'s subtree."""
    path, code = str(unit["path"]), str(unit["code"])
    names = await _unit_names(path)
    year = period.year
    as_of = min(clock.today(), period.last_day)
    try:
        quarter = await emulation.board(period.name, path, code)
    except NotFound:
        quarter = None
    ratings, levels = _ratings(quarter) if quarter else ((), ())
    year_state, titles, blocked = await _year(year, path, code, names)
    try:
        sessions = await _votes(actor, year, path)
    except (Forbidden, NotFound):
        sessions = []
    votes = _vote_rows(sessions)
    results = [r for s in sessions for r in s["results"]]
    packs = {topic: v for topic, v in versions.items() if topic.startswith(PACK_TOPICS)}
    return PersonnelFigures(
        rating_state=_state(quarter) if quarter else f"Chưa mở kỳ đánh giá {period.name}",
        ratings=ratings,
        unit_levels=levels,
        quotas=_quotas(quarter, names) if quarter else (),
        year=year,
        year_state=year_state,
        titles=_with_votes(titles, votes, results),
        blocked=blocked,
        collectives=await _collectives(year, path, code, names),
        votes=votes,
        cases=await _cases(actor, period, path, as_of),
        cases_as_of=as_of,
        names_shown=discipline.may_manage(actor),
        packs=packs,
    )
