"""The ``tiplens`` command."""

from __future__ import annotations

import sys

import typer

from tiplens import __version__
from tiplens.cli import cases, demo, screen, serve, social, supply
from tiplens.cli.common import say
from tiplens.errors import TiplensError

app = typer.Typer(
    name="tiplens",
    help="Open, reproducible analytics for people who work against human trafficking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(social.app, name="social")
app.add_typer(cases.app, name="cases")
app.add_typer(screen.app, name="screen")
app.add_typer(supply.app, name="supply")
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tiplens {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Open, reproducible analytics for people who work against human trafficking."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning library errors into one line on stderr."""
    try:
        rv = app(args=argv, standalone_mode=False)
        if isinstance(rv, int) and rv:
            sys.exit(rv)
    except TiplensError as exc:
        say(f"error: {exc}")
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        say("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
    sys.exit(0)
