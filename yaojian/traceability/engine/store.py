"""The trace store on disk: partitioned Parquet events, current flags, the per-code key table.

Layout under ``root`` (``var/trace`` by default; any folder, or object storage for Spark)::

    manifest.json                                         what is committed (``manifest.py``)
    events/month=2026-03/province=54/b<batch>_g<n>_0.parquet  normalised events (never the ORM)
    flags/<n>.parquet                                     the current flags of every rule
    codes/<n>.parquet                                     the key-table rows of commit n
    codes.sqlite3                                         per-code state for the real-time check
    history.duckdb                                        the events by key (``history.py``)
    rejected/<batch>.csv                                  rejected rows with their reasons
    _yaojian_trace_store                                  marker (scan reads the folder as a store)

Ingest of a batch (one at a time, a file lock):
1. normalise and validate the folder (``normalise.load_folder``), refuse unreadable files whole;
2. drop event ids the store already holds (counted, ignored);
3. *incremental check*: the events of every code the batch touches (and of every pack bought by
   an insured person the batch touches) are read from the store's history file by key
   (``history.py``, ADR 0038), the rules run over those plus
   the batch, and the flags of exactly those codes and persons are replaced — the result equals a
   full rescan, because every rule is local to one code (R1–R4) or one person (R6);
4. *commit*, all or nothing: the event files, the flags and the key-table rows are written to a
   staging folder and renamed into place under names no reader looks at, then the manifest is
   replaced (the one atomic step) and the key table and the history file brought up to it. A
   commit stopped before
   the manifest's replacement is rolled back at the next start (its files removed), one
   stopped after it is completed (the key table); readers only ever see whole commits. The
   rejected rows are kept in either case.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from yaojian.traceability.engine import duck, history, manifest, normalise
from yaojian.traceability.engine.rules import (
    DEFAULT_THRESHOLDS,
    EV_COLUMNS,
    FLAG_COLUMNS,
    Thresholds,
)

MARKER = "_yaojian_trace_store"

CODES_DDL = """
CREATE TABLE IF NOT EXISTS codes (
  code TEXT PRIMARY KEY,
  settlements INTEGER NOT NULL,
  units INTEGER,
  pack_units INTEGER,
  institutions INTEGER NOT NULL,
  last_party TEXT,
  last_region TEXT,
  last_at INTEGER,
  last_event TEXT,
  last_event_at INTEGER
) WITHOUT ROWID
"""
# The manifest generation whose key-table rows the table holds (``manifest.py``).
META_DDL = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"


@dataclass
class IngestResult:
    report: normalise.LoadReport
    new_events: int = 0
    duplicates_in_store: int = 0
    flags_before: int = 0
    flags_after: int = 0
    new_flags: list[dict[str, Any]] = field(default_factory=list)
    recomputed_flags: list[dict[str, Any]] = field(default_factory=list)  # of the batch's codes
    rejected_file: str = ""
    party_regions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


class TraceStore:
    def __init__(self, root: Path | str, thresholds: Thresholds = DEFAULT_THRESHOLDS):
        self.root = Path(root)
        self.thresholds = thresholds

    # --- paths ---------------------------------------------------------------------------
    @property
    def events_dir(self) -> Path:
        return self.root / "events"

    @property
    def flags_path(self) -> Path | None:
        """The committed flags file (``None``: nothing committed yet)."""
        current = manifest.read(self.root)
        if current is None:
            legacy = self.root / "flags.parquet"
            return legacy if legacy.exists() else None
        return self.root / current.flags if current.flags else None

    @property
    def codes_path(self) -> Path:
        return self.root / "codes.sqlite3"

    def ensure(self, *, sync_history: bool = True) -> None:
        """Create the store's folders and tables and finish or roll back a stopped commit.

        Call under :meth:`lock`."""
        self.events_dir.mkdir(parents=True, exist_ok=True)
        (self.root / "rejected").mkdir(exist_ok=True)
        (self.root / MARKER).touch()
        with contextlib.closing(self.codes_db()) as db:
            db.execute(CODES_DDL)
            db.execute(META_DDL)
            db.commit()
        self.recover(sync_history=sync_history)

    def event_files(self) -> list[Path]:
        """The committed event files (what every reader reads)."""
        current = manifest.read(self.root)
        if current is None:  # a store from before the manifest, not yet started since
            if not self.events_dir.exists():
                return []
            return sorted(self.events_dir.rglob("*.parquet"))
        return [self.root / path for path in current.event_files()]

    def has_events(self) -> bool:
        return bool(self.event_files())

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def codes_db(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.codes_path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def history_source(self) -> str:
        return duck.parquet_source(self.event_files())

    # --- commit and recovery --------------------------------------------------------------
    def recover(self, *, sync_history: bool = True) -> None:
        """Roll back what a stopped commit left before its atomic step; complete one stopped
        after it (the key table, the history file). Call under :meth:`lock`."""
        current = manifest.read(self.root)
        if current is None:
            current = self._adopt()
        shutil.rmtree(self.root / ".staging", ignore_errors=True)
        named = current.named()
        for folder in (self.events_dir, self.root / "flags", self.root / "codes"):
            if not folder.exists():
                continue
            for path in folder.rglob("*.parquet"):
                if path.relative_to(self.root).as_posix() not in named:
                    path.unlink()
        self._apply_codes(current)
        if sync_history:
            history.sync(self.root, current)

    def _adopt(self) -> manifest.Manifest:
        """The manifest of a store written before manifests: everything on disk is committed."""
        adopted = manifest.Manifest(generation=1)
        if self.events_dir.exists():
            for path in sorted(self.events_dir.rglob("*.parquet")):
                key = path.stem[1:].rsplit("_", 1)[0]
                adopted.batches.setdefault(key, []).append(path.relative_to(self.root).as_posix())
        legacy = self.root / "flags.parquet"
        if legacy.exists():
            (self.root / "flags").mkdir(exist_ok=True)
            adopted.flags = f"flags/{adopted.generation:06d}.parquet"
            os.replace(legacy, self.root / adopted.flags)
        with contextlib.closing(self.codes_db()) as db:  # its key table is up to date
            db.execute(META_DDL)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (1,))
            db.commit()
        manifest.write(self.root, adopted)
        return adopted

    def _apply_codes(self, current: manifest.Manifest) -> None:
        """Bring the key table up to the manifest: apply the last commit's rows once."""
        if not current.codes or not (self.root / current.codes).exists():
            return
        with contextlib.closing(self.codes_db()) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
            if row is not None and int(row[0]) >= current.generation:
                return
            rows = normalise.connect().execute(
                f"SELECT * FROM read_parquet('{self.root / current.codes}') ORDER BY code"
            )
            while chunk := rows.fetchmany(100_000):
                db.executemany(
                    "INSERT OR REPLACE INTO codes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", chunk
                )
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (current.generation,)
            )
            db.commit()

    def rebuild_codes(self, *, memory_limit: str | None = None, temp_dir: str | None = None) -> int:
        """Rebuild the key table from every committed event, set-based (``trace_rebuild_state``).

        DuckDB computes every code's state in one pass (``CODE_STATES``), sorted by code, and
        :func:`write_key_table` writes a new SQLite file in that order, which then replaces
        ``codes.sqlite3`` in one rename. The table ingest keeps current row by row is the same
        table, with the same rows: a province builds it once from a bulk-loaded store (or after
        losing it) in minutes instead of hours. Returns the number of codes."""
        with self.lock():
            self.ensure()
            current = manifest.read(self.root) or manifest.Manifest()
            con = normalise.connect(memory_limit=memory_limit, temp_dir=temp_dir)
            query = f"SELECT * FROM ({CODE_STATES}) ORDER BY code"
            if self.has_events():
                con.execute(
                    f"CREATE OR REPLACE TEMP VIEW ev AS SELECT * FROM {self.history_source()}"
                )
            else:
                query = "SELECT NULL, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL WHERE false"
            building = self.root / "codes.sqlite3.building"
            count = write_key_table(con, query, building, generation=current.generation)
            with contextlib.closing(self.codes_db()) as db:  # an empty WAL: nothing to replay
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            os.replace(building, self.codes_path)
            manifest.fsync_dir(self.root)
            return count

    def rebuild_history(
        self, *, memory_limit: str | None = None, temp_dir: str | None = None
    ) -> int:
        """Rebuild the history file (``history.py``) from every committed event, in bulk
        (``trace_rebuild_history``): a new file renamed into place. Returns the events."""
        with self.lock():
            self.ensure(sync_history=False)
            current = manifest.read(self.root) or manifest.Manifest()
            return history.build(self.root, current, memory_limit=memory_limit, temp_dir=temp_dir)

    # --- reads ----------------------------------------------------------------------------
    def flags(self, con: duckdb.DuckDBPyConnection | None = None) -> list[dict[str, Any]]:
        path = self.flags_path
        if path is None:
            return []
        con = con or normalise.connect()
        rows = con.execute(
            f"SELECT {', '.join(FLAG_COLUMNS)} FROM read_parquet('{path}') "
            "ORDER BY rule, coalesce(code, ''), coalesce(insured, ''), coalesce(party, '')"
        ).fetchall()
        return [dict(zip(FLAG_COLUMNS, row, strict=True)) for row in rows]

    def code_state(self, key: str) -> dict[str, Any] | None:
        db = _reader(self.codes_path)
        if db is None:
            return None
        row = db.execute(
            "SELECT code, settlements, units, pack_units, institutions, last_party, "
            "last_region, last_at, last_event, last_event_at FROM codes WHERE code = ?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        keys = [
            "code",
            "settlements",
            "units",
            "pack_units",
            "institutions",
            "last_party",
            "last_region",
            "last_at",
            "last_event",
            "last_event_at",
        ]
        return dict(zip(keys, row, strict=True))

    def events_of(self, key: str) -> list[dict[str, Any]]:
        """Every stored event of one pack, in time order (the chain of custody)."""
        if not self.has_events():
            return []
        con = normalise.connect()
        cursor = con.execute(
            f"SELECT event_id, event_type, ts, party, region, counterparty, product, pack_units, "
            f"units, insured, settlement, reverses FROM {self.history_source()} "
            "WHERE code = ? ORDER BY ts, event_id",
            [key],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # --- ingest -----------------------------------------------------------------------------
    def ingest(
        self,
        folder: Path,
        *,
        batch_key: str,
        strict: bool = True,
        uscc_ok: Callable[[str], bool] | None = None,
        region_ok: Callable[[str], bool] | None = None,
        on_progress: Callable[[str, int, int], Any] | None = None,
        describe: Callable[[list[str]], str] | None = None,
        restart: bool = False,
    ) -> IngestResult:
        """Ingest ``folder`` as batch ``batch_key``.

        ``restart``: the batch ran before and stopped (a killed worker); whatever of it reached
        the store is removed first, so the batch is ingested exactly once.
        """
        started = time.perf_counter()
        with self.lock():
            self.ensure()
            if restart:
                self.discard_batch(batch_key)
            con = normalise.connect()
            report = normalise.load_folder(
                con,
                Path(folder),
                strict=strict,
                uscc_ok=uscc_ok,
                region_ok=region_ok,
                on_file=(lambda n, t: on_progress("read", n, t)) if on_progress else None,
            )
            result = IngestResult(report=report)
            result.rejected_file = self._write_rejected(con, batch_key, describe)
            con.execute(f"CREATE OR REPLACE TEMP TABLE batch AS {normalise.NORMALISED_SELECT}")
            with history.attached(con, self.root) as held:
                if held:
                    result.duplicates_in_store = history.drop_stored_ids(con)
                result.new_events = _count(con, "SELECT count(*) FROM batch")
                if on_progress:
                    on_progress("check", 0, 1)
                before = self.flags(con)
                result.flags_before = len(before)
                if result.new_events:
                    after, result.recomputed_flags = self._incremental(con, before, held)
            if result.new_events:
                self._commit(con, batch_key, after)
                result.new_flags = [
                    f for f in after if _identity(f) not in {_identity(b) for b in before}
                ]
                result.flags_after = len(after)
                result.party_regions = dict(
                    con.execute(
                        "SELECT party, max(region) FROM ev WHERE region IS NOT NULL GROUP BY party"
                    ).fetchall()
                )
            else:
                result.flags_after = len(before)
            if on_progress:
                on_progress("check", 1, 1)
        result.seconds = time.perf_counter() - started
        return result

    def discard_batch(self, batch_key: str) -> int:
        """Take one batch's events out of the store (under the lock): a new manifest without
        them, then their files are removed."""
        self.recover()
        current = manifest.read(self.root) or manifest.Manifest()
        files = current.batches.pop(batch_key, [])
        if not files:
            return 0
        current.generation += 1
        manifest.write(self.root, current)
        history.sync(self.root, current)
        for path in files:
            (self.root / path).unlink(missing_ok=True)
        return len(files)

    def check_day(self, folder: Path) -> list[dict[str, Any]]:
        """The flags the store would hold after adding ``folder`` (no event written; under the
        lock, which brings the history file up to the manifest first)."""
        with self.lock():
            self.ensure()
            con = normalise.connect(memory_limit=check_memory())
            try:  # one pass over the files, the rows the ingest would accept
                normalise.load_valid(con, Path(folder), table="batch")
            except duckdb.Error:  # a file that fails inside: the ingest's reader refuses it whole
                normalise.load_folder(con, Path(folder), strict=False)
                con.execute(f"CREATE OR REPLACE TEMP TABLE batch AS {normalise.EV_SELECT}")
            with history.attached(con, self.root) as held:
                if held:
                    history.drop_stored_ids(con)
                return self._incremental(con, self.flags(con), held)[0]

    def _incremental(
        self, con: duckdb.DuckDBPyConnection, before: list[dict[str, Any]], held: bool
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(all flags after the batch, the recomputed flags of the codes and persons it touches)

        ``held``: the history file is attached as ``hx`` (``history.attached``); the events of
        the touched packs are read from it by key (``history.read_touched``)."""
        cols = ", ".join(EV_COLUMNS)
        # Persons the batch touches: buyers in it, and buyers of dispenses it reverses.
        con.execute(
            "CREATE OR REPLACE TEMP TABLE t_insured AS SELECT DISTINCT insured FROM batch "
            "WHERE insured IS NOT NULL AND event_type IN ('dispense', 'reverse')"
        )
        if held:
            # Every event of the batch's packs and of the packs its persons bought (all of a
            # pack's events: reversals, pack size).
            history.read_touched(con)
        else:
            con.execute(f"CREATE OR REPLACE TEMP TABLE hist AS SELECT {cols} FROM batch LIMIT 0")
        # A view: the rules read it several times, each a scan of two tables in memory, cheaper
        # than a copy of every touched event's text.
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW ev AS SELECT {cols} FROM hist "
            f"UNION ALL SELECT {cols} FROM batch"
        )
        fresh = duck.run_rules(con, thresholds=self.thresholds)
        # The flags held before of the packs and persons recomputed are replaced (only the
        # packs and persons of flags held before are fetched into Python).
        codes = _values(con, "code", "ev", {f["code"] for f in before if f["rule"] != "R6"})
        persons = _values(
            con,
            "insured",
            "t_insured",
            {f["insured"] for f in [*before, *fresh] if f["rule"] == "R6"},
        )
        kept = [
            f
            for f in before
            if not (
                (f["rule"] != "R6" and f["code"] in codes)
                or (f["rule"] == "R6" and f["insured"] in persons)
            )
        ]
        recomputed = [f for f in fresh if f["rule"] != "R6" or f["insured"] in persons]
        return sorted(kept + recomputed, key=duck.sort_key), recomputed

    def _write_rejected(
        self,
        con: duckdb.DuckDBPyConnection,
        batch_key: str,
        describe: Callable[[list[str]], str] | None = None,
    ) -> str:
        """Write every rejected row, with its values as sent and its reasons, to a CSV.

        Columns: ``file``, ``row`` (data rows from 1; the header is not a row),
        ``reason_codes`` (``;``-separated), ``reasons`` (``describe(codes)``, the platform's
        language), the format's columns as they were sent, and ``raw_line`` for a row that
        could not be split into columns.
        """
        count = _count(con, "SELECT count(*) FROM checked WHERE NOT ok") + _count(
            con, "SELECT count(*) FROM malformed"
        )
        if not count:
            return ""
        target = self.root / "rejected" / f"{batch_key}.csv"
        values = (
            "c.event_id, c.code_raw, c.event_type, c.occurred_at, c.party, c.region, "
            "c.counterparty, c.product, c.pack_units_raw, c.units_raw, "
            "CAST(c.price AS VARCHAR), c.insured, c.settlement, c.reverses"
        )
        rows = con.execute(
            f"""
            SELECT name, row_no, codes, {", ".join(f"v{i}" for i in range(14))}, raw_line FROM (
              SELECT c.file_no, c.line_no AS row_no, c.reasons AS codes,
                     {", ".join(f"{v.strip()} AS v{i}" for i, v in enumerate(values.split(",")))},
                     NULL AS raw_line
              FROM checked c WHERE NOT c.ok
              UNION ALL
              SELECT CAST(m.file_no AS INTEGER), CAST(m.line_no AS BIGINT),
                     [CASE m.error WHEN 'MISSING COLUMNS' THEN 'row_too_few_columns'
                                   WHEN 'TOO MANY COLUMNS' THEN 'row_too_many_columns'
                                   WHEN 'INVALID ENCODING' THEN 'row_not_utf8'
                                   ELSE 'row_malformed' END],
                     {", ".join(f"NULL AS v{i}" for i in range(14))},
                     m.csv_line
              FROM malformed m
            ) x JOIN files f ON f.file_no = x.file_no
            ORDER BY x.file_no, row_no LIMIT 100000
            """
        ).fetchall()
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["file", "row", "reason_codes", "reasons", *normalise.COLUMNS, "raw_line"]
            )
            for name, row_no, codes, *rest in rows:
                codes = list(codes)
                text = describe(codes) if describe else ";".join(codes)
                writer.writerow([name, row_no, ";".join(codes), text, *rest])
        return str(target)

    def _commit(
        self, con: duckdb.DuckDBPyConnection, batch_key: str, flags: list[dict[str, Any]]
    ) -> None:
        """Make the batch's events, the new flags and the key-table rows visible at once."""
        current = manifest.read(self.root) or manifest.Manifest()
        generation = current.generation + 1
        staging = self.root / ".staging" / batch_key
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        write_partitioned(con, "batch", staging / "events", f"b{batch_key}_g{generation}")
        self._write_flags(con, flags, staging / "flags.parquet")
        con.execute(f"COPY ({CODE_STATES}) TO '{staging / 'codes.parquet'}' (FORMAT PARQUET)")
        # Into place under names no manifest holds yet: invisible until the manifest says so.
        moved: list[str] = []
        for path in sorted((staging / "events").rglob("*.parquet")):
            target = self.events_dir / path.relative_to(staging / "events")
            target.parent.mkdir(parents=True, exist_ok=True)
            _move(path, target)
            moved.append(target.relative_to(self.root).as_posix())
        name = f"{generation:06d}.parquet"
        for kind in ("flags", "codes"):
            (self.root / kind).mkdir(exist_ok=True)
            _move(staging / f"{kind}.parquet", self.root / kind / name)
        previous = current.named() - set(current.event_files())
        current.generation = generation
        current.batches[batch_key] = current.batches.get(batch_key, []) + moved
        current.flags, current.codes = f"flags/{name}", f"codes/{name}"
        manifest.write(self.root, current)  # the commit
        self._apply_codes(current)
        history.sync(self.root, current)
        for old in previous:
            (self.root / old).unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)

    @staticmethod
    def _write_flags(
        con: duckdb.DuckDBPyConnection, flags: list[dict[str, Any]], target: Path
    ) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {
            "packs": pa.float64(),
            **{c: pa.int64() for c in ("n_settle", "units", "pack_units", "n_inst", "ts1", "ts2")},
        }
        table = pa.table(
            {
                c: pa.array([f[c] for f in flags], type=types.get(c, pa.string()))
                for c in FLAG_COLUMNS
            }
        )
        pq.write_table(table, target)


def check_memory() -> str:
    """DuckDB's memory limit for a day's check (``YAOJIAN_TRACE_CHECK_MEMORY``, default 4 GB):
    it reads a few million events, and shares the machine with the web and other jobs."""
    return os.environ.get("YAOJIAN_TRACE_CHECK_MEMORY") or "4GB"


def write_partitioned(
    con: duckdb.DuckDBPyConnection, table: str, target: Path, prefix: str
) -> None:
    """``table``'s rows as the store lays its events out: Parquet files under ``target``
    partitioned by month and province, named ``<prefix>_<i>``."""
    con.execute(
        f"""
        COPY (
          SELECT *, strftime(make_timestamptz(ts), '%Y-%m') AS month,
                 coalesce(substr(region, 1, 2), 'xx') AS province
          FROM {table}
        ) TO '{target}' (FORMAT PARQUET, PARTITION_BY (month, province),
                         FILENAME_PATTERN '{prefix}_{{i}}')
        """
    )


def write_key_table(
    con: duckdb.DuckDBPyConnection,
    query: str,
    target: Path,
    *,
    generation: int = 0,
    batch_rows: int = 200_000,
) -> int:
    """Write a new key table (``CODES_DDL``) at ``target`` from ``query``'s rows, in bulk.

    ``query`` yields the table's columns in order, sorted by ``code``: sorted keys fill the
    B-tree page after page (no page is split and revisited), and with no journal and no sync
    until the end SQLite's cost is the insert itself (≈ 5 µs of CPU a row; a row-by-row
    ``INSERT OR REPLACE`` in random order through WAL was ≈ 12× slower under load). The file is
    synced and switched to WAL (what readers and the ingest expect) before it is returned; a
    half-written ``target`` is never read (the caller renames it into place)."""
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target, isolation_level=None)
    try:
        for pragma in (
            "page_size=16384",
            "journal_mode=OFF",
            "synchronous=OFF",
            "cache_size=-262144",
            "locking_mode=EXCLUSIVE",
        ):
            db.execute(f"PRAGMA {pragma}")
        db.execute(CODES_DDL)
        db.execute(META_DDL)
        db.execute("BEGIN")
        count = 0
        reader = con.sql(query).to_arrow_reader(batch_rows)
        for batch in reader:
            columns = [column.to_pylist() for column in batch.columns]
            db.executemany(
                "INSERT INTO codes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                zip(*columns, strict=True),
            )
            count += batch.num_rows
        db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (generation,))
        db.execute("COMMIT")
        db.execute("PRAGMA locking_mode=NORMAL")
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()
    with target.open("rb") as handle:
        os.fsync(handle.fileno())
    return count


