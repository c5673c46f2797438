"""tiplens cases (commands are added by the cases pillar)."""

from __future__ import annotations

import typer

app = typer.Typer(help="The cases pillar.", no_args_is_help=True)
