"""Screening: texts in, one record per input out (id, status, score, flagged, level, language,
indicators with spans, contacts, referral), with the accounting of what happened to each.

``screen_texts`` / ``screen_text`` are the Python API; ``screen_files`` reads files, writes the
results file and returns a :class:`ScreenSummary` (counts, indicator tallies, the top flagged
ads for the review page, metrics when labels are present).

Statuses: ``screened``; ``truncated`` (longer than ``max_chars``: the first ``max_chars``
characters were screened); ``empty`` (no text, or only spaces); ``binary`` (NUL or mostly
control characters: not screened); ``malformed`` (the record could not be parsed). Records
that are not screened have score and level null and are never flagged.
"""

from __future__ import annotations

import gc
import heapq
import secrets
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiplens.importing import sha256_file
from tiplens.screen.contacts import Contact, find_contacts
from tiplens.screen.indicators import Engine, Match, engine
from tiplens.screen.inputs import Doc, Input, open_input
from tiplens.screen.language import REGION_BY_LANGUAGE, profile
from tiplens.screen.normalise import normalise
from tiplens.screen.referral import referral
from tiplens.screen.results import ResultWriter
from tiplens.screen.scoring import Score, Scorer

MAX_CHARS = 100_000
Found = tuple[list[Match], str, list[Contact]]  # indicators, language, contacts of one text
STATUSES = ("screened", "truncated", "empty", "binary", "malformed")
# control characters (and U+FFFD, a decoding error) that make a text binary when they are over a
# tenth of its first 4,000 characters; counted on the UTF-8 bytes, where a control character is
# its own single byte and U+FFFD the bytes EF BF BD (a regular-expression scan took about 10 us
# of a 2 kB ad)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_REPLACEMENT = "\ufffd".encode()


@dataclass
class ScreenOptions:
    text_column: str | None = None
    id_column: str | None = None
    label_column: str | None = None
    country: str | None = None
    hash_contacts: bool = False
    salt: bytes | None = None
    max_chars: int = MAX_CHARS
    engine: str | None = None  # None: read in-process; 'duckdb': read with DuckDB; 'spark': screen on Spark
    spark_master: str | None = None  # with engine 'spark': a cluster URL (default TIPLENS_SPARK_MASTER or local[*])
    batch_size: int = 512
    examples: int = 50  # flagged ads kept (highest scores first) for the review page
    # Called with every input document (its other columns are in ``doc.meta``: location, date ...)
    # and its output record, in input order: the hook for modules that need all records, such as
    # the linking of ads that share contacts.
    on_record: Callable[[Doc, dict[str, Any]], None] | None = None


@dataclass
class FileAccount:
    file: str
    format: str
    sha256: str
    read: int = 0
    statuses: Counter = field(default_factory=Counter)
    flagged: int = 0

    def line(self) -> str:
        parts = ", ".join(f"{self.statuses[s]:,} {s}" for s in STATUSES if self.statuses[s])
        return f"{self.file} [{self.format}]: read {self.read:,} ({parts or 'nothing'}); flagged {self.flagged:,}"


@dataclass
class Example:
    """A flagged ad kept for the review page."""

    id: str
    score: float
    level: str
    language: str
    text: str
    matches: list[Match]
    contacts: list[Contact]
    label: int | None = None


