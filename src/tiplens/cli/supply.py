"""tiplens supply import | reference load/status | risk | log keygen/append/add-risk/head | verify
(the statement assessment commands are registered at the bottom)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tiplens.cli.common import SPARK_MASTER_HELP, chosen_engine, echo_json, exit_for, parse_map, progress, say
from tiplens.errors import BadInput
from tiplens.store import Study

app = typer.Typer(help="Supply-chain due diligence: supplier risk, signed records, modern slavery statements.",
                  no_args_is_help=True)
reference_app = typer.Typer(help="Reference data from the publishers' own files (DOL, Walk Free GSI, sector "
                                 "estimates).", no_args_is_help=True)
log_app = typer.Typer(help="A hash-chained, Ed25519-signed record of assessments.", no_args_is_help=True)
app.add_typer(reference_app, name="reference")
app.add_typer(log_app, name="log")


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="Supplier list (CSV/TSV/XLSX): supplier, country, product or sector, tier, spend."),
    store: Path = typer.Option(..., "--store", help="Study file (.duckdb); created when missing."),
    map_: list[str] = typer.Option(None, "--map", help="SOURCE_COLUMN=FIELD (supplier, supplier_id, country, product, "
                                                       "sector, tier, spend, currency); repeatable."),
    encoding: str = typer.Option(None, "--encoding", help="Text encoding (detected when omitted)."),
    as_json: bool = typer.Option(False, "--json", help="Print the accounting as one JSON object."),
) -> None:
    """Import a supplier list; every row is imported, a duplicate, or rejected with its line and reason."""
    from tiplens.supply.suppliers import import_file

    with Study(store) as study, progress("importing suppliers") as advance:
        result = import_file(study, file, mapping=parse_map(map_), encoding=encoding, progress=advance)
    a = result.accounting
    if as_json:
        echo_json(result.to_dict())
    else:
        say(f"{file}: read {a.read:,}, imported {a.imported:,}, duplicates {a.duplicates:,}, rejected {a.rejected:,}")
        say("columns: " + ", ".join(f"{c} -> {f}" for f, c in result.mapping.items())
            + (f"; ignored: {', '.join(result.ignored_columns)}" if result.ignored_columns else ""))
        for d in result.duplicates[:20]:
            say(f"  duplicate: line {d['line']} ({d['supplier']}) repeats {d['repeats']}")
        if len(result.duplicates) > 20:
            say(f"  ... and {len(result.duplicates) - 20} more duplicates (--json lists all)")
        for p in result.possible_duplicates[:20]:
            say(f"  possible duplicate (imported): line {p['line']} {p['supplier']!r} ~ line {p['like_line']} "
                f"{p['like']!r}")
        for name, lines in result.unknown_countries.items():
            say(f"  country not recognised (imported, left unassessed): {name!r} on line(s) "
                f"{', '.join(map(str, lines[:10]))}{' ...' if len(lines) > 10 else ''}")
        if result.no_country:
            say(f"  {len(result.no_country):,} row(s) without a country (imported, left unassessed)")
    if a.rejected:
        say(f"{a.rejected:,} row(s) rejected; reasons with file and line in {a.rejects_file}")
    if a.imported == 0:
        say("error: nothing was imported" + (" (all duplicates of suppliers already in the study)"
                                             if a.duplicates and not a.rejected else ""))
    exit_for(a.imported + (a.duplicates if not a.rejected else 0))


@reference_app.command("load")
def reference_load(
    files: list[Path] = typer.Argument(..., help="Publishers' files: DOL goods XML/table, GSI workbook or its "
                                                 "sheets as CSV, sector estimates."),
    store: Path = typer.Option(..., "--store", help="Study file (.duckdb); created when missing."),
    edition: str = typer.Option(None, "--edition", help="Edition to record when the file does not state it "
                                                        "(e.g. 2024); applies to every file named."),
    as_json: bool = typer.Option(False, "--json", help="Print the accounting and sources as one JSON object."),
) -> None:
    """Load reference data, recording publisher, edition and file hash, and say what each file lacks."""
    from tiplens.supply.reference import load_files, status

    with Study(store) as study:
        report = load_files(study, files, edition=edition)
        current = status(study)
    if as_json:
        echo_json(report.to_dict() | {"status": [s.__dict__ for s in current]})
        return
    for s in report.sources:
        sid = f"source {s.source_id}" if s.source_id is not None else "not stored"
        say(f"{s.file} [{s.format}] -> {s.kind}, edition {s.edition!r}, {sid}: read {s.read:,}, imported "
            f"{s.imported:,}, duplicates {s.duplicates:,}, rejected {s.rejected:,}")
        for note in s.notes:
            say(f"    - {note}")
    if report.accounting.rejected:
        say(f"{report.accounting.rejected:,} row(s) rejected; reasons in {report.accounting.rejects_file}")
    say("in use for risk:")
    for kind in current:
        say(f"  {kind.line()}")


@reference_app.command("status")
def reference_status(
    store: Path = typer.Option(..., "--store", help="Study file."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Which reference source of each kind the risk score uses, and which kinds are missing."""
    from tiplens.supply.reference import status

    with Study(store, create=False) as study:
        current = status(study)
    if as_json:
        echo_json({"status": [s.__dict__ for s in current]})
        return
    for s in current:
        typer.echo(s.line())
        if s.notes:
            typer.echo(f"    notes: {s.notes}")


