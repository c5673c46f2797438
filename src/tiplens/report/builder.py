"""Report model and writer.

A :class:`Report` holds :class:`Section` objects, each a list of blocks: :class:`Note`
(plain text, escaped), :class:`Table` (also written to ``tables/<name>.csv``) and
:class:`Chart` (a Vega-Lite spec, drawn by Vega-Embed inlined from the installed
``vl-convert-python`` package, so the page works offline).
"""

from __future__ import annotations

import json
import numbers
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from tiplens import __version__


@dataclass
class Note:
    text: str
    kind: str = "text"  # text | warning | finding


@dataclass
class Table:
    name: str  # file stem in tables/; empty string = shown but not exported
    frame: pd.DataFrame
    title: str = ""
    caption: str = ""
    max_rows: int = 50  # rows shown in the page (the CSV has all)
    export: bool = True
    html_columns: tuple[str, ...] = ()  # columns already rendered as safe HTML (e.g. highlights)


@dataclass
class Chart:
    spec: dict[str, Any]
    title: str = ""
    caption: str = ""


@dataclass
class Html:
    """Pre-rendered, already-escaped HTML (e.g. highlighted evidence built with markupsafe)."""

    html: str


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Any] = field(default_factory=list)
    intro: str = ""


@dataclass
class Report:
    title: str
    subtitle: str = ""
    sections: list[Section] = field(default_factory=list)
    synthetic: bool = False
    sources: list[str] = field(default_factory=list)  # citations of data and facts
    provenance: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # extra files: name -> text content


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script, from the installed vl-convert package.

    Bundling takes seconds, so the result is kept in a cache file per vl-convert version
    (``$TIPLENS_CACHE`` or ``$XDG_CACHE_HOME/tiplens`` or ``~/.cache/tiplens``)."""
    import vl_convert

    cache_root = os.environ.get("TIPLENS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "tiplens")
    cache = Path(cache_root) / f"vega-embed-bundle-{getattr(vl_convert, '__version__', '0')}.js"
    try:
        return cache.read_text(encoding="utf-8")
    except OSError:
        pass
    bundle = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub marks the optional snippet required
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(cache)
    except OSError:
        pass  # a read-only home: bundle every time
    return bundle


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("tiplens.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(template_filters())
    return env


def template_filters() -> dict[str, Any]:
    """The filters the block templates need (shared with the web workbench)."""
    return {"json_script": _json_script, "fmt": _fmt}


def _json_script(value: Any) -> str:
    from markupsafe import Markup

    text = json.dumps(value, default=str, allow_nan=False)
    # keep "</script>" and HTML comment openers out of the script element
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


_PLAIN_INT_COLUMNS = ("year", "id", "line", "code", "rank", "period")


def _fmt(value: Any, column: str = "") -> str:
    """Numbers with thousands separators, except years, ids and the like."""
    col = str(column).lower()
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = int(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and any(k in col for k in _PLAIN_INT_COLUMNS):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.3g}" if abs(value) < 1e-2 or abs(value) >= 1e6 else f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def write_report(report: Report, out_dir: str | Path) -> Path:
    """Write ``report.html``, ``tables/*.csv`` and extra files into ``out_dir``; return the HTML path."""
    out = Path(out_dir)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    charts: list[dict[str, Any]] = []
    for section in report.sections:
        for block in section.blocks:
            if isinstance(block, Table) and block.export and block.name:
                block.frame.to_csv(out / "tables" / f"{block.name}.csv", index=False)
            elif isinstance(block, Chart):
                charts.append(block.spec)
    for name, content in report.files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    prov = {
        "tool": f"tiplens {__version__}",
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        **report.provenance,
    }
    (out / "provenance.json").write_text(json.dumps(prov, indent=2, default=str), encoding="utf-8")
    html = _env().get_template("report.html.j2").render(
        report=report,
        provenance=prov,
        vega_js=vega_bundle() if charts else "",
        Table=Table,
        Chart=Chart,
        Note=Note,
        Html=Html,
    )
    path = out / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
