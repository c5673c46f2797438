"""tiplens demo"""

from __future__ import annotations

from pathlib import Path

import typer

from tiplens.cli.common import say


def demo(out: Path = typer.Option(Path("demo-output"), "--out", help="Folder for the demo reports.")) -> None:
    """Run every pillar on the bundled synthetic sample and write the reports."""
    from tiplens.demo import run

    written = run(out, progress=lambda name: say(f"demo: {name} ..."))
    say("SYNTHETIC demonstration data; the reports are:")
    for name, path in written.items():
        say(f"  {name:<7} {path}")
