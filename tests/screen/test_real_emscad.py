"""Rules-only screening of the real EMSCAD development ads (../shared/data/emscad-dev)."""

from __future__ import annotations

import csv
import json

import pytest

from tests.conftest import shared
from tiplens.screen.screening import ScreenOptions, screen_files

pytestmark = pytest.mark.real


def test_every_ad_gets_one_record_and_every_span_is_a_slice(tmp_path):
    path = shared("emscad-dev", "emscad_dev.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))  # reference reader, independent of tiplens
    texts = {r["ad_id"]: r["text"] for r in rows}
    out = tmp_path / "r.jsonl"
    summary = screen_files([path], out, ScreenOptions(label_column="label"))
    records = [json.loads(line) for line in out.open(encoding="utf-8")]
    assert [r["id"] for r in records] == [r["ad_id"] for r in rows]
    assert summary.read == len(rows)
    assert len(summary.labels) == sum(1 for r in rows if r["label"] in ("0", "1"))
    for rec in records:
        for ind in rec["indicators"]:
            assert texts[rec["id"]][ind["start"]:ind["end"]] == ind["text"]
        assert rec["flagged"] is (rec["score"] >= 0.5)
        if not rec["indicators"]:
            assert rec["score"] == 0 and not rec["flagged"]
