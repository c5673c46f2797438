"""Deterministic SYNTHETIC modern slavery statements: plain-text statements for the demo and a
sentence-labelled file in the AIMS layout for tests and for trying ``tiplens supply train``.

Every company is invented ("Synthetic ... Ltd"); every statement says it is synthetic. Some
statements leave requirements out on purpose and some promise rather than report, so the review
page has gaps and vague sentences to show.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from tiplens.knowledge.msa_requirements import NAMES

SECTORS = [("garments", "cotton and finished clothing", "Bangladesh, India and Turkey"),
           ("electronics", "circuit boards and batteries", "China, Malaysia and Viet Nam"),
           ("food", "cocoa, palm oil and seafood", "Ghana, Indonesia and Thailand"),
           ("construction", "bricks, steel and labour hire", "India, Qatar and the United Kingdom")]
SENTENCES: dict[str, list[str]] = {
    "c1_reporting_entity": ["This statement is made on behalf of {co} (company number {num}) and its subsidiaries.",
                            "{co} is the reporting entity for this statement."],
    "c2_structure": ["{co} is a private company with {n} employees and its head office in {city}.",
                     "The group consists of {co} and {k} subsidiaries owned by the same parent company."],
    "c2_operations": ["We design and sell {goods} to customers in {m} countries.",
                      "Our operations include {k} warehouses and an online shop."],
    "c2_supply_chains": ["We buy {goods} from {s} direct suppliers, mainly in {where}.",
                         "Our first-tier suppliers source raw materials from {where}."],
    "c3_risks": ["The main risk of forced labour lies with subcontracted workers in {where}.",
                 "Migrant workers recruited through agencies face a risk of debt bondage."],
    "c4_mitigation": ["All suppliers sign our supplier code of conduct, which prohibits forced and child labour.",
                      "In {year} we audited {a} suppliers and trained {t} buyers on modern slavery risks.",
                      "Workers can raise concerns through a confidential whistleblowing hotline."],
    "c4_remediation": ["Where we found recruitment fees, suppliers repaid the fees to the {w} workers concerned.",
                       "A corrective action plan was agreed with the supplier and checked at a follow-up visit."],
    "c5_effectiveness": ["We track the share of suppliers audited, which rose to {p} per cent this year.",
                         "Our key performance indicators are reviewed by the board every quarter."],
    "c6_consultation": ["We consulted each of our owned and controlled entities in preparing this statement."],
    "approval": ["This statement was approved by the Board of Directors of {co} on {day} March {year}."],
    "signature": ["Signed by {name}, Director, for and on behalf of {co}."],
}
VAGUE = ["We will introduce supplier audits next year.", "We are committed to eradicating modern slavery.",
         "We aim to map our second-tier suppliers in the coming year."]
NEUTRAL = ["Further information is available on our website.", "Thank you for reading this statement.",
           "This document is SYNTHETIC and describes no real company."]
NAMES_ = ["Alex Morgan", "Sam Okafor", "Priya Nair", "Jordan Lee", "Maria Rossi", "Chen Wei"]
CITIES = ["Leeds", "Sydney", "Toronto", "Bristol", "Perth", "Ottawa"]


def _statement(i: int, rng: random.Random) -> list[tuple[str, list[str]]]:
    sector, goods, where = SECTORS[i % len(SECTORS)]
    co = f"Synthetic {sector.title()} {i + 1} Ltd"
    values = dict(co=co, num=rng.randint(10**7, 10**8 - 1), n=rng.randint(50, 5000), city=rng.choice(CITIES),
                  k=rng.randint(2, 9), goods=goods, m=rng.randint(2, 30), s=rng.randint(20, 900), where=where,
                  year=rng.choice([2022, 2023, 2024]), a=rng.randint(5, 80), t=rng.randint(5, 60),
                  w=rng.randint(3, 40), p=rng.randint(30, 95), day=rng.randint(1, 28), name=rng.choice(NAMES_))
    skipped = set(rng.sample(NAMES[2:], k=rng.randint(0, 3)))  # requirements this statement leaves out
    out: list[tuple[str, list[str]]] = [(f"{co}: modern slavery statement {values['year']} (SYNTHETIC)", [])]
    for name in NAMES[2:] + ("approval", "signature"):
        if name in skipped:
            continue
        for template in rng.sample(SENTENCES[name], k=min(len(SENTENCES[name]), rng.randint(1, 2))):
            out.append((template.format(**values), [name]))
    for s in rng.sample(VAGUE, k=rng.randint(0, 2)):
        out.insert(rng.randint(2, len(out) - 2), (s, ["c4_mitigation"]))
    out.insert(len(out) - 2, (rng.choice(NEUTRAL), []))
    return out


def write_statements(folder: str | Path, n: int = 6, seed: int = 54) -> list[Path]:
    """``n`` synthetic statements as .txt files (one paragraph per requirement block)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        sentences = [s for s, _ in _statement(i, rng)]
        path = folder / f"synthetic_statement_{i + 1:02d}.txt"
        path.write_text(sentences[0] + "\n\n" + "\n".join(sentences[1:]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_labelled(path: str | Path, n: int = 12, seed: int = 2018) -> Path:
    """A sentence-labelled file in the AIMS layout (statement_id, sentence, the 11 label columns)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["statement_id", "sentence", *NAMES])
        for i in range(n):
            for sentence, labels in _statement(i, rng):
                w.writerow([f"SYN_{i + 1:03d}", sentence, *[int(name in labels) for name in NAMES]])
    return path
