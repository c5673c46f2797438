"""Time each section builder of a report (benchmark processes only): the builders in the
named module-level lists are wrapped in place, so a report run fills ``timings``."""

from __future__ import annotations

import functools
import time
from types import ModuleType


def time_sections(module: ModuleType, lists: list[str], timings: dict[str, float]) -> None:
    for list_name in lists:
        builders = getattr(module, list_name)
        for i, fn in enumerate(builders):
            @functools.wraps(fn)  # keeps the builder's name and module (the report orders by them)
            def wrapped(*a, _fn=fn, **k):
                t0 = time.perf_counter()
                try:
                    return _fn(*a, **k)
                finally:
                    key = _fn.__name__.removesuffix("_section").lstrip("_")
                    if key == "section":
                        key = _fn.__module__.rsplit(".", 1)[-1]
                    timings[key] = round(timings.get(key, 0.0) + time.perf_counter() - t0, 2)
            builders[i] = wrapped
