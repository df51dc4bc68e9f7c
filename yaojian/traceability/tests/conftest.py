from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local Spark for the whole run (Spark tests are few: start-up is the cost)."""
    from yaojian.traceability.engine.spark_job import session

    spark = session("local[2]")
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()
