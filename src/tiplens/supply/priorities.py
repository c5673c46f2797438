"""Which suppliers to look at first, and what to ask them: suppliers at high or medium
risk and those that could not be assessed, ordered by level, then spend, then score,
each with its main reasons and a suggested next step."""

from __future__ import annotations

import pyarrow as pa

ORDER = {"high": 0, "medium": 1, "unassessed": 2}
STEPS = (  # (flag prefix, next step), first hit wins
    ("dol_forced", "Trace the good to its origin; ask for evidence on recruitment fees, wages, documents and "
                   "freedom of movement; consider an independent audit with worker interviews."),
    ("dol_child", "Ask how the supplier checks workers' ages and what it does when it finds children at work; "
                  "trace the good to its origin."),
    ("dol_inputs", "Map where the inputs come from (tier 2 and beyond) and ask for traceability evidence."),
    ("g20_", "Include in the supplier questionnaire; ask where the product is made and by whom."),
    ("sector_", "Ask about recruitment and subcontracting practices in this sector."),
    ("gsi_", "Include in the supplier questionnaire and monitor."),
)
SCHEMA = pa.schema([
    ("rank", pa.int64()), ("supplier", pa.string()), ("country", pa.string()), ("product", pa.string()),
    ("tier", pa.int32()), ("spend", pa.float64()), ("score", pa.int64()), ("level", pa.string()),
    ("main_reasons", pa.string()), ("next_step", pa.string()), ("supplier_key", pa.string()),
])


def next_step(flags: list[str], level: str, uncertain: bool) -> str:
    if level == "unassessed":
        return "Complete or correct the supplier's country so that it can be assessed."
    step = next((text for prefix, text in STEPS if any(f.startswith(prefix) for f in flags)), "Monitor.")
    if uncertain:
        step = "Confirm what the supplier provides (uncertain product match). " + step
    return step


def priorities(suppliers: pa.Table, reasons: pa.Table, top_reasons: int = 3) -> pa.Table:
    by_supplier: dict[str, list[dict]] = {}
    for r in reasons.to_pylist():
        by_supplier.setdefault(r["supplier_key"], []).append(r)
    rows = [r for r in suppliers.to_pylist() if r["level"] in ORDER]
    rows.sort(key=lambda r: (ORDER[r["level"]], r["spend"] is None, -(r["spend"] or 0), -r["score"], r["supplier"]))
    out = []
    for rank, r in enumerate(rows, start=1):
        rs = sorted(by_supplier.get(r["supplier_key"], []), key=lambda x: -x["points"])
        main = "; ".join(x["reason"] for x in rs[:top_reasons]) or r["gaps"]
        flags = [x["flag"] for x in rs]
        out.append({"rank": rank, "supplier": r["supplier"], "country": r["country"], "product": r["product"],
                    "tier": r["tier"], "spend": r["spend"], "score": r["score"], "level": r["level"],
                    "main_reasons": main, "next_step": next_step(flags, r["level"], r["uncertain_match"]),
                    "supplier_key": r["supplier_key"]})
    return pa.Table.from_pylist(out, schema=SCHEMA)
