"""Screening benchmark: ads per second per core on ads of about 2 kB, rules only and rules
plus the trained model, with a TF-IDF + logistic regression baseline in the same run.

The ads are real job ads (EMSCAD development split, read from the shared data folder at
run time, never copied) cut and joined into distinct texts of about 2,000 characters; when
that file is absent the synthetic demo ads are used instead (denser in indicators). Ad
``i`` joins ads ``i mod n`` and ``(i mod n + 1 + i div n) mod n`` and starts at a varying
offset, so ads repeat only after about n^2 of them (no cache sees the same text twice).

Each step runs in one process with the numeric libraries held to one thread, and is timed
by process CPU time (ads per CPU-second = ads per second per core, less sensitive to other
jobs on a shared machine) and by wall-clock time. ``--engine spark`` runs
``tiplens screen --engine spark``'s code (the same Screener on Spark executors through
``mapInArrow`` over Arrow batches, local mode on every core), timed by wall clock over the cores.
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SIZE = 2000
EMSCAD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "emscad-dev" / "emscad_dev.csv"
BATCH = 512
ROW_GROUP = 2_000  # ads per Parquet row group: Spark splits the file on these


def emscad_path() -> Path | None:
    env = os.environ.get("TIPLENS_EMSCAD")
    for p in (Path(env) if env else None, EMSCAD, Path("../shared/data/emscad-dev/emscad_dev.csv")):
        if p is not None and p.exists():
            return p
    return None


def base_texts() -> tuple[list[str], str]:
    path = emscad_path()
    if path is not None:
        with path.open(encoding="utf-8", newline="") as fh:
            return [r["text"] for r in csv.DictReader(fh) if r.get("text")], "EMSCAD dev (real ads)"
    import tempfile

    from tiplens.samples import screen as sample

    with tempfile.TemporaryDirectory() as tmp:
        p = sample.generate(Path(tmp) / "s.csv")
        with p.open(encoding="utf-8", newline="") as fh:
            return [r["text"] for r in csv.DictReader(fh)], "tiplens synthetic demo ads"


def ads(n: int, texts: list[str]) -> Iterator[str]:
    m = len(texts)
    for i in range(n):
        a = i % m
        b = (a + 1 + i // m) % m
        joined = texts[a] + "\n\n" + texts[b]
        while len(joined) < SIZE + 400:
            joined += "\n\n" + texts[(b + len(joined)) % m]
        start = (i * 37) % 400
        yield joined[start:start + SIZE]


def write_ads(path: Path, n: int, meta: Path) -> dict:
    """The benchmark's ads as Parquet (id, text), written once per size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts, source = base_texts()
    schema = pa.schema([("id", pa.string()), ("text", pa.string())])
    with pq.ParquetWriter(path, schema) as w:
        batch: list[str] = []
        done = 0
        for text in ads(n, texts):
            batch.append(text)
            if len(batch) == ROW_GROUP:
                w.write_table(pa.table({"id": [str(done + i) for i in range(len(batch))], "text": batch}, schema))
                done += len(batch)
                batch = []
        if batch:
            w.write_table(pa.table({"id": [str(done + i) for i in range(len(batch))], "text": batch}, schema))
    meta.write_text(json.dumps({"source": source}))
    return {"source": source}


