"""Print the CLI reference (docs/cli.md) from the commands' own --help.

    python docs/gen_cli_reference.py > docs/cli.md
"""

from __future__ import annotations

import os

os.environ["TYPER_USE_RICH"] = "0"  # plain click help text, before typer is imported

import click  # noqa: E402
import typer.main  # noqa: E402

from tiplens.cli.main import app  # noqa: E402


def walk(cmd, path: list[str]):
    yield path, cmd
    if hasattr(cmd, "commands"):  # a group (typer vendors its own click classes)
        for name in sorted(cmd.commands):
            yield from walk(cmd.commands[name], [*path, name])


def render() -> str:
    root = typer.main.get_command(app)
    out = ["# CLI reference", "", "Generated from `--help` by `python docs/gen_cli_reference.py > docs/cli.md`", ""]
    for path, cmd in walk(root, ["tiplens"]):
        ctx_cls = getattr(cmd, "context_class", click.Context)
        ctx = ctx_cls(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100)
        text = cmd.get_help(ctx)
        out += [f"## {' '.join(path)}", "", "```text", text.rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(render())
