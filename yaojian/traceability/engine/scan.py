"""A full scan: a folder (raw exchange files, or a normalised store) → sorted flags."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import duckdb

from yaojian.traceability.engine import duck, normalise, screen
from yaojian.traceability.engine.rules import DEFAULT_THRESHOLDS, EV_COLUMNS, RULES, Thresholds
from yaojian.traceability.engine.store import TraceStore

ENUM_COLUMNS = ("event_type", "party", "counterparty", "product", "region")


# Bytes a validated event takes in a scan's table held in memory (measured: 114 MB per
# 1,000,010 events of our generator); stored compressed in a file it takes about a third.
EVENT_BYTES_IN_MEMORY = 120


# The compression methods a scan's database file is written without (``open_events``).
SCAN_FILE_WITHOUT = "fsst,dict_fsst"


def table_on_disk(con: Any, folder: Path) -> bool:
    """Whether a scan keeps its validated events in a database file (compressed, read back by
    DuckDB's buffer manager) rather than in memory: ``YAOJIAN_TRACE_TABLE`` (``memory``,
    ``disk``, default ``auto``: on disk when the table would take more than a quarter of the
    memory limit, leaving the rest to the rules' joins and windows)."""
    choice = os.environ.get("YAOJIAN_TRACE_TABLE", "auto")
    if choice in ("memory", "disk"):
        return choice == "disk"
    files = normalise.event_files(folder)
    parquet = [str(p) for p in files if p.suffix.lower() == ".parquet"]
    rows = sum(p.stat().st_size for p in files if p.suffix.lower() == ".csv") // 100
    if parquet:
        listed = ", ".join("'" + p.replace("'", "''") + "'" for p in parquet)
        try:
            found = con.execute(
                f"SELECT sum(num_rows) FROM parquet_file_metadata([{listed}])"
            ).fetchone()
            rows += int(found[0] or 0) if found else 0
        except duckdb.Error:
            rows += sum(Path(p).stat().st_size for p in parquet) // 20
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()
    return rows * EVENT_BYTES_IN_MEMORY > _bytes(str(limit[0] if limit else "")) // 4


# Bytes of memory the rules take per event of a share: its table of events (≈ 114) and the
# joins, aggregations and windows over it (≈ 150: a 30 M-event scan in one query peaked at
# 8 GB with its 3.4 GB table; ADR 0039), rounded up.
RULE_BYTES_PER_EVENT = 300


def shares_for(con: Any, events: int) -> int:
    """How many shares of pack keys a scan's rules run in (``duck.run_rules``): each share's
    events and the rules' state over them within half of DuckDB's memory limit (the other half:
    the validated table's cached blocks, the net settlements, DuckDB's own). ``YAOJIAN_TRACE_SHARES``
    (a number) forces it."""
    forced = os.environ.get("YAOJIAN_TRACE_SHARES", "").strip()
    if forced:
        return max(1, int(forced))
    limit = con.execute("SELECT current_setting('memory_limit')").fetchone()
    budget = max(_bytes(str(limit[0] if limit else "")) // 2, 1)
    return max(1, -(-events * RULE_BYTES_PER_EVENT // budget))


def _bytes(text: str) -> int:
    units = {"": 1, "BYTES": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
    units |= {"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
    number, _space, unit = text.strip().partition(" ")
    try:
        return int(float(number) * units.get(unit.strip().upper(), 1))
    except ValueError:
        return 0


def open_events(con: Any, folder: Path) -> normalise.LoadReport | None:
    """Make the view ``ev`` over ``folder``; returns the load report for raw folders.

    A raw folder is validated row by row into a narrow table (integer pack keys, ENUMs: ADR
    0037). A normalised store holds events validated once, at their ingest: ``ev`` is a view
    over its files as they are (ADR 0043, 0045)."""
    folder = Path(folder)
    if duck.is_normalised_store(folder):
        store = TraceStore(folder)
        columns = ", ".join(EV_COLUMNS)
        con.execute(f"CREATE OR REPLACE VIEW ev AS SELECT {columns} FROM {store.history_source()}")
        return None
    on_disk = table_on_disk(con, folder)
    _attach_scan_file(con, on_disk)
    report = normalise.load_folder(con, folder, strict=False, stream=True, on_disk=on_disk)
    con.execute(f"CREATE OR REPLACE TEMP VIEW ev AS {normalise.scan_ev_select(con)}")
    return report


def _attach_scan_file(con: Any, on_disk: bool) -> None:
    """On disk: make a database file in the spill folder the current one (``checked`` goes
    there), removed after the scan (``scan``)."""
    if not on_disk:
        return
    spill = con.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    Path(spill).mkdir(parents=True, exist_ok=True)
    target = Path(spill) / f"scan-{uuid.uuid4().hex}.duckdb"  # one per scan
    # Without FSST: DuckDB's analysis and compression of strings with FSST took a third of
    # writing the file (ids, persons and settlements barely compress with it); the file
    # is larger (≈ 60 MB per million events against 36) and is read back no slower.
    con.execute(f"SET disabled_compression_methods='{SCAN_FILE_WITHOUT}'")
    con.execute(f"ATTACH '{_literal(str(target))}' AS scan_db")
    con.execute("USE scan_db")


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
    try:
        return _scan(con, folder, engine, rules, thresholds, spark)
    finally:
        files = con.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = 'scan_db'"
        ).fetchall()
        con.close()
        for (path,) in files:  # the scan's database file, if it made one
            for leftover in (Path(path), Path(f"{path}.wal")):
                leftover.unlink(missing_ok=True)


def _scan(
    con: Any,
    folder: Path,
    engine: str,
    rules: tuple[str, ...],
    thresholds: Thresholds,
    spark: Any,
) -> tuple[list[dict[str, Any]], normalise.LoadReport | None]:
    report = open_events(con, folder)
    if engine == "duckdb":
        # The rules over the events of the packs and persons the screen keeps (ADR 0045): the
        # flags of every event, from a small part of them.
        events = screen.screen(con, rules=rules, thresholds=thresholds)
        shares = shares_for(con, events)
        # The persons' share: the net settlements (at most one per dispense) and R6's window.
        flags = duck.run_rules(
            con,
            ev="ev_screened",
            person_ev="ev_persons",
            rules=rules,
            thresholds=thresholds,
            integer_keys=report is not None,
            shares=shares,
            person_shares=shares_for(con, events // 5) if shares > 1 else 1,
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


def full_and_screened(folder: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float]:
    """The flags over every event of ``folder`` (raw or a store), the flags over what the
    screen keeps, and the share of events it keeps: the screen's own check (ADR 0045; the tests
    and ``bench/trace_screen_fuzz.py``)."""
    con = normalise.connect()
    try:
        report = open_events(con, folder)
        integer_keys = report is not None
        full = duck.run_rules(con, integer_keys=integer_keys)
        kept = screen.screen(con)
        screened = duck.run_rules(
            con, ev="ev_screened", person_ev="ev_persons", integer_keys=integer_keys
        )
        total = con.execute("SELECT count(*) FROM ev").fetchone()
    finally:
        con.close()
    return full, screened, kept / max(int(total[0]) if total else 0, 1)


def _literal(value: str) -> str:
    return value.replace("'", "''")
