"""The search itself: three small lookups, each kept inside the actor's unit scope.

Officials are matched on their folded name (every word of the query inside the name,
diacritics ignored) in Python: a province's few tens of thousands of names are read in
one query of three narrow columns, and no stored copy of the folded name can drift from
the name. Dossiers are matched by the start of their code, findings by their number; a
finding is shown only if the review domain says the actor may read it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from congvu.inspect.actor import Actor
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.errors import NotFound
from congvu.inspect.i18n import fold_diacritics
from congvu.inspect.organisation.tables import Official
from congvu.inspect.review import api as review

MAX_HITS = 20
MAX_QUERY = 100
MIN_NAME_QUERY = 2
_FINDING_NUMBER = re.compile(r"#?\s*(\d{1,18})")


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    link: str


@dataclass(frozen=True)
class Results:
    query: str
    officials: list[Hit] = field(default_factory=list)
    dossiers: list[Hit] = field(default_factory=list)
    findings: list[Hit] = field(default_factory=list)
    more_officials: bool = False

    @property
    def empty(self) -> bool:
        return not (self.officials or self.dossiers or self.findings)


async def _officials(actor: Actor, query: str) -> tuple[list[Hit], bool]:
    words = fold_diacritics(query).split()
    if len("".join(words)) < MIN_NAME_QUERY:
        return [], False
    rows = (
        await Official.select(
            Official.id,
            Official.full_name,
            Official.position,
            Official.unit,
            Official.unit.name,
        )
        .where(Official.unit.path.like(f"{actor.scope_path}%"), Official.active.eq(True))
        .order_by(Official.sort_key)
    )
    hits = []
    for row in rows:
        folded = fold_diacritics(row["full_name"])
        if all(word in folded for word in words):
            hits.append(
                Hit(
                    row["full_name"],
                    f"{row['position']} · {row['unit.name']}",
                    f"/units/{row['unit']}",
                )
            )
            if len(hits) > MAX_HITS:
                break
    return hits[:MAX_HITS], len(hits) > MAX_HITS


async def _dossiers(actor: Actor, query: str) -> list[Hit]:
    code = query.strip()
    if len(code) < MIN_NAME_QUERY or " " in code:
        return []
    # Codes are identifiers: matched by their start, case ignored, % and _ taken literally.
    pattern = code.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = (
        await Dossier.select(Dossier.id, Dossier.code, Dossier.procedure, Dossier.unit.name)
        .where(
            Dossier.code.ilike(f"{pattern}%"),
            Dossier.unit.path.like(f"{actor.scope_path}%"),
        )
        .order_by(Dossier.code)
        .limit(MAX_HITS)
    )
    return [
        Hit(r["code"], f"{r['procedure']} · {r['unit.name']}", f"/dossiers/{r['id']}") for r in rows
    ]


async def _findings(actor: Actor, query: str) -> list[Hit]:
    number = _FINDING_NUMBER.fullmatch(query.strip())
    if number is None:
        return []
    try:
        ref = await review.readable_finding(actor, int(number.group(1)))
    except NotFound:
        return []
    subject = ref.official_name or ref.unit_name
    return [Hit(f"Phát hiện #{ref.id}", subject, f"/findings/{ref.id}")]


async def search(actor: Actor, query: str) -> Results:
    text = " ".join(query.split())[:MAX_QUERY]
    if not text:
        return Results(query="")
    officials, more = await _officials(actor, text)
    return Results(
        query=text,
        officials=officials,
        dossiers=await _dossiers(actor, text),
        findings=await _findings(actor, text),
        more_officials=more,
    )
