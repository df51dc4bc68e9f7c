"""Run the rules with Apache Spark: ``local[*]`` here, a cluster in production.

The same file is the ``spark-submit`` job::

    zip -r trace_engine.zip yaojian/__init__.py yaojian/traceability/__init__.py \
        yaojian/traceability/engine
    spark-submit --master yarn --py-files trace_engine.zip \
        yaojian/traceability/engine/spark_job.py \
        --input s3a://trace-lake/events/ --out s3a://trace-lake/flags/2026-03-05.csv

``--input`` is a normalised store (the Parquet that ``trace_ingest`` writes, partitioned
``month=YYYY-MM/province=NN``): the job reads the event files its ``manifest.json`` lists, so a
commit under way is never read (or any folder of normalised Parquet); the rules are the SQL text of ``rules.py``, the same text DuckDB
runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from yaojian.traceability.engine.explain import (
    as_dicts,
    normalise_values,
    output_row,
    sort_key,
    write_flags,
)
from yaojian.traceability.engine.rules import (
    DEFAULT_THRESHOLDS,
    EV_COLUMNS,
    RULES,
    Thresholds,
    rules_sql,
)


def session(master: str | None = None, app_name: str = "yaojian-trace") -> Any:
    import os

    from pyspark.sql import SparkSession

    master = master or os.environ.get("TRACE_SPARK_MASTER", "local[*]")
    return (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def run_rules(
    spark: Any,
    input_path: str,
    *,
    rules: tuple[str, ...] = RULES,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[dict[str, Any]]:
    """The flags over the normalised Parquet at ``input_path``, sorted (collected: flags are few)."""
    frame = spark.read.option("recursiveFileLookup", "false").parquet(
        *event_paths(spark, input_path)
    )
    frame.select(*EV_COLUMNS).createOrReplaceTempView("ev")
    rows = spark.sql(rules_sql(rules, thresholds, dialect="spark")).collect()
    return sorted((normalise_values(f) for f in as_dicts(tuple(r) for r in rows)), key=sort_key)


def event_paths(spark: Any, input_path: str) -> list[str]:
    """The event files the store's manifest at ``input_path`` lists (any Hadoop URI), or
    ``[input_path]`` for a folder of Parquet without one."""
    from pyspark.errors import AnalysisException

    base = input_path.rstrip("/")
    try:
        row = spark.read.option("wholetext", "true").text(f"{base}/manifest.json").first()
    except AnalysisException:  # no manifest: plain Parquet
        return [input_path]
    batches = json.loads(row[0])["batches"]
    return [f"{base}/{path}" for files in batches.values() for path in files]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Trace-event rules on Spark")
    parser.add_argument("--input", required=True, help="normalised Parquet store (any Hadoop URI)")
    parser.add_argument("--out", required=True, help="flags CSV (local path)")
    parser.add_argument("--master", default=None, help="default: the spark-submit master")
    parser.add_argument("--rules", default=",".join(RULES))
    args = parser.parse_args(argv)
    if args.master:
        spark = session(args.master)
    else:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.appName("yaojian-trace").getOrCreate()
        spark.conf.set("spark.sql.session.timeZone", "UTC")
    flags = run_rules(spark, args.input, rules=tuple(args.rules.split(",")))
    count = write_flags(flags, Path(args.out))
    print(f"{count} flags written to {args.out}")  # noqa: T201
    return 0


__all__ = ["main", "output_row", "run_rules", "session"]

if __name__ == "__main__":
    sys.exit(main())
