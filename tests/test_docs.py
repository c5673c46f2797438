"""Docs stay true: every command is in the CLI reference, and the reference is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    generated = subprocess.run([sys.executable, str(ROOT / "docs" / "gen_cli_reference.py")],
                               capture_output=True, text=True, check=True).stdout
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == generated, "docs/cli.md is stale: run `make docs`"


def test_every_command_is_documented():
    import os

    os.environ["TYPER_USE_RICH"] = "0"
    import typer.main

    from tiplens.cli.main import app

    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    missing = []
    stack = [(["tiplens"], root)]
    while stack:
        path, cmd = stack.pop()
        if f"## {' '.join(path)}\n" not in reference:
            missing.append(" ".join(path))
        for name, sub in getattr(cmd, "commands", {}).items():
            stack.append(([*path, name], sub))
    assert missing == []


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make demo" in head and "make test" in head
