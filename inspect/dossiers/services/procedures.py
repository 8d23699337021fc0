"""Per-procedure settings (cài đặt theo thủ tục): whether a supplement restarts a procedure's
term from zero once the complete dossier arrives (Nghị định 297/2025/NĐ-CP) or, the default,
only pauses it. An administrator sets it; the change is audited and every stored dossier of
that procedure is judged again at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from congvu.inspect import clock
from congvu.inspect.actor import Actor, Role
from congvu.inspect.audit import api as audit
from congvu.inspect.dossiers.tables import ProcedureSetting
from congvu.inspect.errors import Forbidden, Invalid


@dataclass(frozen=True)
class ProcedureView:
    procedure: str
    supplement_restarts: bool
    updated_at: datetime


async def restarting_procedures() -> frozenset[str]:
    """Names of the procedures whose term restarts after a supplement."""
    rows = await ProcedureSetting.select(ProcedureSetting.procedure).where(
        ProcedureSetting.supplement_restarts.eq(True)
    )
    return frozenset(r["procedure"] for r in rows)


async def procedure_settings() -> list[ProcedureView]:
    rows = await ProcedureSetting.select(
        ProcedureSetting.procedure,
        ProcedureSetting.supplement_restarts,
        ProcedureSetting.updated_at,
    ).order_by(ProcedureSetting.procedure)
    return [ProcedureView(**r) for r in rows]


async def store_supplement_rule(actor: Actor, procedure: str, restarts: bool) -> bool:
    """Record the rule; True when it changed (the caller judges the dossiers again)."""
    if not actor.has_role(Role.ADMIN):
        raise Forbidden("Chỉ quản trị viên được đổi cách tính thời hạn của thủ tục.")
    name = procedure.strip()
    if not name:
        raise Invalid("Hãy nhập tên thủ tục như trong dữ liệu xuất.", field="procedure")
    found = await ProcedureSetting.objects().get(ProcedureSetting.procedure == name)
    before = bool(found.supplement_restarts) if found is not None else False
    if found is None:
        found = ProcedureSetting(procedure=name)
    found.supplement_restarts = restarts
    found.updated_by = actor.id or None
    found.updated_at = clock.now()
    await found.save()
    await audit.record(
        "procedure_setting_changed",
        "procedure_setting",
        found.id,
        actor=actor,
        before={"procedure": name, "supplement_restarts": before},
        after={"procedure": name, "supplement_restarts": restarts},
    )
    return before != restarts