@dataclass
class ScreenSummary:
    mode: str
    threshold: float
    method: str
    options: ScreenOptions
    files: list[FileAccount] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    levels: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    flagged: int = 0
    indicator_ads: Counter = field(default_factory=Counter)      # ads with the indicator
    indicator_flagged: Counter = field(default_factory=Counter)  # flagged ads with the indicator
    indicator_matches: Counter = field(default_factory=Counter)  # all matches
    combinations: Counter = field(default_factory=Counter)
    ilo_ads: Counter = field(default_factory=Counter)            # ads with >= 1 indicator of an ILO indicator
    palermo_ads: Counter = field(default_factory=Counter)        # ads with >= 1 indicator of a Palermo element
    with_contacts: int = 0
    contact_kinds: Counter = field(default_factory=Counter)
    labels: list[int] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    unlabelled: int = 0
    examples: list[Any] = field(default_factory=list)  # heap of (score, seq, Example)
    elapsed: float = 0.0
    out: str | None = None
    salt_generated: bool = False

    @property
    def read(self) -> int:
        return sum(self.statuses.values())

    @property
    def screened(self) -> int:
        return self.statuses["screened"] + self.statuses["truncated"]

    def top_examples(self, n: int | None = None, repeats: int = 2) -> list[Example]:
        """The highest-scoring flagged ads, at most ``repeats`` with the same set of indicators
        (so that one template posted many times does not fill the page)."""
        ranked = [e for _, _, e in sorted(self.examples, key=lambda t: (-t[0], t[1]))]
        limit = n or self.options.examples
        seen: Counter = Counter()
        chosen: list[Example] = []
        rest: list[Example] = []
        for e in ranked:
            key = frozenset(m.id for m in e.matches)
            (chosen if seen[key] < repeats else rest).append(e)
            seen[key] += 1
        return (chosen + rest)[:limit]

    def metrics(self) -> dict[str, Any] | None:
        if not self.labels:
            return None
        from tiplens.screen.metrics import binary_metrics

        return binary_metrics(self.labels, self.scores, self.threshold)

    def accounting(self) -> str:
        s = self.statuses
        return (f"read {self.read:,} record(s) from {len(self.files)} file(s): {self.screened:,} screened "
                f"({s['truncated']:,} truncated at {self.options.max_chars:,} characters), {s['empty']:,} empty, "
                f"{s['binary']:,} binary, {s['malformed']:,} malformed; flagged {self.flagged:,} "
                f"(high {self.levels['high']:,}, medium {self.levels['medium']:,}) - {self.method}")


