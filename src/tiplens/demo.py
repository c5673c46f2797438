"""``tiplens demo``: generate every pillar's synthetic sample, import it and write the reports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tiplens.cases.demo import cases_demo
from tiplens.screen.demo import screen_demo
from tiplens.store import Study
from tiplens.supply.demo import supply_demo


def social_demo(out: Path) -> Path:
    from tiplens.samples import social as sample
    from tiplens.social.importing import import_files
    from tiplens.social.report import SocialReportParams, write

    data = sample.generate(out / "data" / "social_sample.jsonl")
    store = out / "social" / "study.duckdb"
    store.unlink(missing_ok=True)
    with Study(store) as study:
        import_files(study, [data])
        return write(study, out / "social", SocialReportParams(account=sample.ACCOUNT["username"]), synthetic=True)


# The pillars' demos, in order. Each writes <out>/<pillar>/report.html and returns its path.
PILLARS: list[tuple[str, Callable[[Path], Path]]] = [
    ("social", social_demo),
    ("cases", cases_demo),
    ("screen", screen_demo),
    ("supply", supply_demo),
]


def run(out: str | Path = "demo-output", progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, fn in PILLARS:
        if progress:
            progress(name)
        written[name] = fn(out)
    return written
