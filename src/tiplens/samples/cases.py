"""Deterministic SYNTHETIC case data for the demo: CTDC-like victim records, a GLOTIP-like
country table and a GSI-like country sheet. Every value is generated here from a seeded
random generator; none describes a real person or a real country's statistics (country
codes are used only so routes and maps can be drawn). Files are labelled synthetic in
their names and in a SOURCE column."""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 20240201
YEARS = range(2015, 2024)
LABEL = "SYNTHETIC demo data"
# (origin, destination, weight): invented corridors between real country codes
CORRIDORS = (
    ("ID", "MY", 9), ("ID", "ID", 8), ("PH", "PH", 6), ("PH", "SA", 4), ("MM", "TH", 6), ("KH", "TH", 4),
    ("VN", "VN", 3), ("NP", "IN", 3), ("BD", "IN", 2), ("UA", "PL", 3), ("NG", "IT", 3), ("GH", "GH", 2),
    ("ET", "SA", 2), ("LA", "TH", 2), ("ID", "SA", 2), ("MX", "US", 4), ("US", "US", 5), ("HN", "MX", 1),
    ("RO", "GB", 2), ("MD", "RU", 1), ("UZ", "KZ", 1), ("KE", "AE", 1),
)
AGES = ("0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+")
MEANS = ("meansOfControlDebtBondage", "meansOfControlThreats", "meansOfControlPhysicalAbuse",
         "meansOfControlFalsePromises", "meansOfControlWithholdsDocuments", "meansOfControlRestrictsMovement")
LABOUR = ("typeOfLabourAgriculture", "typeOfLabourConstruction", "typeOfLabourDomesticWork",
          "typeOfLabourAquafarming", "typeOfLabourManufacturing")
RECRUITERS = ("recruiterRelationIntimatePartner", "recruiterRelationFriend", "recruiterRelationFamily",
              "recruiterRelationOther")
CTDC_HEADER = ("yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "citizenship",
               *MEANS, "isForcedLabour", "isSexualExploit", "isOtherExploit", *LABOUR, "typeOfSexProstitution",
               "CountryOfExploitation", *RECRUITERS)


