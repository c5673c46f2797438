"""The hotline directory (``hotlines.yaml``): where to report trafficking or get help, by
country, each number with its source."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import phonenumbers
import pycountry
import yaml

from tiplens.errors import BadInput

PATH = Path(__file__).with_name("hotlines.yaml")
TYPES = ("national", "state", "regional", "labour", "victim", "emergency")


@dataclass(frozen=True)
class Hotline:
    country: str          # ISO 3166-1 alpha-2
    region: str           # the country, an ISO 3166-2 subdivision or a tiplens region code
    name: str
    number: str           # as published
    type: str
    languages: tuple[str, ...]
    source: str           # source id
    cite: str             # the source's citation
    url: str | None = None
    whatsapp: str | None = None
    verified: bool = True  # False: only in the seed text, never offered as a referral
    note: str = ""
    e164: str | None = None  # for numbers published in international form

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "number": self.number, "e164": self.e164, "whatsapp": self.whatsapp,
                "type": self.type, "country": self.country, "region": self.region, "source": self.url or self.cite}


@lru_cache(maxsize=1)
def load_hotlines() -> tuple[Hotline, ...]:
    raw = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    sources = raw.get("sources") or {}
    out = []
    for i, h in enumerate(raw.get("hotlines") or [], start=1):
        where = f"{PATH.name}: hotline {i} ({h.get('name', '?')})"
        for key in ("country", "region", "name", "number", "type", "source"):
            if not h.get(key):
                raise BadInput(f"{where}: '{key}' is missing")
        if pycountry.countries.get(alpha_2=h["country"]) is None:
            raise BadInput(f"{where}: {h['country']!r} is not an ISO 3166-1 alpha-2 code")
        if not str(h["region"]).startswith(h["country"]):
            raise BadInput(f"{where}: region {h['region']!r} is not inside country {h['country']!r}")
        if h["type"] not in TYPES:
            raise BadInput(f"{where}: type {h['type']!r} is not one of {', '.join(TYPES)}")
        src = sources.get(h["source"])
        if not src:
            raise BadInput(f"{where}: unknown source {h['source']!r}")
        number = str(h["number"])
        out.append(Hotline(
            country=h["country"], region=str(h["region"]), name=h["name"], number=number, type=h["type"],
            languages=tuple(h.get("languages") or ()), source=h["source"], cite=src.get("cite", ""),
            url=src.get("url"), whatsapp=_e164(h.get("whatsapp"), where), verified=bool(h.get("verified", True)),
            note=str(h.get("note") or "").strip(), e164=_e164(number, where) if number.startswith("+") else None,
        ))
    return tuple(out)


def _e164(number: str | None, where: str) -> str | None:
    if not number:
        return None
    try:
        parsed = phonenumbers.parse(str(number), None)
    except phonenumbers.NumberParseException as exc:
        raise BadInput(f"{where}: {number!r} is not an international number ({exc})") from None
    if not phonenumbers.is_possible_number(parsed):
        raise BadInput(f"{where}: {number!r} is not a possible phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def country_code(value: str) -> str:
    """'id', 'IDN', 'Indonesia' -> 'ID'; subdivisions such as 'US-NJ' keep their suffix."""
    text = value.strip()
    head, sep, tail = text.partition("-")
    country = None
    for lookup in (lambda v: pycountry.countries.get(alpha_2=v.upper()),
                   lambda v: pycountry.countries.get(alpha_3=v.upper())):
        country = lookup(head) if len(head) in (2, 3) else None
        if country:
            break
    if country is None and not sep:
        try:
            country = pycountry.countries.lookup(text)
        except LookupError:
            country = None
    if country is None:
        raise BadInput(f"--country {value!r}: not a country code or name (use ISO codes such as ID, MY, SA)")
    return country.alpha_2 + (f"-{tail.upper()}" if sep and tail else "")
