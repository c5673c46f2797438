"""tiplens supply (commands are added by the supply pillar)."""

from __future__ import annotations

import typer

app = typer.Typer(help="The supply pillar.", no_args_is_help=True)
