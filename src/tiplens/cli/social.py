"""tiplens social import | report"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from tiplens.cli.common import SPARK_MASTER_HELP, chosen_engine, echo_json, exit_for, parse_map, progress, say
from tiplens.errors import BadInput
from tiplens.store import Study

app = typer.Typer(help="Social media campaign analytics: import exports, write the report.", no_args_is_help=True)


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(..., help="Export files (twarc2 JSONL, v1.1 JSON, tweets.js, NDJSON, outbox.json, Bluesky JSON/CAR, CSV/TSV/XLSX)."),
    store: Path = typer.Option(..., "--store", help="Study file (.duckdb); created when missing."),
    fmt: str = typer.Option("auto", "--format", help="auto, or the format name to force."),
    map_: list[str] = typer.Option(None, "--map", help="SOURCE_COLUMN=FIELD for CSV-like files (repeatable)."),
    account: str = typer.Option(None, "--account", help="Account handle for files without an account column."),
    encoding: str = typer.Option(None, "--encoding", help="Text encoding (detected when omitted)."),
    as_json: bool = typer.Option(False, "--json", help="Print the accounting as one JSON object."),
) -> None:
    """Import posts into a study; every item is imported, a duplicate, or rejected with its line and reason."""
    from tiplens.social.importing import import_files

    with Study(store) as study, progress("importing posts") as advance:
        report = import_files(study, files, fmt=fmt, encoding=encoding, account=account,
                              mapping=parse_map(map_), progress=advance)
    if as_json:
        d = report.to_dict()
        echo_json({k: d[k] for k in ("read", "imported", "duplicates", "rejected", "rejects_file")})
        for f in report.files:
            if f.note:
                say(f"{f.file}: {f.note}")
    else:
        for f in report.files:
            say(f"{f.file} [{f.format}]: read {f.read:,}, imported {f.imported:,}, duplicates {f.duplicates:,}, "
                f"rejected {f.rejected:,}{' (' + f.note + ')' if f.note else ''}")
    if report.rejected:
        say(f"{report.rejected:,} item(s) rejected; reasons with file and line in {report.rejects_file}")
    if report.imported == 0 and report.duplicates:
        say(f"nothing new: {report.duplicates:,} item(s) are already in {store}"
            + (f", {report.rejected:,} rejected" if report.rejected else ""))
    elif report.imported == 0:
        say("error: nothing was imported")
    elif not as_json:
        say(f"imported {report.imported:,} of {report.read:,} items into {store}")
    exit_for(report.imported + report.duplicates)


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise BadInput(f"{name} {value!r}: expected YYYY-MM-DD") from None


@app.command("report")
def report(
    store: Path = typer.Option(..., "--store", help="Study file."),
    out: Path = typer.Option(..., "--out", help="Report folder (report.html, tables/, network.gexf)."),
    account: str = typer.Option(None, "--account", help="Only this account's posts."),
    since: str = typer.Option(None, "--since", help="First day, YYYY-MM-DD."),
    until: str = typer.Option(None, "--until", help="Last day, YYYY-MM-DD."),
    codebook: Path = typer.Option(None, "--codebook", help="Theme codebook YAML (default: the bundled bilingual one)."),
    organisations: Path = typer.Option(None, "--organisations", help="Organisation registry YAML (default: the bundled one)."),
    metric: str = typer.Option("likes", "--metric", help="Engagement metric: likes, reposts, replies, quotes or views."),
    periods: str = typer.Option(None, "--periods", help="Year ranges to compare, e.g. 2015-2016,2017-2023."),
    engine: str = typer.Option(None, "--engine", help="duckdb (default) or spark; or TIPLENS_ENGINE."),
    spark_master: str = typer.Option(None, "--spark-master", help=SPARK_MASTER_HELP),
) -> None:
    """Write the campaign report: volume, hashtags, themes, network, engagement statistics."""
    from tiplens.social.report import SocialReportParams, parse_periods, write

    params = SocialReportParams(account=account.lower().lstrip("@") if account else None,
                                since=_date(since, "--since"), until=_date(until, "--until"),
                                periods=parse_periods(periods), codebook=str(codebook) if codebook else None,
                                organisations=str(organisations) if organisations else None, metric=metric,
                                engine=chosen_engine(engine, spark_master))
    with Study(store, create=False) as study:
        path = write(study, out, params)
    say(f"report written: {path}")