def _sources(items: list[str] | None) -> tuple[tuple[str, int], ...]:
    out = []
    for item in items or []:
        kind, sep, sid = item.partition("=")
        if not sep or not sid.strip().isdigit():
            raise BadInput(f"--source {item!r}: expected KIND=SOURCE_ID (see 'tiplens supply reference status')")
        out.append((kind.strip(), int(sid)))
    return tuple(out)


@app.command("risk")
def risk_(
    store: Path = typer.Option(..., "--store", help="Study file."),
    out: Path = typer.Option(..., "--out", help="Report folder (report.html, tables/suppliers.csv, priorities.csv, ...)."),
    source: list[str] = typer.Option(None, "--source", help="KIND=SOURCE_ID to use instead of the newest edition "
                                                            "(repeatable)."),
    engine: str = typer.Option(None, "--engine", help="duckdb (default) or spark; or TIPLENS_ENGINE."),
    spark_master: str = typer.Option(None, "--spark-master", help=SPARK_MASTER_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print a summary as one JSON object."),
) -> None:
    """Score every supplier with its reasons and sources; write the report and tables."""
    from tiplens.supply.report import SupplyReportParams, assess, write

    params = SupplyReportParams(engine=chosen_engine(engine, spark_master), sources=_sources(source))
    with Study(store, create=False) as study:
        assessed = assess(study, params)
        path = write(study, out, params, assessed=assessed)
    t, r = assessed.portfolio.totals, assessed.risk
    summary = {"suppliers": t.suppliers, "levels": t.by_level, "spend": t.spend, "spend_at_risk": t.spend_at_risk,
               "unknown_countries": dict(r.unknown_countries), "unmatched_products": dict(r.unmatched_products),
               "uncertain_matches": sum(bool(x) for x in r.suppliers.column("uncertain_match").to_pylist()),
               "missing_reference": list(r.missing), "report": str(path), "tables": str(path.parent / "tables")}
    if as_json:
        echo_json(summary)
    else:
        levels = ", ".join(f"{t.by_level.get(k, 0):,} {k}" for k in ("high", "medium", "low", "unassessed"))
        say(f"{t.suppliers:,} supplier lines: {levels}")
        if t.spend:
            say(f"spend at risk (high or medium): {t.spend_at_risk:,.0f} of {t.spend:,.0f} ({t.share_at_risk:.0%})")
        for kind in r.missing:
            say(f"warning: no {kind} reference loaded; its checks were skipped")
        if r.unknown_countries:
            say("countries not recognised: " + ", ".join(f"{n!r} ({k})" for n, k in r.unknown_countries))
        if summary["uncertain_matches"]:
            say(f"{summary['uncertain_matches']:,} line(s) with an uncertain product match (see product_matches.csv)")
        say(f"report written: {path}")


@log_app.command("keygen")
def log_keygen(out: Path = typer.Option(..., "--out", help="Private key file to write; the public key goes to OUT.pub.")) -> None:
    """Create an Ed25519 key pair for signing the log (the private key is never overwritten)."""
    from tiplens.supply.ledger import generate_key, key_id, load_public

    private, public = generate_key(out)
    say(f"private key: {private} (keep it secret)")
    say(f"public key:  {public} (give it to whoever verifies the log); key id {key_id(load_public(public))}")


def _print_head(head, n: int) -> None:
    say(f"appended {n:,} entr{'y' if n == 1 else 'ies'}; head {head.seq}")
    typer.echo(str(head))


@log_app.command("append")
def log_append(
    log: Path = typer.Option(..., "--log", help="Log file (JSON Lines); created when missing."),
    key: Path = typer.Option(..., "--key", help="Private key (from 'supply log keygen')."),
    record: Path = typer.Option(..., "--record", help="JSON object, JSON array of objects, or JSON Lines file."),
    kind: str = typer.Option("record", "--kind", help="Kind of record (e.g. audit, remediation)."),
) -> None:
    """Append records (e.g. audit results); prints the new head SEQ:HASH to keep for 'supply verify --head'."""
    from tiplens.supply.ledger import append, load_private

    records = _read_records(record)
    head = append(log, load_private(key), records, kind=kind)
    _print_head(head, len(records))


def _read_records(path: Path) -> list[dict]:
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise BadInput(f"{path}: neither JSON nor JSON Lines ({exc})") from None
    if not items or not all(isinstance(x, dict) for x in items):
        raise BadInput(f"{path}: expected one JSON object, a list of objects, or one object per line")
    return items


@log_app.command("add-risk")
def log_add_risk(
    store: Path = typer.Option(..., "--store", help="Study file with suppliers and reference data."),
    log: Path = typer.Option(..., "--log", help="Log file (JSON Lines); created when missing."),
    key: Path = typer.Option(..., "--key", help="Private key."),
) -> None:
    """Assess every supplier now and append one signed record per supplier plus a summary."""
    from tiplens.supply.ledger import append, load_private
    from tiplens.supply.records import risk_records
    from tiplens.supply.report import assess

    private = load_private(key)
    with Study(store, create=False) as study:
        records = risk_records(assess(study))
    head = append(log, private, records, kind="supplier-risk")
    _print_head(head, len(records))


@log_app.command("head")
def log_head(log: Path = typer.Option(..., "--log", help="Log file.")) -> None:
    """Print the last entry's SEQ:HASH (run 'supply verify' to check the log itself)."""
    from tiplens.supply.ledger import read_entries

    if not log.is_file():
        raise BadInput(f"{log}: no such log file")
    entries = read_entries(log)
    if not entries:
        raise BadInput(f"{log}: the log is empty")
    typer.echo(f"{entries[-1]['seq']}:{entries[-1]['hash']}")


@app.command("verify")
def verify(
    log: Path = typer.Option(..., "--log", help="Log file."),
    public_key: Path = typer.Option(..., "--public-key", help="The signer's public key (PEM)."),
    head: str = typer.Option(None, "--head", help="SEQ:HASH you kept from an earlier append; detects entries "
                                                  "removed from the end."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as one JSON object."),
) -> None:
    """Check that no record was altered, removed, inserted or reordered, and that the key signed every entry.
    Exit code 0 when the log verifies, 1 when it does not."""
    from tiplens.supply.ledger import load_public
    from tiplens.supply.ledger import verify as check

    result = check(log, load_public(public_key), head=head)
    if as_json:
        echo_json(result.to_dict())
    elif result.ok:
        say(f"OK: {result.entries:,} entries, chain intact, every signature valid (key {result.key_id})"
            + (f"; includes the head {head.split(':')[0]}" if head else ""))
        if result.head:
            typer.echo(str(result.head))
    else:
        say(f"FAILED: {result.problem}")
        say(f"{result.entries:,} entries before it verify")
    if not result.ok:
        raise typer.Exit(1)


# -- statement assessment (commands live in cli/supply_statements.py) ------------------------------
from tiplens.cli.supply_statements import evaluate_cmd, statements_cmd, train_cmd  # noqa: E402

app.command("statements")(statements_cmd)
app.command("train")(train_cmd)
app.command("evaluate")(evaluate_cmd)
