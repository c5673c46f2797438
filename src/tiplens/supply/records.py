"""Records of a supplier risk assessment for the signed log: one per supplier line, then
one summary; each names the reference editions the score rests on."""

from __future__ import annotations

from typing import Any

from tiplens import __version__
from tiplens.supply.report import Assessed


def risk_records(assessed: Assessed) -> list[dict[str, Any]]:
    r = assessed.risk
    refs = {k: {"edition": s["edition"], "file": s["file"], "sha256": s["sha256"], "synthetic": bool(s["synthetic"])}
            for k, s in r.sources.items()}
    reasons: dict[str, list[dict]] = {}
    for x in r.reasons.to_pylist():
        reasons.setdefault(x["supplier_key"], []).append(
            {"flag": x["flag"], "points": x["points"], "reason": x["reason"], "source": x["source"]})
    out = []
    for s in r.suppliers.to_pylist():
        out.append({
            "type": "supplier-risk", "supplier": s["supplier"], "supplier_id": s["supplier_id"],
            "supplier_key": s["supplier_key"], "country": s["country"], "iso3": s["iso3"], "product": s["product"],
            "tier": s["tier"], "score": s["score"], "level": s["level"], "flags": s["flags"].split("|") if s["flags"]
            else [], "reasons": reasons.get(s["supplier_key"], []), "gaps": s["gaps"].split("; ") if s["gaps"] else [],
        })
    t = assessed.portfolio.totals
    out.append({"type": "risk-assessment", "tool": f"tiplens {__version__}", "suppliers": t.suppliers,
                "levels": t.by_level, "spend": t.spend, "spend_at_risk": t.spend_at_risk, "references": refs,
                "missing_references": list(r.missing)})
    return out
