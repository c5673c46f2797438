"""Supply analyses, registered in one explicit list (no folder scanning).

Each module defines ``NAME``, ``TITLE``, a frozen ``Params`` dataclass and ``run``.
``risk`` scores suppliers from the study; ``portfolio`` summarises a risk result
(country x product, spend at risk).
"""

from __future__ import annotations

from tiplens.supply.analyses import portfolio, risk

REGISTRY = (risk, portfolio)

__all__ = ["REGISTRY"]
