"""The screening review page: evidence highlighted in the ads, indicator counts, the ILO and
Palermo mapping, metrics when labels are present, referral hotlines, and room for more sections
(e.g. clusters of linked ads: pass them as ``extra_sections``).

All ad text is escaped with markupsafe before it is wrapped in ``<mark>``; with
``--hash-contacts`` the contacts inside the shown text are masked as ``[phone]``, ``[email]``...
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from tiplens import provenance
from tiplens.knowledge.hotlines import load_hotlines
from tiplens.knowledge.indicators import ILO_INDICATORS, PALERMO, load_indicators
from tiplens.report import Chart, Html, Note, Report, Section, Table, charts, write_report
from tiplens.screen.contacts import Contact
from tiplens.screen.indicators import Match
from tiplens.screen.referral import hotlines_for
from tiplens.screen.screening import STATUSES, ScreenSummary

SHOW_CHARS = 3000   # longer ads are shown as windows around the evidence
WINDOW = 200
SOURCES = [
    "ILO (2012). ILO indicators of forced labour. Geneva: International Labour Organization.",
    "UN (2000). Protocol to Prevent, Suppress and Punish Trafficking in Persons (Palermo Protocol), article 3.",
    "Recruitment-fraud red flags after the Indonesian Manpower Ministry's warnings and the ILO fair-recruitment "
    "principles; commercial-sex ad cues after Ibanez & Suthers (2014) and Dubrawski et al. (2015); job-scam tactics "
    "after US FTC guidance; scam-compound recruitment after OHCHR (2023). Full list in knowledge/indicators.yaml.",
    "Project seed documents 002 and 003 (technology against trafficking: flagging recruitment ads, removing "
    "exploitative content, warning job seekers; hotlines; forms of exploitation).",
    "Hotlines: knowledge/hotlines.yaml, each number with its source (official sites and press); North American "
    "lines from Truckers Against Trafficking's hotline list (tatnonprofit/human-trafficking-hotlines, 2024-10).",
]


def build(summary: ScreenSummary, *, title: str = "Screening of job ads and posts", synthetic: bool = False,
          extra_sections: Sequence[Section] | None = None, sources: Sequence[str] = ()) -> Report:
    """The review page as a :class:`Report`. ``extra_sections`` (e.g. clusters of linked ads
    from the linking module) are placed after the metrics."""
    sections = [_overview(summary), _evidence(summary), _indicators(summary), _mapping(summary)]
    metrics = _metrics(summary)
    if metrics:
        sections.append(metrics)
    sections.extend(extra_sections or ())
    sections.append(_referral(summary))
    sections.append(_method(summary))
    opts = summary.options
    params = {"mode": summary.mode, "threshold": summary.threshold, "country": opts.country,
              "text_column": opts.text_column, "id_column": opts.id_column, "label_column": opts.label_column,
              "max_chars": opts.max_chars, "hash_contacts": opts.hash_contacts, "engine": opts.engine or "python"}
    prov = provenance.describe(None, "screen", params)
    prov["inputs"] = [f"{f.file} [{f.format}] sha256={f.sha256[:16]}… read={f.read}" for f in summary.files]
    prov["catalogue"] = f"{len(load_indicators().indicators)} indicators (knowledge/indicators.yaml)"
    return Report(
        title=title,
        subtitle=(f"{summary.read:,} records, {summary.flagged:,} flagged"
                  + (" (synthetic demonstration data)" if synthetic else "")),
        sections=sections, synthetic=synthetic, sources=[*SOURCES, *sources], provenance=prov,
    )


def write(summary: ScreenSummary, out_dir: str | Path, *, synthetic: bool = False,
          extra_sections: Sequence[Section] | None = None, title: str = "Screening of job ads and posts") -> Path:
    return write_report(build(summary, title=title, synthetic=synthetic, extra_sections=extra_sections), out_dir)


# -- sections ---------------------------------------------------------------------------------

def _overview(s: ScreenSummary) -> Section:
    files = pd.DataFrame([{"file": f.file, "format": f.format, "sha256": f.sha256[:16], "read": f.read,
                           **{st: f.statuses[st] for st in STATUSES}, "flagged": f.flagged} for f in s.files])
    levels = pd.DataFrame([{"level": lv, "ads": s.levels[lv]} for lv in ("high", "medium", "low")])
    langs = pd.DataFrame(sorted(s.languages.items(), key=lambda kv: -kv[1]), columns=["language", "ads"])
    blocks: list = [
        Note(f"{s.read:,} records read; {s.screened:,} screened; {s.flagged:,} flagged "
             f"({s.levels['high']:,} high, {s.levels['medium']:,} medium). Scoring: {s.method}.", "finding"),
        Note("A flag is a lead for a trained reviewer, not a finding: the indicators are phrases that often go "
             "with deceptive recruitment or exploitation, and awareness-raising texts that quote them are flagged "
             "too. Read the evidence before acting.", "warning"),
    ]
    if s.statuses["truncated"]:
        blocks.append(Note(f"{s.statuses['truncated']:,} text(s) longer than {s.options.max_chars:,} characters: "
                           "only the beginning was screened.", "warning"))
    not_screened = s.statuses["empty"] + s.statuses["binary"] + s.statuses["malformed"]
    if not_screened:
        blocks.append(Note(f"{not_screened:,} record(s) not screened (empty, binary or malformed); they are in the "
                           "results file with their status and no score.", "warning"))
    blocks += [Table("screening_files", files, title="Records per file and status"),
               Table("screening_levels", levels, title="Ads per level"),
               Table("screening_languages", langs, title="Ads per detected language")]
    return Section("overview", "Overview", blocks)


def _evidence(s: ScreenSummary) -> Section:
    examples = s.top_examples()
    if not examples:
        return Section("evidence", "Flagged ads and their evidence",
                       [Note("No ad was flagged.")])
    mask = s.options.hash_contacts
    parts = [Markup('<div class="evidence">')]
    for ex in examples:
        labels = Counter(m.label for m in ex.matches)
        head = Markup("<h3>{} <small>score {:.2f}, {}, language {}{}</small></h3>").format(
            ex.id, ex.score, ex.level, ex.language,
            "" if ex.label is None else Markup(", label {}").format(ex.label))
        chips = Markup(", ").join(Markup("{} ×{}").format(lbl, n) if n > 1 else escape(lbl)
                                  for lbl, n in labels.items())
        parts.append(head)
        parts.append(Markup('<p class="caption">Indicators: {}</p>').format(chips or "none"))
        parts.append(Markup('<blockquote style="white-space:pre-wrap;border-left:3px solid #d9dee6;'
                            'margin:6px 0 16px;padding:4px 12px">{}</blockquote>').format(
            highlight(ex.text, ex.matches, ex.contacts if mask else ())))
    parts.append(Markup("</div>"))
    intro = (f"The {len(examples)} highest-scoring flagged ads (of {s.flagged:,}); every highlighted span is the "
             "exact text that matched (hover for the indicator).")
    if mask:
        intro += " Contacts are masked because --hash-contacts was given."
    return Section("evidence", "Flagged ads and their evidence", [Html(str(Markup("").join(parts)))], intro=intro)


def highlight(text: str, matches: Sequence[Match], mask: Sequence[Contact] = (), limit: int = SHOW_CHARS) -> Markup:
    """``text`` as escaped HTML with ``<mark>`` around every match and contacts in ``mask``
    replaced by ``[kind]``; texts longer than ``limit`` become windows around the evidence."""
    spans = [(m.start, m.end) for m in matches] + [(c.start, c.end) for c in mask]
    if len(text) > limit and spans:
        windows: list[list[int]] = []
        for a, b in sorted(spans):
            lo, hi = max(0, a - WINDOW), min(len(text), b + WINDOW)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        pieces = [_highlight_range(text, matches, mask, lo, hi) for lo, hi in windows]
        lead = Markup("… ") if windows[0][0] > 0 else Markup("")
        tail = Markup(" …") if windows[-1][1] < len(text) else Markup("")
        return lead + Markup(" … ").join(pieces) + tail
    if len(text) > limit:
        return escape(text[:limit]) + Markup(" …")
    return _highlight_range(text, matches, mask, 0, len(text))


def _highlight_range(text: str, matches: Sequence[Match], mask: Sequence[Contact], lo: int, hi: int) -> Markup:
    cuts = {lo, hi}
    for m in matches:
        cuts.update(p for p in (m.start, m.end) if lo < p < hi)
    for c in mask:
        cuts.update(p for p in (c.start, c.end) if lo < p < hi)
    points = sorted(cuts)
    out: list[Markup] = []
    masked_done: set[int] = set()
    for a, b in zip(points, points[1:], strict=False):
        if a >= b:
            continue
        hidden = next((i for i, c in enumerate(mask) if c.start <= a and b <= c.end), None)
        covering = [m for m in matches if m.start <= a and b <= m.end]
        if hidden is not None:
            if hidden not in masked_done:
                masked_done.add(hidden)
                piece = escape(f"[{mask[hidden].kind}]")
                out.append(Markup("<mark>{}</mark>").format(piece) if covering else piece)
            continue
        chunk = escape(text[a:b])
        if covering:
            title = "; ".join(dict.fromkeys(f"{m.label} ({m.ilo or 'no ILO indicator'}, {m.palermo or '-'})"
                                            for m in covering))
            out.append(Markup('<mark title="{}">{}</mark>').format(title, chunk))
        else:
            out.append(chunk)
    return Markup("").join(out)


def _indicators(s: ScreenSummary) -> Section:
    cat = load_indicators()
    rows = [{"indicator": i.id, "label": i.label_en, "label_id": i.label_id, "ilo": i.ilo or "",
             "palermo": i.palermo or "", "form": i.form or "", "weight": i.weight,
             "ads": s.indicator_ads[i.id], "flagged_ads": s.indicator_flagged[i.id],
             "matches": s.indicator_matches[i.id]} for i in cat.indicators]
    frame = pd.DataFrame(rows).sort_values(["ads", "matches"], ascending=False)
    blocks: list = []
    seen = frame[frame["ads"] > 0]
    if len(seen):
        blocks.append(Chart(charts.bars(seen, "label", "ads", horizontal=True, x_title="indicator",
                                        y_title="ads with the indicator", title="Ads per indicator"),
                            title="Ads per indicator"))
    blocks.append(Table("indicator_counts", frame, title="Indicator counts",
                        caption="ads: ads with at least one match; flagged_ads: of those, flagged; matches: all "
                                "matches (an ad can match an indicator several times).", max_rows=60))
    if s.combinations:
        combos = pd.DataFrame(sorted(s.combinations.items(), key=lambda kv: -kv[1]), columns=["combination", "ads"])
        blocks.append(Table("indicator_combinations", combos, title="Combinations of indicators"))
    if s.contact_kinds:
        kinds = pd.DataFrame(sorted(s.contact_kinds.items(), key=lambda kv: -kv[1]), columns=["kind", "contacts"])
        blocks.append(Note(f"{s.with_contacts:,} screened ad(s) carry at least one contact."))
        blocks.append(Table("contact_kinds", kinds, title="Contacts found, by kind"))
    return Section("indicators", "Indicators found", blocks)


def _mapping(s: ScreenSummary) -> Section:
    cat = load_indicators()
    by_ilo = []
    for ilo in ILO_INDICATORS:
        members = [i for i in cat.indicators if i.ilo == ilo]
        by_ilo.append({"ilo_indicator": ilo, "screening_indicators": ", ".join(i.id for i in members) or "-",
                       "ads": s.ilo_ads[ilo]})
    by_palermo = []
    for el in PALERMO:
        members = [i for i in cat.indicators if i.palermo == el]
        by_palermo.append({"palermo_element": el, "screening_indicators": ", ".join(i.id for i in members),
                           "ads": s.palermo_ads[el]})
    catalogue = pd.DataFrame([{"indicator": i.id, "label": i.label_en, "label_id": i.label_id,
                               "group": i.group, "ilo": i.ilo or "", "palermo": i.palermo or "",
                               "form": i.form or "", "weight": i.weight} for i in cat.indicators])
    return Section("mapping", "ILO and Palermo mapping", [
        Note("Each screening indicator maps to at most one of the eleven ILO indicators of forced labour and to "
             "one element of the Palermo Protocol definition: the act (recruitment, transport, ...), the means "
             "(deception, coercion, abuse of vulnerability ...) or the purpose (exploitation). 'ads' counts the "
             "screened ads with at least one of the listed indicators (an ad can count in several rows)."),
        Table("ilo_mapping", pd.DataFrame(by_ilo), title="ILO indicators of forced labour"),
        Table("palermo_mapping", pd.DataFrame(by_palermo), title="Palermo Protocol elements"),
        Table("indicator_catalogue", catalogue, title="The indicator catalogue", max_rows=60),
    ])


def _metrics(s: ScreenSummary) -> Section | None:
    m = s.metrics()
    if m is None:
        return None

    def fmt(v: object) -> str:
        if v is None:
            return "n/a"
        return f"{v:.3f}" if isinstance(v, float) else f"{v:,}"

    rows = [{"metric": k, "value": fmt(m[k])} for k in ("n", "positives", "threshold", "precision", "recall",
                                                        "f1", "accuracy", "roc_auc", "pr_auc", "tp", "fp", "fn", "tn")]
    ci = (f"precision 95% CI {m['precision_ci'][0]:.3f}-{m['precision_ci'][1]:.3f}; " if m["precision"] is not None
          else "") + (f"recall 95% CI {m['recall_ci'][0]:.3f}-{m['recall_ci'][1]:.3f}" if m["recall"] is not None else "")
    blocks: list = [Note(f"Measured on the {m['n']:,} screened records with a label in column "
                         f"{s.options.label_column!r}; flagged = score >= {m['threshold']:.3f}. {ci} (Wilson)."),
                    Table("screening_metrics", pd.DataFrame(rows), title="Metrics against the labels")]
    if s.unlabelled:
        blocks.append(Note(f"{s.unlabelled:,} screened record(s) had no usable label and are not counted.", "warning"))
    if s.mode == "rules":
        blocks.append(Note("These are rules-only figures: the rules look for trafficking and deceptive-recruitment "
                           "cues, which a general fraud label only partly covers.", "warning"))
    return Section("metrics", "Metrics", blocks)


def _referral(s: ScreenSummary) -> Section:
    country = s.options.country
    blocks: list = []
    if country:
        lines = hotlines_for(country)
        if lines:
            frame = pd.DataFrame([{"name": h.name, "number": h.number, "type": h.type, "region": h.region,
                                   "source": h.url or h.cite} for h in lines])
            blocks.append(Note(f"Flagged records carry these hotlines for {country} in their 'referral' field."))
            blocks.append(Table("referral_hotlines", frame, title=f"Hotlines for {country}"))
        else:
            blocks.append(Note(f"The directory has no verified hotline for {country}.", "warning"))
    else:
        blocks.append(Note("No --country was given, so records carry no referral. The directory below lists "
                           "every verified number."))
    directory = pd.DataFrame([{"country": h.country, "region": h.region, "name": h.name, "number": h.number,
                               "type": h.type, "source": h.url or h.cite} for h in load_hotlines() if h.verified])
    blocks.append(Table("hotline_directory", directory, title="Hotline directory", max_rows=60,
                        caption="Numbers change: check the source before publishing them."))
    return Section("referral", "Referral hotlines", blocks)


def _method(s: ScreenSummary) -> Section:
    return Section("method", "How the screening works", [
        Note("Text is normalised before matching (case, accents, look-alike letters, emoji modifiers, zero-width "
             "characters, letters spelled out with separators, leetspeak, hyphenation), and every match is mapped "
             "back to the exact characters of the original text."),
        Note("Negation: a fee, contract or document phrase preceded by 'no', 'never', 'without', 'tanpa', 'tidak', "
             "'bebas' ... in the same clause, or followed by 'free', 'gratis', 'waived', 'ditanggung', is not "
             "counted; 'except' / 'kecuali' / 'selain' stop the look-back."),
        Note(f"Scoring: {s.method}. Rules score: S = sum of the weights of the distinct indicators found plus the "
             "weights of the combinations present; score = 1 - exp(-S/2); flagged at 0.5; high from 0.75. An ad "
             "with no indicator scores 0 and is never flagged by the rules."),
    ])
