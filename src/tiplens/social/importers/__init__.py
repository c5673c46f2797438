"""Social importers, one module per source format, registered here explicitly.

Order matters for recognition: the first module whose ``sniff`` accepts the head of a
file reads it. ``csv`` comes last (it accepts any delimited text).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from tiplens.errors import BadInput
from tiplens.social.importers import bluesky, csv, mastodon, twarc2, v1, x_archive, zeeschuimer

FORMATS: dict[str, ModuleType] = {
    m.NAME: m for m in (twarc2, zeeschuimer, x_archive, v1, mastodon, bluesky, csv)
}


def detect(path: Path, head: str) -> ModuleType:
    for module in FORMATS.values():
        if module.sniff(head, path):
            return module
    raise BadInput(
        f"{path}: format not recognised (known: {', '.join(FORMATS)}); pass --format to force one"
    )


def by_name(name: str) -> ModuleType:
    try:
        return FORMATS[name]
    except KeyError:
        raise BadInput(f"unknown format {name!r}: choose auto or one of {', '.join(FORMATS)}") from None
