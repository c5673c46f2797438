"""The organisation registry: account handles of UN agencies, IOM offices, governments,
NGOs and media, with their type and country. Bundled as ``organisations.yaml``; users
pass their own copy (``--organisations``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycountry
import yaml

from tiplens.errors import BadInput

ORG_TYPES = ("un_agency", "iom_office", "government", "ngo", "media", "other")
UNLISTED = "unlisted"  # the org_type of an account the registry does not know


@dataclass(frozen=True)
class Organisation:
    handle: str  # lower case, no '@'
    name: str
    type: str
    country: str | None  # ISO 3166-1 alpha-2, None for global or regional accounts


@dataclass(frozen=True)
class OrganisationRegistry:
    organisations: tuple[Organisation, ...]
    source: str  # "bundled" or the file path
    _index: dict[str, Organisation] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {o.handle: o for o in self.organisations})

    def get(self, handle: str | None) -> Organisation | None:
        if not handle:
            return None
        return self._index.get(handle.strip().lstrip("@").lower())

    def type_of(self, handle: str | None) -> str:
        org = self.get(handle)
        return org.type if org else UNLISTED

    def handles(self) -> tuple[str, ...]:
        return tuple(o.handle for o in self.organisations)


def load_organisations(path: str | Path | None = None) -> OrganisationRegistry:
    """Load and validate a registry; ``None`` loads the bundled one. Raises BadInput."""
    if path is None:
        text = resources.files("tiplens.knowledge").joinpath("organisations.yaml").read_text(encoding="utf-8")
        where = "organisations.yaml (bundled)"
        source = "bundled"
    else:
        p = Path(path)
        if not p.is_file():
            raise BadInput(f"{p}: organisation registry not found")
        text = p.read_text(encoding="utf-8")
        where = source = str(p)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise BadInput(f"{where}{line}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    entries = data.get("organisations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BadInput(f"{where}: expected a top-level 'organisations:' list")
    orgs: list[Organisation] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        orgs.append(_entry(entry, i, where, seen))
    return OrganisationRegistry(tuple(orgs), source)


def _entry(entry: object, i: int, where: str, seen: set[str]) -> Organisation:
    if not isinstance(entry, dict):
        raise BadInput(f"{where}: organisation #{i} is not a mapping with handle, name, type, country")
    handle = str(entry.get("handle") or "").strip().lstrip("@").lower()
    if not handle:
        raise BadInput(f"{where}: organisation #{i} has no handle")
    if handle in seen:
        raise BadInput(f"{where}: handle {handle!r} is listed twice")
    seen.add(handle)
    org_type = str(entry.get("type") or "").strip()
    if org_type not in ORG_TYPES:
        raise BadInput(f"{where}: {handle}: type {org_type!r} is not one of {', '.join(ORG_TYPES)}")
    country = str(entry.get("country") or "").strip().upper() or None
    if country is not None and pycountry.countries.get(alpha_2=country) is None:
        raise BadInput(f"{where}: {handle}: country {country!r} is not an ISO 3166-1 alpha-2 code")
    name = str(entry.get("name") or handle).strip()
    return Organisation(handle=handle, name=name, type=org_type, country=country)
