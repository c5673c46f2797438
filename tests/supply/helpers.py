"""Small hand-made fixtures in the publishers' layouts, for the supply tests."""

from __future__ import annotations

import csv
from pathlib import Path


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


GSI_HEADER = ["Country", "Population", "Region", "Estimated prevalence of modern slavery per 1,000 population",
              "Estimated number of people in modern slavery", "Total Vulnerability score (%)",
              "Government response total (%)"]


def reference_fixture(folder: Path) -> list[Path]:
    """Four tiny reference tables whose consequences the risk tests compute by hand."""
    dol = write_csv(folder / "dol_goods_2024.csv", ["Country/Area", "Good", "Exploitation Type"], [
        ["Bangladesh", "Garments", "Child Labor, Forced Labor"],
        ["Ghana", "Cocoa", "Child Labor"],
        ["China", "Solar Modules", "Inputs Produced with Forced Labor"],
    ])
    gsi = write_csv(folder / "gsi2023_summary.csv", GSI_HEADER, [
        ["Bangladesh", 1000, "Asia", 7.1, 7, 58.0, 40.0],
        ["Ghana", 1000, "Africa", 3.0, 3, 65.0, 28.0],
        ["China", 1000, "Asia", 4.0, 4, 45.5, 39.7],
        ["Italy", 1000, "Europe", 3.3, 3, 20.0, 60.0],
    ])
    g20 = write_csv(folder / "g20_2023.csv", ["product", "origin_country", "value_thousands_usd", "importer"], [
        ["garments", "Bangladesh", 1000, "Japan"],
        ["garments", "Bangladesh", 500, "Germany"],
        ["cocoa", "Ghana", 200, "France"],
    ])
    sector = write_csv(folder / "sector_long.csv",
                       ["region_code", "region", "ilo_region", "gtap_sector", "value", "gtap_code", "gtap_desc",
                        "broad_sector"], [
        ["BGD", "Bangladesh", "Asia", "AGR-Crops-Agriculture", 600, "AGR", "Crops", "Agriculture"],
        ["BGD", "Bangladesh", "Asia", "WAP-Wearing apparel-Manufacturing", 100, "WAP", "Wearing apparel",
         "Manufacturing"],
        ["BGD", "Bangladesh", "Asia", "CNS-Construction-Construction", 300, "CNS", "Construction", "Construction"],
        ["GHA", "Ghana", "Africa", "AGR-Crops-Agriculture", 800, "AGR", "Crops", "Agriculture"],
        ["GHA", "Ghana", "Africa", "WAP-Wearing apparel-Manufacturing", 200, "WAP", "Wearing apparel",
         "Manufacturing"],
    ])
    return [dol, gsi, g20, sector]


SUPPLIER_HEADER = ["supplier", "country", "product", "tier", "spend"]
SUPPLIERS = [
    ["A Knit", "Bangladesh", "T-shirts", 1, 100],
    ["B Cocoa", "Ghana", "cocoa beans", 2, 500],
    ["C Solar", "China", "solar panels", 1, 50],
    ["D Cotton", "Italy", "cotton", 1, 70],
    ["E Cocao", "Ghana", "cocao", 2, 10],
    ["F Lost", "Atlantis", "garments", 1, 30],
]