def batches(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """The ads in batches of ``BATCH``. Call it before the clock starts: it imports pyarrow (about
    0.25 s, once per process, not a cost of each ad) and returns the generator."""
    import pyarrow.parquet as pq

    return _read(pq.ParquetFile(path))


def _read(f: Any) -> Iterator[tuple[list[str], list[str]]]:
    for b in f.iter_batches(batch_size=BATCH):
        yield b.column(0).to_pylist(), b.column(1).to_pylist()


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _rates(n: int, t0: tuple[float, float]) -> dict:
    wall, cpu = time.perf_counter() - t0[0], time.process_time() - t0[1]
    return {"ads": n, "seconds": wall, "cpu_seconds": cpu, "ads_per_second": n / wall, "ads_per_cpu_second": n / cpu}


def model_available() -> bool:
    try:
        import tiplens.screen.model  # noqa: F401
    except ImportError:
        return False
    return True


def train_model(out: Path):
    """Train tiplens' screening model on the EMSCAD development split; returns the loaded model."""
    from tiplens.screen import model as m

    path = emscad_path()
    if path is None:
        raise SystemExit("the model benchmark needs emscad_dev.csv (set TIPLENS_EMSCAD)")
    m.train(path, text_column="text", label_column="label").save(out)
    return m.load(out)


def tiplens_run(path: Path, mode: str, work: Path) -> dict:
    """mode: 'rules' or 'model' (rules plus the trained model)."""
    from tiplens.screen.indicators import engine
    from tiplens.screen.inputs import Doc
    from tiplens.screen.language import profile
    from tiplens.screen.scoring import Scorer
    from tiplens.screen.screening import Screener, ScreenOptions

    extra: dict = {}
    t0 = _clock()
    eng = engine()
    eng.find("warm up", None)
    profile("warm up the language model")
    model = None
    if mode == "model":
        t1 = _clock()
        model = train_model(work / "screen-model.skops")
        extra["train_seconds"] = round(time.perf_counter() - t1[0], 2)
    extra["setup_seconds"] = round(time.perf_counter() - t0[0], 2)
    screener = Screener(ScreenOptions(), Scorer(model, catalogue=eng.catalogue), eng)
    n = flagged = 0
    ads = batches(path)
    t0 = _clock()
    for ids, texts in ads:
        docs = [Doc(i, t, "bench", k) for k, (i, t) in enumerate(zip(ids, texts, strict=True))]
        for rec in screener.screen(docs):
            flagged += rec["flagged"]
        n += len(docs)
    return {**_rates(n, t0), "flagged": flagged, "mode": screener.scorer.mode, **extra}


def baseline_run(path: Path) -> dict:
    """TF-IDF (words 1-2) + logistic regression trained on EMSCAD dev, scoring every ad."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    src = emscad_path()
    if src is None:
        raise SystemExit("the baseline needs emscad_dev.csv (set TIPLENS_EMSCAD)")
    with src.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("text")]
    t1 = time.perf_counter()
    pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                         LogisticRegression(max_iter=1000))
    pipe.fit([r["text"] for r in rows], [int(r["label"]) for r in rows])
    train = time.perf_counter() - t1
    n = flagged = 0
    ads = batches(path)
    t0 = _clock()
    for _, texts in ads:
        flagged += int((pipe.predict_proba(texts)[:, 1] >= 0.5).sum())
        n += len(texts)
    return {**_rates(n, t0), "flagged": flagged, "train_seconds": round(train, 2)}


def spark_run(path: Path, mode: str, work: Path) -> dict:
    """``tiplens screen --engine spark`` as a user runs it (screen_files with engine 'spark'): the
    driver reads the ads and writes the results, Spark executors (local mode, every core) score."""
    import tiplens
    from tiplens.screen.scoring import Scorer
    from tiplens.screen.screening import ScreenOptions, screen_files
    from tiplens.screen.spark_screening import TASKS_PER_CORE
    from tiplens.spark_engine import session

    # Spark's Python workers: this checkout of tiplens on their path
    src = str(Path(tiplens.__file__).resolve().parents[1])
    os.environ["PYTHONPATH"] = os.pathsep.join([src, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])
    model = train_model(work / "screen-model.skops") if mode == "model" else None
    cores = session().sparkContext.defaultParallelism  # the JVM starts before the clock
    t0 = time.perf_counter()
    summary = screen_files([path], work / f"spark-{mode}.jsonl", ScreenOptions(engine="spark"),
                           Scorer(model) if model is not None else None)
    wall = time.perf_counter() - t0
    n = summary.read
    return {"ads": n, "seconds": wall, "ads_per_second": n / wall, "ads_per_second_per_core": n / wall / cores,
            "cores": cores, "partitions": cores * TASKS_PER_CORE, "flagged": summary.flagged, "mode": mode}
