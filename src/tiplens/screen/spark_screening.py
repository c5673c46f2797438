"""Screening on Apache Spark (``tiplens screen run ... --engine spark``, ``pip install tiplens[spark]``).

The driver reads the input files as usual (every record accounted for, with its line and
status) and sends the texts to screen to Spark in large batches as Arrow data; the
executors run the same :meth:`Screener.analyse` as the in-process path (the same scorer,
model included, shipped with the task), and return each text's indicators, language,
contacts and score; the driver then writes the records and the summary exactly as the
in-process path does. The records are the same as without Spark (the parity tests in
``tests/engines`` compare them), only the costly part moves to the cluster.

Local mode (``local[*]``) by default, or any cluster through ``--spark-master`` or
``TIPLENS_SPARK_MASTER``; the executors need tiplens installed in the same version.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from tiplens.errors import TiplensError
from tiplens.screen.contacts import Contact
from tiplens.screen.indicators import Match
from tiplens.screen.scoring import Score, Scorer
from tiplens.screen.screening import Found, Screener, ScreenOptions, paused_collections

SPARK_BATCH = 20_000  # texts per Spark job: large, so the cost of starting a job is spread thin
TASKS_PER_CORE = 2
RESULT_SCHEMA = "key long, result string"

_WORKER_SCREENERS: dict[int, Screener] = {}  # on an executor's Python worker: one per shipped screener


class SparkScreener(Screener):
    """A :class:`Screener` whose costly part runs on Spark executors."""

    def __init__(self, options: ScreenOptions | None = None, scorer: Scorer | None = None) -> None:
        super().__init__(options, scorer)
        from tiplens.spark_engine import session

        self.batch_size = max(self.options.batch_size, SPARK_BATCH)
        self.spark = session(self.options.spark_master)
        self.cores = max(1, int(self.spark.sparkContext.defaultParallelism))

    def analyse(self, todo: Sequence[tuple[int, str]]) -> tuple[dict[int, Found], dict[int, Score]]:
        import pyarrow as pa

        if not todo:
            return {}, {}
        table = pa.table({"key": pa.array([k for k, _ in todo], pa.int64()),
                          "text": pa.array([t for _, t in todo], pa.large_string())})
        parts = min(len(todo), self.cores * TASKS_PER_CORE)
        frame = self.spark.createDataFrame(table).repartition(parts)
        analyse = _worker(self.options.country, self.scorer)
        try:
            rows = frame.mapInArrow(analyse, RESULT_SCHEMA).toArrow()
        except Exception as exc:  # a worker failed (missing package on the cluster, lost executor ...)
            raise TiplensError(f"screening on Spark failed: {_reason(exc)}") from None
        found: dict[int, Found] = {}
        score_of: dict[int, Score] = {}
        for key, result in zip(rows.column("key").to_pylist(), rows.column("result").to_pylist(), strict=True):
            found[key], score_of[key] = decode(result)
        missing = len(todo) - len(found)
        if missing:  # cannot happen unless Spark lost rows: never write records without a result
            raise RuntimeError(f"Spark returned no result for {missing} text(s)")
        return found, score_of


def _worker(country: str | None, scorer: Scorer) -> Any:
    """The function Spark runs on each partition (Arrow batches of key, text)."""
    token = uuid.uuid4().int  # names this scorer on the executors' reused Python workers

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        screener = _WORKER_SCREENERS.get(token)
        if screener is None:
            screener = _WORKER_SCREENERS[token] = Screener(ScreenOptions(country=country), scorer)
        for batch in batches:
            todo = list(zip(batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True))
            with paused_collections():  # as the in-process Screener.screen does
                found, score_of = screener.analyse(todo)
            keys = [k for k, _ in todo]
            yield pa.record_batch({"key": pa.array(keys, pa.int64()),
                                   "result": pa.array([encode(found[k], score_of[k]) for k in keys], pa.string())})

    return run


def encode(found: Found, score: Score) -> str:
    """One text's result as JSON (what travels back from the executors)."""
    matches, lang, contacts = found
    return json.dumps([lang, [[m.id, m.label, m.ilo, m.palermo, m.start, m.end, m.text, m.weight] for m in matches],
                       [[c.kind, c.value, c.start, c.end, c.channel, c.valid] for c in contacts],
                       [score.score, score.flagged, score.level, list(score.combinations)]], ensure_ascii=False)


def decode(result: str) -> tuple[Found, Score]:
    lang, matches, contacts, (score, flagged, level, combinations) = json.loads(result)
    return ((
        [Match(*m) for m in matches], lang, [Contact(*c) for c in contacts]),
        Score(score, flagged, level, tuple(combinations)))


def _reason(exc: Exception) -> str:
    """The last line of a Spark error that says what went wrong (a worker's Python error, if any)."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    errors = [ln for ln in lines if "Error" in ln.split(":")[0] or "Exception" in ln.split(":")[0]]
    return (errors or lines or [type(exc).__name__])[-1][:300]
