"""A full scan: a folder (raw exchange files, or a normalised store) → sorted flags."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from yaojian.traceability.engine import duck, normalise
from yaojian.traceability.engine.rules import DEFAULT_THRESHOLDS, RULES, Thresholds
from yaojian.traceability.engine.store import TraceStore


def open_events(con: Any, folder: Path) -> normalise.LoadReport | None:
    """Make the view ``ev`` over ``folder``; returns the load report for raw folders."""
    folder = Path(folder)
    if duck.is_normalised_store(folder):
        source = TraceStore(folder).history_source()
        con.execute(f"CREATE OR REPLACE VIEW ev AS SELECT * FROM {source}")
        return None
    report = normalise.load_folder(con, folder, strict=False, stream=True)
    con.execute(f"CREATE OR REPLACE TEMP VIEW ev AS {normalise.EV_SELECT}")
    return report


def scan(
    folder: Path,
    *,
    engine: str = "duckdb",
    rules: tuple[str, ...] = RULES,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    spark: Any = None,
    memory_limit: str | None = None,
    temp_dir: str | None = None,
) -> tuple[list[dict[str, Any]], normalise.LoadReport | None]:
    con = normalise.connect(memory_limit=memory_limit, temp_dir=temp_dir)
    report = open_events(con, folder)
    if engine == "duckdb":
        return duck.run_rules(con, rules=rules, thresholds=thresholds), report
    if engine != "spark":
        raise ValueError(f"Unknown engine {engine!r}")
    from yaojian.traceability.engine import spark_job

    spark = spark or spark_job.session()
    if report is None:
        return spark_job.run_rules(spark, str(folder), rules=rules, thresholds=thresholds), None
    with tempfile.TemporaryDirectory(prefix="trace-scan-") as tmp:
        target = Path(tmp) / "ev.parquet"
        con.execute(f"COPY (SELECT * FROM ev) TO '{target}' (FORMAT PARQUET)")
        flags = spark_job.run_rules(spark, str(target), rules=rules, thresholds=thresholds)
    return flags, report
