"""Proposals as plain JSON data: what the CLI prints, the pages show and a locked period
freezes. Vietnamese text first; numbers rounded to two decimals for readers, exact text
beside them where a total is formed."""

from __future__ import annotations

from typing import Any

from congvu.inspect.emulation.services.codec import number_text, rounded
from congvu.inspect.emulation.services.quarter import Proposal, QuarterProposals
from congvu.rules.rating_deductions import Deduction


def deduction_json(d: Deduction, contests: dict[str, str]) -> dict[str, Any]:
    s = d.source
    key = f"{s.kind}:{s.source_id}"
    return {
        "criterion": d.criterion,
        "points": rounded(d.points),
        "source": {
            "kind": str(s.kind),
            "id": s.source_id,
            "key": key,
            "violation": s.violation_code,
            "rule_id": s.rule_id,
            "rule_version": s.rule_version,
            "legal_basis": s.legal_basis,
            "explanation_outcome": s.explanation,
            "confirmed_on": s.decided_on.isoformat(),
        },
        "rule": {"id": d.rule.id, "version": d.rule.version},
        "contested": contests.get(key),
        "explanation_vi": d.explanation_vi,
        "explanation_en": d.explanation_en,
    }


def proposal_json(p: Proposal) -> dict[str, Any]:
    f = p.facts
    score = p.score
    return {
        "official_id": f.official_id,
        "code": f.code,
        "name": f.full_name,
        "unit": f.unit_code,
        "unit_name": f.unit_name,
        "unit_path": f.unit_path,
        "leader": f.is_leader,
        "group": p.group,
        "level": p.level.value if p.level else None,
        "level_vi": p.level.label_vi if p.level else None,
        "merited": p.verdict.merited.value if p.verdict and p.verdict.merited else None,
        "capped": [c.value for c in p.verdict.caps] if p.verdict else [],
        "quota": p.quota_vi or None,
        "score": None
        if score is None
        else {
            "total": rounded(score.total),
            "total_exact": number_text(score.total),
            "general": {k: rounded(v) for k, v in score.general.items()},
            "results": rounded(score.results),
            "timeliness_c": rounded(score.timeliness),
        },
        "self_results": None
        if f.self_sheet is None
        else {k: rounded(v) for k, v in f.self_sheet.results.items()},
        "deductions": [deduction_json(d, f.contests) for d in p.deductions.deductions],
        "held_back": [
            {"source": h.source, "explanation_due": h.explanation_due.isoformat()}
            for h in f.held_back
        ],
        "reasons_vi": list(p.reasons_vi),
    }


def quarter_json(q: QuarterProposals) -> dict[str, Any]:
    return {
        "officials": [proposal_json(p) for p in q.proposals],
        "quota": {
            "explanation_vi": q.quota_vi or None,
            "groups": [
                {
                    "group": g.group,
                    "htt_proposed": g.htt_proposed,
                    "htxs_proposed": g.htxs_proposed,
                    "htxs_kept": g.htxs_kept,
                    "htt_final": g.htt_final,
                    "tie_at_cutoff": g.tie_at_cutoff,
                }
                for g in q.groups
            ],
        },
    }
