"""A world map drawn offline: the country shapes of the installed ``pygal_maps_world``
package (an SVG with one group per ISO alpha-2 code), coloured by inline CSS, with a
tooltip per country. Nothing is fetched; only published (thresholded) values are shown."""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

GROUP = re.compile(r'<g class="([a-z]{2}) country map-element">')
BINS_COLORS = ("#dbe9f6", "#a6cde3", "#5fa3c7", "#2b7bba", "#0d4a87")
WITHHELD_COLOR = "#f2e2b8"


@lru_cache(maxsize=1)
def base_svg() -> str | None:
    """The package's world map with metadata removed, or None when the package is missing."""
    spec = importlib.util.find_spec("pygal_maps_world")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "worldmap.svg"
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r"<script.*?</script>", "", text, flags=re.S | re.I)
    return text


def _bins(values: list[int]) -> list[int]:
    """Upper edges of five quantile bins over the published values."""
    if not values:
        return []
    v = sorted(values)
    return [v[min(len(v) - 1, int(len(v) * q))] for q in (0.2, 0.4, 0.6, 0.8, 1.0)]


def choropleth(map_id: str, labels: dict[str, str], names: dict[str, str], title: str,
               extra: dict[str, str] | None = None) -> Markup | None:
    """SVG map: ``labels`` maps ISO alpha-2 to a published label ("1234", "<10", "c")."""
    svg = base_svg()
    if svg is None:
        return None
    numbers = {k: int(v) for k, v in labels.items() if v.isdigit()}
    edges = _bins(list(numbers.values()))
    rules = []
    for code in labels:
        if code in numbers:
            color = next((c for e, c in zip(edges, BINS_COLORS, strict=False) if numbers[code] <= e), BINS_COLORS[-1])
        else:
            color = WITHHELD_COLOR
        rules.append(f"#{map_id} g.{code.lower()} path, #{map_id} g.{code.lower()} circle {{fill:{color}}}")
    tips = {k.lower(): f"{names.get(k, k)}: {v}" + (f"; {extra[k]}" if extra and k in extra else "")
            for k, v in labels.items()}

    def add_title(m: re.Match) -> str:
        code = m.group(1)
        tip = tips.get(code) or f"{names.get(code.upper(), code.upper())}: no records"
        return f'{m.group(0)}<title>{escape(tip)}</title>'

    body = GROUP.sub(add_title, svg)
    body = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg \1', body, count=1)
    body = body.replace("<svg ", f'<svg id="{map_id}" role="img" aria-label="{escape(title)}" '
                                 'style="width:100%;height:auto;background:#f4f7fa" ', 1)
    style = "<style>" + "\n".join(rules) + f"\n#{map_id} g.country:hover path {{stroke:#333;stroke-width:1.5}}</style>"
    legend = _legend(edges)
    return Markup(f'<figure class="map">{style}{body}<figcaption>{escape(title)}. {legend}</figcaption></figure>')


def _legend(edges: list[int]) -> Markup:
    parts = []
    lo = 0
    for edge, color in zip(edges, BINS_COLORS, strict=False):
        parts.append(f'<span style="display:inline-block;width:12px;height:12px;background:{color};'
                     f'margin:0 4px 0 10px"></span>{lo:,}-{edge:,}')
        lo = edge + 1
    parts.append(f'<span style="display:inline-block;width:12px;height:12px;background:{WITHHELD_COLOR};'
                 'margin:0 4px 0 10px"></span>withheld (small count)')
    return Markup("".join(parts))
