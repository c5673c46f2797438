"""tiplens supply statements | train | evaluate

Plain functions with Typer options; the supply CLI registers them with
``app.command("statements")(statements_cmd)`` and so on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tiplens.cli.common import echo_json, progress, say


def statements_cmd(
    files: list[Path] = typer.Argument(..., help="Statements: PDF, HTML, DOCX, TXT, folders of those, or CSV/XLSX with a text column."),
    out: Path = typer.Option(..., "--out", help="Output folder: statements.csv, evidence.csv, problems.csv, report.html."),
    act: str = typer.Option("au", "--act", help="Which Act's references to show: au (default), uk or ca."),
    model: Path = typer.Option(None, "--model", help="Model trained with 'tiplens supply train'. Without it: rules and keyword cues only."),
    text_column: str = typer.Option(None, "--text-column", help="Text column of a CSV/XLSX input (default: text, statement_text, ...)."),
    id_column: str = typer.Option(None, "--id-column", help="Statement id column of a CSV/XLSX input; rows sharing an id form one statement."),
    as_json: bool = typer.Option(False, "--json", help="Print a summary as one JSON object."),
) -> None:
    """Find the sentences that address each modern slavery statement requirement."""
    from tiplens.knowledge.msa_requirements import check_act
    from tiplens.supply import statements

    act = check_act(act)
    if model is None:
        say("note: no --model given: approval, signature, C1 and C6 are decided by rules, all other requirements by "
            "keyword cues only (low precision); train a model with 'tiplens supply train'")
    with progress("assessing statements"):
        assessment = statements.assess(files, model, act, text_column=text_column, id_column=id_column)
        paths = statements.write_outputs(assessment, out)
    for p in assessment.problems:
        say(f"{p.source}: {p.reason}")
    summary: list[dict[str, Any]] = []
    for r in assessment.results:
        done = [q.requirement for q in r.requirements if q.addressed]
        summary.append({"statement": r.statement, "sentences": len(r.sentences), "addressed": len(done),
                        "missing": [q.requirement for q in r.requirements if not q.addressed]})
    if as_json:
        echo_json({"statements": len(assessment.results), "problems": len(assessment.problems),
                   "model": assessment.model_kind, "act": assessment.act, "out": str(out),
                   "results": summary})
    else:
        for s in summary:
            typer.echo(f"{s['statement']}: {s['addressed']}/11 addressed"
                       + (f"; missing: {', '.join(s['missing'])}" if s["missing"] else ""))
    say(f"{len(assessment.results)} statement(s) assessed, {len(assessment.problems)} problem(s); "
        f"review page: {paths['report']}")


def train_cmd(
    files: list[Path] = typer.Argument(..., help="Sentence-labelled statements (AIMS layout: statement_id, sentence, labels)."),
    out: Path = typer.Option(..., "--out", help="Model file to write (skops format)."),
    folds: int = typer.Option(5, "--folds", min=2, help="Validation folds (grouped by statement) for the thresholds."),
) -> None:
    """Train the sentence classifier; thresholds are chosen on validation folds grouped by statement."""
    from tiplens.supply import model as mdl
    from tiplens.supply import statements

    with progress("training the statement model"):
        m = statements.train(files, n_splits=folds)
        mdl.save(m, out)
    for name, v in m.validation.items():
        say(f"{name} [{m.methods[name]}]: validation F1 {v['oof_f1']:.3f} at threshold {v['threshold']:.3f} ({v['positives']} positive sentences)")
    for name, method in m.methods.items():
        if method in ("rules", "keywords"):
            say(f"{name}: decided by {method}")
    say(f"model written: {out} ({m.info['statements']} statements, {m.info['sentences']} sentences)")


def evaluate_cmd(
    file: Path = typer.Argument(..., help="Sentence-labelled statements (AIMS layout)."),
    model: Path = typer.Option(..., "--model", help="Model trained with 'tiplens supply train'."),
    as_json: bool = typer.Option(False, "--json", help="Print the metrics as one JSON object."),
    predictions: Path = typer.Option(None, "--predictions", help="Write statement_id, sentence_index, requirement, predicted, score."),
) -> None:
    """Sentence- and statement-level precision, recall and F1 per requirement, with macro averages."""
    from tiplens.supply import statements

    with progress("evaluating"):
        result = statements.evaluate(file, model, predictions=predictions)
    if as_json:
        echo_json(result)
    else:
        typer.echo(f"{'requirement':22} {'method':9} {'sent P':>7} {'sent R':>7} {'sent F1':>7} {'support':>7}  "
                   f"{'stmt P':>7} {'stmt R':>7} {'stmt F1':>7} {'support':>7}")
        for name, v in result["per_requirement"].items():
            s, t = v["sentence"], v["statement"]
            typer.echo(f"{name:22} {result['methods'][name]:9} {s['precision']:7.3f} {s['recall']:7.3f} {s['f1']:7.3f} "
                       f"{s['support']:7d}  {t['precision']:7.3f} {t['recall']:7.3f} {t['f1']:7.3f} {t['support']:7d}")
        typer.echo(f"sentence macro F1 {result['sentence_macro_f1']}  statement macro F1 {result['statement_macro_f1']}  "
                   f"({result['n_statements']} statements, {result['n_sentences']} sentences; macro over requirements "
                   "with positives)")
    if result["rejected_rows"]:
        say(f"{result['rejected_rows']} row(s) could not be used (no sentence, no id or bad labels)")
    if predictions:
        say(f"predictions written: {predictions}")
