"""What every command shares: one-line errors, JSON output, progress on stderr."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from tiplens.errors import BadInput

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line (no wrapping at 80)


def echo_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, default=str, ensure_ascii=False) + "\n")


def say(message: str) -> None:
    err.print(message, markup=False, soft_wrap=True)  # one message = one line, never wrapped


@contextmanager
def progress(description: str, total: float | None = None) -> Iterator[Any]:
    """A rich progress bar on stderr (hidden when stderr is not a terminal)."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)


def parse_map(items: list[str] | None) -> dict[str, str]:
    """--map SOURCE_COLUMN=FIELD (repeatable)."""
    out: dict[str, str] = {}
    for item in items or []:
        src, sep, dst = item.partition("=")
        if not sep or not src.strip() or not dst.strip():
            raise BadInput(f"--map {item!r}: expected SOURCE_COLUMN=FIELD")
        out[src.strip()] = dst.strip()
    return out


def exit_for(imported: int) -> None:
    if imported == 0:
        raise typer.Exit(2)


SPARK_MASTER_HELP = ("With --engine spark: the cluster's master URL, e.g. spark://head:7077 "
                     "(default TIPLENS_SPARK_MASTER or local[*]).")


def chosen_engine(engine: str | None, spark_master: str | None = None) -> str:
    """The engine named by --engine, else TIPLENS_ENGINE, else duckdb; --spark-master (Spark
    only) becomes TIPLENS_SPARK_MASTER for this run."""
    from tiplens.engines import engine_name

    name = engine_name(engine)
    if spark_master:
        if name != "spark":
            raise BadInput("--spark-master only makes sense with --engine spark (or TIPLENS_ENGINE=spark)")
        os.environ["TIPLENS_SPARK_MASTER"] = spark_master
    return name
