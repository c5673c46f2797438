"""Peak memory of a benchmark step: the step's process and every process it starts.

``ru_maxrss`` of the step process is exact but misses the Java process PySpark starts, so
the parent also samples the resident memory of the whole process tree (from /proc, every
0.1 s) while the step runs. Each step reports the larger of the two.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MiB (0 when /proc is absent)."""
    if not Path("/proc").is_dir():
        return 0.0
    kids = _children()
    todo, total = [pid], 0
    while todo:
        p = todo.pop()
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * PAGE_KB
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(kids.get(p, []))
    return total / 1024


def run_sampled(cmd: list[str], env: dict[str, str] | None = None, interval: float = 0.1) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``cmd`` to completion; return the completed process and the peak tree RSS (MiB)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            stop.wait(interval)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    stop.set()
    t.join()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), peak


def load_average() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def now() -> float:
    return time.perf_counter()
