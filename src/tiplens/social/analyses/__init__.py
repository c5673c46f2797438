"""Social analyses, registered in one explicit list (no folder scanning).

Each module defines ``NAME``, ``TITLE``, a frozen ``Params`` dataclass and
``run(tables, params) -> Result``. The report, CLI and web app iterate ``REGISTRY``.
"""

from __future__ import annotations

from tiplens.social.analyses import engagement, hashtags, interactions, themes, volume, words

REGISTRY = (volume, hashtags, themes, words, interactions, engagement)

__all__ = ["REGISTRY"]
