"""Scores, flags and levels: from the rules alone, or from a trained model.

Rules only (no model)::

    S     = sum of the weights of the distinct indicators found
            + the weight of every listed combination whose indicators are all present
    score = 1 - exp(-S / 2)

Repeating one indicator does not raise S (a spammy ad is not more exploitative for saying
"gaji besar" five times). An ad with no indicator has S = 0 and score 0, so it is never
flagged. ``flagged`` means score >= 0.5 (S >= 2 ln 2 = 1.39: one strong indicator such as
retained documents (2.0) or fees charged to the worker (1.6), or two weaker ones together).

With a model (any object with ``predict_proba(texts) -> list[float]`` and ``threshold``, such
as the one ``tiplens.screen.model.load`` returns) the score is the model's probability and
``flagged`` means score >= the model's threshold; the indicators are still reported as evidence.

Levels, for either: ``low`` below the threshold, ``medium`` from the threshold up to halfway
to 1, ``high`` above (rules: 0.5 / 0.75).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from tiplens.errors import TiplensError
from tiplens.knowledge.indicators import Catalogue, load_indicators
from tiplens.screen.indicators import Match

RULES_THRESHOLD = 0.5
RULES_SCALE = 2.0


@runtime_checkable
class ScreeningModel(Protocol):
    threshold: float

    def predict_proba(self, texts: Sequence[str]) -> Sequence[float]: ...


@dataclass(frozen=True, slots=True)
class Score:
    score: float
    flagged: bool
    level: str
    combinations: tuple[str, ...] = ()  # labels of the combinations that fired (rules)


def rules_sum(matches: Sequence[Match], catalogue: Catalogue) -> tuple[float, tuple[str, ...]]:
    """S of the docstring, and the combinations that fired."""
    ids = {m.id for m in matches}
    if not ids:
        return 0.0, ()
    weights = {i.id: i.weight for i in catalogue.indicators}
    total = sum(weights.get(i, 0.0) for i in sorted(ids))  # one order in every process (set order follows the hash seed)
    fired = tuple(c.label_en for c in catalogue.combinations if ids.issuperset(c.ids))
    total += sum(c.weight for c in catalogue.combinations if ids.issuperset(c.ids))
    return total, fired


def rules_score(matches: Sequence[Match], catalogue: Catalogue | None = None) -> float:
    total, _ = rules_sum(matches, catalogue or load_indicators())
    return 1.0 - math.exp(-total / RULES_SCALE)


def level(score: float, threshold: float) -> str:
    if score < threshold:
        return "low"
    return "high" if score >= threshold + (1.0 - threshold) / 2 else "medium"


class Scorer:
    """Turns texts and their indicator matches into :class:`Score` objects."""

    def __init__(self, model: object | None = None, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or load_indicators()
        self.model = model
        if model is not None:
            if not callable(getattr(model, "predict_proba", None)):
                raise TiplensError("the model has no predict_proba(texts) method")
            try:
                threshold = float(model.threshold)  # type: ignore[attr-defined]
            except (AttributeError, TypeError, ValueError):
                raise TiplensError("the model does not record a numeric operating threshold") from None
            if not 0.0 < threshold < 1.0:
                raise TiplensError(f"the model's threshold {threshold} is not between 0 and 1")
            self.threshold = threshold
        else:
            self.threshold = RULES_THRESHOLD
        self.takes_indicators = _takes_indicators(model)

    @property
    def mode(self) -> str:
        return "model" if self.model is not None else "rules"

    def describe(self) -> str:
        if self.model is None:
            return f"rules only: score = 1 - exp(-S/{RULES_SCALE:g}), flagged at {self.threshold:.2f}"
        name = getattr(self.model, "name", type(self.model).__name__)
        return f"model {name}: probability, flagged at the model's threshold {self.threshold:.3f}"

    def score(self, texts: Sequence[str], matches: Sequence[Sequence[Match]],
              indicators: Sequence[Mapping[str, int]] | None = None) -> list[Score]:
        """One score per text. ``indicators``: the indicator counts per text the model would
        compute itself (all languages' patterns), passed on when the model accepts them so the
        text is not matched twice; ignored in rules mode."""
        if len(texts) != len(matches):
            raise ValueError("texts and matches differ in length")
        if not texts:
            return []
        if self.model is None:
            out = []
            for ms in matches:
                total, fired = rules_sum(ms, self.catalogue)
                s = 1.0 - math.exp(-total / RULES_SCALE)
                out.append(Score(s, total > 0 and s >= self.threshold, level(s, self.threshold), fired))
            return out
        if indicators is not None and self.takes_indicators:
            probs = list(self.model.predict_proba(list(texts), indicators=list(indicators)))  # type: ignore[attr-defined]
        else:
            probs = list(self.model.predict_proba(list(texts)))  # type: ignore[attr-defined]
        if len(probs) != len(texts):
            raise TiplensError(f"the model returned {len(probs)} probabilities for {len(texts)} texts")
        out = []
        for p in probs:
            p = float(p)
            if math.isnan(p):
                raise TiplensError("the model returned a NaN probability")
            p = min(1.0, max(0.0, p))
            out.append(Score(p, p >= self.threshold, level(p, self.threshold)))
        return out


def _takes_indicators(model: object | None) -> bool:
    """Whether the model's predict_proba accepts precomputed indicator counts (``indicators=``)."""
    if model is None:
        return False
    try:
        return "indicators" in inspect.signature(model.predict_proba).parameters  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return False
