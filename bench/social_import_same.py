"""Time two versions of the social import on one file and check they write the same rows
(benchmark helper, not a test).

    python bench/social_import_same.py FILE OLD_SRC NEW_SRC [--work DIR] [--pairs 2]

imports FILE into a new study with OLD_SRC's tiplens, then with NEW_SRC's, each in its own
process, ``--pairs`` times in turn (back to back, so both see about the same load). Prints per
run the import's wall clock and CPU seconds (all threads of the process), the closing of the
study (its checkpoint) likewise, the peak RSS, the study's size and the 1-minute load average.
Then compares posts, post_entities and interactions of the last two studies row for row (DuckDB
EXCEPT ALL both ways, every column but import_id); exits 1 when anything differs.
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
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import tiplens
assert tiplens.__file__.startswith(sys.argv[3]), tiplens.__file__
from tiplens.social.importing import import_files
from tiplens.store import Study

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

store = Path(sys.argv[2])
store.unlink(missing_ok=True)
load = os.getloadavg()[0]
c0, t0 = cpu(), time.perf_counter()
study = Study(store)
rep = import_files(study, [Path(sys.argv[1])])
c1, t1 = cpu(), time.perf_counter()
study.close()
c2, t2 = cpu(), time.perf_counter()
print(json.dumps({"import_s": round(t1 - t0, 2), "import_cpu": round(c1 - c0, 2), "close_s": round(t2 - t1, 2),
                  "close_cpu": round(c2 - c1, 2), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10,
                  "study_mb": store.stat().st_size >> 20, "load": round(load, 2), "imported": rep.imported}))
"""

TABLES = ("posts", "post_entities", "interactions")


def run(file: Path, src: str, store: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, str(file), str(store), src], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{src}: {done.stderr.strip()[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def differences(old: Path, new: Path) -> dict[str, tuple[int, int, int, int]]:
    """Per table: rows in old, rows in new, rows only in old, rows only in new."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{old}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{new}' AS b (READ_ONLY)")
    out = {}
    for table in TABLES:
        cols = ", ".join(c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'a' AND table_name = ? "
            "ORDER BY column_index", [table]).fetchall() if c != "import_id")
        counts = [con.execute(f"SELECT count(*) FROM {db}.{table}").fetchall()[0][0] for db in ("a", "b")]
        only = [con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {x}.{table} EXCEPT ALL "
                            f"SELECT {cols} FROM {y}.{table})").fetchall()[0][0] for x, y in (("a", "b"), ("b", "a"))]
        out[table] = (*counts, *only)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("old_src")
    ap.add_argument("new_src")
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--pairs", type=int, default=2)
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="import-same-"))
    work.mkdir(parents=True, exist_ok=True)
    stores = {"old": work / "old.duckdb", "new": work / "new.duckdb"}
    for i in range(a.pairs):
        for which, src in (("old", a.old_src), ("new", a.new_src)):
            r = run(a.file, os.path.abspath(src), stores[which])
            print(f"pair {i + 1} {which}: import {r['import_s']} s, {r['import_cpu']} CPU-s; close {r['close_s']} s, "
                  f"{r['close_cpu']} CPU-s; peak {r['peak_mb']} MB; study {r['study_mb']} MB; "
                  f"imported {r['imported']}; load {r['load']}", flush=True)
    same = True
    for table, (n_old, n_new, only_old, only_new) in differences(stores["old"], stores["new"]).items():
        print(f"{table}: {n_old} rows old, {n_new} new; only in old {only_old}, only in new {only_new}")
        same &= n_old == n_new and only_old == only_new == 0
    print("same rows" if same else "DIFFERENT rows")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
