"""The key-readable history (ADR 0038): the store's committed events in a DuckDB file, by key.

The incremental check reads the events of the packs and persons a batch touches, and the
duplicate check the event ids it sends. On the partitioned Parquet files (text columns, the
published form) both are full scans of the history: at 100 M events ≈ 100 s for a day. This file,
kept beside them by the same commit, holds the same events with narrow integer keys, so a read is
a hash join of the day's keys against one 8-byte column, and DuckDB fetches the other columns only
for the rows that match (its join filter is pushed into the table scan)::

    history.duckdb
      meta(key, value)         'generation': the manifest generation it was brought up to
      files(file_no, path)     the manifest's event files whose rows it holds
      events(pk, ek, file_no, <rules.EV_COLUMNS>)   every committed event
      persons(ik, pk, file_no) every dispense with a buyer: person key → pack key

``pk``, ``ek`` and ``ik`` are the low 64 bits of the MD5 of the pack key, event id and person
(``md5_number_lower``: a standard hash, the same in every DuckDB version). Two packs sharing a
``pk`` only make a check read the events of one more whole pack, which it then recomputes from
all its events (every rule is local to one pack or one person): the flags are the same. The
duplicate check compares the ids' text of the rows whose ``ek`` matches, so it is exact.

The file follows the manifest, never leads it: :func:`sync` adds the rows of the event files the
manifest names that the file lacks and deletes those of files it no longer names (a discarded
batch), in one DuckDB transaction, after the manifest's replacement (``TraceStore._commit``) and
at every start under the store's lock (``TraceStore.recover``). A commit or sync killed at any
point leaves the file at an earlier manifest, which the next start brings up to date; a missing
file is built there. :func:`build` writes a new file in bulk (``manage.py
trace_rebuild_history``) and renames it into place: the same rows as the ones ingest kept.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb

from yaojian.traceability.engine import manifest, normalise
from yaojian.traceability.engine.rules import EV_COLUMNS

NAME = "history.duckdb"

DDL = (
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS files (file_no INTEGER NOT NULL, path VARCHAR NOT NULL)",
    "CREATE TABLE IF NOT EXISTS events (pk UBIGINT NOT NULL, ek UBIGINT NOT NULL, "
    "file_no INTEGER NOT NULL, event_id VARCHAR, code VARCHAR, event_type VARCHAR, ts BIGINT, "
    "party VARCHAR, region VARCHAR, counterparty VARCHAR, product VARCHAR, pack_units BIGINT, "
    "units BIGINT, insured VARCHAR, settlement VARCHAR, reverses VARCHAR)",
    "CREATE TABLE IF NOT EXISTS persons (ik UBIGINT NOT NULL, pk UBIGINT NOT NULL, "
    "file_no INTEGER NOT NULL)",
)
COLUMNS = ", ".join(EV_COLUMNS)


def path_of(root: Path) -> Path:
    return Path(root) / NAME


def sync(
    root: Path,
    current: manifest.Manifest,
    *,
    target: Path | None = None,
    memory_limit: str | None = None,
    temp_dir: str | None = None,
) -> int:
    """Bring the history file (``target``, default the store's) to ``current``: one transaction.

    Returns the number of events added."""
    root = Path(root)
    target = target or path_of(root)
    wanted = current.event_files()
    con = normalise.connect(str(target), memory_limit=memory_limit, temp_dir=temp_dir)
    try:
        for statement in DDL:
            con.execute(statement)
        have = dict(con.execute("SELECT path, file_no FROM files").fetchall())
        row = con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        named = set(wanted)
        add = [p for p in wanted if p not in have]
        drop = [n for p, n in have.items() if p not in named]
        if not add and not drop and row is not None and row[0] == current.generation:
            return 0
        con.execute("BEGIN")
        if drop:
            listed = ", ".join(str(int(n)) for n in drop)
            for table in ("events", "persons", "files"):
                con.execute(f"DELETE FROM {table} WHERE file_no IN ({listed})")
        added = 0
        if add:
            first = _one(con, "SELECT coalesce(max(file_no), 0) + 1 FROM files")
            numbered = [(first + i, p) for i, p in enumerate(add)]
            con.executemany("INSERT INTO files VALUES (?, ?)", numbered)
            con.execute("CREATE TEMP TABLE new_files (file_no INTEGER, filename VARCHAR)")
            con.executemany(
                "INSERT INTO new_files VALUES (?, ?)",
                [(n, str(root / p)) for n, p in numbered],
            )
            quoted = ", ".join("'" + str(root / p).replace("'", "''") + "'" for p in add)
            con.execute(
                f"""
                INSERT INTO events
                SELECT md5_number_lower(r.code), md5_number_lower(r.event_id), f.file_no,
                       {", ".join(f"r.{c}" for c in EV_COLUMNS)}
                FROM read_parquet([{quoted}], filename = true, hive_partitioning = false,
                                  union_by_name = true) r
                JOIN new_files f ON f.filename = r.filename
                """
            )
            con.execute(
                "INSERT INTO persons SELECT md5_number_lower(insured), pk, file_no FROM events "
                "WHERE file_no >= ? AND event_type = 'dispense' AND insured IS NOT NULL",
                [first],
            )
            added = _one(con, "SELECT count(*) FROM events WHERE file_no >= ?", first)
            con.execute("DROP TABLE new_files")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", [current.generation])
        con.execute("COMMIT")
        return added
    finally:
        con.close()


def build(
    root: Path,
    current: manifest.Manifest,
    *,
    memory_limit: str | None = None,
    temp_dir: str | None = None,
) -> int:
    """Write a new history file of every event ``current`` commits, in bulk, and rename it into
    place (call under the store's lock). Returns the number of events."""
    root = Path(root)
    building = root / (NAME + ".building")
    for stale in (building, Path(str(building) + ".wal")):
        stale.unlink(missing_ok=True)
    count = sync(root, current, target=building, memory_limit=memory_limit, temp_dir=temp_dir)
    with building.open("rb") as handle:  # closed: checkpointed, no WAL beside it
        os.fsync(handle.fileno())
    # The old file's WAL must not be replayed onto the new file.
    Path(str(path_of(root)) + ".wal").unlink(missing_ok=True)
    os.replace(building, path_of(root))
    manifest.fsync_dir(root)
    return count


@contextlib.contextmanager
def attached(con: duckdb.DuckDBPyConnection, root: Path) -> Iterator[bool]:
    """The store's history file attached to ``con`` read-only as ``hx`` (``False``: none)."""
    path = path_of(root)
    if not path.exists():
        yield False
        return
    literal = str(path).replace("'", "''")
    con.execute(f"ATTACH '{literal}' AS hx (READ_ONLY)")
    try:
        yield True
    finally:
        con.execute("DETACH hx")


def drop_stored_ids(con: duckdb.DuckDBPyConnection) -> int:
    """Delete from the temp table ``batch`` the event ids ``hx`` already holds; their count.

    The ids' 64-bit keys are joined first, reading that one narrow column of the history
    only; the text of the rows whose key matches is then read and compared (usually none, or
    a resent file's), so the check is exact."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE t_ids AS "
        "SELECT DISTINCT md5_number_lower(event_id) AS ek, event_id FROM batch"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE t_known AS "
        "SELECT DISTINCT h.ek FROM hx.events h SEMI JOIN t_ids k ON h.ek = k.ek"
    )
    if not _one(con, "SELECT count(*) FROM t_known"):
        return 0
    con.execute(
        "CREATE OR REPLACE TEMP TABLE seen AS SELECT DISTINCT t.event_id FROM t_ids t "
        "JOIN (SELECT h.ek, h.event_id FROM hx.events h SEMI JOIN t_known k ON h.ek = k.ek) h "
        "ON h.ek = t.ek AND h.event_id = t.event_id"
    )
    count = _one(con, "SELECT count(*) FROM seen")
    if count:
        con.execute("DELETE FROM batch WHERE event_id IN (SELECT event_id FROM seen)")
    return count


def read_touched(con: duckdb.DuckDBPyConnection) -> None:
    """The temp table ``hist``: every stored event of the packs the batch touches and of the
    packs bought by the persons in ``t_insured`` (needs ``hx``, ``batch``, ``t_insured``)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE t_packs AS "
        "SELECT DISTINCT md5_number_lower(code) AS pk FROM batch "
        "UNION SELECT p.pk FROM hx.persons p "
        "SEMI JOIN (SELECT md5_number_lower(insured) AS ik FROM t_insured) i ON p.ik = i.ik"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE hist AS SELECT {COLUMNS} FROM hx.events h "
        "SEMI JOIN t_packs k ON h.pk = k.pk"
    )


def _one(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> int:
    row = con.execute(sql, list(params)).fetchone()
    return int(row[0]) if row else 0
