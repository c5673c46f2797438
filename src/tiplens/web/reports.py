"""The pillars' reports for the open study, built by the pillars' own report builders (no second
implementation) and cached per study version, and their tables by name for the JSON API.

A page shows a report's sections with the shared block templates; the API returns the same
tables the report writes to ``tables/*.csv`` (for cases: only what the privacy guard published).
"""

from __future__ import annotations

import importlib
import io
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import orjson
import pandas as pd

from tiplens.errors import BadInput
from tiplens.report import Report, Table
from tiplens.web.state import State

PILLARS = ("social", "cases", "supply")


def social(state: State) -> Report:
    from tiplens.social.report import SocialReportParams, build

    return state.cached("social", lambda: build(state.need_study(), SocialReportParams(),
                                                synthetic=state.synthetic()))


def cases(state: State) -> Report:
    from tiplens.cases.context import CasesReportParams
    from tiplens.cases.report import build

    return state.cached("cases", lambda: build(state.need_study(), CasesReportParams(),
                                               synthetic=state.synthetic()))


def supply(state: State) -> Report:
    """The supplier-risk report; BadInput when the study has no supplier list."""
    from tiplens.supply.report import build, has_suppliers

    def make() -> Report:
        study = state.need_study()
        if not has_suppliers(study):
            raise BadInput(f"{study.path.name}: the study has no supplier list; import one on the Study page "
                           "(pillar 'supply') or with 'tiplens supply import'")
        return build(study, synthetic=state.synthetic())

    return state.cached("supply", make)


BUILDERS = {"social": social, "cases": cases, "supply": supply}


def report(state: State, pillar: str) -> Report:
    return BUILDERS[pillar](state)


@dataclass(frozen=True)
class NamedTable:
    name: str
    title: str
    frame: pd.DataFrame


def tables(rep: Report) -> dict[str, NamedTable]:
    """Every table the report exports (``tables/<name>.csv``): the named Table blocks and the
    extra CSV files some reports add (supply: suppliers.csv with the reasons)."""
    out: dict[str, NamedTable] = {}
    for section in rep.sections:
        for block in section.blocks:
            if isinstance(block, Table) and block.export and block.name:
                out[block.name] = NamedTable(block.name, block.title or section.title, block.frame)
    for path, text in rep.files.items():
        if path.startswith("tables/") and path.endswith(".csv"):
            name = path[len("tables/"):-len(".csv")]
            # only empty cells are missing: "NA" is Namibia
            frame = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
            out[name] = NamedTable(name, name.replace("_", " "), frame)
    return out


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as a list of records, missing values as None (for :func:`to_json`)."""
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def to_json(body: Any) -> bytes:
    """JSON bytes for API answers: numpy values as numbers, timestamps in ISO 8601."""
    return orjson.dumps(body, default=_plain, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def optional(module: str) -> ModuleType | None:
    """A module of another part of the project that may not be installed yet (lazy import)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise


def sections_or_note(state: State, pillar: str) -> tuple[Report | None, str | None]:
    """The report, or the one-line reason it cannot be built (no data of that pillar yet)."""
    try:
        return report(state, pillar), None
    except BadInput as exc:
        return None, str(exc)


def describe(rep: Report) -> dict[str, Any]:
    return {"title": rep.title, "subtitle": rep.subtitle, "synthetic": rep.synthetic,
            "tables": [{"name": t.name, "title": t.title, "rows": len(t.frame)} for t in tables(rep).values()]}
