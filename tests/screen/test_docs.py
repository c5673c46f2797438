"""docs/screen.md carries the indicator catalogue generated from the YAML."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_catalogue_table_in_the_guide_is_current():
    spec = importlib.util.spec_from_file_location("gen", DOCS / "gen_screen_catalogue.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    text = (DOCS / "screen.md").read_text(encoding="utf-8")
    assert gen.START in text and gen.END in text
    assert gen.render(text) == text, "run: PYTHONPATH=src python docs/gen_screen_catalogue.py"
