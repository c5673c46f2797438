"""The batch screening path gives the same records as screening each ad on its own.

The batch path (``Screener.screen``) runs one indicator pass per ad that yields both the
evidence and the counts the model needs, and scores a whole batch with one model call. The
reference here is the old per-ad path, built from the public pieces: language, normalise,
``Engine.find`` with the language's patterns, contacts, and the model scoring the ad alone
(``predict_proba([text])``, which matches the indicators itself with every language's
patterns). Every record must agree: score (within 1e-9), flag, level, language, indicators
with their spans, contacts, referral.
"""

from __future__ import annotations

import csv

import pytest

from tests.conftest import shared
from tests.screen.model_fixtures import synthetic_ads
from tiplens.samples import screen as sample
from tiplens.screen.contacts import find_contacts
from tiplens.screen.indicators import engine
from tiplens.screen.language import REGION_BY_LANGUAGE, profile
from tiplens.screen.model import train
from tiplens.screen.normalise import normalise
from tiplens.screen.referral import referral
from tiplens.screen.scoring import RULES_THRESHOLD, level, rules_score
from tiplens.screen.screening import screen_texts
from tiplens.screen.training import Settings

# plainly English, with Indonesian slang ("vcs", "open bo") that only the all-language counts see
HOSTESS = "We are hiring hostesses for our club. The work is easy and the pay is good, vcs and open bo welcome."
# ads that exercise the normaliser's tricks, both languages, contacts and negation
TRICKY = [
    "Earn $500 per day from home!! N0 exp3rience needed, f r e e visa. WhatsApp +62 812-3456-7890",
    "Gaji b3s4r tanpa pengalaman, biaya pendaftaran Rp 2.500.000, paspor ditahan agen. WA 0812 3456 7891",
    "No registration, processing or placement fees. Passports are never kept by the employer.",
    "Ｆｒｅｅ ｖｉｓａ and ticket; the loan is deducted from your salary. Telegram: @fastjobs_agent",
    "Lowongan kerja Kamboja, customer service, gaji 20 juta, usia 18-25 wanita, hubungi line id: kerja88",
    "st/lt include room, girls 18 to 24, contact jobs(at)example(dot)com or www.example.com/apply",
    "We are an equal opportunity employer. Three years of experience in accounting. Pension plan.",
    "Kami membuka lowongan di pabrik, gratis biaya, tidak ada potongan gaji. Hubungi kantor kami.",
    "f🔥r🔥e🔥e passport hold, html5 and css3 developers, port80 software, h1b and b2b sales",
    HOSTESS,
    "",
]


def sample_ads(tmp_path) -> list[str]:
    path = sample.generate(tmp_path / "s.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)]
    return texts + [r["body"] for r in synthetic_ads(60)] + TRICKY


@pytest.fixture(scope="module")
def model():
    rows = synthetic_ads(90)
    import pandas as pd

    frame = pd.DataFrame(rows)
    return train(frame, "body", "is_scam", settings=Settings(bootstrap=50), seed=3).model


def per_ad(text: str, model, country: str | None = None) -> dict:
    """One ad screened on its own (the old path), as the record the screener writes."""
    if not text.strip():
        return {"status": "empty", "score": None, "flagged": False, "level": None, "language": "und",
                "indicators": [], "contacts": [], "referral": []}
    eng = engine()
    lang, english_only = profile(text)
    matches = eng.find(normalise(text), "en" if english_only else None)
    contacts = find_contacts(text, country or REGION_BY_LANGUAGE.get(lang))
    if model is None:
        score, threshold = rules_score(matches, eng.catalogue), RULES_THRESHOLD
        flagged = bool(matches) and score >= threshold
    else:
        score, threshold = float(model.predict_proba([text])[0]), model.threshold
        flagged = score >= threshold
    return {"status": "screened", "score": score, "flagged": flagged, "level": level(score, threshold),
            "language": lang, "indicators": [m.to_dict() for m in matches],
            "contacts": [c.to_dict() for c in contacts], "referral": referral(country) if flagged else []}


def assert_same(texts: list[str], model, country: str | None = None) -> None:
    batch = screen_texts(texts, model=model, country=country)
    assert len(batch) == len(texts)
    for i, (text, rec) in enumerate(zip(texts, batch, strict=True)):
        ref = per_ad(text, model, country)
        assert rec["id"] == str(i)
        if ref["score"] is None:
            assert rec["score"] is None
        else:
            assert rec["score"] == pytest.approx(round(ref["score"], 4), abs=1e-9), text[:80]
        for key in ("status", "flagged", "level", "language", "indicators", "contacts", "referral"):
            assert rec[key] == ref[key], (key, text[:80])
        for ind in rec["indicators"]:
            assert text[ind["start"]:ind["end"]] == ind["text"]


def test_batch_model_scores_equal_one_ad_at_a_time(model, tmp_path):
    texts = [t for t in sample_ads(tmp_path) if t.strip()]
    eng = engine()
    counts = [eng.find_and_count(normalise(t), "en" if profile(t)[1] else None)[1] for t in texts]
    batch = model.predict_proba(texts, indicators=counts)
    alone = [float(model.predict_proba([t])[0]) for t in texts]
    assert max(abs(a - b) for a, b in zip(batch, alone, strict=True)) <= 1e-9


def test_batch_records_equal_per_ad_records_with_the_model(model, tmp_path):
    assert_same(sample_ads(tmp_path), model, country="ID")


def test_batch_records_equal_per_ad_records_rules_only(tmp_path):
    assert_same(sample_ads(tmp_path), None)


def test_english_only_ads_count_every_languages_patterns():
    # "vcs" and "open bo" are Indonesian slang patterns: the evidence of a plainly English ad
    # leaves them out, the model's counts (all languages, as the model computes them) keep them
    eng = engine()
    assert profile(HOSTESS) == ("en", True)
    matches, counts = eng.find_and_count(normalise(HOSTESS), "en")
    assert [m.to_dict() for m in matches] == [m.to_dict() for m in eng.find(HOSTESS, "en")]
    assert counts == {k: v for k, v in eng.counts(HOSTESS).items() if v}
    assert counts.get("sex_service_terms") and "sex_service_terms" not in {m.id for m in matches}


@pytest.mark.real
def test_batch_records_equal_per_ad_records_on_real_ads(model):
    path = shared("emscad-dev", "emscad_dev.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh)][::3]  # every third ad: ~370 real ads
    assert_same(texts, model)
    assert_same(texts, None)


def test_a_batch_leaves_the_garbage_collector_as_it_found_it():
    # the collector is paused while a batch is screened, and comes back as it was, error or not
    import gc

    from tiplens.screen.inputs import Doc
    from tiplens.screen.screening import Screener

    screener = Screener()
    docs = [Doc("1", "Passport kept by the agent. Call +62 812 3456 7890", "t", 1)]
    was = gc.isenabled()
    try:
        gc.enable()
        assert screener.screen(docs)[0]["indicators"]
        assert gc.isenabled()
        gc.disable()
        screener.screen(docs)
        assert not gc.isenabled()
        gc.enable()
        seen = []

        def on_record(doc, rec):
            seen.append(gc.isenabled())
            raise RuntimeError("stop")

        screener.options.on_record = on_record
        with pytest.raises(RuntimeError):
            screener.screen(docs)
        assert seen == [False] and gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
