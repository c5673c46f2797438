"""House rules that keep the engines swappable."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "tiplens"
FORBIDDEN = {"duckdb", "pyspark", "pandas"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_analyses_never_import_an_engine():
    modules = list(SRC.glob("**/analyses/*.py"))
    assert modules, "no analysis modules found"
    offenders = {str(p.relative_to(SRC)): sorted(_imports(p) & FORBIDDEN) for p in modules}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_itself_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("import pandas as pd\nfrom duckdb import connect\n")
    assert _imports(bad) & FORBIDDEN == {"pandas", "duckdb"}
