"""Cases importers, one module per source format, registered here explicitly.

Recognition reads the header (column names), not the file extension; the first module
whose ``sniff`` accepts it reads the file. ``csv`` comes last (it accepts any table).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tiplens.cases.importers import csv, ctdc, ctdc_synthetic, glotip, gsi
from tiplens.errors import BadInput

FORMATS: dict[str, ModuleType] = {
    ctdc_synthetic.NAME: ctdc_synthetic,
    ctdc.NAME: ctdc,
    glotip.NAME: glotip,
    gsi.NAME: gsi,
    csv.NAME: csv,
}


def detect(path: Path, headers: list[list[str]], mapping: dict[str, str]) -> ModuleType:
    """The format whose ``sniff`` accepts one of the candidate header lines."""
    if mapping:
        return csv
    for module in FORMATS.values():
        if module is not csv and any(module.sniff(h, path) for h in headers):
            return module
    header = headers[0] if headers else []
    raise BadInput(f"{path}: format not recognised from its columns ({', '.join(h for h in header[:8] if h)}); "
                   f"pass --format ({', '.join(FORMATS)}) or --map SOURCE_COLUMN=FIELD")


def by_name(name: str) -> ModuleType:
    try:
        return FORMATS[name]
    except KeyError:
        raise BadInput(f"unknown format {name!r}: choose auto or one of {', '.join(FORMATS)}") from None
