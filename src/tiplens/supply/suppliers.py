"""Importing a supplier list (CSV/TSV/XLSX): supplier, country, product or sector, tier,
spend. Columns are recognised by name or mapped with ``--map COLUMN=FIELD``.

Every row is imported, a duplicate (the same supplier, country, product and sector as an
earlier row or import; reported with the line it repeats) or rejected with its line and
reason (no supplier name, a tier or spend that is not a number). A country that is not
recognised is kept and listed, never guessed; names that differ only by legal form
("Acme Ltd" / "ACME Limited") are listed as possible duplicates.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from tiplens.errors import BadInput
from tiplens.importing import FileReport, ImportReport, RejectLog, record_import, sha256_file
from tiplens.store import Study
from tiplens.supply.countries import fold, resolve
from tiplens.supply.products import words
from tiplens.supply.schema import DDL
from tiplens.tabular import read_rows

PILLAR = "supply"
FIELDS: dict[str, tuple[str, ...]] = {
    "supplier": ("supplier", "supplier name", "name", "vendor", "vendor name", "company", "company name"),
    "supplier_id": ("supplier id", "id", "vendor id", "supplier code", "vendor code"),
    "country": ("country", "country of origin", "origin", "origin country", "supplier country", "location"),
    "product": ("product", "products", "good", "goods", "commodity", "item", "product category", "category"),
    "sector": ("sector", "industry"),
    "tier": ("tier", "supply tier", "tier level"),
    "spend": ("spend", "annual spend", "spend usd", "amount", "value", "purchase value", "spend amount"),
    "currency": ("currency", "ccy"),
}
LEGAL_FORMS = frozenset("ltd limited co company inc incorporated llc plc gmbh ag sa sas srl bv nv pvt pte pt tbk "
                        "corp corporation jsc oy ab as spa sdn bhd kg".split())
_SCHEMA = pa.schema([
    ("supplier_id", pa.string()), ("supplier", pa.string()), ("supplier_key", pa.string()), ("country", pa.string()),
    ("iso3", pa.string()), ("country_name", pa.string()), ("product", pa.string()), ("sector", pa.string()),
    ("tier", pa.int32()), ("spend", pa.float64()), ("currency", pa.string()), ("source_file", pa.string()),
    ("source_line", pa.int64()), ("import_id", pa.int32()),
])


@dataclass
class SupplierImport:
    accounting: ImportReport
    mapping: dict[str, str] = field(default_factory=dict)  # field -> column used
    ignored_columns: list[str] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)  # file, line, supplier, repeats
    unknown_countries: dict[str, list[int]] = field(default_factory=dict)  # name as written -> lines
    no_country: list[int] = field(default_factory=list)
    possible_duplicates: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = self.accounting.to_dict()
        return {k: d[k] for k in ("read", "imported", "duplicates", "rejected", "rejects_file")} | {
            "mapping": self.mapping, "ignored_columns": self.ignored_columns,
            "duplicate_rows": self.duplicates, "unknown_countries": self.unknown_countries,
            "rows_without_country": self.no_country, "possible_duplicates": self.possible_duplicates}


def _norm_header(h: str) -> str:
    """'Annual Spend (USD)' -> 'annual spend'; 'supplier_name' -> 'supplier name'."""
    h = re.sub(r"\([^)]*\)", " ", h.strip().casefold())
    return re.sub(r"[\s_\-./]+", " ", h).strip()


def resolve_columns(header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """field -> column; ``mapping`` is COLUMN=FIELD from --map and wins over names."""
    out: dict[str, str] = {}
    for column, fld in mapping.items():
        if fld not in FIELDS:
            raise BadInput(f"--map {column}={fld}: unknown field {fld!r} (fields: {', '.join(FIELDS)})")
        if column not in header:
            raise BadInput(f"--map {column}={fld}: no column {column!r} (columns: {', '.join(header)})")
        out[fld] = column
    by_norm = {_norm_header(h): h for h in header if h}
    for fld, names in FIELDS.items():
        if fld in out:
            continue
        for name in names:
            if name in by_norm and by_norm[name] not in out.values():
                out[fld] = by_norm[name]
                break
    if "supplier" not in out:
        raise BadInput(f"no supplier column (columns: {', '.join(header)}); name it 'supplier' or pass "
                       "--map COLUMN=supplier")
    if not {"country", "product", "sector"} & out.keys():
        raise BadInput(f"no country, product or sector column (columns: {', '.join(header)}); nothing to assess "
                       "risk with (use --map COLUMN=country|product|sector)")
    return out


def name_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(name)).split())


def parse_tier(value: str | None) -> int | None:
    if value is None or not str(value).strip():
        return None
    m = re.fullmatch(r"(?:tier|t)?\s*(\d+)(?:\.0+)?", str(value).strip().casefold())
    if not m:
        raise ValueError(f"tier {value!r} is not a number")
    return int(m.group(1))


def parse_spend(value: str | None) -> float | None:
    if value is None or not str(value).strip():
        return None
    s = re.sub(r"[\s_'$€£¥]|usd|eur|gbp|aud|cad", "", str(value).strip().casefold())
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    try:
        x = float(s)
    except ValueError:
        raise ValueError(f"spend {value!r} is not a number") from None
    if x < 0 or x != x or x in (float("inf"), float("-inf")):
        raise ValueError(f"spend {value!r} is negative or not finite")
    return x


def _row_key(supplier: str, country: str | None, iso3: str | None, product: str | None, sector: str | None,
             supplier_id: str | None) -> str:
    parts = (supplier_id.strip().casefold() if supplier_id else name_key(supplier), iso3 or fold(country or ""),
             " ".join(words(product)), " ".join(words(sector)))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def import_file(study: Study, path: str | Path, *, mapping: dict[str, str] | None = None,
                encoding: str | None = None, progress: Callable[[int], None] | None = None) -> SupplierImport:
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path}: no such file")
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; name the supplier list file")
    if path.stat().st_size == 0:
        raise BadInput(f"{path}: empty file")
    header, rows = read_rows(path, encoding=encoding)
    cols = resolve_columns(header, mapping or {})
    study.ensure(DDL)
    result = SupplierImport(ImportReport(), mapping=dict(cols),
                            ignored_columns=[h for h in header if h and h not in cols.values()])
    import_id = study.next_import_id()
    rejects = RejectLog(study, PILLAR, import_id)
    fr = FileReport(file=str(path), format="supplier-list", sha256=sha256_file(path))
    seen = {k: (f, line) for k, f, line in study.query("SELECT supplier_key, source_file, source_line FROM suppliers")}
    legal: dict[tuple, tuple[str, int]] = {}
    for name, iso3, product, line in study.query("SELECT supplier, iso3, product, source_line FROM suppliers"):
        legal.setdefault(_legal_key(name, iso3, product), (name, line))
    unit = re.search(r"\(([A-Za-z]{3})\)", cols["spend"]) if "spend" in cols else None
    header_currency = unit.group(1).upper() if unit else None  # "Annual spend (USD)"
    batch: dict[str, list] = {f.name: [] for f in _SCHEMA}
    for row in rows:
        fr.read += 1
        if progress is not None and fr.read % 1000 == 0:
            progress(1000)
        if row.problem:
            fr.rejected += 1
            rejects.add(str(path), row.line, row.problem)
            continue
        v = {fld: (row.values.get(col) or "").strip() or None for fld, col in cols.items()}
        supplier = v.get("supplier")
        if not supplier:
            fr.rejected += 1
            rejects.add(str(path), row.line, "no supplier name")
            continue
        try:
            tier, spend = parse_tier(v.get("tier")), parse_spend(v.get("spend"))
        except ValueError as exc:
            fr.rejected += 1
            rejects.add(str(path), row.line, str(exc))
            continue
        country = resolve(v.get("country"))
        key = _row_key(supplier, v.get("country"), country.iso3 if country else None, v.get("product"),
                       v.get("sector"), v.get("supplier_id"))
        if key in seen:
            fr.duplicates += 1
            f0, l0 = seen[key]
            result.duplicates.append({"file": str(path), "line": row.line, "supplier": supplier,
                                      "repeats": f"{f0}:{l0}"})
            continue
        seen[key] = (str(path), row.line)
        written = v.get("country")
        if written and country is None:
            result.unknown_countries.setdefault(written, []).append(row.line)
        elif not written:
            result.no_country.append(row.line)
        lk = _legal_key(supplier, country.iso3 if country else None, v.get("product"))
        if lk in legal and legal[lk][0] != supplier:
            result.possible_duplicates.append({"line": row.line, "supplier": supplier, "like": legal[lk][0],
                                               "like_line": legal[lk][1]})
        legal.setdefault(lk, (supplier, row.line))
        for name, value in (("supplier_id", v.get("supplier_id")), ("supplier", supplier), ("supplier_key", key),
                            ("country", v.get("country")), ("iso3", country.iso3 if country else None),
                            ("country_name", country.name if country else None), ("product", v.get("product")),
                            ("sector", v.get("sector")), ("tier", tier), ("spend", spend),
                            ("currency", v.get("currency") or header_currency), ("source_file", str(path)),
                            ("source_line", row.line),
                            ("import_id", import_id)):
            batch[name].append(value)
        fr.imported += 1
    study.append("suppliers", pa.Table.from_pydict(batch, schema=_SCHEMA))
    result.accounting.add(fr)
    result.accounting.rejects_file = rejects.close()
    record_import(study, PILLAR, import_id, fr, result.accounting.rejects_file)
    return result


def _legal_key(name: str, iso3: str | None, product: str | None) -> tuple:
    kept = [w for w in name_key(name).split() if w not in LEGAL_FORMS]
    return (" ".join(kept), iso3, " ".join(words(product)))
