"""Run the rules with DuckDB (the default engine: one machine, a province)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from yaojian.traceability.engine.explain import as_dicts, normalise_values, sort_key
from yaojian.traceability.engine.rules import (
    DEFAULT_THRESHOLDS,
    NET_COLUMNS,
    PACK_RULES,
    RULES,
    Thresholds,
    rules_sql,
    settlements_sql,
)


def run_rules(
    con: duckdb.DuckDBPyConnection,
    *,
    rules: tuple[str, ...] = RULES,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    integer_keys: bool = False,
    shares: int = 1,
    person_shares: int = 1,
    ev: str = "ev",
    person_ev: str | None = None,
) -> list[dict[str, Any]]:
    """The flags over the view/table ``ev`` (by default ``ev``) of ``con``, sorted;
    ``person_ev``: R6 reads the net settlements of these events instead (``screen.py``).

    ``integer_keys``: ``ev.code`` is a scan's integer pack key (``normalise.SCAN_ENUMS``): the
    flags get the text back (20 digits, or the GS1 key from the table ``codemap``).

    ``shares`` > 1 or ``person_shares`` > 1: the rules run share by share, so that each share's
    joins, aggregations and windows fit in memory (ADR 0039). R1–R4 are local to a pack: they run
    over the events of one share of pack keys at a time (``hash(code) % shares``) plus every
    reverse (a reverse may name a dispense of another pack); each share also yields its net
    settlements, kept in ``net_all``, and R6, local to a person, runs over those one share of
    persons at a time (``hash(insured) % person_shares``). The flags are the union: the same
    flags as one query (the same SQL text, ``rules.py``)."""
    person_ev = person_ev or ev
    if shares <= 1 and person_shares <= 1:
        parts = [(rules, ev)]
        if person_ev != ev:  # the pack rules over ``ev``, R6 over ``person_ev``
            parts = [(_pack_rules(rules), ev), (tuple(r for r in rules if r == "R6"), person_ev)]
        rows = []
        for part, source in parts:
            if part:
                sql = rules_sql(part, thresholds, ev=source)
                rows += con.execute(_with_codes(sql, integer_keys)).fetchall()
    else:
        rows = _run_in_shares(
            con, ev, person_ev, rules, thresholds, integer_keys, shares, person_shares
        )
    return sorted((normalise_values(f) for f in as_dicts(rows)), key=sort_key)


def _with_codes(sql: str, integer_keys: bool) -> str:
    if not integer_keys:
        return sql
    # The union with R6 makes ``code`` text; the pack rules alone leave it a number.
    return f"""
        SELECT f.* REPLACE (
          CASE WHEN f.code IS NULL THEN NULL WHEN CAST(f.code AS VARCHAR) LIKE '-%' THEN k.key
               ELSE lpad(CAST(f.code AS VARCHAR), 20, '0') END AS code)
        FROM ({sql}) f
        LEFT JOIN (SELECT DISTINCT id, key FROM codemap WHERE id < 0) k
          ON CAST(f.code AS VARCHAR) LIKE '-%' AND k.id = TRY_CAST(f.code AS HUGEINT)
        """


def share_of(column: str, shares: int) -> str:
    """The share (0 … ``shares`` − 1) of a row by the value of ``column`` (NULL: share 0)."""
    return f"coalesce(hash({column}) % {int(shares)}, 0)"


def _pack_rules(rules: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(r for r in rules if r in PACK_RULES)


def _share(con: duckdb.DuckDBPyConnection, source: str, shares: int, k: int) -> None:
    """The table ``ev_share``: share ``k`` of ``source``'s pack keys, and every reverse (a
    reverse may cancel a dispense of another pack)."""
    con.execute("DROP TABLE IF EXISTS ev_share")
    con.execute(
        f"CREATE TEMP TABLE ev_share AS SELECT * FROM {source} "
        f"WHERE {share_of('code', shares)} = {k} OR event_type = 'reverse'"
    )


def _run_in_shares(
    con: duckdb.DuckDBPyConnection,
    ev: str,
    person_ev: str,
    rules: tuple[str, ...],
    thresholds: Thresholds,
    integer_keys: bool,
    shares: int,
    person_shares: int,
) -> list[tuple[Any, ...]]:
    pack = _pack_rules(rules)
    rows: list[tuple[Any, ...]] = []
    nets: list[str] = []
    for k in range(max(shares, 1)):
        _share(con, ev, shares, k)
        net = f"net_share_{k}"
        if "R1" in rules or ("R6" in rules and person_ev == ev):
            con.execute(f"CREATE OR REPLACE TEMP TABLE {net} AS {settlements_sql(ev='ev_share')}")
        if pack:
            sql = rules_sql(pack, thresholds, ev="ev_share", net=net if "R1" in rules else None)
            rows += con.execute(_with_codes(sql, integer_keys)).fetchall()
        if "R6" in rules:
            if person_ev != ev:  # R6's net settlements: of the share's packs in ``person_ev``
                _share(con, person_ev, shares, k)
                sql = settlements_sql(ev="ev_share")
                con.execute(f"CREATE OR REPLACE TEMP TABLE {net} AS {sql}")
            nets.append(net)
    con.execute("DROP TABLE IF EXISTS ev_share")
    if "R6" in rules:
        columns = ", ".join(NET_COLUMNS)
        every = " UNION ALL ".join(f"SELECT {columns} FROM {net}" for net in nets)
        for j in range(max(person_shares, 1)):
            where = f"WHERE {share_of('insured', person_shares)} = {j}"
            sql = rules_sql(("R6",), thresholds, net=f"(SELECT * FROM ({every}) {where})")
            rows += con.execute(_with_codes(sql, integer_keys)).fetchall()
    for net in nets:
        con.execute(f"DROP TABLE IF EXISTS {net}")
    return rows


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
