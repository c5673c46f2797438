"""Cases benchmark: ``tiplens`` import + the cases report on a generated CTDC-schema CSV,
against plain pandas reading the same CSV and computing the same tables in the same run.

The pandas baseline is what an analyst would write: ``read_csv``, recode CTDC's codes
(-99 and '00' unknown, '18--20' -> '18-20', the form of exploitation from the is* flags),
``groupby(...).size()`` for the yearly trend, the breakdowns by sex, age band and form
(alone and by year) and the corridors citizenship -> country of exploitation, then the
same small-cell suppression. The suppression itself (counts below 10 withheld,
complementary cells checked by linear programming) is tiplens' publisher applied to the
pandas aggregates: it works on a few hundred cells, costs the same on both sides, and
makes the two sets of tables identical, which :func:`compare` checks.
"""

from __future__ import annotations

import time
from pathlib import Path

# tables both sides publish: name -> (row key, column key)
TABLES = {
    "trend_yearly": ("year", None), "breakdown_year_sex": ("year", "sex"),
    "breakdown_year_age_band": ("year", "age_band"), "breakdown_year_form": ("year", "form"),
    "breakdown_sex": ("sex", None), "breakdown_age_band": ("age_band", None), "breakdown_form": ("form", None),
    "routes": ("origin", "destination"),
}


def tiplens_run(path: Path, work: Path, engine: str = "duckdb") -> dict:
    from section_timer import time_sections

    from tiplens.cases import sections
    from tiplens.cases.context import CasesReportParams
    from tiplens.cases.importing import import_files
    from tiplens.cases.report import write
    from tiplens.store import Study

    timings: dict[str, float] = {}
    time_sections(sections, ["SECTIONS_CASES", "SECTIONS_STATS"], timings)
    store = work / "cases-bench.duckdb"
    store.unlink(missing_ok=True)
    t0, c0 = time.perf_counter(), time.process_time()
    with Study(store) as study:
        rep = import_files(study, [path])
        t1, c1 = time.perf_counter(), time.process_time()
        write(study, work / "cases-report", CasesReportParams(engine=engine))
    t2, c2 = time.perf_counter(), time.process_time()
    store.unlink(missing_ok=True)
    return {"seconds": t2 - t0, "import_seconds": t1 - t0, "report_seconds": t2 - t1, "imported": rep.imported,
            "read": rep.read, "rejected": rep.rejected, "report_sections": timings,
            "cpu_seconds": c2 - c0, "import_cpu_seconds": c1 - c0, "report_cpu_seconds": c2 - c1}


def scan_run(path: Path) -> dict:
    """A bare DuckDB scan of the CSV (every column read as text): the floor for reading it."""
    import duckdb

    t0 = time.perf_counter()
    n = duckdb.connect().execute(
        "SELECT count(*), count(DISTINCT citizenship) FROM read_csv(?, all_varchar = true)", [str(path)]).fetchone()[0]
    return {"seconds": time.perf_counter() - t0, "rows": int(n)}


def baseline_run(path: Path, out: Path) -> dict:
    import pandas as pd
    import pyarrow as pa

    from tiplens.cases.publish import Publisher
    from tiplens.knowledge.countries import region_table

    t0, c0 = time.perf_counter(), time.process_time()
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    t_read = time.perf_counter() - t0

    frame = _recode(df)
    del df

    def count(keys: list[str], data: pd.DataFrame = frame) -> pa.Table:
        agg = data.groupby(keys, dropna=False, sort=True).size().rename("victims").reset_index()
        agg = agg.astype({k: object for k in keys if k != "year"})
        return pa.Table.from_pandas(agg.where(agg.notna(), None), preserve_index=False).replace_schema_metadata(None)

    dated = frame[frame.year.notna()]
    tables = {"trend_yearly": count(["year"], dated)}
    for split in ("sex", "age_band", "form"):
        tables[f"breakdown_year_{split}"] = count(["year", split], dated)
    for split in ("sex", "age_band", "form"):
        tables[f"breakdown_{split}"] = count([split])
    both = frame[frame.origin.notna() & frame.destination.notna()]
    routes = both.groupby(["origin", "destination"]).size().rename("victims").reset_index()
    names = region_table().to_pandas().set_index("iso2")["name"]
    routes.insert(2, "origin_name", routes.origin.map(names))
    routes.insert(3, "destination_name", routes.destination.map(names))
    routes = routes.sort_values(["victims", "origin", "destination"], ascending=[False, True, True])
    tables["routes"] = pa.Table.from_pandas(routes, preserve_index=False).replace_schema_metadata(None)
    t_tables = time.perf_counter() - t0

    pub = Publisher(10)
    out.mkdir(parents=True, exist_ok=True)
    for name, (rows, cols) in TABLES.items():
        published = pub.table(name, tables[name], rows=rows, cols=cols, dense=name != "routes")
        published.to_csv(out / f"{name}.csv", index=False)
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0,
            "read_seconds": t_read, "tables_seconds": t_tables - t_read,
            "records": int(len(frame)), "tables": {k: v.num_rows for k, v in tables.items()}}


def _recode(df):
    """CTDC codes -> the canonical values the tables are built on (pandas only)."""
    import numpy as np
    import pandas as pd

    def clean(s: pd.Series) -> pd.Series:
        return s.str.strip().where(~s.str.strip().str.lower().isin(["", "-99", "na", "unknown"]))

    year = pd.to_numeric(clean(df["yearOfRegistration"]), errors="coerce").astype("Int64")
    sex = clean(df["gender"]).str.lower()
    age = clean(df["ageBroad"]).str.replace("--", "-", regex=False)

    def flag(col: str) -> pd.Series:
        return clean(df[col]).map({"1": True, "0": False, "1.0": True, "0.0": False}) if col in df else None

    def country(col: str) -> pd.Series:
        c = clean(df[col]).str.upper()
        return c.where(~c.isin(["00", "0", "ZZ", "XX"]))

    sexual = flag("isSexualExploit").fillna(False).astype(bool)
    labour = flag("isForcedLabour").fillna(False).astype(bool)
    other = flag("isOtherExploit").fillna(False).astype(bool)
    form = pd.Series(np.select([sexual & labour, sexual, labour, other],
                               ["sexual and labour", "sexual exploitation", "forced labour", "other forms"],
                               default=None), index=df.index)
    return pd.DataFrame({"year": year, "sex": sex, "age_band": age, "form": form,
                          "origin": country("citizenship"), "destination": country("CountryOfExploitation")})


def compare(tiplens_tables: Path, baseline_tables: Path) -> list[str]:
    """Names of the published tables that differ (as sets of rows) between the two runs."""
    import csv

    differ = []
    for name in TABLES:
        def rows(folder: Path, name: str = name) -> list[tuple]:
            with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                keep = [c for c in reader.fieldnames or [] if c in ("year", "sex", "age_band", "form", "origin",
                                                                       "destination", "victims")]
                return sorted(tuple(r[c] for c in keep) for r in reader)
        if rows(tiplens_tables) != rows(baseline_tables):
            differ.append(name)
    return differ
