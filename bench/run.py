"""Benchmarks (not tests): figures and ratios against the tools people use today, measured
in the same run.

    python bench/run.py social --posts 1000000 [--engine duckdb|spark] [--baseline-posts N] --json
    python bench/run.py cases --records 10000000 [--engine duckdb|spark] --json
    python bench/run.py screen --ads 100000 [--engine duckdb|spark] --json
    python bench/run.py all [--json]     # 50k posts, 200k records, 10k ads (about five minutes)

Each run prints ONE JSON object (with --json) holding at least ``seconds`` and
``peak_rss_mb``, the baseline and the ratios. Every measured step runs in its own process,
so peak memory is that step's own (``peak_rss_mb`` also counts the Java process Spark
starts). The load average at the start of each run is recorded: the figures come from a
shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from procmem import load_average, run_sampled  # noqa: E402

# `all` (make bench): moderate sizes, about five minutes on two shared cores; bigger runs
# are in docs/performance.md and bench/scaling.py
DEFAULTS = {"social": 50_000, "cases": 200_000, "screen": 10_000}
TARGET_SCREEN_PER_CORE = 5000  # issue 4: ads per second per core with the model
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _child(step: str, args: list[str], *, one_thread: bool = False) -> dict:
    env = dict(os.environ, **(ONE_THREAD if one_thread else {}))
    out, tree_peak = run_sampled([sys.executable, str(HERE / "run.py"), "_step", step, *args], env=env)
    if out.returncode != 0:
        raise SystemExit(f"benchmark step {step} failed:\n{out.stderr[-3000:]}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["peak_rss_mb"] = max(res.pop("python_peak_rss_mb"), tree_peak)
    return res


def _step(step: str, args: list[str]) -> None:
    kind, _, what = step.partition("-")
    mod = __import__(kind)
    path = Path(args[0])
    if step == "social-tiplens":
        res = mod.tiplens_run(path, Path(args[1]), engine=args[2])
    elif step == "social-baseline":
        res = mod.baseline_run(path, limit=int(args[1]) or None)
    elif step in ("social-scan", "cases-scan"):
        res = mod.scan_run(path)
    elif step == "cases-tiplens":
        res = mod.tiplens_run(path, Path(args[1]), engine=args[2])
    elif step == "cases-baseline":
        res = mod.baseline_run(path, Path(args[1]))
    elif step == "screen-tiplens":
        res = mod.tiplens_run(path, args[1], Path(args[2]))
    elif step == "screen-spark":
        res = mod.spark_run(path, args[1], Path(args[2]))
    elif step == "screen-baseline":
        res = mod.baseline_run(path)
    else:
        raise SystemExit(f"unknown step {step}")
    res["python_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(res))


def _commit() -> str | None:
    """The commit of the checkout whose tiplens is measured (with '+' when it has uncommitted changes), so
    each figure names its code. That is the imported package's checkout, not necessarily this script's
    (``PYTHONPATH=other/src python bench/run.py`` measures the other checkout)."""
    import subprocess

    import tiplens

    where = Path(tiplens.__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=where, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=where,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (head + ("+" if dirty else "")) or None


def machine() -> dict:
    import duckdb
    import pandas

    return {"cpus": os.cpu_count(), "load_average_1m": load_average(), "commit": _commit(), "python": platform.python_version(),
            "duckdb": duckdb.__version__, "pandas": pandas.__version__, "platform": platform.platform(terse=True)}


def _r(x: float, d: int = 2) -> float:
    return round(x, d)


def _data(path: Path, make) -> Path:
    """Generate a benchmark input once, atomically (runs in parallel may share the folder)."""
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        make(tmp)
        os.replace(tmp, path)
    return path


def _scratch(work: Path, name: str) -> Path:
    """A folder of this run's own for stores and reports, emptied first."""
    out = work / name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    return out


