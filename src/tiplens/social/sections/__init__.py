"""The social report's sections, one module per analysis: each runs its analysis and lays
the result out as a ``Section`` with a plain-language reading next to the statistics."""

from __future__ import annotations

import pandas as pd


def years_as_text(frame: pd.DataFrame, column: str = "year") -> pd.DataFrame:
    """Years shown as 2015, not 2,015 (the report formats numbers with thousands separators)."""
    if column in frame:
        frame = frame.assign(**{column: frame[column].map(lambda y: "" if pd.isna(y) else str(int(y)))})
    return frame
