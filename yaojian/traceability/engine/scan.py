"""A full scan: a folder (raw exchange files, or a normalised store) → sorted flags."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from yaojian.traceability.engine import duck, normalise
from yaojian.traceability.engine.rules import DEFAULT_THRESHOLDS, EV_COLUMNS, RULES, Thresholds
from yaojian.traceability.engine.store import TraceStore

ENUM_COLUMNS = ("event_type", "party", "counterparty", "product", "region")


def open_events(con: Any, folder: Path) -> normalise.LoadReport | None:
    """Make the view ``ev`` over ``folder``; returns the load report for raw folders."""
    folder = Path(folder)
    if duck.is_normalised_store(folder):
        source = TraceStore(folder).history_source()
        con.execute(f"CREATE OR REPLACE VIEW ev AS SELECT * FROM {source}")
        return None
    report = normalise.load_folder(con, folder, strict=False, stream=True)
    con.execute(f"CREATE OR REPLACE TEMP VIEW ev AS {normalise.scan_ev_select(con)}")
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
        flags = duck.run_rules(
            con, rules=rules, thresholds=thresholds, integer_keys=report is not None
        )
        return flags, report
    if engine != "spark":
        raise ValueError(f"Unknown engine {engine!r}")
    from yaojian.traceability.engine import spark_job

    spark = spark or spark_job.session()
    if report is None:
        return spark_job.run_rules(spark, str(folder), rules=rules, thresholds=thresholds), None
    with tempfile.TemporaryDirectory(prefix="trace-scan-") as tmp:
        target = Path(tmp) / "ev.parquet"
        # Spark reads the normalised text: the pack key and the ENUMs as strings.
        columns = ", ".join(
            "CASE WHEN e.code >= 0 THEN lpad(CAST(e.code AS VARCHAR), 20, '0') ELSE k.key END "
            "AS code"
            if c == "code"
            else (f"CAST(e.{c} AS VARCHAR) AS {c}" if c in ENUM_COLUMNS else f"e.{c}")
            for c in EV_COLUMNS
        )
        con.execute(
            f"COPY (SELECT {columns} FROM ev e LEFT JOIN (SELECT DISTINCT id, key FROM codemap "
            f"WHERE id < 0) k ON k.id = e.code) TO '{target}' (FORMAT PARQUET)"
        )
        flags = spark_job.run_rules(spark, str(target), rules=rules, thresholds=thresholds)
    return flags, report
