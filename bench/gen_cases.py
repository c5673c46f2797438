"""Generate a large CTDC-schema case file (k-anonymised Global Dataset layout) for benchmarks.

Deterministic for a seed; vectorised with numpy and written by pyarrow in blocks, so ten
million records take about a minute. The header is the one of the bundled synthetic sample
(``tiplens.samples.cases.CTDC_HEADER``: 34 of the 63 CTDC columns, the ones the report
uses). Distributions follow the broad shape of the published CTDC data (facts, not rows):
about 70 % female, a quarter of ages unknown, registrations from 2002 to 2021 peaking in
2016, citizenship concentrated on a few countries with a long tail, a fifth of the
countries unknown ('-99' or CTDC's '00'), many flags unknown ('-99'). Every value is
SYNTHETIC; no row describes a real person.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from tiplens.samples.cases import AGES, CTDC_HEADER, LABOUR, MEANS, RECRUITERS

SEED = 20171128
YEARS = np.arange(2002, 2022)
# registrations per year: slow start, a peak in 2016, a dip at the end (relative weights)
YEAR_WEIGHTS = np.array([10, 4, 2, 14, 14, 14, 8, 6, 9, 13, 14, 18, 30, 43, 164, 65, 58, 40, 22, 18], float)
AGE_WEIGHTS = np.array([3, 17, 9, 9, 7, 5, 14, 6, 3], float)  # over AGES, when known
# (citizenship, weight, share exploited at home, foreign destinations)
ORIGINS = (
    ("PH", 23, 0.25, ("MY", "SA", "AE", "HK", "SG")), ("UA", 16, 0.65, ("RU", "PL", "TR", "DE", "CZ")),
    ("MD", 12, 0.8, ("RU", "TR", "AE", "CY")), ("US", 8, 0.98, ("MX", "CA")), ("KH", 4, 0.45, ("TH", "ID", "MY", "CN")),
    ("ID", 4, 0.15, ("MY", "AE", "SA", "SG", "HK")), ("BY", 3, 0.35, ("RU", "PL", "DE")),
    ("MM", 2.5, 0.1, ("ID", "TH", "MY", "CN")), ("RO", 1.4, 0.4, ("GB", "IT", "DE", "ES", "FR")),
    ("GH", 1.1, 0.95, ("NG", "CI", "AE")), ("KG", 0.9, 0.4, ("RU", "KZ", "TR")), ("BG", 0.7, 0.5, ("DE", "NL", "GB")),
    ("HT", 0.7, 0.9, ("DO", "US")), ("NG", 0.6, 0.3, ("IT", "ES", "LY", "RU")), ("VN", 0.6, 0.3, ("CN", "GB", "MY")),
    ("NP", 0.5, 0.3, ("IN", "MY", "AE", "QA")), ("LA", 0.4, 0.1, ("TH", "CN")), ("MX", 0.5, 0.6, ("US",)),
    ("HN", 0.3, 0.5, ("MX", "GT", "US")), ("UZ", 0.4, 0.2, ("KZ", "RU", "TR")), ("ET", 0.4, 0.2, ("SA", "AE", "LB")),
    ("KE", 0.3, 0.4, ("AE", "SA", "QA")), ("BD", 0.3, 0.4, ("IN", "MY", "AE")), ("TH", 0.3, 0.7, ("MY", "JP")),
    ("AF", 0.2, 0.3, ("IR", "PK", "TR")), ("SN", 0.3, 0.8, ("ML", "MR")), ("CO", 0.3, 0.5, ("MX", "ES", "CN")),
    ("LK", 0.15, 0.3, ("AE", "SA", "KW")), ("CN", 0.2, 0.5, ("MY", "US", "FR")), ("IN", 0.3, 0.8, ("AE", "SA")),
)
UNKNOWN_COUNTRY = 0.18  # share of records with the citizenship unknown
UNKNOWN_DEST = 0.20
BLOCK = 500_000


def generate(path: str | Path, records: int, *, seed: int = SEED) -> Path:
    """Write ``records`` synthetic CTDC rows to ``path`` (CSV, header included)."""
    path = Path(path)
    rng = np.random.default_rng(seed)
    with pacsv.CSVWriter(path, _schema(), write_options=pacsv.WriteOptions(include_header=True,
                                                                           quoting_style="none")) as writer:
        done = 0
        while done < records:
            n = min(BLOCK, records - done)
            writer.write_table(_block(rng, n))
            done += n
    return path


def _schema() -> pa.Schema:
    return pa.schema([(c, pa.string()) for c in CTDC_HEADER])


def _pick(rng: np.random.Generator, values, weights, n: int) -> np.ndarray:
    w = np.asarray(weights, float)
    return np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=w / w.sum())]


def _flags(rng: np.random.Generator, n: int, p: float | np.ndarray, missing: float) -> np.ndarray:
    out = np.where(rng.random(n) < p, "1", "0").astype(object)
    out[rng.random(n) < missing] = "-99"
    return out


def _block(rng: np.random.Generator, n: int) -> pa.Table:
    cols: dict[str, np.ndarray] = {}
    cols["yearOfRegistration"] = _pick(rng, YEARS.astype(str), YEAR_WEIGHTS, n)
    cols["Datasource"] = _pick(rng, ["Case Management", "Hotline"], [0.7, 0.3], n)
    female = rng.random(n) < 0.72
    cols["gender"] = np.where(female, "Female", "Male").astype(object)
    age = _pick(rng, AGES, AGE_WEIGHTS, n)
    age_unknown = rng.random(n) < 0.25
    age[age_unknown] = "-99"
    cols["ageBroad"] = age
    minor = np.where(np.isin(age, AGES[:2]), "Minor", "Adult").astype(object)
    minor[age_unknown] = "-99"
    cols["majorityStatus"] = minor

    o = rng.choice(len(ORIGINS), size=n, p=(w := np.array([x[1] for x in ORIGINS], float)) / w.sum())
    origin = np.array([x[0] for x in ORIGINS], dtype=object)[o]
    home = rng.random(n) < np.array([x[2] for x in ORIGINS])[o]
    pick = rng.random(n)
    foreign = np.array([x[3][int(p * len(x[3]))] for x, p in zip((ORIGINS[i] for i in o), pick, strict=True)],
                       dtype=object)
    dest = np.where(home, origin, foreign).astype(object)
    cit = origin.copy()
    unknown = rng.random(n)
    cit[unknown < UNKNOWN_COUNTRY * 0.6] = "-99"
    cit[(unknown >= UNKNOWN_COUNTRY * 0.6) & (unknown < UNKNOWN_COUNTRY)] = "00"
    dest[rng.random(n) < UNKNOWN_DEST] = "-99"
    cols["citizenship"] = cit

    sexual = rng.random(n) < np.where(female, 0.62, 0.18)
    labour = ~sexual | (rng.random(n) < 0.08)
    for col, p in zip(MEANS, (0.25, 0.35, 0.3, 0.45, 0.2, 0.3), strict=True):
        cols[col] = _flags(rng, n, p, 0.45)
    cols["isForcedLabour"] = np.where(labour, "1", "0").astype(object)
    cols["isSexualExploit"] = np.where(sexual, "1", "0").astype(object)
    cols["isOtherExploit"] = np.where(rng.random(n) < 0.04, "1", "0").astype(object)
    forms_unknown = rng.random(n) < 0.3  # no form recorded
    for col in ("isForcedLabour", "isSexualExploit", "isOtherExploit"):
        cols[col][forms_unknown] = "-99"
    for col, p in zip(LABOUR, (0.2, 0.15, 0.35, 0.1, 0.15), strict=True):
        v = _flags(rng, n, p, 0.5)
        v[~labour] = "-99"
        cols[col] = v
    cols["typeOfSexProstitution"] = np.where(sexual, "1", "-99").astype(object)
    cols["CountryOfExploitation"] = dest
    for col, p in zip(RECRUITERS, (0.15, 0.3, 0.15, 0.4), strict=True):
        cols[col] = _flags(rng, n, p, 0.65)
    return pa.table({c: pa.array(cols[c], pa.string()) for c in CTDC_HEADER})


if __name__ == "__main__":
    import sys

    generate(sys.argv[1], int(sys.argv[2]))
