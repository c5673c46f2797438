"""Social benchmark: import + report on a generated twarc2 file, against a bare DuckDB scan
of the same file and a twarc-csv + pandas pipeline computing the same tables."""

from __future__ import annotations

import json
import time
from pathlib import Path


def tiplens_run(path: Path, work: Path, engine: str = "duckdb") -> dict:
    from section_timer import time_sections

    from tiplens.social import report
    from tiplens.social.importing import import_files
    from tiplens.social.report import SocialReportParams, write
    from tiplens.store import Study

    timings: dict[str, float] = {}
    time_sections(report, ["SECTIONS"], timings)

    store = work / "bench.duckdb"
    store.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with Study(store) as study:
        rep = import_files(study, [path])
        t1 = time.perf_counter()
        write(study, work / "report", SocialReportParams(engine=engine))
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "import_seconds": t1 - t0, "report_seconds": t2 - t1,
            "imported": rep.imported, "read": rep.read, "report_sections": timings}


def scan_run(path: Path) -> dict:
    import duckdb

    t0 = time.perf_counter()
    n = duckdb.connect().execute(
        "SELECT sum(len(data)) FROM read_json(?, format='newline_delimited', maximum_object_size=1000000000)",
        [str(path)]).fetchone()[0]
    return {"seconds": time.perf_counter() - t0, "tweets": int(n)}


def baseline_run(path: Path, limit: int | None = None) -> dict:
    """twarc-csv's DataFrameConverter (what `twarc2 csv` runs) then pandas for the same tables."""
    import pandas as pd

    if not hasattr(pd.DataFrame, "applymap"):  # twarc-csv still calls the pre-pandas-3 name
        pd.DataFrame.applymap = pd.DataFrame.map
    from twarc_csv import DataFrameConverter

    t0 = time.perf_counter()
    conv = DataFrameConverter(input_data_type="tweets", allow_duplicates=False)
    frames, n = [], 0
    with path.open("rb") as fh:
        batch = []
        for line in fh:
            batch.append(json.loads(line))
            n += len(batch[-1]["data"])
            if len(batch) >= 10:
                frames.append(conv.process(batch))
                batch = []
            if limit and n >= limit:
                break
        if batch:
            frames.append(conv.process(batch))
    df = pd.concat(frames, ignore_index=True)
    df["created_at"] = pd.to_datetime(df["created_at"], utc=True)
    kind = pd.Series("original", index=df.index)
    for col, k in (("referenced_tweets.replied_to.id", "reply"), ("referenced_tweets.quoted.id", "quote"),
                   ("referenced_tweets.retweeted.id", "retweet")):
        if col in df:
            kind[df[col].notna()] = k
    df["kind"] = kind
    df["year"] = df["created_at"].dt.year
    df["month"] = df["created_at"].dt.strftime("%Y-%m")
    yearly = df.pivot_table(index="year", columns="kind", values="id", aggfunc="count", fill_value=0)
    monthly = df.pivot_table(index="month", columns="kind", values="id", aggfunc="count", fill_value=0)
    tags = df["entities.hashtags"].dropna().map(json.loads).explode().dropna()
    hashtags = tags.map(lambda h: h.lstrip("#").casefold()).groupby(level=0).unique().explode().value_counts()
    ments = df[["author.username", "entities.mentions"]].dropna()
    ments = ments.assign(m=ments["entities.mentions"].map(json.loads)).explode("m").dropna()
    edges = ments.assign(target=ments["m"].map(lambda m: m.lstrip("@").lower())).groupby(
        ["author.username", "target"]).size()
    eng = df[df["kind"] != "retweet"].groupby("year")[[c for c in df if c.startswith("public_metrics.")]].sum()
    return {"seconds": time.perf_counter() - t0, "posts": len(df),
            "tables": {"yearly": len(yearly), "monthly": len(monthly), "hashtags": len(hashtags),
                       "edges": len(edges), "engagement_years": len(eng)}}
