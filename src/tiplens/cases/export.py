"""``tiplens cases export``: write k-anonymous case microdata as CSV."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv

from tiplens.cases.analyses import kanonymity
from tiplens.cases.tables import cases_tables, study_tables
from tiplens.engines import connect
from tiplens.errors import BadInput
from tiplens.store import Study


def export_k_anonymous(study: Study, out: str | Path, *, k: int = 11, quasi: tuple[str, ...] | None = None,
                       periods: tuple[tuple[int, int], ...] = (), engine: str | None = None) -> dict:
    """Write the export and return {"rows_in", "rows_out", "suppressed", "k", "generalised"}."""
    names = study_tables(study)
    if "cases" not in names:
        raise BadInput(f"{study.path}: the study has no case records; run 'tiplens cases import' first")
    tables = cases_tables(connect(study, engine), names)
    params = kanonymity.Params(k=k, quasi=quasi or kanonymity.DEFAULT_QUASI, periods=periods)
    result = kanonymity.run(tables, params)
    data = result.table.to_pyarrow()
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(data, target)
    return result.summary()
