"""tiplens cases import | report | export"""

from __future__ import annotations

from pathlib import Path

import typer

from tiplens.cli.common import SPARK_MASTER_HELP, chosen_engine, echo_json, exit_for, parse_map, progress, say
from tiplens.store import Study

app = typer.Typer(help="Case-data analytics with a privacy guard: import case records and country statistics, "
                       "write the report, export k-anonymous microdata.", no_args_is_help=True)


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(..., help="CTDC CSV/XLSX (k-anonymised or synthetic), UNODC GLOTIP table, "
                                                  "Walk Free GSI 2023 workbook, or any CSV with --map."),
    store: Path = typer.Option(..., "--store", help="Study file (.duckdb); created when missing."),
    fmt: str = typer.Option("auto", "--format", help="auto, ctdc, ctdc-synthetic, glotip, gsi or csv."),
    map_: list[str] = typer.Option(None, "--map", help="SOURCE_COLUMN=FIELD for CSV files (repeatable)."),
    encoding: str = typer.Option(None, "--encoding", help="Text encoding (detected when omitted)."),
    as_json: bool = typer.Option(False, "--json", help="Print the accounting as one JSON object."),
) -> None:
    """Import records; each is imported, a duplicate, or rejected with its file, line and reason."""
    from tiplens.cases.importing import import_files

    with Study(store) as study, progress("importing records") as advance:
        report = import_files(study, files, fmt=fmt, encoding=encoding, mapping=parse_map(map_), progress=advance)
    if as_json:
        d = report.to_dict()
        echo_json({k: d[k] for k in ("read", "imported", "duplicates", "rejected", "rejects_file")})
    else:
        for f in report.files:
            say(f"{f.file} [{f.format}]: read {f.read:,}, imported {f.imported:,}, duplicates {f.duplicates:,}, "
                f"rejected {f.rejected:,}{' (' + f.note + ')' if f.note else ''}")
    if report.rejected:
        say(f"{report.rejected:,} record(s) rejected; reasons with file and line in {report.rejects_file}")
    if report.imported == 0:
        say("error: nothing was imported" + (" (every record was already in the study)"
                                              if report.duplicates and not report.rejected else ""))
    elif not as_json:
        say(f"imported {report.imported:,} of {report.read:,} records into {store}")
    exit_for(report.imported + (report.duplicates if not report.rejected else 0))


@app.command("report")
def report(
    store: Path = typer.Option(..., "--store", help="Study file."),
    out: Path = typer.Option(..., "--out", help="Report folder (report.html, tables/, privacy.json)."),
    k: int = typer.Option(10, "--k", help="Smallest count published; smaller counts show as '<K'."),
    periods: str = typer.Option(None, "--periods", help="Year ranges to compare, e.g. 2015-2019,2020-2021,2022-2023."),
    epsilon: float = typer.Option(1.0, "--epsilon", help="Privacy budget of the differentially private counts (0 = none)."),
    engine: str = typer.Option(None, "--engine", help="duckdb (default) or spark; or TIPLENS_ENGINE."),
    spark_master: str = typer.Option(None, "--spark-master", help=SPARK_MASTER_HELP),
) -> None:
    """Write the case-data report: trends, coverage, profiles, routes, risk, privacy."""
    from tiplens.cases.report import CasesReportParams, write
    from tiplens.social.report import parse_periods

    params = CasesReportParams(threshold=k, periods=parse_periods(periods), epsilon=epsilon,
                               engine=chosen_engine(engine, spark_master))
    with Study(store, create=False) as study:
        path = write(study, out, params)
    say(f"report written: {path}")


@app.command("export")
def export(
    store: Path = typer.Option(..., "--store", help="Study file."),
    out: Path = typer.Option(..., "--out", help="CSV file to write."),
    k: int = typer.Option(11, "--k", help="Every combination of quasi-identifiers appears at least k times."),
    quasi: str = typer.Option(None, "--quasi", help="Comma-separated quasi-identifiers "
                                                    "(default year,sex,age_band,citizenship,country_of_exploitation)."),
    periods: str = typer.Option(None, "--periods", help="Year ranges used when years must be generalised."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object."),
) -> None:
    """Write k-anonymous case microdata (generalise, then suppress)."""
    from tiplens.cases.export import export_k_anonymous
    from tiplens.social.report import parse_periods

    qis = tuple(q.strip() for q in quasi.split(",") if q.strip()) if quasi else None
    with Study(store, create=False) as study:
        summary = export_k_anonymous(study, out, k=k, quasi=qis, periods=parse_periods(periods))
    if as_json:
        echo_json(summary)
    else:
        gen = ", ".join(f"{c} -> {lvl}" for c, lvl in summary["generalised"].items()) or "nothing"
        say(f"wrote {summary['rows_out']:,} of {summary['rows_in']:,} records to {out} (k = {summary['k']}); "
            f"suppressed {summary['suppressed']:,}; generalised {gen}")
