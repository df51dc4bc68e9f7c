"""A full scan: a folder (raw exchange files, or a normalised store) → sorted flags."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import duckdb

from yaojian.traceability.engine import duck, normalise
from yaojian.traceability.engine.rules import DEFAULT_THRESHOLDS, EV_COLUMNS, RULES, Thresholds
from yaojian.traceability.engine.store import TraceStore

ENUM_COLUMNS = ("event_type", "party", "counterparty", "product", "region")


# Bytes a validated event takes in a scan's table held in memory (measured: 114 MB per
# 1,000,010 events of our generator); stored compressed in a file it takes about a third.
EVENT_BYTES_IN_MEMORY = 120


# The compression methods a scan's database file is written without (``open_events``).
SCAN_FILE_WITHOUT = "fsst,dict_fsst"


def table_on_disk(con: Any, folder: Path, files: list[Path] | None = None) -> bool:
    """Whether a scan keeps its validated events in a database file (compressed, read back by
    DuckDB's buffer manager) rather than in memory: ``YAOJIAN_TRACE_TABLE`` (``memory``,
    ``disk``, default ``auto``: on disk when the table would take more than a quarter of the
    memory limit, leaving the rest to the rules' joins and windows). ``files``: the event files
    (default: the folder's)."""
    choice = os.environ.get("YAOJIAN_TRACE_TABLE", "auto")
    if choice in ("memory", "disk"):
        return choice == "disk"
    files = normalise.event_files(folder) if files is None else files
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


def open_events(con: Any, folder: Path, *, narrow: bool = True) -> normalise.LoadReport | None:
    """Make the view ``ev`` over ``folder``; returns the load report for raw folders.

    A raw folder is validated row by row into a narrow table (integer pack keys, ENUMs: ADR
    0037). A normalised store holds events validated once, at their ingest: it is read as it
    is, without validation (ADR 0043); ``narrow`` (the DuckDB rules) reads it once into the
    same narrow table, otherwise ``ev`` is a view over its files (text keys: Spark's input)."""
    folder = Path(folder)
    if duck.is_normalised_store(folder):
        store = TraceStore(folder)
        if not narrow:
            con.execute(f"CREATE OR REPLACE VIEW ev AS SELECT * FROM {store.history_source()}")
            return None
        files = store.event_files()
        _attach_scan_file(con, table_on_disk(con, folder, files))
        _load_store(con, files)
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


def _load_store(con: Any, files: list[Path]) -> None:
    """A store's events into the narrow table ``checked`` of a raw folder's scan (integer pack
    keys, ENUMs) and the view ``ev`` over it: the files read twice (the dictionaries' five
    columns, then every column the rules read), never validated again."""
    source = duck.parquet_source(files).replace(", hive_partitioning=true", "")
    # A store's key is 20 digits or a GS1 key ``(01)…(21)…`` (``codes.parse_trace_code``).
    gs1 = "starts_with(code, '(')"
    normalise.make_scan_dictionaries(
        con,
        f"SELECT code AS tc FROM {source} WHERE {gs1}",
        f"SELECT party AS p, counterparty AS cp, product AS prod, region AS reg FROM {source}",
        parse=False,
    )
    enums = {col: name for name, cols in normalise.SCAN_ENUMS for col in cols}
    columns = []
    for column in EV_COLUMNS:
        if column == "code":
            columns.append("coalesce(s.c20, m.id) AS code")
        elif column == "event_type":
            columns.append("CAST(s.event_type AS trace_event_type) AS event_type")
        elif column in enums:
            columns.append(f"CAST(s.{column} AS {enums[column]}) AS {column}")
        else:
            columns.append(f"s.{column}")
    table = "TABLE" if _current_database(con) == "scan_db" else "TEMP TABLE"
    con.execute(
        f"""
        CREATE OR REPLACE {table} checked AS SELECT {", ".join(columns)}
        FROM (SELECT *, CASE WHEN NOT {gs1} THEN CAST(code AS HUGEINT) END AS c20
              FROM {source}) s
        LEFT JOIN codemap m ON m.raw = CASE WHEN s.c20 IS NULL THEN s.code END
        """
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW ev AS SELECT {', '.join(EV_COLUMNS)} FROM checked")


def _current_database(con: Any) -> str:
    found = con.execute("SELECT current_database()").fetchone()
    return str(found[0]) if found else ""


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
    report = open_events(con, folder, narrow=engine == "duckdb")
    if engine == "duckdb":
        if report is not None:
            events = report.accepted
        else:
            found = con.execute("SELECT count(*) FROM checked").fetchone()
            events = int(found[0]) if found else 0
        shares = shares_for(con, events)
        # The persons' share: the net settlements (at most one per dispense) and R6's window.
        flags = duck.run_rules(
            con,
            rules=rules,
            thresholds=thresholds,
            integer_keys=True,
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


def _literal(value: str) -> str:
    return value.replace("'", "''")
