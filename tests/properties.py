"""How many examples property tests run: the suite's own count, times ``TIPLENS_FUZZ_SCALE``.

``make fuzz`` sets the scale to 25 and a random seed; the suite runs the base count with a
fixed seed (see ``tests/conftest.py``).
"""

from __future__ import annotations

import os


def examples(n: int) -> int:
    return n * max(1, int(os.environ.get("TIPLENS_FUZZ_SCALE", "1")))
