"""A conviction on a case (bản án, quyết định của Tòa án đã có hiệu lực pháp luật): a prison
sentence without suspension, or a conviction for corruption. The personnel office records
it on an open case, or opens a case from it; the case then skips the kiểm điểm and the
council and goes straight to the decision, which is the top of the person's ladder (buộc
thôi việc for công chức and viên chức), due within the pack's working days from the day the
judgment was received (NĐ 172/2025 Art. 21.2; for viên chức NĐ 112/2020 Art. 37.2, whose
number of days the pack does not encode: the 90-day limit then stands alone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.discipline.services.loading import CaseFile, load, require_manager
from congvu.inspect.discipline.services.opening import OpenCase, open_case
from congvu.inspect.discipline.services.timeline import conviction_form
from congvu.inspect.discipline.tables import (
    CaseStage,
    Conviction,
    ConvictionKind,
    DisciplineCase,
)
from congvu.inspect.errors import Conflict, Invalid
from congvu.rules.discipline import discipline_pack

KIND_LABELS: dict[str, str] = {
    ConvictionKind.PRISON.value: "phạt tù không được hưởng án treo",
    ConvictionKind.CORRUPTION.value: "kết án về hành vi tham nhũng",
}
_DONE = (CaseStage.DECIDED, CaseStage.NOTIFIED, CaseStage.CLOSED)


@dataclass(frozen=True)
class ConvictionInput:
    judgment_number: str
    court: str
    received_on: date
    kind: str  # ConvictionKind value


def basis(file: CaseFile) -> str:
    """The article the shortcut rests on, from the pack in force when the judgment came."""
    assert file.conviction is not None
    pack = discipline_pack(file.category, file.conviction.received_on)
    step = (pack.parameters.get("steps") or {}).get("CONVICTION_TERMINATION") or {}
    article = step.get("article", "")
    return f"{article} {pack.legal_basis[0].document}".strip()


def _checked(conviction: ConvictionInput, today: date) -> ConvictionInput:
    number, court = conviction.judgment_number.strip(), conviction.court.strip()
    if not number:
        raise Invalid("Hãy nhập số bản án, quyết định.", field="judgment_number")
    if not court:
        raise Invalid("Hãy nhập Tòa án đã tuyên.", field="court")
    if conviction.kind not in KIND_LABELS:
        raise Invalid("Hãy chọn loại bản án.", field="kind")
    if conviction.received_on > today:
        raise Invalid("Ngày nhận bản án không được sau hôm nay.", field="received_on")
    return ConvictionInput(number, court, conviction.received_on, conviction.kind)


async def record_conviction(
    actor: Actor, case_id: int, conviction: ConvictionInput, *, today: date | None = None
) -> None:
    """Record the judgment on a case not yet decided; audited."""
    require_manager(actor)
    c = _checked(conviction, today or clock.today())
    file = await load(actor, case_id)
    if file.stage in _DONE:
        raise Conflict("Hồ sơ đã có quyết định hoặc đã kết thúc: không thể ghi bản án.")
    if file.conviction is not None:
        raise Conflict(f"Hồ sơ đã ghi bản án số {file.conviction.judgment_number}: không ghi thêm.")
    top = conviction_form(file)
    async with db.atomic():
        await Conviction.insert(
            Conviction(
                case=case_id,
                judgment_number=c.judgment_number,
                court=c.court,
                kind=c.kind,
                received_on=c.received_on,
                recorded_by=actor.id,
                recorded_at=clock.now(),
            )
        )
        # The act merits the top form: thời hiệu is then the longer one (NĐ 172 Art. 5.3).
        await DisciplineCase.update(
            {DisciplineCase.merited: top.value, DisciplineCase.updated_at: clock.now()}
        ).where(DisciplineCase.id == case_id)
        await audit.record(
            "discipline_conviction",
            "discipline_case",
            case_id,
            actor=actor,
            before={"stage": file.stage.value, "merited": file.merited.value},
            after={
                "judgment_number": c.judgment_number,
                "court": c.court,
                "kind": c.kind,
                "received_on": c.received_on.isoformat(),
                "merited": top.value,
            },
        )


async def open_from_conviction(
    actor: Actor,
    official_id: int,
    conviction: ConvictionInput,
    *,
    description: str,
    violation_on: date,
    today: date | None = None,
) -> int:
    """A case opened from a judgment: discovered the day the judgment was received."""
    day = today or clock.today()
    c = _checked(conviction, day)
    case_id = await open_case(
        actor,
        OpenCase(
            official_id=official_id,
            description=description,
            violation_on=violation_on,
            discovered_on=c.received_on,
        ),
        today=day,
    )
    await record_conviction(actor, case_id, c, today=day)
    return case_id
