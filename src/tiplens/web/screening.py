"""Screening for the workbench and the API: the library's Screener (the one ``tiplens screen``
uses), with the compiled indicator engine and the scorer built once per process and one
Screener per reader country (its referral list), so a request only screens.

Records are exactly those of the CLI (``tiplens.screen.screening.Screener.screen``): id, status,
score, flagged, level, language, indicators with start/end/text, contacts, referral.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from tiplens.errors import BadInput
from tiplens.knowledge.hotlines import country_code
from tiplens.report import Section
from tiplens.screen.indicators import Engine, Match, engine
from tiplens.screen.inputs import Doc
from tiplens.screen.scoring import Scorer
from tiplens.screen.screening import Screener, ScreenOptions, ScreenSummary, screen_files
from tiplens.web.reports import optional

WARM_TEXTS = ("Job in Dubai, employer keeps your passport, call +971 50 123 4567",
              "Lowongan kerja di Malaysia, gaji besar, paspor ditahan majikan, hubungi 0812-3456-7890")
MAX_SCREENERS = 256


@lru_cache(maxsize=4096)
def normal_country(value: str) -> str:
    """'id', 'IDN', 'Indonesia' -> 'ID' (cached: the API checks a country on every request)."""
    try:
        return country_code(value)
    except BadInput:
        raise ValueError(f"country {value!r}: not a country code or name (use ISO codes such as ID, MY, SA)") from None


class ScreenService:
    """Holds the compiled engine and scorer; hands out one Screener per country."""

    def __init__(self) -> None:
        self.engine: Engine = engine()
        self.scorer = Scorer(catalogue=self.engine.catalogue)
        self._screeners: OrderedDict[str | None, Screener] = OrderedDict()
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Build the lazily compiled automata now, not on the first request."""
        self.screen([("warm-en", WARM_TEXTS[0], None), ("warm-id", WARM_TEXTS[1], "ID")])

    def screener(self, country: str | None) -> Screener:
        key = normal_country(country) if country else None
        with self._lock:
            hit = self._screeners.get(key)
            if hit is not None:
                self._screeners.move_to_end(key)
                return hit
            made = Screener(ScreenOptions(country=key), self.scorer, self.engine)
            self._screeners[key] = made
            if len(self._screeners) > MAX_SCREENERS:
                self._screeners.popitem(last=False)
            return made

    def screen(self, items: Sequence[tuple[str, str, str | None]]) -> list[dict[str, Any]]:
        """Screen (id, text, country) items; records in input order."""
        groups: dict[str | None, list[int]] = {}
        for i, (_, _, country) in enumerate(items):
            groups.setdefault(country or None, []).append(i)
        out: list[dict[str, Any] | None] = [None] * len(items)
        for country, idx in groups.items():
            docs = [Doc(items[i][0], items[i][1], "<api>", i + 1) for i in idx]
            for i, rec in zip(idx, self.screener(country).screen(docs), strict=True):
                out[i] = rec
        return [r for r in out if r is not None]

    def screen_one(self, text: str, country: str | None = None, id: str = "0") -> dict[str, Any]:
        return self.screen([(id, text, country)])[0]


@lru_cache(maxsize=1)
def service() -> ScreenService:
    """The process's screening service (the engine compiles its patterns once)."""
    return ScreenService()


def matches_of(record: dict[str, Any], catalogue_weights: dict[str, float] | None = None) -> list[Match]:
    """The record's indicator dicts as Match objects (for the shared highlighter)."""
    weights = catalogue_weights or {}
    return [Match(m["id"], m["label"], m["ilo"], m["palermo"], m["start"], m["end"], m["text"],
                  weights.get(m["id"], 0.0)) for m in record["indicators"]]


@dataclass
class BatchResult:
    summary: ScreenSummary
    records: list[dict[str, Any]]
    extra_sections: list[Section]
    filename: str


def screen_upload(service: ScreenService, upload: Path, filename: str, country: str | None,
                  workdir: Path) -> BatchResult:
    """Screen an uploaded file (CSV/TSV/XLSX, JSON Lines, plain text) like ``tiplens screen``;
    the results file is written in ``workdir`` and removed again (the records are returned).
    Clusters of linked ads come from ``tiplens.screen.linking`` when that module is present."""
    key = normal_country(country) if country else None
    options = ScreenOptions(country=key)
    linker, sections_of = _linker()
    if linker is not None:
        options.on_record = linker
    out_dir = Path(tempfile.mkdtemp(prefix="screen-", dir=workdir))
    try:
        out = out_dir / "results.jsonl"
        summary = screen_files([upload], out, options, service.scorer)
        records = [orjson.loads(line) for line in out.read_bytes().splitlines() if line.strip()]
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    for account in summary.files:
        account.file = filename  # the name the user gave, not the stored one
    extra = list(sections_of()) if sections_of is not None else []
    return BatchResult(summary, records, extra, filename)


def _linker() -> tuple[Callable[[Doc, dict[str, Any]], None] | None, Callable[[], Sequence[Section]] | None]:
    """The linking module's hook, if installed: ``Linker()`` with ``on_record(doc, record)``
    (the ScreenOptions hook) and ``sections()`` -> report sections (clusters of linked ads)."""
    linking = optional("tiplens.screen.linking")
    factory = getattr(linking, "Linker", None) if linking is not None else None
    if factory is None:
        return None, None
    linker = factory()
    return linker.on_record, linker.sections
