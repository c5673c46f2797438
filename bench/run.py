"""Benchmarks (not tests): print figures and ratios against baselines measured in the same run.

    python bench/run.py social --posts 1000000 [--engine duckdb|spark] [--baseline-posts N] --json
    python bench/run.py all            # the default sizes, human-readable

Each measured step runs in its own process so peak memory (ru_maxrss) is that step's own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _child(step: str, args: list[str]) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "run.py"), "_step", step, *args],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"benchmark step {step} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _step(step: str, args: list[str]) -> None:
    import social

    path = Path(args[0])
    if step == "social-tiplens":
        res = social.tiplens_run(path, Path(args[1]), engine=args[2])
    elif step == "social-scan":
        res = social.scan_run(path)
    elif step == "social-baseline":
        res = social.baseline_run(path, limit=int(args[1]) or None)
    else:
        raise SystemExit(f"unknown step {step}")
    res["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(res))


def bench_social(posts: int, engine: str, baseline_posts: int, work: Path) -> dict:
    import gen_social

    path = work / f"twarc2-{posts}.jsonl"
    if not path.exists():
        gen_social.generate(path, posts)
    tip = _child("social-tiplens", [str(path), str(work), engine])
    scan = _child("social-scan", [str(path)])
    base_n = min(baseline_posts or posts, posts)
    base = _child("social-baseline", [str(path), str(base_n)])
    # the baseline may run on a prefix (it is slow): compare throughput, then scale to the same size
    base_rate = base["posts"] / base["seconds"]
    baseline_seconds = posts / base_rate
    return {
        "benchmark": "social", "engine": engine, "posts": posts, "file_mb": round(path.stat().st_size / 2**20, 1),
        "seconds": round(tip["seconds"], 2), "import_seconds": round(tip["import_seconds"], 2),
        "report_seconds": round(tip["report_seconds"], 2), "posts_per_second": round(posts / tip["seconds"]),
        "peak_rss_mb": round(tip["peak_rss_mb"]), "scan_seconds": round(scan["seconds"], 2),
        "ratio_to_scan": round(tip["seconds"] / scan["seconds"], 2),
        "baseline": "twarc-csv DataFrameConverter + pandas", "baseline_posts_measured": base["posts"],
        "baseline_seconds": round(baseline_seconds, 2), "baseline_peak_rss_mb": round(base["peak_rss_mb"]),
        "speedup_vs_baseline": round(baseline_seconds / tip["seconds"], 1),
        "baseline_extrapolated": base["posts"] < posts,
    }


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_step":
        return _step(argv[1], argv[2:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("which", choices=["social", "all"])
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--baseline-posts", type=int, default=50_000, help="posts the slow baseline reads (0 = all)")
    ap.add_argument("--engine", default="duckdb")
    ap.add_argument("--work", type=Path, default=None, help="folder for generated data (default: a temp folder)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    work = a.work or Path(tempfile.mkdtemp(prefix="tiplens-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    if a.which in ("social", "all"):
        results.append(bench_social(a.posts, a.engine, a.baseline_posts, work))
    for r in results:
        if a.json:
            print(json.dumps(r))
        else:
            print("\n".join(f"{k:>26}: {v}" for k, v in r.items()) + "\n")


if __name__ == "__main__":
    main()
