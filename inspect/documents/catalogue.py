"""What each domain tells the command line about its documents: a kind's name (the file
name's stem, unique across domains), its Vietnamese title, what it is about — one case,
one official or a unit for a period — and the formats it comes in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Subject(StrEnum):
    CASE = "case"  # needs --case
    OFFICIAL = "official"  # needs --period, --unit and --official
    UNIT = "unit"  # needs --period and --unit


@dataclass(frozen=True)
class DocumentKind:
    name: str
    title: str
    subject: Subject
    formats: tuple[str, ...]
