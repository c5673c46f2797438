"""The statement review page and the report sections the supply report reuses.

Every piece of statement text is escaped with markupsafe before it is placed in HTML; evidence
sentences are wrapped in ``<mark>`` and tagged with the requirements they address, vague or
future-tense promises get a dashed outline and the cue that raised them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from tiplens import provenance
from tiplens.knowledge import msa_requirements as reqs
from tiplens.report import Chart, Html, Note, Report, Section, Table, charts, write_report

SOURCES = [
    "Requirements: the 11 Project AIMS questions (Mila / Queensland University of Technology, AIMS.au, ICLR 2025), "
    "i.e. the Modern Slavery Act 2018 (Cth) s.16 criteria, mapped to the UK Modern Slavery Act 2015 s.54 and "
    "Canada's Fighting Against Forced Labour and Child Labour in Supply Chains Act s.11.",
]
_STYLE = Markup(
    "<style>.stmt p.s{margin:3px 0}.stmt .idx{color:#8a93a3;font-size:12px;margin-right:6px}"
    ".stmt .tag{display:inline-block;font-size:11px;background:#e3edf6;color:#1f5f8b;border-radius:3px;"
    "padding:0 4px;margin-left:4px}.stmt mark.vague{outline:1px dashed #8a5300;background:#fff1d6}"
    ".stmt .cue{font-size:11px;color:#8a5300;margin-left:4px}</style>")


def _label(name: str) -> str:
    return reqs.by_name()[name].label


def coverage_frame(assessment) -> pd.DataFrame:
    """One row per statement, one column per requirement: 'yes (n)' / 'no'."""
    rows = []
    for r in assessment.results:
        row = {"statement": r.statement, "sentences": len(r.sentences)}
        for q in r.requirements:
            row[q.requirement] = f"yes ({q.n_sentences})" if q.addressed else "no"
        rows.append(row)
    return pd.DataFrame(rows, columns=["statement", "sentences", *reqs.NAMES])


def _share_chart(assessment) -> dict:
    n = max(len(assessment.results), 1)
    frame = pd.DataFrame([{"requirement": _label(name),
                           "share of statements addressing it": sum(
                               q.addressed for r in assessment.results for q in r.requirements if q.requirement == name) / n}
                          for name in reqs.NAMES])
    return charts.bars(frame, "requirement", "share of statements addressing it", horizontal=True, sort=None)


def _method_note(assessment) -> Note:
    if assessment.rules_only:
        return Note("No trained model was given (--model): approval, signature, C1 and C6 were decided by the documented "
                    "rules and every other requirement by keyword cues only, which over- and under-report "
                    "(see docs/statements.md for measured figures). Train a model with 'tiplens supply train'.", "warning")
    info = assessment.model_info
    return Note(f"Trained model: {info.get('statements', '?')} statements, {info.get('sentences', '?')} sentences "
                f"from {', '.join(info.get('files', [])) or '?'} (trained {info.get('trained_at', '?')}). "
                "Per-requirement thresholds were chosen on validation folds grouped by statement.", "finding")


def methods_frame(assessment) -> pd.DataFrame:
    rows = []
    for r in reqs.load():
        m = r.act(assessment.act)
        rows.append({"requirement": r.name, "label": r.label, "decided_by": assessment.methods.get(r.name, ""),
                     "act_reference": m.reference, "act_status": m.status, "description": r.description})
    return pd.DataFrame(rows)


def _sentence_html(i: int, sentence: str, tags: list[str], cue: str) -> Markup:
    body = escape(sentence)
    if tags:
        body = Markup('<mark class="{}">{}</mark>').format("vague" if cue else "", body)
        body += Markup("").join(Markup('<span class="tag">{}</span>').format(t) for t in tags)
        if cue:
            body += Markup('<span class="cue">{}</span>').format(cue)
    return Markup('<p class="s"><span class="idx">{}</span>{}</p>').format(i, body)


def statement_html(result, *, full_text: bool = True) -> Html:
    """One statement: every sentence (or only the evidence), evidence highlighted and tagged."""
    tags: dict[int, list[str]] = {}
    cues: dict[int, str] = {}
    for q in result.requirements:
        for e in q.evidence:
            tags.setdefault(e.sentence_index, []).append(_label(q.requirement))
            if e.vague_cue:
                cues[e.sentence_index] = e.vague_cue
    missing = [_label(q.requirement) for q in result.requirements if not q.addressed]
    parts = [_STYLE, Markup('<div class="stmt"><h3>{}</h3>').format(result.statement),
             Markup('<p class="caption">{} ({}), {} sentences. Not addressed: {}.</p>').format(
                 result.source, result.kind, len(result.sentences), ", ".join(missing) or "none")]
    for i, s in enumerate(result.sentences):
        if full_text or i in tags:
            parts.append(_sentence_html(i, s, tags.get(i, []), cues.get(i, "")))
    parts.append(Markup("</div>"))
    return Html(str(Markup("").join(parts)))


def statement_sections(assessment, *, full_text: bool = False, max_statements: int = 50) -> list[Section]:
    """Sections for a report: overview, how each requirement is decided, evidence per statement,
    and problems with inputs. ``assessment`` is a :class:`tiplens.supply.statements.Assessment`."""
    act = reqs.act_title(assessment.act)
    overview = Section("statements-overview", "Modern slavery statements: requirements addressed",
                       intro=f"Checked against the {act} mapping of the 11 AIMS questions. A requirement is addressed "
                             "when at least one sentence is found for it; this is a lead for a reviewer, not a legal finding.")
    overview.blocks += [_method_note(assessment),
                        Table("statement_coverage", coverage_frame(assessment), "Requirements addressed per statement",
                              caption="yes (n): n evidence sentences."),
                        Table("statements", assessment.statements_frame(), "Per statement and requirement", max_rows=30,
                              caption="confidence is a margin from the decision threshold (0.5 = undecided, 1 = clear).")]
    if assessment.results:
        overview.blocks.append(Chart(_share_chart(assessment), "Share of statements addressing each requirement"))
    methods = Section("statements-methods", "How each requirement is decided",
                      blocks=[Table("requirement_methods", methods_frame(assessment), max_rows=20)])
    evidence = Section("statements-evidence", "Evidence sentences",
                       intro="Highlighted sentences address the tagged requirements; a dashed outline marks a vague or "
                             "future-tense promise (the cue is shown).")
    evidence.blocks.append(Table("evidence", assessment.evidence_frame(), "All evidence sentences", max_rows=40))
    for r in assessment.results[:max_statements]:
        evidence.blocks.append(statement_html(r, full_text=full_text))
    if len(assessment.results) > max_statements:
        evidence.blocks.append(Note(f"{len(assessment.results) - max_statements} more statements are in evidence.csv."))
    sections = [overview, methods, evidence]
    if assessment.problems:
        frame = pd.DataFrame([{"source": p.source, "problem": p.reason} for p in assessment.problems])
        sections.append(Section("statements-problems", "Inputs that could not be (fully) read",
                                blocks=[Table("problems", frame, max_rows=100)]))
    return sections


def write(assessment, out_dir: str | Path, *, synthetic: bool = False) -> Path:
    report = Report(title="Modern slavery statement review",
                    subtitle=f"{len(assessment.results)} statement(s); {reqs.act_title(assessment.act)}",
                    sections=statement_sections(assessment, full_text=True, max_statements=200),
                    synthetic=synthetic, sources=list(SOURCES),
                    provenance=provenance.describe(None, "supply", {
                        "act": assessment.act, "model": assessment.model_kind,
                        "model_files": ", ".join(assessment.model_info.get("files", [])) or "-",
                        "statements": len(assessment.results), "problems": len(assessment.problems)}))
    return write_report(report, out_dir)
