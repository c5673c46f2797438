"""tiplens screen FILE... (the default command, also reachable as ``tiplens screen run``).

``train`` and ``evaluate`` (cli/screen_model.py) are subcommands of the same ``app``. Any first
argument that is not a command name is taken as a file of ``tiplens screen FILE...`` (see
``_DefaultCommandGroup``): a new subcommand needs nothing else, but should not be named like a
file one might screen.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from tiplens.cli.common import SPARK_MASTER_HELP, chosen_engine, echo_json, progress, say
from tiplens.errors import BadInput, TiplensError


class _DefaultCommandGroup(TyperGroup):
    """`tiplens screen FILE...` runs the default command; `tiplens screen train ...` still works."""

    default_command = "run"

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_DefaultCommandGroup,
    no_args_is_help=True,
    help="Screen job ads and posts for trafficking and deceptive-recruitment indicators.\n\n"
         "tiplens screen FILE... --out RESULTS is the same as tiplens screen run FILE... --out RESULTS.",
)


def load_model(path: Path) -> Any:
    """Load a trained model with ``tiplens.screen.model.load`` (imported only when needed)."""
    try:
        module = importlib.import_module("tiplens.screen.model")
    except ModuleNotFoundError as exc:
        if exc.name in ("tiplens.screen.model",):
            raise TiplensError("--model needs tiplens.screen.model (the trained screening model), which is not "
                               "part of this installation yet; screen without --model to use the rules alone") from None
        raise
    if not path.exists():
        raise BadInput(f"--model {path}: no such file")
    return module.load(path)


@app.command("run")
def run(
    files: list[Path] = typer.Argument(..., help="Ads to screen: CSV/TSV/XLSX, JSON Lines (or a JSON array), Parquet, or plain text (one ad per file)."),
    out: Path = typer.Option(..., "--out", help="Results file: .jsonl, .csv or .parquet (one record per input)."),
    text_column: str = typer.Option(None, "--text-column", help="Column or field with the ad text (default: text)."),
    id_column: str = typer.Option(None, "--id-column", help="Column with the ad id (default: id, ad_id, doc_id or post_id if present, else FILE:LINE)."),
    label_column: str = typer.Option(None, "--label-column", help="Column with known labels (1/0, true/false) to measure precision and recall."),
    model: Path = typer.Option(None, "--model", help="Trained model (tiplens screen train); without it the rules alone score."),
    country: str = typer.Option(None, "--country", help="Country of the readers (ISO code such as ID, MY, SA): hotlines for flagged ads and the region for phone numbers."),
    report: Path = typer.Option(None, "--report", help="Folder for the review page (report.html, tables/)."),
    hash_contacts: bool = typer.Option(False, "--hash-contacts", help="Write contacts as salted hashes (for sharing results)."),
    salt: str = typer.Option(None, "--salt", help="Salt for --hash-contacts (generated and printed once when omitted)."),
    engine: str = typer.Option(None, "--engine", help="duckdb: read CSV, JSON Lines and Parquet with DuckDB (large files); spark: screen on Apache Spark (tiplens[spark]); or TIPLENS_ENGINE."),
    spark_master: str = typer.Option(None, "--spark-master", help=SPARK_MASTER_HELP),
    max_chars: int = typer.Option(100_000, "--max-chars", min=1000, help="Longer texts are cut to this many characters (and reported as truncated)."),
    as_json: bool = typer.Option(False, "--json", help="Print the accounting as one JSON object on stdout."),
) -> None:
    """Screen every record and write one result per input: score, flag, level, evidence, contacts, referral."""
    from tiplens.screen.scoring import Scorer
    from tiplens.screen.screening import ScreenOptions, screen_files

    # without --engine or TIPLENS_ENGINE the files are read in-process; duckdb reads them with DuckDB
    reader: str | None = (chosen_engine(engine, spark_master)
                          if engine or spark_master or os.environ.get("TIPLENS_ENGINE") else None)
    if salt and not hash_contacts:
        raise BadInput("--salt only makes sense with --hash-contacts")
    options = ScreenOptions(text_column=text_column, id_column=id_column, label_column=label_column,
                            country=country, hash_contacts=hash_contacts, salt=salt.encode() if salt else None,
                            max_chars=max_chars, engine=reader, spark_master=None)
    scorer = Scorer(load_model(model)) if model else None
    linker = None
    if report:  # clusters of ads that share a contact or a template, for the review page
        from tiplens.screen.linking import Linker, LinkParams

        linker = Linker(LinkParams(region=country.upper() if country else None))
        options.on_record = linker.on_record
    with progress("screening") as advance:
        summary = screen_files(files, out, options, scorer, progress=advance)
    if linker is not None and hash_contacts and options.salt:  # clusters show contacts hashed too
        import dataclasses

        linker.params = dataclasses.replace(linker.params, contact_salt=options.salt.decode())
    if summary.salt_generated and options.salt:
        say(f"contacts hashed with the generated salt {options.salt.decode()} (keep it to hash other files the "
            "same way: --salt)")
    for f in summary.files:
        say(f.line())
    say(summary.accounting())
    metrics = summary.metrics()
    if metrics:
        say(f"against {label_column!r} ({metrics['n']:,} labelled): precision {_f(metrics['precision'])}, recall "
            f"{_f(metrics['recall'])}, F1 {_f(metrics['f1'])}, ROC AUC {_f(metrics['roc_auc'])}")
    say(f"results: {out}")
    report_path = None
    if report:
        from tiplens.screen.report import write

        extra = linker.sections() if linker is not None else []
        report_path = write(summary, report, extra_sections=extra)
        say(f"review page: {report_path}")
    if as_json:
        echo_json({"read": summary.read, "screened": summary.screened, "flagged": summary.flagged,
                   "statuses": dict(summary.statuses), "levels": dict(summary.levels), "mode": summary.mode,
                   "threshold": summary.threshold, "out": str(out), "report": str(report_path) if report_path else None,
                   "metrics": metrics})


def _f(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


# train and evaluate live in cli/screen_model.py
from tiplens.cli import screen_model  # noqa: E402

app.command("train")(screen_model.train_cmd)
app.command("evaluate")(screen_model.evaluate_cmd)
