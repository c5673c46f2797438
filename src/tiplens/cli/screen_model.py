"""tiplens screen train | evaluate"""

from __future__ import annotations

from pathlib import Path

import typer

from tiplens.cli.common import echo_json, say
from tiplens.errors import BadInput

app = typer.Typer(help="Train and evaluate the screening model.", no_args_is_help=True)

METRIC_KEYS = ("n", "precision", "recall", "f1", "roc_auc", "pr_auc", "threshold")


def _columns(value: str | None) -> tuple[str, ...]:
    return tuple(c.strip() for c in (value or "").split(",") if c.strip())


def _ngrams(value: str | None) -> tuple[int, ...]:
    try:
        return tuple(int(n) for n in _columns(value))
    except ValueError:
        raise BadInput(f"--char-ngrams {value!r}: expected sizes such as 4 or 3,5") from None


@app.command("train")
def train_cmd(
    file: Path = typer.Argument(..., help="Labelled ads: CSV/TSV/XLSX, JSONL/JSON or Parquet."),
    text_column: str = typer.Option(..., "--text-column", help="Column holding the ad text."),
    label_column: str = typer.Option(..., "--label-column", help="Column holding the label (1/0, true/false, fraudulent/legitimate ...)."),
    out: Path = typer.Option(..., "--out", help="Model file to write (skops); the card and cross-validation predictions go beside it."),
    metadata_columns: str = typer.Option(None, "--metadata-columns", help="Comma-separated metadata columns to use as features (default: none, text only)."),
    seed: int = typer.Option(20170101, "--seed", help="Random seed (folds, bootstrap)."),
    char_ngrams: str = typer.Option(None, "--char-ngrams", help="Character n-gram sizes to add, e.g. 4 or 3,5 (default: none)."),
    calibration: str = typer.Option("sigmoid", "--calibration", help="sigmoid or isotonic."),
    classifier: str = typer.Option("svm", "--classifier", help="svm (linear SVM, squared hinge) or logistic."),
    weighting: str = typer.Option("nb", "--weighting", help="Text weighting: nb (binary n-grams x naive-Bayes log-count ratio, L2 per ad) or idf (counts x IDF / sqrt(n-grams), the version 1 model)."),
    c: float = typer.Option(None, "--C", help="Inverse regularisation strength (default 1 for svm, 10 for logistic)."),
    folds: int = typer.Option(5, "--folds", help="Grouped cross-validation folds for the model card."),
    opening_chars: int = typer.Option(0, "--opening-chars", help="Add the word n-grams of each ad's first N characters as a third text block (default 0: none; see docs/screen.md)."),
    inner_repeats: int = typer.Option(1, "--inner-repeats", help="Inner grouped splits whose pooled out-of-fold scores set the calibration and threshold."),
    as_json: bool = typer.Option(False, "--json", help="Print the cross-validation metrics as one JSON object."),
) -> None:
    """Train the screening model with grouped cross-validation; write the model, its card and the
    out-of-fold predictions."""
    from tiplens.screen.model import train
    from tiplens.screen.model_card import markdown
    from tiplens.screen.training import Settings

    if folds < 2:
        raise BadInput("--folds must be at least 2")
    try:
        settings = Settings(char_ngrams=_ngrams(char_ngrams), calibration=calibration, cv_folds=folds,
                            classifier=classifier, weighting=weighting, C=c, opening_chars=opening_chars,
                            inner_repeats=inner_repeats)
    except ValueError as exc:
        field, _, rest = str(exc).partition(" ")  # Settings' messages start with the field, named as the option
        raise BadInput(f"--{field.replace('_', '-')} {rest}") from None
    trained = train(file, text_column, label_column, _columns(metadata_columns), seed=seed, settings=settings,
                    progress=say)
    path = trained.save(out)
    card_path, cv_path = out.with_suffix(".card.md"), out.with_suffix(".cv.csv")
    card_path.write_text(markdown(trained.card), encoding="utf-8")
    trained.cv.to_frame().to_csv(cv_path, index=False)
    if trained.rejects:
        rejects_path = out.with_suffix(".rejects.csv")
        _write_rejects(rejects_path, file, trained.rejects)
        say(f"{len(trained.rejects):,} row(s) rejected; file, line and reason in {rejects_path}")
    variants = trained.card["cross_validation"]["variants"]
    if as_json:
        echo_json({"model": str(path), "card": str(card_path), "cv_predictions": str(cv_path),
                   "threshold": trained.threshold, "n": trained.card["data"]["n"], "cross_validation": variants})
        return
    for name, block in variants.items():
        say(f"grouped CV, {name}: " + ", ".join(
            f"{m} {v['value']:.3f} [{v['low']:.3f}, {v['high']:.3f}]" for m, v in block.items() if v["value"] is not None))
    say(f"threshold {trained.threshold:.3f}; model written: {path} (card: {card_path.name}, "
        f"out-of-fold predictions: {cv_path.name})")


def _write_rejects(path: Path, source: Path, rejects: tuple) -> None:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "line", "reason"])
        w.writerows([source.name, r.line, r.reason] for r in rejects)


@app.command("evaluate")
def evaluate_cmd(
    file: Path = typer.Argument(..., help="Labelled ads: CSV/TSV/XLSX, JSONL/JSON or Parquet."),
    model: Path = typer.Option(..., "--model", help="Model file written by 'tiplens screen train'."),
    text_column: str = typer.Option(..., "--text-column", help="Column holding the ad text."),
    label_column: str = typer.Option(..., "--label-column", help="Column holding the label."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object {n, precision, recall, f1, roc_auc, pr_auc, threshold}."),
    predictions: Path = typer.Option(None, "--predictions", help="Also write line, label, probability, flagged per ad (CSV; no text)."),
) -> None:
    """Evaluate a model on labelled ads at its recorded threshold."""
    from tiplens.screen.model import evaluate_detailed, load

    result = evaluate_detailed(file, load(model), text_column, label_column)
    if result.rejects:
        say(f"{len(result.rejects):,} row(s) rejected, e.g. line {result.rejects[0].line}: {result.rejects[0].reason}")
    if predictions:
        predictions.parent.mkdir(parents=True, exist_ok=True)
        result.to_frame().to_csv(predictions, index=False)
        say(f"predictions written: {predictions}")
    if as_json:
        echo_json({k: result.metrics[k] for k in METRIC_KEYS})
        return
    for k in METRIC_KEYS:
        v = result.metrics[k]
        typer.echo(f"{k:<10} {'n/a' if v is None else v if isinstance(v, int) else f'{v:.4f}'}")
