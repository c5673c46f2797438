"""tiplens screen (commands are added by the screen pillar)."""

from __future__ import annotations

import typer

from tiplens.cli import screen_model

app = typer.Typer(help="The screen pillar.", no_args_is_help=True)
app.command("train")(screen_model.train_cmd)
app.command("evaluate")(screen_model.evaluate_cmd)
