"""The screening demo: screen the synthetic ads and write ``<out>/screen/report.html``."""

from __future__ import annotations

from pathlib import Path

from tiplens.samples import screen as sample
from tiplens.screen.linking import Linker, LinkParams
from tiplens.screen.report import write
from tiplens.screen.screening import ScreenOptions, screen_files


def screen_demo(out: Path) -> Path:
    data = sample.generate(Path(out) / "data" / "screen_sample.csv")
    folder = Path(out) / "screen"
    folder.mkdir(parents=True, exist_ok=True)
    linker = Linker(LinkParams(region="ID"))
    options = ScreenOptions(label_column="synthetic_label", country="ID", on_record=linker.on_record)
    summary = screen_files([data], folder / "results.jsonl", options)
    return write(summary, folder, synthetic=True, title="Screening of job ads and posts (demonstration)",
                 extra_sections=linker.sections())
