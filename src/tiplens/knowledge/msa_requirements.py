"""The 11 modern slavery statement requirements and their mapping to the UK, Australian and
Canadian Acts (package data: ``msa_requirements.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from tiplens.errors import BadInput

NAMES: tuple[str, ...] = (
    "approval", "signature", "c1_reporting_entity", "c2_structure", "c2_operations", "c2_supply_chains",
    "c3_risks", "c4_mitigation", "c4_remediation", "c5_effectiveness", "c6_consultation",
)
ACTS: tuple[str, ...] = ("au", "uk", "ca")
METHODS = ("model", "rules", "both")


@dataclass(frozen=True)
class ActMapping:
    reference: str
    status: str  # mandatory | suggested | none
    text: str


@dataclass(frozen=True)
class Requirement:
    name: str
    label: str
    description: str
    decided_by: str  # model | rules | both
    acts: dict[str, ActMapping]

    def act(self, act: str) -> ActMapping:
        return self.acts[act]


@lru_cache(maxsize=1)
def load() -> tuple[Requirement, ...]:
    """The requirements, in the canonical order of :data:`NAMES` (checked)."""
    raw = yaml.safe_load(resources.files("tiplens.knowledge").joinpath("msa_requirements.yaml").read_text("utf-8"))
    out = []
    for item in raw["requirements"]:
        acts = {a: ActMapping(**item["acts"][a]) for a in ACTS}
        req = Requirement(item["name"], item["label"], " ".join(item["description"].split()),
                          item["decided_by"], acts)
        if req.decided_by not in METHODS:
            raise ValueError(f"msa_requirements.yaml: {req.name}: decided_by {req.decided_by!r}")
        out.append(req)
    if tuple(r.name for r in out) != NAMES:
        raise ValueError("msa_requirements.yaml: requirement names or order differ from NAMES")
    return tuple(out)


def by_name() -> dict[str, Requirement]:
    return {r.name: r for r in load()}


def act_title(act: str) -> str:
    raw = yaml.safe_load(resources.files("tiplens.knowledge").joinpath("msa_requirements.yaml").read_text("utf-8"))
    return str(raw["acts"][check_act(act)])


def check_act(act: str) -> str:
    a = (act or "").strip().lower()
    if a not in ACTS:
        raise BadInput(f"--act {act!r}: expected one of {', '.join(ACTS)}")
    return a
