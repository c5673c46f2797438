"""Forms of exploitation, organisations, instruments and campaigns from the seed documents
(``forms.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from tiplens.errors import BadInput

PATH = Path(__file__).with_name("forms.yaml")


@dataclass(frozen=True)
class Form:
    id: str
    label_en: str
    label_id: str
    description: str
    seeds: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """An organisation, legal instrument or campaign named in the seeds."""

    id: str
    name: str
    note: str
    seeds: tuple[str, ...]


@dataclass(frozen=True)
class Knowledge:
    forms: tuple[Form, ...]
    organisations: tuple[Entry, ...]
    instruments: tuple[Entry, ...]
    campaigns: tuple[Entry, ...]


@lru_cache(maxsize=1)
def load_forms() -> Knowledge:
    raw = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    forms = []
    for f in raw.get("forms") or []:
        if not f.get("id") or not f.get("label_en") or not f.get("label_id"):
            raise BadInput(f"{PATH}: every form needs id, label_en and label_id ({f!r:.80})")
        forms.append(Form(f["id"], f["label_en"], f["label_id"], f.get("description", ""),
                          tuple(str(s) for s in f.get("seeds") or [])))
    ids = [f.id for f in forms]
    if len(ids) != len(set(ids)):
        raise BadInput(f"{PATH}: duplicate form ids")

    def entries(key: str) -> tuple[Entry, ...]:
        return tuple(Entry(e["id"], e["name"], e.get("role") or e.get("note") or "",
                           tuple(str(s) for s in e.get("seeds") or [])) for e in raw.get(key) or [])

    return Knowledge(tuple(forms), entries("organisations"), entries("instruments"), entries("campaigns"))


def form_ids() -> set[str]:
    return {f.id for f in load_forms().forms}
