"""Rules-only screening throughput on ads of about 2 kB, one core (not a test).

    PYTHONPATH=src python bench/screen_rules.py [--ads 2000] [--file ADS.csv --text-column text]

Without --file the ads are built from the synthetic demo sample (each ad joined with others
until it reaches about 2,000 characters: denser in indicators and contacts than real ads).
Prints ads per CPU-second (process time, so other processes on a busy machine count less)
for each stage and for the whole record (normalise + indicators + language + contacts + rules
score), single process, best of three after a warm-up.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path


def ads_from_sample(n: int, size: int = 2000) -> list[str]:
    from tiplens.samples import screen as sample

    with tempfile.TemporaryDirectory() as tmp:
        path = sample.generate(Path(tmp) / "s.csv")
        texts = [r["text"] for r in csv.DictReader(path.open(encoding="utf-8"))]
    out = []
    for i in range(n):
        parts, j = [], i
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(texts[j % len(texts)])
            j += 7
        out.append("\n".join(parts)[:size])
    return out


def ads_from_file(path: Path, column: str, n: int) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [r[column] for r in csv.DictReader(fh) if r.get(column)]
    return [texts[i % len(texts)] for i in range(n)]


def rate(fn, ads: list[str], repeats: int = 3) -> float:
    """Best of ``repeats`` runs, in ads per second."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        for a in ads:
            fn(a)
        best = min(best, time.process_time() - t0)
    return len(ads) / best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ads", type=int, default=2000)
    ap.add_argument("--file", type=Path)
    ap.add_argument("--text-column", default="text")
    args = ap.parse_args()

    from tiplens.screen.contacts import find_contacts
    from tiplens.screen.indicators import engine
    from tiplens.screen.inputs import Doc
    from tiplens.screen.language import profile
    from tiplens.screen.normalise import normalise
    from tiplens.screen.scoring import Scorer
    from tiplens.screen.screening import Screener, ScreenOptions

    ads = ads_from_file(args.file, args.text_column, args.ads) if args.file else ads_from_sample(args.ads)
    t0 = time.process_time()
    eng = engine()
    eng.find("warm up", None)
    eng.find("warm up", "en")
    compile_s = time.process_time() - t0
    profile("warm up the language model with an ambiguous text ok")
    screener = Screener(ScreenOptions(country="ID"), Scorer(catalogue=eng.catalogue), eng)
    docs = [Doc(str(i), a, "bench", i) for i, a in enumerate(ads)]


    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"tiplens screening benchmark (rules only): {len(ads):,} ads, mean {statistics.mean(map(len, ads)):,.0f} "
          f"characters; python {platform.python_version()}, {os.cpu_count()} cpu(s), load average {load:.1f}")
    print(f"engine compiled in {compile_s:.2f} s ({len(eng.catalogue.indicators)} indicators)")
    calib = rate(lambda a: a.lower(), ads)
    print(f"  calibration: str.lower() {calib:>13,.0f} texts/s (compare machines and loads with this)")
    stages = [
        ("normalise", lambda a: normalise(a)),
        ("normalise + indicators", lambda a: eng.find(a)),
        ("language", lambda a: profile(a)),
        ("contacts", lambda a: find_contacts(a, "ID")),
    ]
    for name, fn in stages:
        print(f"  {name:<26} {rate(fn, ads):>9,.0f} ads/s")
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        for i in range(0, len(docs), 512):
            screener.screen(docs[i:i + 512])
        best = min(best, time.process_time() - t0)
    print(f"  {'whole record (rules only)':<26} {len(docs) / best:>9,.0f} ads/s per core")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
