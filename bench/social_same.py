"""Check that two versions of the code write the same social report (benchmark helper, not a test).

    python bench/social_same.py STUDY OLD_SRC NEW_SRC [--out DIR]

runs `tiplens.social.report.write` on STUDY (opened read-only) once with OLD_SRC on the Python
path and once with NEW_SRC, each in its own process, then compares every file the two reports
wrote byte for byte. report.html and provenance.json are compared line by line without the
line that holds the time of the run. Prints one line per file and the report seconds of each
run, wall clock and CPU (all threads of the process: on a shared machine the CPU seconds vary
less than the wall clock), with the 1-minute load average and each section's seconds
(bench/section_timer.py; two sections are built at a time, so they add up to more than the
report); exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

RUN = """
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[3])
from section_timer import time_sections
from tiplens.social import report
from tiplens.social.report import SocialReportParams, write
from tiplens.store import Study
sections = {}
time_sections(report, ["SECTIONS"], sections)
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t0, c0 = time.perf_counter(), cpu()
with Study(sys.argv[1], read_only=True) as study:
    write(study, sys.argv[2], SocialReportParams())
print(json.dumps({"report_seconds": round(time.perf_counter() - t0, 2), "report_cpu_seconds": round(cpu() - c0, 2),
                  "load_average_1m": os.getloadavg()[0], "sections": sections}))
"""
TIMED = ("report.html", "provenance.json")  # these carry the time of the run


def run(src: str, study: Path, out: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=src)
    done = subprocess.run([sys.executable, "-c", RUN, str(study), str(out), str(Path(__file__).resolve().parent)],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the report failed with {src}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def same(a: Path, b: Path) -> bool:
    if a.name not in TIMED:
        return a.read_bytes() == b.read_bytes()
    la, lb = a.read_text(encoding="utf-8").splitlines(), b.read_text(encoding="utf-8").splitlines()
    return len(la) == len(lb) and all(x == y or "generated_at" in x for x, y in zip(la, lb, strict=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("study", type=Path)
    ap.add_argument("old_src")
    ap.add_argument("new_src")
    ap.add_argument("--out", type=Path, default=None, help="folder for the two reports (default: a temporary one)")
    a = ap.parse_args()
    out = a.out or Path(tempfile.mkdtemp(prefix="tiplens-same-"))
    old, new = out / "old", out / "new"
    times = {"old": run(a.old_src, a.study, old), "new": run(a.new_src, a.study, new)}
    files = sorted({p.relative_to(old) for p in old.rglob("*") if p.is_file()}
                   | {p.relative_to(new) for p in new.rglob("*") if p.is_file()})
    bad = 0
    for rel in files:
        ok = (old / rel).is_file() and (new / rel).is_file() and same(old / rel, new / rel)
        bad += not ok
        print(f"{'same' if ok else 'DIFFERS'} {rel}")
    print(json.dumps(times))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
