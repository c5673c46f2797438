"""The social analyses give the same tables on DuckDB and on Spark (local mode)."""

from __future__ import annotations

import pytest

from tests.engines.parity import assert_same_table, spark_or_skip
from tiplens.samples import social as sample
from tiplens.social.analyses import volume
from tiplens.social.importing import import_files
from tiplens.social.tables import social_tables

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    from tiplens.engines import connect
    from tiplens.store import Study

    spark_or_skip()
    tmp = tmp_path_factory.mktemp("parity")
    data = sample.generate(tmp / "sample.jsonl")
    study = Study(tmp / "s.duckdb")
    import_files(study, [data])
    yield social_tables(connect(study, "duckdb")), social_tables(connect(study, "spark"))
    study.close()


@pytest.mark.parametrize("grain", ["daily", "weekly", "monthly", "yearly"])
def test_volume(both, grain):
    duck, spark = both
    params = volume.Params(permutations=19)
    a, b = volume.run(duck, params), volume.run(spark, params)
    assert_same_table(getattr(a, grain), getattr(b, grain))
    assert a.change_point == b.change_point
