"""Hồ sơ kỷ luật pages: the personnel office's list and a case's page with the form of
its next step; the subject's own cases, their rights and an appeal form. Every
permission is decided in the services; a refused form comes back with its message
beside the field."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from congvu.inspect import clock
from congvu.inspect.actor import Actor, Role
from congvu.inspect.discipline import api as discipline
from congvu.inspect.documents import rendering as documents
from congvu.inspect.errors import Conflict, Invalid
from congvu.inspect.periods import parse_report_period, report_scheme
from congvu.inspect.text_input import typed_day
from congvu.inspect.web.guards import requires_role
from congvu.rules.discipline import Form, NoLimitation
from congvu.rules.periods import PeriodKind, period_of
from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Response, Template

MANAGERS = (Role.PERSONNEL, Role.ADMIN)
FORM_LABELS = {f.value: f.label_vi for f in Form}
NO_LIMITATION_LABELS = {n.value: n.label_vi for n in NoLimitation}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


_COUNCIL_PLACES = max(max(sizes) for sizes in discipline.COUNCIL_SIZES.values())
_COUNCIL_REQUIRED_PLACES = min(min(sizes) for sizes in discipline.COUNCIL_SIZES.values())


def _day(form: FormMultiDict, name: str, *, required: bool = True) -> date | None:
    value = str(form.get(name, "")).strip()
    if not value:
        if required:
            raise Invalid("Hãy chọn ngày.", field=name)
        return None
    try:
        return typed_day(value)
    except ValueError:
        raise Invalid(
            "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/mm/yyyy).", field=name
        ) from None


def _required_day(form: FormMultiDict, name: str) -> date:
    day = _day(form, name)
    assert day is not None
    return day


def _form(form: FormMultiDict, name: str = "form") -> Form:
    value = str(form.get(name, ""))
    if value not in FORM_LABELS:
        raise Invalid("Hãy chọn hình thức kỷ luật.", field=name)
    return Form(value)


def _no_limitation(form: FormMultiDict) -> NoLimitation | None:
    value = str(form.get("no_limitation", "")).strip()
    if not value:
        return None
    if value not in NO_LIMITATION_LABELS:
        raise Invalid("Trường hợp không áp dụng thời hiệu không hợp lệ.", field="no_limitation")
    return NoLimitation(value)


def _conviction(form: FormMultiDict) -> discipline.ConvictionInput:
    return discipline.ConvictionInput(
        judgment_number=str(form.get("judgment_number", "")),
        court=str(form.get("court", "")),
        received_on=_required_day(form, "received_on"),
        kind=str(form.get("kind", "")),
    )


def _int(value: Any, field: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise Invalid("Giá trị phải là số.", field=field)
    return int(text)


async def _case_page(
    actor: Actor,
    case_id: int,
    error: Invalid | Conflict | None = None,
    echo: dict[str, str] | None = None,
    status: int = 200,
) -> Template:
    t = await discipline.case_timeline(actor, case_id)
    return Template(
        "discipline/case.html",
        context={
            "t": t,
            "c": t.file.case,
            "manage": discipline.may_manage(actor),
            "mine": actor.official_id == t.file.case["official"],
            "stages": discipline.STAGE_LABELS,
            "stages_enum": discipline.CaseStage,
            "form_labels": FORM_LABELS,
            "deferral_reasons": discipline.DEFERRAL_REASONS,
            "excluded_kinds": discipline.EXCLUDED_KINDS,
            "conviction_kinds": discipline.CONVICTION_KINDS,
            "conviction_basis": (
                discipline.conviction_basis(t.file) if t.file.conviction is not None else ""
            ),
            "council_sizes": discipline.council_sizes(t.file.category),
            "documents": [
                (kind, discipline.DOCUMENT_TITLES[kind])
                for kind in discipline.available_documents(t.file)
            ],
            "error": (
                {"field": error.field, "message": error.message} if error is not None else None
            ),
            "echo": echo or {},
        },
        status_code=status,
    )


async def _step(actor: Actor, case_id: int, stage: str, form: FormMultiDict) -> None:
    note = str(form.get("note", ""))
    if stage == "review_meeting":
        await discipline.hold_review_meeting(actor, case_id, _required_day(form, "done_on"), note)
    elif stage == "report_sent":
        await discipline.send_report(actor, case_id, _required_day(form, "done_on"), note)
    elif stage == "council_set_up":
        # The page offers the largest council the law allows; the places past the
        # smallest one left without a name are not members.
        members = [
            discipline.MemberInput(
                full_name=str(form.get(f"member_{i}_name", "")),
                duty=str(form.get(f"member_{i}_duty", "")),
                account_id=_int(form.get(f"member_{i}_account"), "members"),
                relation=str(form.get(f"member_{i}_relation", "")) or None,
            )
            for i in range(1, _COUNCIL_PLACES + 1)
            if i <= _COUNCIL_REQUIRED_PLACES or str(form.get(f"member_{i}_name", "")).strip()
        ]
        await discipline.set_up_council(actor, case_id, _required_day(form, "done_on"), members)
    elif stage == "summoned":
        await discipline.summon(
            actor, case_id, _required_day(form, "done_on"), _required_day(form, "meeting_on")
        )
    elif stage == "recommended":
        await discipline.recommend(
            actor, case_id, _required_day(form, "done_on"), _form(form), note
        )
    elif stage == "decided":
        await discipline.decide(
            actor,
            case_id,
            discipline.DecisionInput(
                decided_on=_required_day(form, "done_on"),
                form=_form(form),
                number=str(form.get("number", "")),
                signer=str(form.get("signer", "")),
                effective_on=_day(form, "effective_on", required=False),
                duty_related=form.get("duty_related") == "on",
            ),
        )
    elif stage == "notified":
        await discipline.notify(actor, case_id, _required_day(form, "done_on"), note)
    elif stage == "closed":
        await discipline.close(
            actor, case_id, _required_day(form, "done_on"), str(form.get("reason", ""))
        )
    elif stage == "deferral":
        await discipline.defer(
            actor,
            case_id,
            str(form.get("reason", "")),
            _required_day(form, "start"),
            _required_day(form, "end"),
        )
    elif stage == "excluded":
        await discipline.exclude_period(
            actor,
            case_id,
            str(form.get("kind", "")),
            _required_day(form, "start"),
            _required_day(form, "end"),
            str(form.get("note", "")),
        )
    elif stage == "conviction":
        await discipline.record_conviction(actor, case_id, _conviction(form))
    elif stage == "party":
        await discipline.record_party_decision(
            actor,
            case_id,
            _form(form, "party_form"),
            _required_day(form, "party_decided_on"),
            _required_day(form, "party_announced_on"),
        )
    else:
        raise Invalid("Bước không hợp lệ.", field="stage")


class DisciplinePages(Controller):
    path = "/"

    @get("/discipline", name="discipline_cases", guards=[requires_role(*MANAGERS)])
    async def cases(self, request: Request[Actor, Any, Any]) -> Template:
        unit = str(request.query_params.get("unit", "")).strip() or None
        stage_value = str(request.query_params.get("stage", ""))
        stage = (
            discipline.CaseStage(stage_value)
            if stage_value in {s.value for s in discipline.CaseStage}
            else None
        )
        rows = await discipline.cases(request.user, discipline.CaseFilter(unit, stage))
        return Template(
            "discipline/cases.html",
            context={
                "rows": rows,
                "stages": discipline.STAGE_LABELS,
                "unit": unit or "",
                "stage": stage.value if stage else "",
                "form_labels": FORM_LABELS,
                "conviction_kinds": discipline.CONVICTION_KINDS,
                "no_limitation_labels": NO_LIMITATION_LABELS,
                "error": None,
                "echo": {},
            },
        )

    @post("/discipline", name="discipline_open", guards=[requires_role(*MANAGERS)])
    async def open(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        form = await request.form()
        try:
            findings = [
                int(v)
                for v in str(form.get("finding_ids", "")).replace(";", ",").split(",")
                if v.strip().isdigit()
            ]
            case_id = await discipline.open_case(
                request.user,
                discipline.OpenCase(
                    official_id=_int(form.get("official_id"), "official_id"),
                    finding_ids=findings,
                    description=str(form.get("description", "")),
                    violation_on=_day(form, "violation_on", required=False),
                    merited=_form(form, "merited"),
                    no_limitation=_no_limitation(form),
                ),
            )
        except (Invalid, Conflict) as error:
            rows = await discipline.cases(request.user)
            return Template(
                "discipline/cases.html",
                context={
                    "rows": rows,
                    "stages": discipline.STAGE_LABELS,
                    "unit": "",
                    "stage": "",
                    "form_labels": FORM_LABELS,
                    "conviction_kinds": discipline.CONVICTION_KINDS,
                    "no_limitation_labels": NO_LIMITATION_LABELS,
                    "error": {"field": error.field, "message": error.message},
                    "echo": {k: str(v) for k, v in form.items()},
                },
                status_code=error.status_code,
            )
        return Redirect(f"/discipline/{case_id}", status_code=303)

    @post(
        "/discipline/convictions",
        name="discipline_open_from_conviction",
        guards=[requires_role(*MANAGERS)],
    )
    async def open_from_conviction(self, request: Request[Actor, Any, Any]) -> Template | Redirect:
        """Mở hồ sơ từ bản án: the decision is then the next and only step."""
        form = await request.form()
        try:
            official = _int(form.get("official_id"), "official_id")
            if official is None:
                raise Invalid("Hãy chọn cán bộ bị xem xét kỷ luật.", field="official_id")
            case_id = await discipline.open_from_conviction(
                request.user,
                official,
                _conviction(form),
                description=str(form.get("description", "")),
                violation_on=_required_day(form, "violation_on"),
            )
        except (Invalid, Conflict) as error:
            echo = {k: str(v) for k, v in form.items()}
            echo["_stage"] = "conviction"
            return Template(
                "discipline/cases.html",
                context={
                    "rows": await discipline.cases(request.user),
                    "stages": discipline.STAGE_LABELS,
                    "unit": "",
                    "stage": "",
                    "form_labels": FORM_LABELS,
                    "conviction_kinds": discipline.CONVICTION_KINDS,
                    "no_limitation_labels": NO_LIMITATION_LABELS,
                    "error": {"field": error.field, "message": error.message},
                    "echo": echo,
                },
                status_code=error.status_code,
            )
        return Redirect(f"/discipline/{case_id}", status_code=303)

    @get("/discipline/{case_id:int}", name="discipline_case")
    async def case(self, request: Request[Actor, Any, Any], case_id: FromPath[int]) -> Template:
        return await _case_page(request.user, case_id)

    @post(
        "/discipline/{case_id:int}/steps/{stage:str}",
        name="discipline_step",
        guards=[requires_role(*MANAGERS)],
    )
    async def step(
        self, request: Request[Actor, Any, Any], case_id: FromPath[int], stage: FromPath[str]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await _step(request.user, case_id, stage, form)
        except (Invalid, Conflict) as error:
            echo = {k: str(v) for k, v in form.items()}
            echo["_stage"] = stage
            return await _case_page(request.user, case_id, error, echo, error.status_code)
        return Redirect(f"/discipline/{case_id}", status_code=303)

    @post("/discipline/{case_id:int}/appeals", name="discipline_appeal")
    async def appeal(
        self, request: Request[Actor, Any, Any], case_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        try:
            await discipline.submit_appeal(request.user, case_id, str(form.get("text", "")))
        except (Invalid, Conflict) as error:
            echo = {"text": str(form.get("text", "")), "_stage": "appeal"}
            return await _case_page(request.user, case_id, error, echo, error.status_code)
        return Redirect(f"/discipline/{case_id}", status_code=303)

    @post(
        "/discipline/{case_id:int}/appeals/{appeal_id:int}",
        name="discipline_appeal_outcome",
        guards=[requires_role(*MANAGERS)],
    )
    async def appeal_outcome(
        self, request: Request[Actor, Any, Any], case_id: FromPath[int], appeal_id: FromPath[int]
    ) -> Template | Redirect:
        form = await request.form()
        outcome = str(form.get("outcome", ""))
        try:
            if outcome not in {o.value for o in discipline.AppealOutcome}:
                raise Invalid("Hãy chọn kết quả giải quyết.", field="outcome")
            await discipline.decide_appeal(
                request.user,
                case_id,
                appeal_id,
                discipline.AppealOutcome(outcome),
                str(form.get("reason", "")),
            )
        except (Invalid, Conflict) as error:
            echo = {"reason": str(form.get("reason", "")), "_stage": f"appeal-{appeal_id}"}
            return await _case_page(request.user, case_id, error, echo, error.status_code)
        return Redirect(f"/discipline/{case_id}", status_code=303)

    # A download in the format ?format= asks for (.docx, a page to print, .xlsx), not an
    # API answer: OpenAPI states one media type per answer, so it stays out of /schema.
    @get(
        "/discipline/{case_id:int}/documents/{kind:str}",
        name="discipline_document",
        guards=[requires_role(*MANAGERS)],
        include_in_schema=False,
    )
    async def document(
        self,
        request: Request[Actor, Any, Any],
        case_id: FromPath[int],
        kind: FromPath[str],
        fmt: Annotated[str, QueryParameter(name="format")] = "docx",
    ) -> Response[bytes]:
        """The document as .docx, or with ``?format=html`` as a page to print."""
        name, content = await discipline.document(request.user, case_id, kind, fmt)
        return Response(
            content,
            media_type=documents.media_type(name),
            headers={"Content-Disposition": documents.disposition(name)},
        )

    # A download in the format ?format= asks for (.docx, a page to print, .xlsx), not an
    # API answer: OpenAPI states one media type per answer, so it stays out of /schema.
    @get(
        "/discipline/report",
        name="discipline_report",
        guards=[requires_role(*MANAGERS)],
        include_in_schema=False,
    )
    async def report(
        self,
        request: Request[Actor, Any, Any],
        period: FromQuery[str] = "",
        unit: FromQuery[str] = "",
        fmt: Annotated[str, QueryParameter(name="format")] = "docx",
    ) -> Response[bytes]:
        """Báo cáo tình hình xử lý kỷ luật of a period (default: the current quarter) for a
        unit's subtree (default: the actor's scope), as .docx, a page or a workbook."""
        chosen = (
            parse_report_period(period)
            if period.strip()
            else period_of(clock.today(), PeriodKind.QUARTER, report_scheme())
        )
        name, content = await discipline.period_report(
            request.user, chosen, unit.strip() or None, fmt
        )
        return Response(
            content,
            media_type=documents.media_type(name),
            headers={"Content-Disposition": documents.disposition(name)},
        )

    @get("/my-discipline", name="my_discipline", guards=[requires_role(Role.OFFICIAL)])
    async def mine(self, request: Request[Actor, Any, Any]) -> Template:
        rows = await discipline.cases(request.user)
        return Template("discipline/mine.html", context={"rows": rows, "form_labels": FORM_LABELS})
