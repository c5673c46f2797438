"""The contract every cases importer follows, and the value parsers they share.

A format module defines ``NAME``, ``KIND`` ("cases" or "stats"), ``sniff(header, path)``
(recognise the format from the column names) and ``read(path, ctx)``, which yields
``(line, CaseRow | StatRow | Reject)`` for every source record. Parsers raise
:class:`BadCode` for a value that is present but not valid; the format module turns it
into a :class:`~tiplens.importing.Reject` naming the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tiplens.cases.schema import AGE_BANDS, FLAG_COLUMNS
from tiplens.knowledge.countries import by_code

MISSING = {"", "-99", "-99.0", "na", "n/a", "null", "none", "nan", "unknown", "not specified", "unk"}
# CTDC's country lookup: "00" Unknown Country, "ZZ" unknown; "0" is "00" after a spreadsheet or
# pandas read it as a number (the shared 2020 subset has it 8,858 times).
UNKNOWN_COUNTRY = {"00", "0", "0.0", "ZZ", "ZZZ", "XX", "XXX"}
FIRST_YEAR = 1990


class BadCode(ValueError):
    """A value that is present but not valid for its field."""


@dataclass
class CaseRow:
    source: str
    year: int | None = None
    sex: str | None = None
    age_band: str | None = None
    minor: bool | None = None
    citizenship: str | None = None
    country_of_exploitation: str | None = None
    datasource: str | None = None
    traffick_months: str | None = None
    abduction: bool | None = None
    flags: dict[str, bool | None] = field(default_factory=dict)

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {
            "source": self.source, "datasource": self.datasource, "year": self.year, "sex": self.sex,
            "age_band": self.age_band, "minor": self.minor, "citizenship": self.citizenship,
            "country_of_exploitation": self.country_of_exploitation,
            "traffick_months": self.traffick_months, "abduction": self.abduction,
        }
        for col in FLAG_COLUMNS:
            out[col] = self.flags.get(col)
        return out


@dataclass
class StatRow:
    iso3: str | None
    area: str
    year: int | None
    indicator: str
    value: float | None
    suppressed: bool
    source: str
    dimension: str = "Total"
    category: str = "Total"
    sex: str = "Total"
    age: str = "Total"
    unit: str | None = None
    part: int = 1

    def dims(self) -> tuple:
        return (self.area, self.year, self.indicator, self.dimension, self.category, self.sex, self.age, self.source)

    def key(self) -> tuple:
        return (self.area, self.year, self.indicator, self.dimension, self.category, self.sex, self.age, self.part,
                self.source)


@dataclass
class ReadContext:
    file: Path
    encoding: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # --map SOURCE=FIELD


def is_missing(value: object) -> bool:
    return value is None or str(value).strip().lower() in MISSING


def year(value: object, column: str = "year") -> int | None:
    if is_missing(value):
        return None
    text = str(value).strip()
    try:
        f = float(text)
    except ValueError:
        raise BadCode(f"{column}: {text[:20]!r} is not a year") from None
    y = int(f)
    if f != y or not FIRST_YEAR <= y <= date.today().year:
        raise BadCode(f"{column}: impossible year {text[:20]!r} (expected {FIRST_YEAR}-{date.today().year})")
    return y


def country(value: object, column: str) -> str | None:
    """ISO alpha-2 code of a country given as alpha-2, alpha-3 or M49 code; NULL when unknown."""
    if is_missing(value):
        return None
    text = str(value).strip().upper()
    if text in UNKNOWN_COUNTRY:
        return None
    found = by_code(text)
    if found is None:
        raise BadCode(f"{column}: unknown country code {text[:12]!r}")
    return found.iso2


def flag(value: object, column: str) -> bool | None:
    """CTDC binary fields: 1 -> TRUE, 0 -> FALSE, -99 or empty -> NULL (also 1.0/0.0, true/false)."""
    if is_missing(value):
        return None
    text = str(value).strip().lower()
    if text in ("1", "1.0", "true", "yes", "y", "t"):
        return True
    if text in ("0", "0.0", "false", "no", "n", "f"):
        return False
    raise BadCode(f"{column}: {text[:20]!r} is not 0, 1 or -99")


_SEX = {"female": "female", "woman": "female", "f": "female", "girl": "female", "male": "male", "man": "male",
        "m": "male", "boy": "male", "transgender/nonconforming": "other", "trans/transgender/nonconforming": "other",
        "transgender": "other", "other": "other", "non-binary": "other", "nonbinary": "other"}


def sex(value: object, column: str = "gender") -> str | None:
    if is_missing(value):
        return None
    key = str(value).strip().lower()
    if key not in _SEX:
        raise BadCode(f"{column}: unknown value {str(value)[:30]!r}")
    return _SEX[key]


# Narrow CTDC bands (data dictionary "Age range 1") and the broad band each falls in.
_NARROW = {"9-11": "9-17", "12-14": "9-17", "15-17": "9-17", "30-32": "30-38", "33-35": "30-38",
           "36-38": "30-38", "48-56": "48+", "57-65": "48+", "66+": "48+"}
_DASHES = re.compile(r"\s*(?:-+|\u2013|\u2014|\u2012|\u2212|--)\s*")


def age_band(value: object, column: str = "ageBroad") -> str | None:
    """CTDC's broad age bands ('18--20', '0—8', '48+') as '18-20', '0-8', '48+'."""
    if is_missing(value):
        return None
    text = _DASHES.sub("-", str(value).strip())
    if text in AGE_BANDS:
        return text
    if text in _NARROW:
        return _NARROW[text]
    if text.isdigit():  # an exact age
        age = int(text)
        if age > 120:
            raise BadCode(f"{column}: impossible age {text!r}")
        return band_of_age(age)
    raise BadCode(f"{column}: unknown age band {str(value)[:20]!r}")


def band_of_age(age: int) -> str:
    for band in AGE_BANDS[:-1]:
        lo, hi = (int(x) for x in band.split("-"))
        if lo <= age <= hi:
            return band
    return "48+"


def minor_of(band: str | None) -> bool | None:
    if band is None:
        return None
    return band in ("0-8", "9-17")


def majority(value: object, column: str) -> bool | None:
    """majorityStatus: Minor -> TRUE, Adult -> FALSE, Unknown/-99 -> NULL."""
    if is_missing(value):
        return None
    key = str(value).strip().lower()
    if key == "minor":
        return True
    if key == "adult":
        return False
    raise BadCode(f"{column}: {str(value)[:20]!r} is not Minor, Adult or Unknown")


def number(value: object, column: str) -> float | None:
    """A count or score as text: '1,282' -> 1282.0; blank -> None."""
    if is_missing(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    try:
        return float(text)
    except ValueError:
        raise BadCode(f"{column}: {str(value)[:20]!r} is not a number") from None
