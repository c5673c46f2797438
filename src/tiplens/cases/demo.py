"""``tiplens demo`` for the cases pillar: generate the SYNTHETIC sample, import it, write the report."""

from __future__ import annotations

from pathlib import Path

from tiplens.store import Study


def cases_demo(out: Path) -> Path:
    from tiplens.cases.context import CasesReportParams
    from tiplens.cases.importing import import_files
    from tiplens.cases.report import write
    from tiplens.samples import cases as sample

    files = sample.generate(out / "data")
    store = out / "cases" / "study.duckdb"
    store.unlink(missing_ok=True)
    with Study(store) as study:
        import_files(study, [files["cases"], files["glotip"], files["gsi"]])
        params = CasesReportParams(periods=((2015, 2019), (2020, 2021), (2022, 2023)))
        return write(study, out / "cases", params, synthetic=True)
