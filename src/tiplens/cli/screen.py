"""tiplens screen (commands are added by the screen pillar)."""

from __future__ import annotations

import typer

app = typer.Typer(help="The screen pillar.", no_args_is_help=True)