class Screener:
    """Screens batches of :class:`Doc` objects into output records."""

    def __init__(self, options: ScreenOptions | None = None, scorer: Scorer | None = None,
                 engine_: Engine | None = None) -> None:
        self.options = options or ScreenOptions()
        self.engine = engine_ or engine()
        self.scorer = scorer or Scorer(catalogue=self.engine.catalogue)
        self.referral = referral(self.options.country)  # validates --country early
        self.region = self.options.country.split("-")[0].upper() if self.options.country else None
        if self.options.hash_contacts and not self.options.salt:
            self.options.salt = secrets.token_hex(16).encode()
        self._seq = 0
        self.batch_size = self.options.batch_size
        # the model computes indicator counts with the default engine: share them only with that one
        self._share_counts = self.scorer.takes_indicators and self.engine is engine()

    def screen(self, docs: Sequence[Doc], summary: ScreenSummary | None = None,
               account: FileAccount | None = None) -> list[dict[str, Any]]:
        with paused_collections():
            return self._screen(docs, summary, account)

    def _screen(self, docs: Sequence[Doc], summary: ScreenSummary | None,
                account: FileAccount | None) -> list[dict[str, Any]]:
        opts = self.options
        prepared: list[tuple[Doc, str, str | None]] = []  # doc, status, text to screen
        for doc in docs:
            prepared.append((doc, *_classify(doc, opts.max_chars)))
        todo = [(i, text) for i, (_, _, text) in enumerate(prepared) if text is not None]
        found, score_of = self.analyse(todo)
        records = []
        for i, (doc, status, screened_text) in enumerate(prepared):
            if i in found:
                matches, lang, contacts = found[i]
                sc = score_of[i]
                shown = [c.hashed(opts.salt) for c in contacts] if opts.hash_contacts and opts.salt else contacts
                rec = {"id": doc.id, "status": status, "score": round(sc.score, 4), "flagged": sc.flagged,
                       "level": sc.level, "language": lang, "indicators": [m.to_dict() for m in matches],
                       "contacts": [c.to_dict() for c in shown], "referral": self.referral if sc.flagged else []}
                if summary is not None:
                    self._tally(summary, doc, rec, sc, matches, contacts, screened_text or "")
            else:
                rec = {"id": doc.id, "status": status, "score": None, "flagged": False, "level": None,
                       "language": "und", "indicators": [], "contacts": [], "referral": []}
                if summary is not None:
                    summary.statuses[status] += 1
            if opts.on_record is not None:
                opts.on_record(doc, rec)
            if account is not None:
                account.read += 1
                account.statuses[status] += 1
                account.flagged += bool(rec["flagged"])
            records.append(rec)
        return records

    def analyse(self, todo: Sequence[tuple[int, str]]) -> tuple[dict[int, Found], dict[int, Score]]:
        """The costly part of screening, for ``(key, text)`` pairs: the indicators, language and
        contacts of each text, and its score, by key. (The Spark engine runs this on executors.)"""
        found: dict[int, Found] = {}
        # a model that takes indicator counts gets them from this pass (it would match again)
        counts: list[dict[str, int]] | None = [] if self._share_counts else None
        find, find_and_count, region_of = self.engine.find, self.engine.find_and_count, REGION_BY_LANGUAGE.get
        # Each step runs over the whole batch before the next one, so that its tables (the
        # automaton above all) stay in the processor's cache: ad by ad, the automaton's pass over
        # a 2 kB ad took about three times as long.
        texts = [text for _, text in todo]
        lows = [text.lower() for text in texts]  # shared by the steps below
        langs = [profile(text, low) for text, low in zip(texts, lows, strict=True)]
        normed = [normalise(text, low) for text, low in zip(texts, lows, strict=True)]
        # Plainly English text gets the English patterns (Indonesian slang such as "vcs" is an
        # ordinary English word there); every other text gets both, as Indonesian ads mix in English.
        if counts is None:
            matched = [find(n, "en" if english_only else None) for n, (_, english_only) in zip(normed, langs, strict=True)]
        else:
            matched = []
            for n, (_, english_only) in zip(normed, langs, strict=True):
                matches, c = find_and_count(n, "en" if english_only else None)
                matched.append(matches)
                counts.append(c)
        for (i, text), low, (lang, _), matches in zip(todo, lows, langs, matched, strict=True):
            found[i] = (matches, lang, find_contacts(text, self.region or region_of(lang), low))
        scores = self.scorer.score([t for _, t in todo], [found[i][0] for i, _ in todo], counts)
        return found, {i: s for (i, _), s in zip(todo, scores, strict=True)}

    def _tally(self, summary: ScreenSummary, doc: Doc, rec: dict[str, Any], sc: Any, matches: list[Match],
               contacts: list[Contact], text: str) -> None:
        summary.statuses[rec["status"]] += 1
        summary.languages[rec["language"]] += 1
        summary.levels[sc.level] += 1
        ids = {m.id for m in matches}
        for m in matches:
            summary.indicator_matches[m.id] += 1
        for i in ids:
            summary.indicator_ads[i] += 1
            if sc.flagged:
                summary.indicator_flagged[i] += 1
        for c in sc.combinations:
            summary.combinations[c] += 1
        for ilo in {m.ilo for m in matches if m.ilo}:
            summary.ilo_ads[ilo] += 1
        for el in {m.palermo for m in matches if m.palermo}:
            summary.palermo_ads[el] += 1
        if contacts:
            summary.with_contacts += 1
            for c in contacts:
                summary.contact_kinds[c.kind] += 1
        if doc.label is not None:
            summary.labels.append(doc.label)
            summary.scores.append(sc.score)
        elif self.options.label_column:
            summary.unlabelled += 1
        if sc.flagged:
            summary.flagged += 1
            self._seq += 1
            example = (sc.score, self._seq, Example(doc.id, sc.score, sc.level, rec["language"], text, matches,
                                                    contacts, doc.label))
            if len(summary.examples) < 4 * self.options.examples:
                heapq.heappush(summary.examples, example)
            elif example[0] > summary.examples[0][0]:
                heapq.heapreplace(summary.examples, example)