def bench_social(posts: int, engine: str, baseline_posts: int, work: Path) -> dict:
    import gen_social

    info = machine()
    # v2: retweeted tweets whole in includes (the importer takes a retweet's text from there)
    path = _data(work / f"twarc2-v2-{posts}.jsonl", lambda p: gen_social.generate(p, posts))
    out = _scratch(work, f"social-{engine}-{posts}")
    tip = _child("social-tiplens", [str(path), str(out), engine])
    scan = _child("social-scan", [str(path)])
    base_n = min(baseline_posts or posts, posts)
    base = _child("social-baseline", [str(path), str(base_n)])
    # the baseline may run on a prefix (it is slow): compare throughput, then scale to the same size
    base_rate = base["posts"] / base["seconds"]
    baseline_seconds = posts / base_rate
    return {
        "benchmark": "social", "engine": engine, "posts": posts, "file_mb": _r(path.stat().st_size / 2**20, 1),
        "seconds": _r(tip["seconds"]), "import_seconds": _r(tip["import_seconds"]),
        "report_seconds": _r(tip["report_seconds"]), "report_sections": tip.get("report_sections", {}),
        "posts_per_second": round(posts / tip["seconds"]), "peak_rss_mb": round(tip["peak_rss_mb"]),
        "scan_seconds": _r(scan["seconds"]), "ratio_to_scan": _r(tip["seconds"] / scan["seconds"]),
        "import_ratio_to_scan": _r(tip["import_seconds"] / scan["seconds"]),
        "baseline": "twarc-csv DataFrameConverter + pandas", "baseline_posts_measured": base["posts"],
        "baseline_seconds": _r(baseline_seconds), "baseline_peak_rss_mb": round(base["peak_rss_mb"]),
        "speedup_vs_baseline": _r(baseline_seconds / tip["seconds"]),
        "baseline_extrapolated": base["posts"] < posts, "machine": info,
    }


def bench_cases(records: int, engine: str, work: Path) -> dict:
    import gen_cases

    import cases

    info = machine()
    path = _data(work / f"ctdc-{records}.csv", lambda p: gen_cases.generate(p, records))
    out = _scratch(work, f"cases-{engine}-{records}")
    tip = _child("cases-tiplens", [str(path), str(out), engine])
    scan = _child("cases-scan", [str(path)])
    base = _child("cases-baseline", [str(path), str(out / "baseline-tables")])
    differ = cases.compare(out / "cases-report" / "tables", out / "baseline-tables")
    return {
        "benchmark": "cases", "engine": engine, "records": records, "file_mb": _r(path.stat().st_size / 2**20, 1),
        "seconds": _r(tip["seconds"]), "import_seconds": _r(tip["import_seconds"]),
        "report_seconds": _r(tip["report_seconds"]), "report_sections": tip["report_sections"],
        "records_per_second": round(records / tip["seconds"]), "peak_rss_mb": round(tip["peak_rss_mb"]),
        "cpu_seconds": _r(tip["cpu_seconds"]), "import_cpu_seconds": _r(tip["import_cpu_seconds"]),
        "report_cpu_seconds": _r(tip["report_cpu_seconds"]),
        "scan_seconds": _r(scan["seconds"]), "ratio_to_scan": _r(tip["seconds"] / scan["seconds"]),
        "baseline": "pandas read_csv + groupby (same tables, same suppression)",
        "baseline_seconds": _r(base["seconds"]), "baseline_cpu_seconds": _r(base["cpu_seconds"]),
        "baseline_read_seconds": _r(base["read_seconds"]),
        "baseline_peak_rss_mb": round(base["peak_rss_mb"]),
        "speedup_vs_baseline": _r(base["seconds"] / tip["seconds"]),
        "cpu_ratio_vs_baseline": _r(base["cpu_seconds"] / tip["cpu_seconds"]),
        "load_average_1m_end": load_average(),
        "same_tables": not differ, "tables_that_differ": differ, "machine": info,
    }


