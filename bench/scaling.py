"""The scaling curve: each benchmark at several sizes on DuckDB and on Spark (local mode).

    python bench/scaling.py run --benchmarks social,cases,screen --sizes 10000,100000,1000000 \\
        --engines duckdb,spark [--work DIR]      # appends to bench/out/scaling.json, one run at a time
    python bench/scaling.py plot                 # docs/img/scaling.png and docs/scaling_table.md

``run`` calls ``bench/run.py <benchmark> --<size option> N --engine E --json`` once per
point and stores the JSON object it prints (a run replaces an earlier one of the same
benchmark, engine and size), so a long series can be resumed or extended. ``plot`` draws
seconds against size on log-log axes and fits the slope of log(seconds) on log(size) over
the points from 100,000 up, where fixed costs (imports, Spark start-up, report
rendering) no longer dominate: a slope of 1 means cost grows in proportion to size.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import math
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "scaling.json"
SIZE_OPTION = {"social": "--posts", "cases": "--records", "screen": "--ads"}
UNIT = {"social": "posts", "cases": "records", "screen": "ads"}


def _update(path: Path, result: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runs = json.loads(path.read_text()) if path.exists() else []
        key = (result["benchmark"], result["engine"], result[UNIT[result["benchmark"]]])
        runs = [r for r in runs if (r["benchmark"], r["engine"], r[UNIT[r["benchmark"]]]) != key] + [result]
        runs.sort(key=lambda r: (r["benchmark"], r["engine"], r[UNIT[r["benchmark"]]]))
        path.write_text(json.dumps(runs, indent=1) + "\n")


def run(benchmarks: list[str], sizes: list[int], engines: list[str], work: Path | None, out: Path,
        extra: list[str]) -> None:
    for bench in benchmarks:
        for engine in engines:
            for n in sizes:
                cmd = [sys.executable, str(HERE / "run.py"), bench, SIZE_OPTION[bench], str(n), "--engine", engine,
                       "--json", *extra]
                if work is not None:
                    cmd += ["--work", str(work)]
                print(f"running {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
                done = subprocess.run(cmd, capture_output=True, text=True)
                if done.returncode != 0:
                    print(f"  failed: {done.stderr[-1500:]}", file=sys.stderr, flush=True)
                    continue
                result = json.loads(done.stdout.strip().splitlines()[-1])
                result["command"] = command(result)
                _update(out, result)
                print(f"  {result['seconds']} s", file=sys.stderr, flush=True)


def command(r: dict) -> str:
    b = r["benchmark"]
    return f"python bench/run.py {b} {SIZE_OPTION[b]} {r[UNIT[b]]} --engine {r['engine']} --json"


def slope(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) on log(size)."""
    pts = [(math.log(n), math.log(s)) for n, s in points if s > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else None


def series(runs: list[dict]) -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = {}
    for r in runs:
        out.setdefault((r["benchmark"], r["engine"]), []).append(r)
    for v in out.values():
        v.sort(key=lambda r: r[UNIT[r["benchmark"]]])
    return out


def slopes(runs: list[dict], from_size: int = 100_000) -> dict[str, float | None]:
    res = {}
    for (bench, engine), rs in series(runs).items():
        pts = [(r[UNIT[bench]], r["seconds"]) for r in rs if r[UNIT[bench]] >= from_size]
        s = slope(pts)
        res[f"{bench}/{engine}"] = round(s, 2) if s is not None else None
    return res


def table(runs: list[dict]) -> str:
    """A Markdown table of every run (the figures docs/performance.md quotes)."""
    head = ("| benchmark | engine | size | seconds | import s | report s | peak RSS MB | baseline s | speedup vs "
            "baseline | scan s | ratio to scan | per core | load avg | code |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in runs:
        b = r["benchmark"]
        per_core = ""
        if b == "screen":
            parts = [f"rules {r.get('rules_ads_per_second_per_core', '')}"]
            if r.get("model_ads_per_second_per_core"):
                parts.append(f"model {r['model_ads_per_second_per_core']}")
            parts.append(f"baseline {r.get('baseline_ads_per_second_per_core', '')}")
            per_core = ", ".join(parts) + " ads/s"
        lines.append("| " + " | ".join(str(x) for x in (
            b, r["engine"], f"{r[UNIT[b]]:,} {UNIT[b]}", r["seconds"], r.get("import_seconds", ""),
            r.get("report_seconds", ""), r["peak_rss_mb"], r.get("baseline_seconds", ""),
            r.get("speedup_vs_baseline", ""), r.get("scan_seconds", ""), r.get("ratio_to_scan", ""), per_core,
            r.get("machine", {}).get("load_average_1m", ""), r.get("code") or r.get("machine", {}).get("commit") or "")) + " |")
    return "\n".join(lines) + "\n"


def plot(runs: list[dict], png: Path) -> None:
    import altair as alt
    import pandas as pd
    import vl_convert as vlc

    rows = []
    for r in runs:
        b = r["benchmark"]
        rows.append({"benchmark": b, "series": f"tiplens ({r['engine']})", "items": r[UNIT[b]], "seconds": r["seconds"]})
        if r.get("baseline_seconds") and r["engine"] == "duckdb":
            rows.append({"benchmark": b, "series": "baseline", "items": r[UNIT[b]], "seconds": r["baseline_seconds"]})
    frame = pd.DataFrame(rows)
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("items:Q", scale=alt.Scale(type="log"), title="items (posts, records or ads)"),
        y=alt.Y("seconds:Q", scale=alt.Scale(type="log"), title="seconds (wall clock)"),
        color=alt.Color("series:N", title=None),
    ).properties(width=260, height=220).facet(
        column=alt.Column("benchmark:N", title=None)
    ).properties(title="tiplens scaling on a shared 2-core machine (log-log)")
    png.parent.mkdir(parents=True, exist_ok=True)
    png.write_bytes(vlc.vegalite_to_png(chart.to_dict(), scale=1.5))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--benchmarks", default="social,cases,screen")
    r.add_argument("--sizes", default="10000,100000,1000000")
    r.add_argument("--engines", default="duckdb,spark")
    r.add_argument("--work", type=Path)
    r.add_argument("--out", type=Path, default=OUT)
    p = sub.add_parser("plot")
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--png", type=Path, default=ROOT / "docs" / "img" / "scaling.png")
    p.add_argument("--table", type=Path, default=ROOT / "docs" / "scaling_table.md")
    a, extra = ap.parse_known_args()
    if a.cmd == "run":
        run(a.benchmarks.split(","), [int(x) for x in a.sizes.split(",")], a.engines.split(","), a.work, a.out, extra)
    else:
        runs = json.loads(a.out.read_text())
        for r in runs:
            r["command"] = command(r)
        plot(runs, a.png)
        a.table.write_text(table(runs) + "\nFitted slopes of log(seconds) on log(size), 100,000 items and up: "
                           + json.dumps(slopes(runs)) + "\n")
        print(json.dumps(slopes(runs)))


if __name__ == "__main__":
    main()
