"""Everything the cases report publishes passes through here: counts below the threshold
become "<T", complementary cells "c", and a log of what was withheld goes to
``privacy.json``. Columns derived from a withheld count (shares, rates) are blanked."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from tiplens.cases.analyses import privacy


@dataclass
class Publisher:
    threshold: int
    log: dict[str, dict] = field(default_factory=dict)

    def table(self, name: str, data: pa.Table, count: str = "victims", *, rows: str | None = None,
              cols: str | None = None, dense: bool = True, margins: bool = True,
              derived: tuple[str, ...] = ()) -> pd.DataFrame:
        """The published form of ``data``: ``count`` as labels, ``derived`` blanked where the count is withheld."""
        data = _fill_unknown(data, [c for c in (rows, cols) if c])
        if data.num_rows == 0:
            self.log[name] = {"cells": 0, "primary": 0, "complementary": 0}
            return data.to_pandas()
        out, summary = privacy.guard(data, count, rows=rows, cols=cols, threshold=self.threshold, dense=dense,
                                     row_totals_known=margins, col_totals_known=margins)
        frame = out.to_pandas()
        hidden = ~frame[count].str.fullmatch(r"\d+")
        for col in derived:
            if col in frame:
                frame[col] = frame[col].astype(object).where(~hidden, None)
        self.log[name] = summary
        return frame

    def column(self, name: str, frame: pd.DataFrame, count: str) -> pd.DataFrame:
        """Primary suppression of one more count column of a published frame (no totals relate its cells)."""
        values = [int(v) if pd.notna(v) else 0 for v in frame[count]]
        labels = [privacy.label(v, privacy.PRIMARY if v < self.threshold else privacy.PUBLISHED, self.threshold)
                  for v in values]
        out = frame.copy()
        out[count] = labels
        self.log[name] = {"cells": len(values), "primary": sum(v < self.threshold for v in values),
                          "complementary": 0}
        return out


def published_values(frame: pd.DataFrame, count: str = "victims") -> pd.DataFrame:
    """Rows whose count was published, with the count as a number (for charts)."""
    keep = frame[frame[count].astype(str).str.fullmatch(r"\d+")].copy()
    keep[count] = keep[count].astype(int)
    return keep


def _fill_unknown(data: pa.Table, columns: list[str]) -> pa.Table:
    for col in columns:
        values = ["(unknown)" if v is None else str(v) for v in data.column(col).to_pylist()]
        data = data.set_column(data.column_names.index(col), col, pa.array(values, pa.string()))
    return data
