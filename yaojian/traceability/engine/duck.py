"""Run the rules with DuckDB (the default engine: one machine, a province)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from yaojian.traceability.engine.explain import as_dicts, normalise_values, sort_key
from yaojian.traceability.engine.rules import DEFAULT_THRESHOLDS, RULES, Thresholds, rules_sql


def run_rules(
    con: duckdb.DuckDBPyConnection,
    *,
    rules: tuple[str, ...] = RULES,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    integer_keys: bool = False,
) -> list[dict[str, Any]]:
    """The flags over the view/table ``ev`` of ``con``, sorted.

    ``integer_keys``: ``ev.code`` is a scan's integer pack key (``normalise.SCAN_ENUMS``): the
    flags get the text back (20 digits, or the GS1 key from the table ``codemap``)."""
    sql = rules_sql(rules, thresholds)
    if integer_keys:
        sql = f"""
        SELECT f.* REPLACE (
          CASE WHEN f.code IS NULL THEN NULL WHEN f.code LIKE '-%' THEN k.key
               ELSE lpad(f.code, 20, '0') END AS code)
        FROM ({sql}) f
        LEFT JOIN (SELECT DISTINCT id, key FROM codemap WHERE id < 0) k
          ON f.code LIKE '-%' AND k.id = TRY_CAST(f.code AS HUGEINT)
        """
    rows = con.execute(sql).fetchall()
    return sorted((normalise_values(f) for f in as_dicts(rows)), key=sort_key)


def parquet_source(files: Sequence[Path]) -> str:
    """A DuckDB table expression over the event files of a normalised store (hive-partitioned).

    The files are the ones its manifest lists (``TraceStore.event_files``), never a folder's
    listing: a listing would also show a commit still under way."""
    if not files:
        raise ValueError("No event files")
    quoted = ", ".join("'" + str(path).replace("'", "''") + "'" for path in files)
    return f"read_parquet([{quoted}], hive_partitioning=true, union_by_name=true)"


def is_normalised_store(path: Path) -> bool:
    marker = Path(path) / "_yaojian_trace_store"
    return marker.exists()
