"""Screening on Spark (``--engine spark``) writes the same records and the same summary as
screening in-process: rules only and with a trained model, with records that are not
screened (empty, malformed, truncated) mixed in, and across more than one Spark batch."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.engines.parity import spark_or_skip

pytestmark = pytest.mark.spark

MODEL = Path(__file__).resolve().parents[1] / "screen" / "data" / "model_v1.skops"

EXTRA = [  # Indonesian and mixed ads, contacts, a negation, and a text longer than max_chars below
    ("id-1", "Dicari TKW ke Malaysia, gaji besar, paspor ditahan agen, hubungi WA 0812-3456-7890"),
    ("id-2", "Lowongan kerja pabrik, tanpa biaya, kontrak resmi, hubungi kantor kami"),
    ("mix-1", "Hiring hostess for karaoke in Jakarta, no experience, free visa, Telegram @agenmanis"),
    ("empty", ""),
    ("long", "We pay your ticket, keep your passport safe for you. " * 60),
]


def _input(tmp_path: Path) -> Path:
    from tiplens.samples import screen as sample

    demo = sample.generate(tmp_path / "demo.csv")
    with demo.open(encoding="utf-8", newline="") as fh:
        rows = [(r["id"], r["text"]) for r in csv.DictReader(fh)]
    path = tmp_path / "ads.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerows(rows + EXTRA)
        fh.write("broken,row,with,too,many,fields\n")
    return path


def _screen(path: Path, out: Path, engine: str | None, model: object | None):
    from tiplens.screen.scoring import Scorer
    from tiplens.screen.screening import ScreenOptions, screen_files

    # batch_size 50 (Spark: its own larger batch) and max_chars 2,000 put records of every
    # status in more than one in-process batch
    options = ScreenOptions(country="ID", max_chars=2000, batch_size=50, engine=engine)
    summary = screen_files([path], out, options, Scorer(model) if model is not None else None)
    return out.read_text(encoding="utf-8"), summary


def _summary_facts(s) -> dict:
    return {"statuses": dict(s.statuses), "levels": dict(s.levels), "languages": dict(s.languages),
            "flagged": s.flagged, "indicator_ads": dict(s.indicator_ads), "indicator_flagged": dict(s.indicator_flagged),
            "indicator_matches": dict(s.indicator_matches), "combinations": dict(s.combinations),
            "ilo": dict(s.ilo_ads), "palermo": dict(s.palermo_ads), "contacts": dict(s.contact_kinds),
            "with_contacts": s.with_contacts, "examples": [(e.id, e.score) for e in s.top_examples()],
            "files": [f.line() for f in s.files], "accounting": s.accounting()}


@pytest.mark.parametrize("with_model", [False, True], ids=["rules", "model"])
def test_spark_screening_writes_the_same_records(tmp_path, with_model, monkeypatch):
    spark_or_skip()
    from tiplens.screen import spark_screening
    from tiplens.screen.model import load

    monkeypatch.setattr(spark_screening, "SPARK_BATCH", 70)  # several Spark jobs, uneven last one
    model = load(MODEL) if with_model else None
    path = _input(tmp_path)
    local, s_local = _screen(path, tmp_path / "local.jsonl", None, model)
    spark, s_spark = _screen(path, tmp_path / "spark.jsonl", "spark", model)
    assert s_spark.statuses["truncated"] == 1 and s_spark.statuses["empty"] == 1 and s_spark.statuses["malformed"] == 1
    assert s_spark.flagged > 0 and s_spark.indicator_ads  # the comparison is about something
    assert spark.splitlines() == local.splitlines()
    assert _summary_facts(s_spark) == _summary_facts(s_local)


def test_spark_screening_reports_a_worker_failure_in_one_line(tmp_path, monkeypatch):
    spark_or_skip()
    from tiplens.errors import TiplensError
    from tiplens.screen.scoring import Scorer
    from tiplens.screen.screening import ScreenOptions, screen_files

    class Broken(Scorer):  # raises on the executors, as a missing dependency on a cluster would
        def score(self, texts, matches, indicators=None):
            raise ValueError("the scorer broke")

    path = _input(tmp_path)
    with pytest.raises(TiplensError, match="screening on Spark failed: .*the scorer broke"):
        screen_files([path], tmp_path / "out.jsonl", ScreenOptions(engine="spark"), Broken())
    assert not (tmp_path / "out.jsonl").exists()  # no half-written results
