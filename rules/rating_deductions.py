"""Điểm trừ gợi ý: what an official's confirmed violations suggest taking off their Mẫu số 01
sheet (NĐ 335/2025/NĐ-CP) for a quarter.

The decree scores criterion I.1 (văn hóa thực thi công vụ, 5), I.2 (ý thức kỷ luật, kỷ cương,
5), II.4 (thái độ phục vụ người dân, doanh nghiệp, 2.5) and the timeliness ratio c of task
results, but fixes no points per violation. The table is therefore a **provincial rule**
(pack topic ``rating_deductions``, marked ``provincial``) with a documented default; see
rules/README.md, "Quality rating".

Only what the review confirmed reaches here: the caller passes confirmed findings and
confirmed late-dossier cases, never one still inside its explanation window or dismissed.
Each suggestion keeps its source (finding or dossier, rule id and version, legal basis,
explanation outcome) so the head, the official and the council see why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from congvu.rules.conduct import UnknownViolation
from congvu.rules.conduct import violation as conduct_violation
from congvu.rules.packs import PackNotFound, RulePack, RuleRef, pack_for


class SourceKind(StrEnum):
    FINDING = "finding"  # a finding of an inspection (phát hiện kiểm tra)
    DOSSIER = "dossier"  # a late dossier taken up as a case (hồ sơ trễ hạn)


@dataclass(frozen=True)
class ConfirmedViolation:
    """One confirmed violation as the review recorded it.

    ``explanation``: what became of the official's giải trình ("explained", "none",
    "waived"), shown beside the suggestion."""

    kind: SourceKind
    source_id: int
    violation_code: str
    rule_id: str
    rule_version: str
    severity: str
    decided_on: date
    legal_basis: str = ""
    explanation: str = "none"


@dataclass(frozen=True)
class Deduction:
    """One suggestion: ``criterion`` is "I.1", "I.2", "II.4" or "c" (timeliness, in
    percentage points); ``points`` as the table gives it, before the per-criterion floor."""

    criterion: str
    points: Fraction
    source: ConfirmedViolation
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


@dataclass(frozen=True)
class DeductionSheet:
    """The suggestions of a period and their effect, each criterion floored at 0."""

    deductions: tuple[Deduction, ...]
    general_off: dict[str, Fraction]  # criterion -> points off, at most its maximum
    timeliness_off: Fraction  # percentage points off c, at most 100
    rule: RuleRef


@dataclass(frozen=True)
class Weights:
    """The points a confirmed violation takes off, by severity, and the percentage points a
    late-dossier case takes off timeliness (c): the pack's, or a province's trial of others
    (what-if) that may then be adopted for a period."""

    minor: Fraction
    serious: Fraction
    severe: Fraction
    per_case: Fraction

    def by_severity(self, severity: str) -> Fraction:
        return {"minor": self.minor, "severe": self.severe}.get(severity, self.serious)

    def as_text(self) -> dict[str, str]:
        return {
            "minor": _show(self.minor),
            "serious": _show(self.serious),
            "severe": _show(self.severe),
            "per_case": _show(self.per_case),
        }


def weights_of(pack: RulePack) -> Weights:
    severities = pack.parameters["points_by_severity"]
    return Weights(
        minor=_points(severities["minor"]),
        serious=_points(severities["serious"]),
        severe=_points(severities["severe"]),
        per_case=_points(pack.parameters["timeliness_points_per_case"]),
    )


def weights_from_text(values: dict[str, str], default: Weights) -> Weights:
    """Weights typed in a form (decimal comma or point; blank keeps the default). Each must
    be between 0 and its criterion's room: 0–5 points, 0–100 percentage points."""
    fields = {"minor": Fraction(5), "serious": Fraction(5), "severe": Fraction(5)}
    chosen = default.as_text()
    result: dict[str, Fraction] = {}
    for name, text in {**chosen, **{k: v for k, v in values.items() if v.strip()}}.items():
        if name not in (*fields, "per_case"):
            continue
        try:
            value = Fraction(text.strip().replace(",", "."))
        except (ValueError, ZeroDivisionError):
            raise ValueError(name) from None
        if not 0 <= value <= fields.get(name, Fraction(100)):
            raise ValueError(name)
        result[name] = value
    return Weights(**result)


def deductions_pack(on: date) -> RulePack:
    return pack_for("rating_deductions", on)


def criterion_max(pack: RulePack) -> dict[str, Fraction]:
    return {name: Fraction(str(c["max"])) for name, c in pack.parameters["criteria"].items()}


def _points(value: object) -> Fraction:
    return Fraction(str(value))


def _show(value: Fraction) -> str:
    return f"{float(value):g}"


def _show_vi(value: Fraction) -> str:
    """0,5: Vietnamese writes a decimal comma."""
    return _show(value).replace(".", ",")


def _labels(v: ConfirmedViolation) -> tuple[str, str]:
    """The conduct catalogue's name of the violation; its code when the catalogue in force
    that day does not know it (a reader sees the rule id in the source either way)."""
    try:
        kind = conduct_violation(v.violation_code, v.decided_on)
    except (UnknownViolation, PackNotFound):
        return v.violation_code, v.violation_code
    return kind.label_vi, kind.label_en


def suggest(
    violations: Iterable[ConfirmedViolation], *, on: date, weights: Weights | None = None
) -> DeductionSheet:
    """The suggested deductions of ``violations`` under the pack in force ``on`` (the last
    day of the period rated), oldest decision first, then by source; ``weights`` replace
    the pack's points (a what-if, or the weights a province adopted for the period)."""
    pack = deductions_pack(on)
    p = pack.parameters
    maxima = criterion_max(pack)
    late_code = p["late_dossier_violation"]
    weights = weights or weights_of(pack)
    per_case = weights.per_case
    found: list[Deduction] = []
    for v in sorted(violations, key=lambda v: (v.decided_on, v.kind, v.source_id)):
        label_vi, label_en = _labels(v)
        cause_vi = f"{label_vi}, vi phạm xác nhận ngày {v.decided_on:%d/%m/%Y}"
        cause_en = f"{label_en}, violation confirmed on {v.decided_on:%d/%m/%Y}"
        if v.kind is SourceKind.DOSSIER or v.violation_code == late_code:
            found.append(
                Deduction(
                    "c",
                    per_case,
                    v,
                    pack.ref(),
                    f"Trừ {_show_vi(per_case)} điểm phần trăm tỷ lệ đúng hạn (c): {cause_vi}.",
                    f"{_show(per_case)} percentage points off timeliness (c): {cause_en}.",
                )
            )
            continue
        criterion = p["criterion_by_violation"].get(v.violation_code, p["default_criterion"])
        points = weights.by_severity(v.severity)
        label = p["criteria"][criterion]
        found.append(
            Deduction(
                criterion,
                points,
                v,
                pack.ref(),
                f"Trừ {_show_vi(points)} điểm tiêu chí {criterion} ({label['vi']}): {cause_vi}.",
                f"{_show(points)} points off {criterion} ({label['en']}): {cause_en}.",
            )
        )
    general_off = {
        name: min(top, sum((d.points for d in found if d.criterion == name), Fraction(0)))
        for name, top in maxima.items()
    }
    timeliness = sum((d.points for d in found if d.criterion == "c"), Fraction(0))
    return DeductionSheet(tuple(found), general_off, min(Fraction(100), timeliness), pack.ref())
