"""Regional cooperation against trafficking (``cooperation.yaml``): the table of cooperating
entities by region from seed document 001, re-worded, with its source."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from tiplens.errors import BadInput

PATH = Path(__file__).with_name("cooperation.yaml")
FIELDS = ("region", "entities", "efforts", "concept", "reference")


@dataclass(frozen=True)
class Cooperation:
    region: str
    entities: str
    efforts: str
    concept: str  # the seed's reading of the effort in liberal IR terms
    reference: str


@dataclass(frozen=True)
class CooperationTable:
    entries: tuple[Cooperation, ...]
    cite: str
    seed: str


@lru_cache(maxsize=1)
def load_cooperation() -> CooperationTable:
    raw = yaml.safe_load(PATH.read_text(encoding="utf-8")) or {}
    source = raw.get("source") or {}
    if not source.get("cite"):
        raise BadInput(f"{PATH.name}: the table needs a source with a citation")
    entries = []
    for i, e in enumerate(raw.get("entries") or [], start=1):
        missing = [f for f in FIELDS if not str((e or {}).get(f) or "").strip()]
        if missing:
            raise BadInput(f"{PATH.name}: entry {i} lacks {', '.join(missing)}")
        entries.append(Cooperation(*(str(e[f]).strip() for f in FIELDS)))
    if not entries:
        raise BadInput(f"{PATH.name}: no entries")
    return CooperationTable(tuple(entries), str(source["cite"]), str(source.get("seed") or ""))