def bench_screen(n: int, engine: str, work: Path) -> dict:
    import screen

    info = machine()
    meta = work / f"ads-{n}.json"
    path = _data(work / f"ads-{n}.parquet", lambda p: screen.write_ads(p, n, meta))
    out = _scratch(work, f"screen-{engine}-{n}")
    source = json.loads(meta.read_text())["source"]
    has_model = screen.model_available()
    modes = ["rules", "model"] if has_model else ["rules"]
    runs = {}
    for mode in modes:
        if engine == "spark":
            runs[mode] = _child("screen-spark", [str(path), mode, str(out)], one_thread=True)
        else:
            runs[mode] = _child("screen-tiplens", [str(path), mode, str(out)], one_thread=True)
    base = _child("screen-baseline", [str(path)], one_thread=True)
    main = runs["model" if has_model else "rules"]
    out = {
        "benchmark": "screen", "engine": engine, "ads": n, "ad_chars": screen.SIZE, "ads_source": source,
        "model": "tiplens.screen.model" if has_model else None,
        "seconds": _r(main["seconds"]), "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs.values())),
    }
    for mode, r in runs.items():
        per_core = r["ads_per_second_per_core"] if engine == "spark" else r["ads_per_cpu_second"]
        out[f"{mode}_seconds"] = _r(r["seconds"])
        out[f"{mode}_ads_per_second"] = round(r["ads_per_second"])
        out[f"{mode}_ads_per_second_per_core"] = round(per_core)
        out[f"{mode}_flagged"] = r["flagged"]
        if "train_seconds" in r:
            out[f"{mode}_train_seconds"] = r["train_seconds"]
    if engine == "spark":
        out["spark_cores"] = runs["rules"]["cores"]
        out["spark_partitions"] = runs["rules"]["partitions"]
    base_per_core = base["ads_per_cpu_second"]
    main_per_core = out[f"{'model' if has_model else 'rules'}_ads_per_second_per_core"]
    out.update({
        "baseline": "TF-IDF (1-2 grams) + logistic regression (scikit-learn)",
        "baseline_seconds": _r(base["seconds"]), "baseline_ads_per_second": round(base["ads_per_second"]),
        "baseline_ads_per_second_per_core": round(base_per_core),
        "baseline_peak_rss_mb": round(base["peak_rss_mb"]), "baseline_flagged": base["flagged"],
        "speedup_vs_baseline": _r(base["seconds"] / main["seconds"]),
        # per core: tiplens' main mode (rules + model when the model is installed) / the baseline
        "per_core_ratio_vs_baseline": _r(main_per_core / base_per_core),
        "target_ads_per_second_per_core": TARGET_SCREEN_PER_CORE,
        "per_core_ratio_vs_target": _r(main_per_core / TARGET_SCREEN_PER_CORE),
        "per_core": "ads per CPU-second of one process held to one thread" if engine != "spark"
                    else "ads per wall-clock second divided by Spark's cores",
        "load_average_1m_end": load_average(),
        "machine": info,
    })
    return out


def screen_summary(r: dict) -> str:
    """The screening figures in two lines: per core, ratios and the load average."""
    modes = [("rules only", "rules"), ("rules + model", "model")]
    rates = ", ".join(f"{name} {r[f'{m}_ads_per_second_per_core']:,}" for name, m in modes
                      if f"{m}_ads_per_second_per_core" in r)
    met = "met" if r["per_core_ratio_vs_target"] >= 1 else "NOT met"
    return (f"screen, ads per second per core ({r['per_core']}): {rates}; baseline (TF-IDF + LR) "
            f"{r['baseline_ads_per_second_per_core']:,}\n"
            f"tiplens / baseline per core {r['per_core_ratio_vs_baseline']}; target "
            f"{r['target_ads_per_second_per_core']:,}/s per core {met} ({r['per_core_ratio_vs_target']}); "
            f"load average (1 min) {r['machine']['load_average_1m']} at the start, {r['load_average_1m_end']} at the end")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_step":
        return _step(argv[1], argv[2:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("which", choices=["social", "cases", "screen", "all"])
    ap.add_argument("--posts", type=int, default=DEFAULTS["social"])
    ap.add_argument("--records", type=int, default=DEFAULTS["cases"])
    ap.add_argument("--ads", type=int, default=DEFAULTS["screen"])
    ap.add_argument("--baseline-posts", type=int, default=50_000,
                    help="posts the slow twarc-csv baseline reads; its time is scaled to --posts (0 = all)")
    ap.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    ap.add_argument("--work", type=Path, default=None,
                    help="folder for generated data, kept between runs (default: a temporary folder, removed)")
    ap.add_argument("--json", action="store_true", help="print one JSON object per benchmark")
    a = ap.parse_args(argv)
    work = a.work or Path(tempfile.mkdtemp(prefix="tiplens-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        todo = ["social", "cases", "screen"] if a.which == "all" else [a.which]
        for which in todo:
            if which == "social":
                r = bench_social(a.posts, a.engine, a.baseline_posts, work)
            elif which == "cases":
                r = bench_cases(a.records, a.engine, work)
            else:
                r = bench_screen(a.ads, a.engine, work)
            if a.json:
                print(json.dumps(r), flush=True)
            else:
                print("\n".join(f"{k:>32}: {v}" for k, v in r.items()) + "\n", flush=True)
                if which == "screen":
                    print(screen_summary(r) + "\n", flush=True)
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
