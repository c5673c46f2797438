"""SYNTHETIC supply-chain sample: a supplier list and small reference tables in the
publishers' layouts (DOL List of Goods table, GSI country summary, GSI G20 imports,
sector x country estimates), all generated from a seeded random number generator.

Nothing here is taken from the DOL list, the Global Slavery Index or any estimate: which
good is "listed" for which country and every number are drawn at random, so the demo
shows how the tool works, never what the real reference data say. File names, editions
and report pages say SYNTHETIC.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 20150326  # fixed: the demo is the same on every run
EDITION = "SYNTHETIC demo"
COUNTRIES = ["Bangladesh", "Brazil", "China", "Côte d'Ivoire", "Ghana", "India", "Indonesia", "Italy", "Malaysia",
             "Mexico", "Peru", "Thailand", "Türkiye", "Viet Nam", "United Kingdom"]
GOODS = [("Garments", "Manufacturing"), ("Textiles", "Manufacturing"), ("Cotton", "Agriculture"),
         ("Electronics", "Manufacturing"), ("Cocoa", "Agriculture"), ("Coffee", "Agriculture"),
         ("Palm Fruit", "Agriculture"), ("Fish", "Agriculture"), ("Shrimp", "Agriculture"),
         ("Gold", "Mining"), ("Bricks", "Manufacturing"), ("Sugarcane", "Agriculture"),
         ("Timber", "Agriculture"), ("Rubber Gloves", "Manufacturing"), ("Solar Modules", "Manufacturing")]
G20_PRODUCTS = ["garments", "electronics", "cocoa", "coffee", "fish", "palm oil", "gold", "timber"]
IMPORTERS = ["Australia", "Canada", "France", "Germany", "Japan", "United Kingdom", "United States of America"]
SECTORS = [("AGR-Crops and livestock-Agriculture"), ("MIN-Mining-Mining"), ("MAN-Manufactures-Manufacturing"),
           ("CNS-Construction-Construction"), ("TRD-Trade-Trade"), ("SER-Services-Services")]
PRODUCTS = [  # (product as a buyer writes it, sector column)
    ("T-shirts", ""), ("denim fabric", ""), ("cotton yarn", ""), ("laptops", ""), ("cocoa beans", ""),
    ("green coffee", ""), ("palm oil", ""), ("frozen prawns", ""), ("canned fish", ""), ("gold jewellery", ""),
    ("clay bricks", ""), ("cane sugar", ""), ("hardwood lumber", ""), ("nitrile gloves", ""), ("solar panels", ""),
    ("office cleaning", "facility services"), ("warehouse staffing", "labour hire"), ("", "construction"),
]
SYLLABLES = ["ar", "bel", "cor", "dan", "el", "fen", "gar", "hol", "ist", "jun", "kar", "lum", "mar", "nor", "ost",
             "pra", "quin", "ros", "sil", "tor", "ul", "ven", "wes", "yar", "zen"]
FORMS = ["Ltd", "Co.", "Group", "Industries", "Trading", "Manufacturing", "Export"]


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{word} {rng.choice(FORMS)}"


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def reference(folder: Path, seed: int = SEED) -> list[Path]:
    """Write the four SYNTHETIC reference tables; return their paths."""
    rng = random.Random(seed)
    dol = []
    for good, _ in GOODS:
        for country in rng.sample(COUNTRIES[:-1], rng.randint(1, 4)):
            kinds = rng.choice([["Child Labor"], ["Forced Labor"], ["Child Labor", "Forced Labor"],
                                ["Inputs Produced with Forced Labor"]])
            dol.append([country, good, ", ".join(kinds)])
    gsi_header = ["Country", "Population", "Region", "Estimated prevalence of modern slavery per 1,000 population",
                  "Estimated number of people in modern slavery", "Total Vulnerability score (%)",
                  "Government response total (%)"]
    gsi = []
    for country in COUNTRIES:
        pop = rng.randint(5, 300) * 1_000_000
        prev = round(rng.uniform(0.5, 14.0), 2)
        gsi.append([country, pop, "SYNTHETIC region", prev, int(pop * prev / 1000), round(rng.uniform(10, 75), 1),
                    round(rng.uniform(20, 70), 1)])
    g20 = [[product, origin, round(rng.uniform(5_000, 3_000_000), 1), importer]
           for importer in IMPORTERS for product in rng.sample(G20_PRODUCTS, 3)
           for origin in rng.sample(COUNTRIES[:-1], 2)]
    sector = []
    for i, country in enumerate(COUNTRIES):
        weights = [rng.random() ** 2 for _ in SECTORS]
        total = rng.randint(5_000, 900_000)
        for label, w in zip(SECTORS, weights, strict=True):
            code, desc, broad = label.split("-")
            sector.append([f"S{i:02d}", country, "SYNTHETIC", label, round(total * w / sum(weights)), code, desc, broad])
    return [
        _write(folder / "SYNTHETIC_dol_list_of_goods.csv", ["Country/Area", "Good", "Exploitation Type"], dol),
        _write(folder / "SYNTHETIC_gsi_country_summary.csv", gsi_header, gsi),
        _write(folder / "SYNTHETIC_g20_importing_risk.csv", ["product", "origin_country", "value_thousands_usd",
                                                             "importer"], g20),
        _write(folder / "SYNTHETIC_sector_forced_labour_long.csv",
               ["region_code", "region", "ilo_region", "gtap_sector", "value", "gtap_code", "gtap_desc", "broad_sector"],
               sector),
    ]


def suppliers(path: Path, n: int = 60, seed: int = SEED) -> Path:
    """A SYNTHETIC supplier list with the problems real lists have: a repeated row, a name
    written two ways, an unknown country, a missing country, a misspelt product and a spend
    that is not a number."""
    rng = random.Random(seed + 1)
    rows: list[list] = []
    for i in range(n):
        product, sector = rng.choice(PRODUCTS)
        spend = round(rng.lognormvariate(11, 1.3), -2)
        rows.append([f"SUP-{i + 1:03d}", _name(rng), rng.choice(COUNTRIES), product, sector,
                     rng.choices([1, 2, 3], weights=[5, 3, 2])[0], f"{spend:,.0f}"])
    stem = str(rows[0][1]).rsplit(" ", 1)[0]
    rows[0][1] = stem + " Ltd"
    first = rows[0]
    rows.append(list(first))  # the same line twice: a duplicate
    rows.append([f"SUP-{n + 1:03d}", stem + " Limited", first[2], first[3], first[4], 1, "12,000"])
    rows.append([f"SUP-{n + 2:03d}", _name(rng), "Atlantis", "cocoa beans", "", 2, "40,000"])  # unknown country
    rows.append([f"SUP-{n + 3:03d}", _name(rng), "", "garments", "", 1, "25,000"])  # no country
    rows.append([f"SUP-{n + 4:03d}", _name(rng), "India", "cocao", "", 2, "8,500"])  # misspelt product
    rows.append([f"SUP-{n + 5:03d}", _name(rng), "Ghana", "cocoa beans", "", 1, "about 5k"])  # spend not a number
    return _write(path, ["Supplier ID", "Supplier Name", "Country", "Product", "Sector", "Tier", "Annual Spend (USD)"],
                  rows)