@contextmanager
def paused_collections() -> Iterator[None]:
    """The cyclic garbage collector paused for one batch. A batch makes thousands of objects
    (matches, records) that die by reference counting, none in cycles; the collections they
    triggered scanned every object of the process (the catalogue's, the model's, the caller's)
    each time one reached the oldest generation (about 5% of the screening time with the model).
    Collections resume after the batch, as before it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _classify(doc: Doc, max_chars: int) -> tuple[str, str | None]:
    """Status of a document and the text to screen (None when it is not screened)."""
    if doc.problem:
        return ("binary" if doc.problem == "binary content" else "malformed"), None
    text = doc.text
    if not text or text.isspace():  # what "not text.strip()" says, without copying the text
        return "empty", None
    sample = text[:4000]
    raw = sample.encode("utf-8", "surrogatepass")
    control = raw.translate(None, _NOT_CONTROL)
    if b"\x00" in control:
        return "binary", None
    n = len(control) + (raw.count(_REPLACEMENT) if not sample.isascii() else 0)
    if n and n > 0.1 * len(sample):
        return "binary", None
    if len(text) > max_chars:
        return "truncated", text[:max_chars]
    return "screened", text


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def screen_texts(texts: Sequence[str], *, ids: Sequence[str] | None = None, country: str | None = None,
                 model: object | None = None, hash_contacts: bool = False, salt: bytes | None = None) -> list[dict[str, Any]]:
    """Screen texts in memory; one record per text, in order."""
    options = ScreenOptions(country=country, hash_contacts=hash_contacts, salt=salt)
    screener = Screener(options, Scorer(model) if model is not None else None)
    docs = [Doc(ids[i] if ids else str(i), t, "<memory>", i + 1) for i, t in enumerate(texts)]
    return [r for batch in batched(docs, options.batch_size) for r in screener.screen(batch)]


def screen_text(text: str, *, country: str | None = None, model: object | None = None) -> dict[str, Any]:
    """Screen one text; the record as :func:`screen_texts` makes it."""
    return screen_texts([text], country=country, model=model)[0]


def screen_files(paths: Sequence[Path], out: Path, options: ScreenOptions | None = None,
                 scorer: Scorer | None = None, progress: Callable[[int], None] | None = None) -> ScreenSummary:
    """Screen every record of ``paths`` into ``out`` (.jsonl, .csv or .parquet)."""
    options = options or ScreenOptions()
    generated = options.hash_contacts and not options.salt
    reader = "duckdb" if options.engine == "duckdb" else None
    inputs: list[Input] = [open_input(Path(p), text_column=options.text_column, id_column=options.id_column,
                                      label_column=options.label_column, engine=reader) for p in paths]
    if options.engine == "spark":
        from tiplens.screen.spark_screening import SparkScreener

        screener: Screener = SparkScreener(options, scorer)
    else:
        screener = Screener(options, scorer)
    summary = ScreenSummary(screener.scorer.mode, screener.scorer.threshold, screener.scorer.describe(), options,
                            out=str(out), salt_generated=generated)
    writer = ResultWriter(Path(out))
    started = time.perf_counter()
    try:
        for inp in inputs:
            account = FileAccount(inp.path.name, inp.format, sha256_file(inp.path))
            summary.files.append(account)
            for batch in batched(inp.docs(), screener.batch_size):
                writer.write(screener.screen(batch, summary, account))
                if progress:
                    progress(len(batch))
        writer.close()
    except BaseException:
        writer.abort()
        raise
    summary.elapsed = time.perf_counter() - started
    return summary
