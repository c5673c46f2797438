"""Rules score (formula), levels, and the model hook."""

from __future__ import annotations

import math

import pytest

from tiplens.errors import TiplensError
from tiplens.knowledge.indicators import load_indicators
from tiplens.screen.indicators import find
from tiplens.screen.scoring import Scorer, level, rules_score


def weight(indicator_id):
    return {i.id: i.weight for i in load_indicators().indicators}[indicator_id]


def test_no_indicator_scores_zero_and_is_never_flagged():
    [s] = Scorer().score(["A plain text."], [[]])
    assert (s.score, s.flagged, s.level) == (0.0, False, "low")


def test_rules_formula_by_hand():
    text = "Paspor dititipkan ke agen. Paspor ditahan majikan."  # one indicator, twice
    matches = find(text)
    assert {m.id for m in matches} == {"document_retention"} and len(matches) == 2
    expected = 1 - math.exp(-weight("document_retention") / 2)  # repeats do not add
    [s] = Scorer().score([text], [matches])
    assert s.score == pytest.approx(expected)
    assert s.flagged is (expected >= 0.5)


def test_combination_adds_its_weight():
    text = "Earn $350 per day, no experience required."
    matches = find(text)
    assert {m.id for m in matches} == {"pay_far_above_norm", "light_requirements"}
    combo = next(c for c in load_indicators().combinations
                 if set(c.ids) == {"pay_far_above_norm", "light_requirements"})
    total = weight("pay_far_above_norm") + weight("light_requirements") + combo.weight
    assert rules_score(matches) == pytest.approx(1 - math.exp(-total / 2))


def test_levels():
    assert level(0.49, 0.5) == "low"
    assert level(0.5, 0.5) == "medium"
    assert level(0.75, 0.5) == "high"
    assert level(0.8, 0.9) == "low"


class StubModel:
    threshold = 0.3
    name = "stub"

    def predict_proba(self, texts):
        return [0.1 if "clean" in t else 0.9 for t in texts]


def test_a_model_scores_and_flags_at_its_threshold():
    scorer = Scorer(StubModel())
    assert scorer.mode == "model"
    a, b = scorer.score(["a clean ad", "another ad"], [[], []])
    assert (a.score, a.flagged, a.level) == (0.1, False, "low")
    assert (b.score, b.flagged, b.level) == (0.9, True, "high")


def test_a_model_without_threshold_or_with_bad_output_is_refused():
    class NoThreshold:
        def predict_proba(self, texts):
            return [0.5] * len(texts)

    with pytest.raises(TiplensError, match="threshold"):
        Scorer(NoThreshold())

    class Short(StubModel):
        def predict_proba(self, texts):
            return []

    with pytest.raises(TiplensError, match="probabilities"):
        Scorer(Short()).score(["x"], [[]])


def test_the_rules_score_is_the_same_float_in_every_process():
    # set order follows PYTHONHASHSEED; a sum in that order differs in its last bits between
    # processes, which reordered tied examples between in-process and Spark screening
    import os
    import subprocess
    import sys

    code = ("from tiplens.knowledge.indicators import load_indicators as L;"
            "from tiplens.screen.indicators import Match;"
            "from tiplens.screen.scoring import rules_sum;"
            "ms=[Match(i.id,'',None,None,0,1,'x',i.weight) for i in L().indicators];"
            "print(repr(rules_sum(ms, L())[0]))")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED=str(seed))).stdout for seed in (1, 2, 3, 4, 5)}
    assert len(seen) == 1, seen
