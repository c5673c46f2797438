"""A small synthetic labelled set (made up here, not real ads) for fast model tests."""

from __future__ import annotations

import random

SCAM = ["earn $500 per day from home", "no experience needed", "registration fee of $50 required",
        "contact us on WhatsApp only", "urgent hiring, start today", "weekly cash payment",
        "send your passport copy", "visit visa provided", "limited places, apply now"]
REAL = ["we are an equal opportunity employer", "three years of experience in accounting",
        "competitive salary and health insurance", "apply through our careers page",
        "bachelor degree in engineering", "our team of forty people builds payment software",
        "paid annual leave and pension plan", "interviews are held at our office",
        "you will report to the finance manager"]
FILLER = ["the role", "this position", "our client", "the company", "a growing team", "in the city",
          "full time", "part time", "on site", "for the summer"]


def synthetic_ads(n: int = 90, seed: int = 7) -> list[dict]:
    """``n`` ads, every third one positive, each a random mix of cue and filler phrases."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        label = int(i % 3 == 0)
        cues = rng.sample(SCAM if label else REAL, 3) + rng.sample(REAL if label else SCAM, 1 if rng.random() < 0.2 else 0)
        words = cues + rng.sample(FILLER, 4) + [f"reference {rng.randrange(10**6)}", rng.choice(["alpha", "beta", "gamma", "delta", "omega"]) * (1 + i % 5)]
        rng.shuffle(words)
        rows.append({"ad_id": f"s{i:03d}", "body": ". ".join(words).capitalize() + ".", "is_scam": label,
                     "remote": rng.choice(["yes", "no"]), "source": rng.choice(["board", "social", None])})
    return rows
