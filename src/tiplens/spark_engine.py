"""Apache Spark as the scale-out engine (``pip install tiplens[spark]``).

The study's tables are exported by DuckDB to Parquet and read by Spark, so nothing is
collected through the driver; the analyses then run unchanged as Ibis expressions on the
PySpark backend. Local mode (``local[*]``) by default, or any cluster via ``master``
(``--spark-master spark://host:7077``; the Parquet folder must then be on storage the
cluster can read, set with ``TIPLENS_SPARK_STAGING``).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiplens.errors import TiplensError

if TYPE_CHECKING:
    from tiplens.store import Study

_SESSIONS: dict[str, Any] = {}


def session(master: str | None = None) -> Any:
    """A shared SparkSession (created once per master URL)."""
    master = master or os.environ.get("TIPLENS_SPARK_MASTER") or "local[*]"
    if master in _SESSIONS:
        return _SESSIONS[master]
    if master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        # local mode: Spark's Python workers run this interpreter, which has tiplens and its dependencies
        os.environ["PYSPARK_PYTHON"] = sys.executable
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise TiplensError("the spark engine needs PySpark: pip install 'tiplens[spark]'") from None
    try:
        spark = (
            SparkSession.builder.master(master)
            .appName("tiplens")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")  # tiplens shows its own progress
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", os.environ.get("TIPLENS_SPARK_PARTITIONS", "8"))
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.driver.memory", os.environ.get("TIPLENS_SPARK_DRIVER_MEMORY", "4g"))
            .getOrCreate()
        )
    except Exception as exc:  # no Java, bad master URL
        raise TiplensError(f"cannot start Spark ({str(exc).splitlines()[0][:200]}); is Java 17 installed?") from None
    spark.sparkContext.setLogLevel("ERROR")
    _SESSIONS[master] = spark
    return spark


def study_tables(study: Study) -> list[str]:
    return [r[0] for r in study.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_name NOT IN ('meta', 'rejects', 'imports') ORDER BY table_name")]


def spark_backend(study: Study, master: str | None = None, staging: str | Path | None = None) -> Any:
    """An Ibis PySpark backend with one temporary view per study table."""
    import ibis

    spark = session(master)
    root = Path(staging or os.environ.get("TIPLENS_SPARK_STAGING") or tempfile.mkdtemp(prefix="tiplens-spark-"))
    root.mkdir(parents=True, exist_ok=True)
    for name in study_tables(study):
        target = root / f"{study.path.stem}-{name}.parquet"
        study.con.execute(f"COPY \"{name}\" TO '{target.as_posix()}' (FORMAT PARQUET)")
        spark.read.parquet(str(target)).createOrReplaceTempView(name)
    return ibis.pyspark.connect(spark)