def generate(folder: str | Path, n: int = 6000) -> dict[str, Path]:
    """Write the three synthetic files; returns {"cases": ..., "glotip": ..., "gsi": ...}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    return {"cases": _cases(folder / "cases_synthetic_ctdc.csv", rng, n),
            "glotip": _glotip(folder / "cases_synthetic_glotip.csv", rng),
            "gsi": _gsi(folder / "cases_synthetic_gsi.csv", rng)}


def _flag(rng: random.Random, p: float, missing: float = 0.3) -> str:
    return "-99" if rng.random() < missing else ("1" if rng.random() < p else "0")


def _cases(path: Path, rng: random.Random, n: int) -> Path:
    weights = [w for _, _, w in CORRIDORS]
    year_weights = [3, 4, 5, 6, 6, 4, 3, 5, 6]  # a dip in 2020-2021, as if fewer cases were registered
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CTDC_HEADER)
        for _ in range(n):
            origin, dest, _ = rng.choices(CORRIDORS, weights)[0]
            year = rng.choices(list(YEARS), year_weights)[0]
            female = rng.random() < 0.68
            sexual = rng.random() < (0.55 if female else 0.15)
            labour = not sexual or rng.random() < 0.1
            age = rng.choices(AGES, [1, 6, 5, 5, 4, 3, 6, 3, 1])[0] if rng.random() > 0.2 else "-99"
            minor = "-99" if age == "-99" else ("Minor" if age in AGES[:2] else "Adult")
            row = [year, rng.choice(["Case management", "Hotline"]), "Female" if female else "Male", age, minor,
                   origin if rng.random() > 0.05 else "-99"]
            row += [_flag(rng, p) for p in (0.3, 0.4, 0.25, 0.5, 0.2, 0.35)]
            row += ["1" if labour else "0", "1" if sexual else "0", "1" if rng.random() < 0.04 else "0"]
            row += [_flag(rng, 0.3, 0.5) if labour else "-99" for _ in LABOUR]
            row += [("1" if sexual else "0"), dest if rng.random() > 0.08 else "-99"]
            row += [_flag(rng, p, 0.6) for p in (0.15, 0.3, 0.15, 0.4)]
            w.writerow(row)
    return path


GLOTIP_COUNTRIES = (
    ("IDN", "Indonesia", "Asia", "South-eastern Asia"), ("MYS", "Malaysia", "Asia", "South-eastern Asia"),
    ("PHL", "Philippines", "Asia", "South-eastern Asia"), ("THA", "Thailand", "Asia", "South-eastern Asia"),
    ("KHM", "Cambodia", "Asia", "South-eastern Asia"), ("VNM", "Viet Nam", "Asia", "South-eastern Asia"),
    ("IND", "India", "Asia", "Southern Asia"), ("NPL", "Nepal", "Asia", "Southern Asia"),
    ("POL", "Poland", "Europe", "Eastern Europe"), ("ITA", "Italy", "Europe", "Southern Europe"),
    ("GBR", "United Kingdom", "Europe", "Northern Europe"), ("NGA", "Nigeria", "Africa", "Sub-Saharan Africa"),
    ("GHA", "Ghana", "Africa", "Sub-Saharan Africa"), ("MEX", "Mexico", "Americas", "Latin America and the Caribbean"),
    ("USA", "United States of America", "Americas", "Northern America"), ("SAU", "Saudi Arabia", "Asia", "Western Asia"),
)


def _glotip(path: Path, rng: random.Random) -> Path:
    header = ("Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex", "Age",
              "Year", "Unit of measurement", "txtVALUE", "Source")
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for n, (iso3, name, region, sub) in enumerate(GLOTIP_COUNTRIES):
            level = rng.randint(3, 900)
            core = n % 2 == 0  # half the countries report every year
            for year in YEARS:
                late = not core and year >= 2021 and rng.random() < (0.85 if year == 2021 else 0.4)
                if late:
                    continue  # not (yet) reported: coverage drops, as in real releases
                v = max(0, int(level * rng.uniform(0.8, 1.25)))
                base = (iso3, name, region, sub, "Detected trafficking victims")
                w.writerow((*base, "Total", "Total", "Total", "Total", year, "Counts", _txt(v), LABEL))
                f = int(v * rng.uniform(0.5, 0.8))
                w.writerow((*base, "Total", "Total", "Female", "Total", year, "Counts", _txt(f), LABEL))
                w.writerow((*base, "Total", "Total", "Male", "Total", year, "Counts", _txt(v - f), LABEL))
                s = int(v * rng.uniform(0.2, 0.6))
                w.writerow((*base, "by form of exploitation", "Sexual exploitation", "Total", "Total", year, "Counts",
                            _txt(s), LABEL))
                w.writerow((*base, "by form of exploitation", "Forced labour", "Total", "Total", year, "Counts",
                            _txt(v - s), LABEL))
    return path


def _txt(v: int) -> str:
    return "<5" if v < 5 else f"{v:,}"


def _gsi(path: Path, rng: random.Random) -> Path:
    dims = ("Governance issues", "Lack of basic needs", "Inequality", "Disenfranchised groups", "Effects of conflict")
    header = ("Country", "Population", "Region", "Estimated prevalence of modern slavery per 1,000 population",
              "Estimated number of people in modern slavery", *dims, "Total Vulnerability score (%)",
              "Government response total (%)")
    names = sorted({n for _, n, _, _ in GLOTIP_COUNTRIES} | {"Myanmar", "Lao People's Democratic Republic",
                                                                "Bangladesh", "Ukraine", "Ethiopia", "Honduras",
                                                                "Romania", "Republic of Moldova", "Uzbekistan",
                                                                "Kenya", "Kazakhstan", "Russian Federation",
                                                                "United Arab Emirates"})
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for name in names:
            pop = rng.randint(2, 300) * 1_000_000
            prev = round(rng.uniform(0.5, 15), 2)
            vul = [round(rng.uniform(10, 90), 1) for _ in dims]
            w.writerow((name, pop, "synthetic", prev, int(pop * prev / 1000), *vul, round(sum(vul) / 5, 1),
                        round(rng.uniform(20, 70), 1)))
    return path
