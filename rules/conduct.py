"""Conduct catalogue (danh mục hành vi vi phạm): what an inspection finding can be.

The catalogue is the ``conduct`` pack in force on the day of the finding; each entry names its
code, labels, severity (minor / serious / severe — congvu's follow-up classification, not a
legal category), whether it is found against a person, a unit or either, and its legal basis
(CT 05/2008/CT-TTg, CT 26/CT-TTg 2016, QĐ 129/2007/QĐ-TTg, Luật CBCC 2025 Điều 13–14,
NĐ 118/2025/NĐ-CP; rules/README.md, "Conduct catalogue").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Literal, cast

from congvu.rules.packs import (
    Checker,
    LegalBasis,
    PackRegistry,
    RulePack,
    RuleRef,
    default_registry,
    format_date,
)

__all__ = [
    "CODES",
    "SEVERITIES",
    "SUBJECTS",
    "Severity",
    "Subject",
    "UnknownViolation",
    "ViolationType",
    "catalogue",
    "catalogue_of",
    "violation",
]

Severity = Literal["minor", "serious", "severe"]
Subject = Literal["person", "unit", "either"]
SEVERITIES: tuple[Severity, ...] = ("minor", "serious", "severe")
SUBJECTS: tuple[Subject, ...] = ("person", "unit", "either")

# Codes other modules (escalation, findings, reports) rely on; every catalogue version has them.
CODES = (
    "LATE_ARRIVAL",
    "EARLY_LEAVE",
    "ABSENT_NO_PERMISSION",
    "LEFT_POST",
    "PRIVATE_BUSINESS",
    "GAMES",
    "NO_CARD",
    "DRESS",
    "SMOKING",
    "ALCOHOL_WORKING_HOURS",
    "ALCOHOL_LUNCH",
    "ALCOHOL_DUTY_DAY",
    "GAMBLING",
    "RUDE_ATTITUDE",
    "HARASSMENT",
    "EXTRA_DOCUMENTS_REQUESTED",
    "RETURNED_WITHOUT_WRITTEN_GUIDANCE",
    "NO_APPOINTMENT_SLIP",
    "NO_NAMEPLATE",
    "NO_HOTLINE_POSTED",
    "FACILITY_UNTIDY",
    "FESTIVAL_IN_HOURS",
    "OFFICIAL_CAR_MISUSE",
    "LATE_DOSSIER_HANDLING",
)

_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class ViolationType:
    code: str
    label_vi: str
    label_en: str
    severity: Severity
    subject: Subject
    legal_basis: tuple[LegalBasis, ...]
    pack_id: str
    pack_version: str

    @property
    def ref(self) -> RuleRef:
        """Rule id ``conduct.<CODE>`` at the catalogue version, citing this item's own texts."""
        cited = "; ".join(b.cite() for b in self.legal_basis)
        return RuleRef(f"{self.pack_id}.{self.code}", self.pack_version, cited)

    @property
    def for_person(self) -> bool:
        return self.subject != "unit"

    @property
    def for_unit(self) -> bool:
        return self.subject != "person"


class UnknownViolation(KeyError):
    """A code that is not in the catalogue in force on the date asked."""

    def __str__(self) -> str:
        # KeyError's own str() wraps the message in quotes.
        return str(self.args[0])


@functools.cache
def catalogue_of(pack: RulePack) -> Mapping[str, ViolationType]:
    """The catalogue held by one ``conduct`` pack, validated (errors name file and line)."""
    check = Checker(pack.source, pack.lines)
    check.mapping(pack.parameters, ("parameters",), ("violations",))
    entries = check.table(pack.parameters["violations"], ("parameters", "violations"))
    items: dict[str, ViolationType] = {}
    for code, entry in entries.items():
        path = ("parameters", "violations", code)
        if not isinstance(code, str) or not _CODE.match(code):
            raise check.error(path, f"violation code '{code}' must be UPPER_SNAKE_CASE")
        check.mapping(entry, path, ("label", "severity", "subject", "legal_basis"))
        label = check.mapping(entry["label"], (*path, "label"), ("vi", "en"))
        if entry["severity"] not in SEVERITIES:
            raise check.error(
                (*path, "severity"),
                f"severity '{entry['severity']}' is not one of {', '.join(SEVERITIES)}",
            )
        if entry["subject"] not in SUBJECTS:
            raise check.error(
                (*path, "subject"),
                f"subject '{entry['subject']}' is not one of {', '.join(SUBJECTS)}",
            )
        items[code] = ViolationType(
            code=code,
            label_vi=str(check.text(label["vi"], (*path, "label", "vi"))),
            label_en=str(check.text(label["en"], (*path, "label", "en"))),
            severity=cast(Severity, entry["severity"]),
            subject=cast(Subject, entry["subject"]),
            legal_basis=check.legal_basis(entry["legal_basis"], (*path, "legal_basis")),
            pack_id=pack.id,
            pack_version=pack.version,
        )
    return MappingProxyType(items)


def catalogue(on: date, registry: PackRegistry | None = None) -> Mapping[str, ViolationType]:
    """The violation catalogue in force on ``on`` (read-only, keyed by code)."""
    pack = (registry or default_registry()).pack_for("conduct", on)
    return catalogue_of(pack)


def violation(code: str, on: date, registry: PackRegistry | None = None) -> ViolationType:
    """One catalogue entry; :class:`UnknownViolation` names the code and the date."""
    items = catalogue(on, registry)
    try:
        return items[code]
    except KeyError:
        raise UnknownViolation(
            f"unknown violation code '{code}' in the conduct catalogue in force on"
            f" {format_date(on)}"
        ) from None