_readers = threading.local()


def _reader(path: Path) -> sqlite3.Connection | None:
    """This thread's connection to the key table at ``path`` (``None``: no table yet).

    Opening a connection cost more than the lookup (≈ 0.3 ms of CPU against tens of µs), so
    each thread keeps one. Every statement is its own read transaction: it sees the last
    commit. A rebuilt table is a new file renamed into place; the connection is reopened when
    the file's inode changes."""
    try:
        inode = os.stat(path).st_ino
    except FileNotFoundError:
        return None
    cache: dict[str, tuple[int, sqlite3.Connection]] = getattr(_readers, "by_path", None) or {}
    _readers.by_path = cache
    held = cache.get(str(path))
    if held is not None and held[0] == inode:
        return held[1]
    if held is not None or len(cache) >= 4:  # a process reads one store, tests a few each
        for _, stale in cache.values():
            stale.close()
        cache.clear()
    db = sqlite3.connect(path, timeout=5)
    cache[str(path)] = (inode, db)
    return db


def _move(source: Path, target: Path) -> None:
    os.replace(source, target)


# Per-code state of every code in ``ev`` (which holds all events of those codes): the rows of the
# key table (``CODES_DDL``) for the real-time check.
CODE_STATES = """
WITH reversed AS (
  SELECT DISTINCT reverses AS event_id FROM ev WHERE event_type = 'reverse'
),
pu AS (SELECT code, max(pack_units) AS pu FROM ev GROUP BY code),
s AS (
  SELECT d.code, coalesce(d.settlement, '#' || d.event_id) AS sid,
         max(d.ts) AS ts, max(d.party) AS party, max(d.region) AS region,
         max(coalesce(d.units, d.pack_units, p.pu)) AS units,
         bool_or(r.event_id IS NOT NULL) AS cancelled
  FROM ev d LEFT JOIN reversed r ON r.event_id = d.event_id
  LEFT JOIN pu p ON p.code = d.code
  WHERE d.event_type = 'dispense' GROUP BY 1, 2
),
net AS (SELECT * FROM s WHERE NOT cancelled),
agg AS (
  SELECT code, count(*) AS n, sum(units) AS units, count(DISTINCT party) AS inst,
         arg_max(party, ts) AS party, arg_max(region, ts) AS region, max(ts) AS ts
  FROM net GROUP BY code
),
last_event AS (
  SELECT code, arg_max(event_type, ts) AS event_type, max(ts) AS ts FROM ev GROUP BY code
)
SELECT l.code, coalesce(a.n, 0) AS settlements, CAST(a.units AS BIGINT) AS units,
       p.pu AS pack_units, coalesce(a.inst, 0) AS institutions, a.party AS last_party,
       a.region AS last_region, a.ts AS last_at, l.event_type AS last_event,
       l.ts AS last_event_at
FROM last_event l LEFT JOIN agg a ON a.code = l.code LEFT JOIN pu p ON p.code = l.code
"""


def _values(con: duckdb.DuckDBPyConnection, column: str, table: str, wanted: set[Any]) -> set[Any]:
    """The values of ``wanted`` that ``table.column`` holds."""
    wanted.discard(None)
    if not wanted:
        return set()
    import pyarrow as pa

    con.register("t_wanted", pa.table({"v": pa.array(sorted(wanted), type=pa.string())}))
    try:
        rows = con.execute(
            f"SELECT v FROM t_wanted WHERE v IN (SELECT {column} FROM {table})"
        ).fetchall()
    finally:
        con.unregister("t_wanted")
    return {row[0] for row in rows}


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _identity(flag: dict[str, Any]) -> tuple[Any, ...]:
    return (flag["rule"], flag["code"], flag["insured"], flag["party"])
