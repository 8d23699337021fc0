"""Late dossiers in the head's queue: a flagged dossier is an item of its
own kind, sorted by deadline with the findings; the head dismisses it with a reason or
takes it up as a case about an official, which then goes through the finding lifecycle
and counts in the escalation window like an inspection finding."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.errors import Conflict, Forbidden, Invalid, NotFound
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.organisation.tables import Official, Unit
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.inspect.review.services import dossier_cases as review_dossiers
from congvu.inspect.review.services import dossier_items
from congvu.inspect.review.services import queue as review_queue
from congvu.inspect.review.services import reminders as review_reminders
from congvu.inspect.review.services.dossier_cases import DossierCommand
from congvu.inspect.review.tables import DossierDecision, FindingReview, Notification
from congvu.inspect.settings import get_settings

from tests.conftest import csrf, login
from tests.dossiers.conftest import HEADER, run_import, write
from tests.review.conftest import head_a_official
from tests.worlds import MONDAY, ReviewWorld

pytestmark = pytest.mark.anyio

ZONE = get_settings().zone
OVERDUE = "APOLOGY_MISSING;OVERDUE_IN_PROGRESS"


async def _dossier(
    rw: ReviewWorld,
    code: str,
    *,
    official: Official | str | None = "official_a",
    unit: Unit | None = None,
    due: date = date(2026, 3, 5),
    flags: str = OVERDUE,
    finished: datetime | None = None,
    status: str = "overdue",
    late: int = 2,
) -> int:
    """A dossier as the import leaves it: received Mon 02/03/2026 08:00, due at 17:00 on
    ``due``, evaluated on Mon 09/03/2026 (two working days overdue for the default due)."""
    person = rw.world.official_a if official == "official_a" else official
    assert not isinstance(person, str)
    row = Dossier(
        code=code,
        procedure="Cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        sector="Đất đai",
        unit=(unit or rw.world.desk_a).id,
        official=person.id if person else None,
        official_name=person.full_name if person else "",
        received_at=datetime(2026, 3, 2, 8, 0, tzinfo=ZONE),
        due_at=datetime.combine(due, time(17, 0), tzinfo=ZONE),
        finished_at=finished,
        status=status,
        working_days_late=late,
        flags=flags,
        evaluated_on=date(2026, 3, 9),
        updated_at=MONDAY,
    )
    await row.save()
    return int(row.id)


async def _items(rw: ReviewWorld, username: str) -> list[dossier_items.DossierItem]:
    items = await review_queue.queue(await rw.actor(username))
    return [i for i in items if isinstance(i, dossier_items.DossierItem)]


async def _take_up(rw: ReviewWorld, dossier: int, username: str = "head_a") -> int:
    result = await review_dossiers.decide(
        await rw.actor(username), dossier, DossierCommand("take_up"), now=MONDAY
    )
    assert result.finding_id is not None
    return result.finding_id


async def _events(action: str) -> list[dict]:
    return list(
        await AuditEvent.select()
        .where(AuditEvent.action == action)
        .order_by(AuditEvent.id)
        .output(load_json=True)
    )


# --- the queue -------------------------------------------------------------------------


async def test_flagged_dossiers_share_the_queue_sorted_by_deadline(rw: ReviewWorld) -> None:
    notified = await rw.finding(rw.world.official_a)  # explanation due Mon 09/03/2026
    fresh = await rw.finding(rw.world.official_a, "DRESS")  # not notified: no deadline
    head = await rw.actor("head_a")
    await review.transition(head, notified, Command("notify"), now=MONDAY)
    # Review deadline = the missed date + the review pack's 10 working days.
    march = await _dossier(rw, "D-0305")  # due Thu 05/03 → Thu 19/03/2026
    february = await _dossier(rw, "D-0226", due=date(2026, 2, 26))  # → Thu 12/03/2026
    # Not anyone's fault, or not in commune A: never in head_a's queue.
    await _dossier(rw, "EARLIER", flags="DEADLINE_MOVED_EARLIER", status="in_progress")
    await _dossier(rw, "SOON", flags="DUE_WITHIN_24H", status="in_progress", late=0)
    await _dossier(rw, "B-1", official=rw.world.official_b, unit=rw.world.commune_b)

    items = await review_queue.queue(head)

    assert [(i.kind.value, i.id) for i in items] == [
        ("finding", notified),
        ("dossier", february),
        ("dossier", march),
        ("finding", fresh),
    ]
    assert [i.deadline for i in items] == [
        date(2026, 3, 9),
        date(2026, 3, 12),
        date(2026, 3, 19),
        None,
    ]
    item = items[2]
    assert isinstance(item, dossier_items.DossierItem)
    assert (item.code, item.flags) == ("D-0305", ["APOLOGY_MISSING", "OVERDUE_IN_PROGRESS"])
    assert (item.official_id, item.official_name) == (rw.world.official_a.id, "Nguyễn Thị Lan")
    assert (item.status, item.working_days_late) == ("overdue", 2)
    # The queue lists stored verdicts; the item's own page explains them.
    assert item.rule_explanation == ""
    page = await dossier_items.dossier_item(head, march, now=MONDAY)
    assert "Đến ngày 09/03/2026 chưa có kết quả, quá hạn 2 ngày làm việc." in page.rule_explanation
    assert item.rule.startswith("dossier_deadlines ")
    assert item.actions == ["take_up", "dismiss"] and item.conflict is None
    # The escalation rules' suggestion if a case about her were confirmed: no history yet.
    assert item.prior == []
    assert item.suggestion is not None and item.suggestion.follow_up == "REMIND"
    assert [i.code for i in await _items(rw, "head_b")] == ["B-1"]


async def test_only_heads_and_admins_in_scope_see_or_decide_a_dossier(rw: ReviewWorld) -> None:
    dossier = await _dossier(rw, "D1")
    for username in ("head_b",):
        actor = await rw.actor(username)
        with pytest.raises(NotFound):
            await dossier_items.dossier_item(actor, dossier)
        with pytest.raises(NotFound):
            await review_dossiers.decide(actor, dossier, DossierCommand("dismiss", reason="x"))
    for username in ("official_a", "inspector", "lead", "council", "reporter"):
        actor = await rw.actor(username)
        with pytest.raises(Forbidden):
            await dossier_items.dossier_item(actor, dossier)
        with pytest.raises(Forbidden):
            await review_dossiers.decide(actor, dossier, DossierCommand("dismiss", reason="x"))
    assert [i.id for i in await _items(rw, "admin")] == [dossier]
    assert [i.id for i in await _items(rw, "head_p")] == [dossier]
    assert await DossierDecision.count() == 0


# --- dismissing ---------------------------------------------------------------------------


async def test_a_dismissal_needs_a_reason_is_audited_and_leaves_the_queue(rw: ReviewWorld) -> None:
    dossier = await _dossier(rw, "D1")
    head = await rw.actor("head_a")
    with pytest.raises(Invalid) as caught:
        await review_dossiers.decide(head, dossier, DossierCommand("dismiss", reason=" "))
    assert caught.value.field == "reason"

    reason = "Chậm do chờ người dân bổ sung giấy tờ."
    result = await review_dossiers.decide(head, dossier, DossierCommand("dismiss", reason=reason))

    assert (result.outcome, result.finding_id) == ("dismissed", None)
    row = await DossierDecision.select().where(DossierDecision.dossier == dossier).first()
    assert (row["key"], row["outcome"], row["reason"]) == (
        f"{dossier}:{OVERDUE}",
        "dismissed",
        reason,
    )
    (event,) = await _events("dossier_dismiss")
    assert (event["object_type"], event["object_id"], event["reason"]) == (
        "dossier",
        str(dossier),
        reason,
    )
    assert event["actor_username"] == "head_a"
    assert await _items(rw, "head_a") == []
    assert await Finding.count() == 0
    # The same decision again changes nothing; another one on the same flags is refused.
    again = await review_dossiers.decide(head, dossier, DossierCommand("dismiss", reason="y"))
    assert again == result
    assert len(await _events("dossier_dismiss")) == 1
    with pytest.raises(Conflict):
        await review_dossiers.decide(head, dossier, DossierCommand("take_up"))
    item = await dossier_items.dossier_item(head, dossier)
    assert item.actions == [] and item.deadline is None
    assert [(d.outcome, d.reason) for d in item.decisions] == [("dismissed", reason)]


# --- taking up: the same lifecycle as a finding ------------------------------------------------


async def test_a_case_taken_up_goes_through_the_finding_lifecycle(rw: ReviewWorld) -> None:
    dossier = await _dossier(rw, "D1")
    head = await rw.actor("head_a")

    finding = await _take_up(rw, dossier)

    row = await Finding.select().where(Finding.id == finding).first()
    assert (row["dossier"], row["inspection"], row["official"], row["unit"]) == (
        dossier,
        None,
        rw.world.official_a.id,
        rw.world.desk_a.id,
    )
    assert row["violation_code"] == "LATE_DOSSIER_HANDLING"
    assert row["recorded_by"] is None  # the rules engine flagged it, the head took it up
    assert row["observed_at"] == datetime(2026, 3, 5, 17, 0, tzinfo=ZONE)  # the missed date
    assert "NĐ 118/2025/NĐ-CP" in row["legal_basis"]
    assert "quá hạn 2 ngày làm việc" in row["explanation_vi"]
    assert row["facts"].startswith("Hồ sơ D1 (Cấp Giấy chứng nhận quyền sử dụng đất lần đầu)")
    # Notified at once: Monday 02/03 + 5 working days.
    review_row = await FindingReview.select().where(FindingReview.finding == finding).first()
    assert (review_row["state"], review_row["explanation_due"]) == ("notified", date(2026, 3, 9))
    actions = [e["action"] for e in await _events_on("finding", finding)]
    assert actions == ["finding_recorded", "finding_notify"]
    (taken,) = await _events("dossier_take_up")
    assert taken["after"]["finding_id"] == finding
    told = await Notification.select(Notification.message).where(
        Notification.user == rw.users["official_a"].id
    )
    assert [n["message"] for n in told] == [
        "Có phát hiện về anh/chị (hồ sơ D1 trễ hạn); giải trình trước hết ngày 09/03/2026."
    ]

    # The dossier item has left the queue; the case is in it as a finding.
    queue = await review_queue.queue(head)
    assert [(i.kind.value, i.id) for i in queue] == [("finding", finding)]
    assert queue[0].dossier_code == "D1"

    official = await rw.actor("official_a")
    assert [(i.id, i.dossier_id) for i in await review.mine(official)] == [(finding, dossier)]
    await review.transition(
        official,
        finding,
        Command("explain", explanation="Hồ sơ phải chờ ý kiến của phòng Kinh tế."),
        now=MONDAY + timedelta(days=1),
    )
    await review.transition(head, finding, Command("confirm", reason="Không có phiếu chuyển."))
    stored = await FindingReview.select().where(FindingReview.finding == finding).first()
    assert (stored["outcome"], stored["suggested_follow_up"]) == ("confirmed", "REMIND")
    await review.transition(head, finding, Command("decide_follow_up", follow_up="REMIND"))
    assert await review.transition(head, finding, Command("close")) == "closed"
    assert await review_queue.queue(head) == []


async def _events_on(kind: str, object_id: int) -> list[dict]:
    return list(
        await AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_type == kind, AuditEvent.object_id == str(object_id))
        .order_by(AuditEvent.id)
    )


async def test_taking_up_twice_opens_one_case(rw: ReviewWorld) -> None:
    dossier = await _dossier(rw, "D1")
    first = await _take_up(rw, dossier)
    assert await _take_up(rw, dossier) == first
    assert await Finding.count() == 1
    assert len(await _events("dossier_take_up")) == 1
    with pytest.raises(Conflict):
        await review_dossiers.decide(
            await rw.actor("head_a"), dossier, DossierCommand("dismiss", reason="Nhầm")
        )


async def test_a_confirmed_dossier_case_counts_in_the_escalation_window(rw: ReviewWorld) -> None:
    head = await rw.actor("head_a")
    case = await _take_up(rw, await _dossier(rw, "D1"))
    await review.transition(head, case, Command("waive", reason="Cán bộ không giải trình"))
    await review.transition(head, case, Command("confirm", reason="Trễ hạn không có lý do."))

    # A later inspection finding about her: one confirmed violation before it.
    later = await rw.finding(
        rw.world.official_a, observed_at=datetime(2026, 3, 10, 8, 10, tzinfo=ZONE)
    )
    await review.transition(head, later, Command("notify"), now=MONDAY)
    await review.transition(head, later, Command("waive", reason="Cán bộ không giải trình"))
    item = next(i for i in await review_queue.queue(head) if i.id == later and i.kind == "finding")
    assert [(v.code, v.on) for v in item.prior] == [("LATE_DOSSIER_HANDLING", date(2026, 3, 5))]
    assert item.suggestion is not None and item.suggestion.follow_up == "CRITICISE"
    assert "đã có 1 vi phạm khác được xác nhận" in item.suggestion.explanation_vi

    # And a confirmed inspection finding counts for the next dossier of hers.
    await review.transition(head, later, Command("confirm", reason="Đúng"))
    nxt = await _dossier(rw, "D2", due=date(2026, 3, 20), late=1)
    (dossier_item,) = [i for i in await _items(rw, "head_a") if i.id == nxt]
    assert [v.code for v in dossier_item.prior] == ["LATE_DOSSIER_HANDLING", "LATE_ARRIVAL"]
    assert dossier_item.suggestion is not None
    assert dossier_item.suggestion.follow_up == "REQUIRE_SELF_REVIEW"


async def test_a_dismissed_case_is_not_a_prior_violation(rw: ReviewWorld) -> None:
    head = await rw.actor("head_a")
    case = await _take_up(rw, await _dossier(rw, "D1"))
    await review.transition(head, case, Command("waive", reason="Cán bộ không giải trình"))
    await review.transition(head, case, Command("dismiss", reason="Chậm do phần mềm lỗi."))
    nxt = await _dossier(rw, "D2", due=date(2026, 3, 20), late=1)
    (item,) = [i for i in await _items(rw, "head_a") if i.id == nxt]
    assert item.prior == []


# --- separation of duties and the official named ------------------------------------------


async def test_nobody_decides_about_a_dossier_they_or_their_superior_handled(
    rw: ReviewWorld,
) -> None:
    chairman = await head_a_official(rw.world)
    dossier = await _dossier(rw, "CHU-TICH", official=chairman)
    # The chairman does not see his own dossier, and may not decide it.
    assert await _items(rw, "head_a") == []
    with pytest.raises(Forbidden) as caught:
        await review_dossiers.decide(
            await rw.actor("head_a"), dossier, DossierCommand("dismiss", reason="Tôi bận họp")
        )
    assert "chính mình" in caught.value.message
    # His deputy sees it with the conflict, and may not decide it either.
    (item,) = await _items(rw, "deputy_a")
    assert item.conflict is not None and "cấp trên" in item.conflict
    with pytest.raises(Forbidden):
        await review_dossiers.decide(await rw.actor("deputy_a"), dossier, DossierCommand("take_up"))
    # The province's head may.
    finding = await _take_up(rw, dossier, "head_p")
    assert (await Finding.select(Finding.official).where(Finding.id == finding))[0][
        "official"
    ] == chairman.id
    assert await DossierDecision.count() == 1


async def test_naming_another_official_needs_a_reason_and_someone_in_scope(
    rw: ReviewWorld,
) -> None:
    dossier = await _dossier(rw, "D1")
    head = await rw.actor("head_a")
    with pytest.raises(Invalid) as caught:
        await review_dossiers.decide(
            head, dossier, DossierCommand("take_up", official_id=rw.world.official_b.id)
        )
    assert caught.value.field == "official_id"
    with pytest.raises(Invalid) as caught:
        await review_dossiers.decide(
            head, dossier, DossierCommand("take_up", official_id=rw.deputy.id)
        )
    assert caught.value.field == "reason"
    chairman = await head_a_official(rw.world)
    with pytest.raises(Forbidden):
        await review_dossiers.decide(
            head, dossier, DossierCommand("take_up", official_id=chairman.id, reason="x")
        )
    result = await review_dossiers.decide(
        head,
        dossier,
        DossierCommand(
            "take_up", official_id=rw.deputy.id, reason="Phó Giám đốc ký chậm phiếu chuyển."
        ),
    )
    row = await Finding.select(Finding.official).where(Finding.id == result.finding_id).first()
    assert row["official"] == rw.deputy.id
    (event,) = await _events("dossier_take_up")
    assert event["reason"] == "Phó Giám đốc ký chậm phiếu chuyển."


async def test_a_dossier_without_a_named_official_is_taken_up_only_by_naming_one(
    rw: ReviewWorld,
) -> None:
    dossier = await _dossier(rw, "NOBODY", official=None)
    (item,) = await _items(rw, "head_a")
    assert (item.official_id, item.suggestion) == (None, None)
    head = await rw.actor("head_a")
    with pytest.raises(Invalid) as caught:
        await review_dossiers.decide(head, dossier, DossierCommand("take_up"))
    assert caught.value.field == "official_id"
    detail = await dossier_items.dossier_item(head, dossier)
    candidates = [official for official, _ in detail.candidates]
    # Commune A's people, except the head himself (he may not be named by himself).
    assert set(candidates) == {rw.world.official_a.id, rw.deputy.id}
    assert await _events("dossier_review_viewed")


# --- bulk ---------------------------------------------------------------------------------


async def test_bulk_takes_up_or_dismisses_each_dossier_on_its_own(rw: ReviewWorld) -> None:
    named = await _dossier(rw, "D1")
    nobody = await _dossier(rw, "D2", official=None)
    other = await _dossier(rw, "B-1", official=rw.world.official_b, unit=rw.world.commune_b)
    finding = await rw.finding(rw.world.official_a)
    head = await rw.actor("head_a")

    results = await review_queue.bulk(head, [finding], "take_up", None, [named, nobody, other])

    assert [(r.kind.value, r.ok, r.status) for r in results] == [
        ("finding", False, 400),
        ("dossier", True, 200),
        ("dossier", False, 400),
        ("dossier", False, 404),
    ]
    assert results[1].finding_id is not None
    dismissed = await review_queue.bulk(head, [], "dismiss", "Dữ liệu xuất sai ngày hẹn.", [nobody])
    assert [(r.ok, r.dossier_id) for r in dismissed] == [(True, nobody)]
    assert await _items(rw, "head_a") == []
    assert await DossierDecision.count() == 2


# --- re-imports ---------------------------------------------------------------------------


def _line(code: str, due: str, *, finished: str = "", apology: str = "") -> str:
    return (
        f"{code},Cấp Giấy chứng nhận quyền sử dụng đất lần đầu,Đất đai,P-A,Nguyễn Thị Lan,"
        f"Trực tiếp,02/03/2026 08:00,{due},{finished},,,{apology},"
    )


async def test_a_reimport_restating_the_fault_neither_returns_nor_duplicates(
    rw: ReviewWorld, tmp_path: Path
) -> None:
    admin = await rw.actor("admin")
    await run_import(
        admin,
        write(tmp_path, [HEADER, _line("TAKEN", "05/03/2026"), _line("DROPPED", "05/03/2026")]),
        exported_at=datetime(2026, 3, 9, 7),
        as_of=date(2026, 3, 9),
    )
    items = {i.code: i for i in await _items(rw, "head_a")}
    assert {code: i.flags for code, i in items.items()} == {
        "TAKEN": ["APOLOGY_MISSING", "OVERDUE_IN_PROGRESS"],
        "DROPPED": ["APOLOGY_MISSING", "OVERDUE_IN_PROGRESS"],
    }
    assert items["TAKEN"].official_id == rw.world.official_a.id
    head = await rw.actor("head_a")
    case = await _take_up(rw, items["TAKEN"].id)
    await review_dossiers.decide(
        head, items["DROPPED"].id, DossierCommand("dismiss", reason="Người dân xin rút hồ sơ.")
    )

    # Both were resolved late since; the apology of one came late too: the same faults.
    await run_import(
        admin,
        write(
            tmp_path,
            [
                HEADER,
                _line("TAKEN", "05/03/2026", finished="11/03/2026 10:00"),
                _line("DROPPED", "05/03/2026", finished="11/03/2026 10:00", apology="10/03/2026"),
            ],
            "second.csv",
        ),
        exported_at=datetime(2026, 3, 12, 7),
        as_of=date(2026, 3, 12),
    )
    flags = {r["code"]: r["flags"] for r in await Dossier.select(Dossier.code, Dossier.flags)}
    assert flags == {
        "TAKEN": "APOLOGY_MISSING;RESOLVED_LATE",
        "DROPPED": "APOLOGY_LATE;RESOLVED_LATE",
    }
    assert await _items(rw, "head_a") == []
    with pytest.raises(Conflict):
        await review_dossiers.decide(head, items["TAKEN"].id, DossierCommand("take_up"))
    assert [r["id"] for r in await Finding.select(Finding.id)] == [case]
    assert await DossierDecision.count() == 2


async def test_a_new_kind_of_fault_brings_a_dismissed_dossier_back(rw: ReviewWorld) -> None:
    dossier = await _dossier(rw, "D1")
    head = await rw.actor("head_a")
    reason = "Chậm do người dân bổ sung hồ sơ."
    await review_dossiers.decide(head, dossier, DossierCommand("dismiss", reason=reason))
    # The next evaluation adds a second re-set of the return date: a new fault.
    await Dossier.update({Dossier.flags: f"{OVERDUE};SECOND_EXTENSION"}).where(
        Dossier.id == dossier
    )

    (item,) = await _items(rw, "head_a")

    assert item.flags == ["APOLOGY_MISSING", "OVERDUE_IN_PROGRESS", "SECOND_EXTENSION"]
    assert [(d.outcome, d.reason) for d in item.decisions] == [("dismissed", reason)]
    await _take_up(rw, dossier)
    keys = [r["key"] for r in await DossierDecision.select().order_by(DossierDecision.id)]
    assert keys == [f"{dossier}:{OVERDUE}", f"{dossier}:{OVERDUE};SECOND_EXTENSION"]


# --- reminders (arq cron) -------------------------------------------------------------------

# The cron runs on Fri 13/03/2026; a review deadline is the missed date + 10 working days.
FRIDAY_13 = datetime(2026, 3, 13, 9, 0, tzinfo=ZONE)
# code, missed return date, commune, the head's decision before the run, who is reminded.
REMINDER_TABLE: list[tuple[str, date, str, str | None, set[str]]] = [
    # → Thu 12/03: passed; both heads of commune A, not B's, not the province's.
    ("A-LATE", date(2026, 2, 26), "A", None, {"head_a", "deputy_a"}),
    ("A-TODAY", date(2026, 2, 27), "A", None, set()),  # → Fri 13/03: due today
    ("A-WITHIN", date(2026, 3, 5), "A", None, set()),  # → Thu 19/03
    ("A-DISMISSED", date(2026, 2, 26), "A", "dismiss", set()),
    ("A-TAKEN-UP", date(2026, 2, 26), "A", "take_up", set()),
    ("B-LATE", date(2026, 2, 26), "B", None, {"head_b"}),
]


async def _dossier_reminders(rw: ReviewWorld) -> dict[str, set[str]]:
    """Who was reminded about which dossier (by code), from the stored notifications."""
    names = {user.id: name for name, user in rw.users.items()}
    codes = {r["id"]: r["code"] for r in await Dossier.select(Dossier.id, Dossier.code)}
    told: dict[str, set[str]] = {}
    for n in await Notification.select().where(Notification.kind == "dossier_review_overdue"):
        dossier = int(n["link"].removeprefix("/review/dossiers/"))
        told.setdefault(codes[dossier], set()).add(names[n["user"]])
    return told


async def test_heads_are_reminded_once_of_dossiers_past_their_review_deadline(
    rw: ReviewWorld,
) -> None:
    ids = {}
    for code, due, commune, decision, _ in REMINDER_TABLE:
        if commune == "A":
            ids[code] = await _dossier(rw, code, due=due)
        else:
            ids[code] = await _dossier(
                rw, code, due=due, official=rw.world.official_b, unit=rw.world.commune_b
            )
        if decision == "dismiss":
            command = DossierCommand("dismiss", reason="Người dân xin rút hồ sơ.")
            await review_dossiers.decide(await rw.actor("head_a"), ids[code], command)
        elif decision == "take_up":
            await _take_up(rw, ids[code])  # notified on MONDAY: explanation due Mon 09/03

    counts = await review_reminders.remind_deadlines(FRIDAY_13)

    assert await _dossier_reminders(rw) == {code: told for code, *_, told in REMINDER_TABLE if told}
    # The case taken up is a finding now: its passed explanation window is what heads hear.
    assert counts == {
        "due_soon": 0,
        "due_passed": 2,
        "review_overdue": 0,
        "dossier_review_overdue": 3,
    }
    late = ids["A-LATE"]
    head_a = rw.users["head_a"].id
    row = (
        await Notification.select()
        .where(Notification.user == head_a)
        .where(Notification.kind == "dossier_review_overdue")
        .first()
    )
    assert (row["key"], row["link"], row["message"]) == (
        f"dossier-review-overdue:{late}:apology+late:u{head_a}",
        f"/review/dossiers/{late}",
        "Quá hạn xem xét hồ sơ trễ hạn A-LATE tại Trung tâm PVHCC phường An Hòa (hạn 12/03/2026).",
    )
    # The head's queue shows the same deadline the reminder names.
    (queued,) = [i for i in await _items(rw, "head_a") if i.id == late]
    assert queued.deadline == date(2026, 3, 12)
    assert await review_reminders.remind_deadlines(FRIDAY_13) == dict.fromkeys(counts, 0)
    assert await Notification.count().where(Notification.kind == "dossier_review_overdue") == 3


async def test_a_restated_fault_is_not_reminded_again_a_new_kind_of_fault_is(
    rw: ReviewWorld,
) -> None:
    dossier = await _dossier(rw, "D1", due=date(2026, 2, 26))  # review deadline Thu 12/03

    async def reminded() -> int:
        counts = await review_reminders.remind_deadlines(FRIDAY_13)
        return counts["dossier_review_overdue"]

    assert await reminded() == 2
    # Resolved late, the apology sent late: the same two faults, spelt otherwise.
    await Dossier.update({Dossier.flags: "APOLOGY_LATE;RESOLVED_LATE"}).where(Dossier.id == dossier)
    assert await reminded() == 0
    head = await rw.actor("head_a")
    await review_dossiers.decide(head, dossier, DossierCommand("dismiss", reason="Trùng hồ sơ."))
    assert await reminded() == 0
    # A second re-set of the return date reopens the dismissed dossier: a new reminder.
    await Dossier.update({Dossier.flags: "APOLOGY_LATE;RESOLVED_LATE;SECOND_EXTENSION"}).where(
        Dossier.id == dossier
    )
    assert await reminded() == 2
    keys = await Notification.select(Notification.key).where(
        Notification.user == rw.users["head_a"].id,
        Notification.kind == "dossier_review_overdue",
    )
    assert sorted(k["key"] for k in keys) == [
        f"dossier-review-overdue:{dossier}:apology+late:u{rw.users['head_a'].id}",
        f"dossier-review-overdue:{dossier}:new_date:u{rw.users['head_a'].id}",
    ]


# --- pages and the JSON API --------------------------------------------------------------------


async def test_the_head_takes_a_dossier_up_from_its_page(client, rw: ReviewWorld) -> None:
    dossier = await _dossier(rw, "D-PAGE")
    await login(client, "head_a")
    queue = await client.get("/review")
    assert queue.status_code == 200
    assert "Hồ sơ trễ hạn D-PAGE" in queue.text
    assert f'name="dossier_ids" value="{dossier}"' in queue.text
    page = await client.get(f"/review/dossiers/{dossier}")
    assert page.status_code == 200
    assert "quá hạn 2 ngày làm việc" in page.text
    assert "Nguyễn Thị Lan" in page.text
    taken = await client.post(
        f"/review/dossiers/{dossier}/decision",
        data={"action": "take_up", "official_id": str(rw.world.official_a.id), "reason": ""},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert taken.status_code == 303
    finding = (await Finding.select(Finding.id).first())["id"]
    assert taken.headers["location"] == f"/findings/{finding}"
    case = await client.get(f"/findings/{finding}")
    assert "Hồ sơ trễ hạn D-PAGE" in case.text

    await login(client, "official_a")
    mine = await client.get("/my-findings")
    assert "D-PAGE" in mine.text
    assert (await client.get(f"/review/dossiers/{dossier}")).status_code == 403
    await login(client, "head_b")
    assert (await client.get(f"/review/dossiers/{dossier}")).status_code == 404


async def test_the_json_queue_and_decision(client, rw: ReviewWorld) -> None:
    dossier = await _dossier(rw, "D-JSON")
    await login(client, "head_a")
    queue = (await client.get("/api/v1/findings/queue")).json()
    assert [(i["kind"], i["code"]) for i in queue] == [("dossier", "D-JSON")]
    url = f"/api/v1/review/dossiers/{dossier}/decision"
    refused = await client.post(url, json={"action": "dismiss"}, headers=csrf(client))
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    done = await client.post(
        url, json={"action": "dismiss", "reason": "Trùng hồ sơ."}, headers=csrf(client)
    )
    assert done.status_code == 200
    assert done.json() == {"dossier_id": dossier, "outcome": "dismissed", "finding_id": None}
    again = await client.post(url, json={"action": "take_up"}, headers=csrf(client))
    assert again.status_code == 409
    item = (await client.get(f"/api/v1/review/dossiers/{dossier}")).json()
    assert item["decisions"][0]["reason"] == "Trùng hồ sơ."
