"""Read a folder of trace-event files (Parquet or CSV) into a normalised DuckDB table.

One place turns the exchange format into the columns the rules read (``rules.py``): the
trace code becomes the pack's key (``codes.py``), the instant becomes µs since the epoch (UTC),
empty strings become NULL. Each row carries the list of reasons it fails validation; the caller
keeps the rows without reasons (``strict`` adds the checks an ingest makes: USCC check
character, region, timestamp offset, units).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from yaojian.traceability.engine.codes import parse_trace_code
from yaojian.traceability.engine.rules import EV_COLUMNS

COLUMNS = (
    "event_id",
    "trace_code",
    "event_type",
    "occurred_at",
    "party_uscc",
    "party_region",
    "counterparty_uscc",
    "product_code",
    "pack_units",
    "units",
    "unit_price_yuan",
    "insured_id",
    "settlement_id",
    "reverses_event_id",
)
INTEGER_TYPES = frozenset(
    ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
)
REQUIRED = ("event_id", "trace_code", "event_type", "occurred_at", "party_uscc")
EVENT_TYPES = ("produce", "ship", "receive", "dispense", "reverse")

# The normalised schema, which the partitioned store holds: the columns the rules read
# (``rules.EV_COLUMNS``, the one list) and two values kept as evidence only.
EVIDENCE_COLUMNS = ("code_raw", "price")
NORMALISED = (*EV_COLUMNS, *EVIDENCE_COLUMNS)


class FormatError(Exception):
    """A file that is not in the exchange format (names the file and the column or row).

    ``code`` says why (``file_unreadable``, ``column_missing``, ``encoding_gb18030``,
    ``encoding_invalid``) and ``params`` fill the message the app translates (``reasons.py``).
    """

    def __init__(self, message: str, *, code: str = "file_unreadable", **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass
class FileOutcome:
    name: str
    rows: int = 0
    error: str = ""
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadReport:
    files: list[FileOutcome] = field(default_factory=list)
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    malformed: int = 0  # CSV rows that could not be split into the header's columns
    duplicates_in_batch: int = 0

    @property
    def refused_files(self) -> list[FileOutcome]:
        return [f for f in self.files if f.error]


def event_files(folder: Path) -> list[Path]:
    if folder.is_file():
        return [folder]
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".parquet", ".csv")
    )


def connect(
    database: str = ":memory:", *, memory_limit: str | None = None, temp_dir: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection set for the trace engine.

    A scan of 100 M events does not fit in memory: DuckDB keeps to ``memory_limit`` (default
    ``YAOJIAN_TRACE_MEMORY`` or 60 % of RAM, leaving room for Python and the OS on a machine
    without swap) and spills to ``temp_dir`` (default ``YAOJIAN_TRACE_TEMP`` or a folder of
    this process under the system's temp folder, never the working directory). Row order is
    never relied on (every result that is shown is sorted), so DuckDB need not keep it.
    """
    con = duckdb.connect(database)
    # Offsets in the data decide; a string without one is read as China Standard Time.
    con.execute("SET TimeZone='Asia/Shanghai'")
    con.execute("SET preserve_insertion_order=false")
    limit = memory_limit or os.environ.get("YAOJIAN_TRACE_MEMORY") or "60%"
    con.execute(f"SET memory_limit='{_literal(limit)}'")
    spill = temp_dir or os.environ.get("YAOJIAN_TRACE_TEMP")
    folder = Path(spill) if spill else Path(tempfile.gettempdir()) / "yaojian-duckdb"
    folder.mkdir(parents=True, exist_ok=True)  # DuckDB makes the last level only
    con.execute(f"SET temp_directory='{_literal(str(folder / str(os.getpid())))}'")
    return con


def _literal(value: str) -> str:
    return value.replace("'", "''")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


CHUNK = 1 << 20


def check_csv_encoding(path: Path) -> None:
    """Refuse a CSV that is not UTF-8 (the format's encoding), naming GB18030 when it is that.

    Read once in 1 MiB chunks through an incremental decoder (a BOM is allowed); a file cut
    inside a character is not UTF-8 either.
    """
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        head = b""
        while chunk := handle.read(CHUNK):
            if not head:
                head = chunk[:65536]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                _refuse_encoding(path, head, offset + exc.start)
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            _refuse_encoding(path, head, offset)


def _refuse_encoding(path: Path, head: bytes, offset: int) -> None:
    try:
        head.decode("gb18030")
    except UnicodeDecodeError:
        raise FormatError(
            f"{path.name}: the file is not UTF-8 text (byte {offset}).",
            code="encoding_invalid",
            file=path.name,
            offset=offset,
        ) from None
    raise FormatError(
        f"{path.name}: the file is encoded in GB18030/GBK, not UTF-8; save it as UTF-8.",
        code="encoding_gb18030",
        file=path.name,
    )


def _raw_select(
    con: duckdb.DuckDBPyConnection, path: Path, file_no: int, *, rejects: bool = False
) -> str:
    """A SELECT producing the raw columns (VARCHAR, plus ts_us) of one file, or FormatError.

    ``rejects`` (CSV): rows that cannot be split into the header's columns (a truncated
    file, a stray quote) are set aside in the temp table ``csv_rejects`` instead of refusing
    the file, so they can be kept with their reasons.

    ``line_no`` counts the data rows from 1. For Parquet it is the reader's own row number
    (``file_row_number``): ``row_number() OVER ()`` is a window over the whole file, which reads
    every column in one thread and stops DuckDB from reading only the columns a query needs.
    """
    literal = "'" + str(path).replace("'", "''") + "'"
    parquet = path.suffix.lower() == ".parquet"
    if parquet:
        source = f"read_parquet({literal}, file_row_number=true)"
    else:
        source = (
            f"read_csv({literal}, all_varchar=true, header=true, delim=',', quote='\"', "
            "escape='\"', strict_mode=true, null_padding=false"
            + (
                ", store_rejects=true, rejects_table='csv_rejects', rejects_scan='csv_scans')"
                if rejects
                else ")"
            )
        )
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    except duckdb.Error as exc:
        raise FormatError(
            f"{path.name}: the file cannot be read ({exc}).",
            file=path.name,
            error=str(exc).splitlines()[0][:200],
        ) from exc
    types = {
        row[0].strip().lower(): (row[0], str(row[1]).upper())
        for row in described
        if not (parquet and row[0] == "file_row_number")
    }
    missing = [c for c in REQUIRED if c not in types]
    if missing:
        raise FormatError(
            f"{path.name}: the column “{missing[0]}” is missing.",
            code="column_missing",
            file=path.name,
            column=missing[0],
        )
    parts = []
    for column in COLUMNS:
        if column not in types:
            parts.append(f"CAST(NULL AS VARCHAR) AS {column}")
            continue
        original, kind = types[column]
        ref = _quote(original)
        if column == "occurred_at" and kind.startswith("TIMESTAMP"):
            # Parquet timestamps: with time zone (UTC-adjusted) or naive (taken as UTC).
            expr = (
                f"CAST(epoch_us({ref}::TIMESTAMPTZ) AS BIGINT)"
                if "TIME ZONE" in kind
                else (f"CAST(epoch_us(timezone('UTC', {ref})) AS BIGINT)")
            )
            parts.append(f"CAST({ref} AS VARCHAR) AS occurred_at")
            parts.append(f"{expr} AS ts_typed")
            continue
        parts.append(f"{_trimmed(f'CAST({ref} AS VARCHAR)')} AS {column}")
    # Counts as numbers: an integer column as it is (no round trip through text), any other
    # type or text parsed as before; ``pack_units``/``units`` stay as sent for the checks.
    for column in ("pack_units", "units"):
        if column not in types:
            number = "CAST(NULL AS BIGINT)"
        elif types[column][1] in INTEGER_TYPES:
            number = f"CAST({_quote(types[column][0])} AS BIGINT)"
        else:
            value = _trimmed(f"CAST({_quote(types[column][0])} AS VARCHAR)")
            number = f"CAST(try_cast(try_cast({value} AS DOUBLE) AS BIGINT) AS BIGINT)"
        parts.append(f"{number} AS {column}_n")
    if "ts_typed" not in " ".join(parts):
        parts.append("CAST(NULL AS BIGINT) AS ts_typed")
    line_no = "file_row_number + 1" if parquet else "row_number() OVER ()"
    return f"SELECT {file_no} AS file_no, {line_no} AS line_no, {', '.join(parts)} FROM {source}"


def _trimmed(value: str) -> str:
    """``nullif(trim(value), '')``, with ``trim`` only where it can change the text: DuckDB's
    ``trim`` removes the ASCII space and non-ASCII white space only, so a value that is ASCII
    (as many bytes as characters) without a space is kept as it is (trimming every value of
    every column was a quarter of a scan's reading)."""
    return (
        f"nullif(CASE WHEN contains({value}, ' ') OR strlen({value}) <> length({value}) "
        f"THEN trim({value}) ELSE {value} END, '')"
    )


def _code_map(con: duckdb.DuckDBPyConnection) -> None:
    """Parse the codes that are not plain 20-digit codes (GS1, EAN-13, junk) in Python."""
    rows = con.execute(
        "SELECT DISTINCT trace_code FROM raw WHERE trace_code IS NOT NULL "
        "AND NOT regexp_full_match(trace_code, '\\d{20}')"
    ).fetchall()
    mapped = []
    for (raw,) in rows:
        parsed = parse_trace_code(raw)
        mapped.append((raw, parsed.key or None, parsed.reason or None))
    _table(con, "codemap", ("raw", "key", "reason"), mapped)


def _table(
    con: duckdb.DuckDBPyConnection, name: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """A temp table from Python rows (through Arrow: executemany is row by row)."""
    import pyarrow as pa

    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    types = {c: pa.bool_() if c == "ok" else pa.string() for c in columns}
    arrow = pa.table({c: pa.array(v, type=types[c]) for c, v in data.items()})
    con.execute("SELECT 1").fetchall()  # finish any pending result before register()
    con.register(f"{name}_arrow", arrow)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def _lookup_table(
    con: duckdb.DuckDBPyConnection, name: str, sql: str, ok: Callable[[str], bool]
) -> None:
    values = [row[0] for row in con.execute(sql).fetchall()]
    _table(con, name, ("value", "ok"), [(v, ok(v)) for v in values])


def load_folder(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    *,
    strict: bool = False,
    uscc_ok: Callable[[str], bool] | None = None,
    region_ok: Callable[[str], bool] | None = None,
    on_file: Callable[[int, int], Any] | None = None,
    stream: bool = False,
    on_disk: bool = False,
) -> LoadReport:
    """Load every file of ``folder`` into the temp table ``checked`` (rows with ``reasons``).

    ``on_disk`` (with ``stream``): ``checked`` is a table of the connection's current database
    (a file: ``scan.open_events``), stored compressed and read back from it, not a temp table.

    ``stream`` (a scan): the files are read once, through views, straight into ``checked``;
    a file is refused for its schema only (an ingest reads each file in its own transaction
    first, so that a file corrupt inside is refused whole).

    A file that cannot be read or lacks a required column is refused whole (reported, nothing
    from it loaded). Within the folder, repeated ``event_id`` rows keep the first one and are
    counted as duplicates.
    """
    report = LoadReport()
    files = event_files(Path(folder))
    con.execute("DROP TABLE IF EXISTS raw")
    con.execute("DROP VIEW IF EXISTS raw")
    first = True
    selects: list[str] = []
    malformed: list[tuple[Any, ...]] = []
    for number, path in enumerate(files, start=1):
        outcome = FileOutcome(name=path.name)
        report.files.append(outcome)
        is_csv = path.suffix.lower() == ".csv"
        try:
            if is_csv and strict:
                check_csv_encoding(path)
            select = _raw_select(con, path, number, rejects=is_csv and not stream)
            if stream:
                selects.append(select)
                first = False
                continue
            con.execute(f"CREATE TEMP TABLE IF NOT EXISTS raw AS {select} LIMIT 0")
            before = con.execute("SELECT count(*) FROM raw").fetchone()[0]  # type: ignore[index]
            con.execute("BEGIN")
            try:
                con.execute(f"INSERT INTO raw BY NAME {select}")
                con.execute("COMMIT")
            except duckdb.Error:
                con.execute("ROLLBACK")
                raise
            after = con.execute("SELECT count(*) FROM raw").fetchone()[0]  # type: ignore[index]
            outcome.rows = int(after - before)
            if is_csv:
                malformed += _take_csv_rejects(con, number)
            first = False
        except FormatError as exc:
            outcome.error, outcome.code, outcome.params = str(exc), exc.code, exc.params
        except duckdb.Error as exc:
            outcome.error = f"{path.name}: the file cannot be read ({exc})."
            outcome.code = "file_unreadable"
            outcome.params = {"file": path.name, "error": str(exc).splitlines()[0][:200]}
        if is_csv:
            _drop_csv_rejects(con)
        if on_file:
            on_file(number, len(files))
    if stream and selects:
        con.execute(
            "CREATE TEMP VIEW raw AS " + " UNION ALL BY NAME ".join(f"({q})" for q in selects)
        )
    if first:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE raw AS SELECT 0 AS file_no, 0::BIGINT AS line_no, "
            + ", ".join(f"NULL::VARCHAR AS {c}" for c in COLUMNS)
            + ", NULL::BIGINT AS ts_typed, NULL::BIGINT AS pack_units_n,"
            " NULL::BIGINT AS units_n LIMIT 0"
        )
    _table(con, "files", ("file_no", "name"), [(str(n), p.name) for n, p in enumerate(files, 1)])
    con.execute(
        "CREATE OR REPLACE TEMP TABLE files AS SELECT CAST(file_no AS INTEGER) AS file_no, name FROM files"
    )
    _table(
        con,
        "malformed",
        ("file_no", "line_no", "csv_line", "error"),
        [tuple(str(v) for v in row) for row in malformed],
    )
    report.malformed = len(malformed)
    if stream:
        _scan_dictionaries(con)
    else:
        _code_map(con)
    uscc_check = "TRUE"
    region_check = "regexp_full_match(party_region, '\\d{6}')"
    if strict and uscc_ok is not None:
        _lookup_table(
            con,
            "uscc_ok",
            "SELECT DISTINCT v FROM (SELECT party_uscc AS v FROM raw UNION "
            "SELECT counterparty_uscc FROM raw) WHERE v IS NOT NULL",
            uscc_ok,
        )
        uscc_check = "u.ok"
    if strict and region_ok is not None:
        _lookup_table(
            con,
            "region_ok",
            "SELECT DISTINCT party_region FROM raw WHERE party_region IS NOT NULL",
            region_ok,
        )
    ts_expr = "coalesce(ts_typed, CAST(epoch_us(try_cast(occurred_at AS TIMESTAMPTZ)) AS BIGINT))"
    offset_ok = (
        "(ts_typed IS NOT NULL OR regexp_matches(occurred_at, '(Z|z|[+-]\\d\\d(:?\\d\\d)?)$'))"
    )
    checks = [
        ("event_id IS NULL", "event_id_missing"),
        ("code IS NULL", "coalesce(code_reason, 'code_empty')"),
        (f"event_type NOT IN {EVENT_TYPES}", "'event_type_invalid'"),
        ("ts IS NULL", "'occurred_at_invalid'"),
        ("party IS NULL", "'party_uscc_missing'"),
    ]
    if strict:
        checks += [
            (f"NOT {offset_ok}", "'occurred_at_without_offset'"),
            ("party IS NOT NULL AND NOT coalesce(party_uscc_ok, FALSE)", "'party_uscc_invalid'"),
            (
                "counterparty IS NOT NULL AND NOT coalesce(counter_uscc_ok, FALSE)",
                "'counterparty_uscc_invalid'",
            ),
            (
                "counterparty IS NULL AND event_type IN ('ship', 'receive')",
                "'counterparty_missing'",
            ),
            ("region IS NULL OR NOT coalesce(region_valid, FALSE)", "'party_region_invalid'"),
            (
                "pack_units_raw IS NOT NULL AND (pack_units IS NULL OR pack_units <= 0)",
                "'pack_units_invalid'",
            ),
            ("units_raw IS NOT NULL AND (units IS NULL OR units <= 0)", "'units_invalid'"),
            (
                "event_type IN ('dispense', 'reverse') AND insured IS NULL",
                "'insured_id_missing'",
            ),
            ("event_type = 'reverse' AND reverses IS NULL", "'reverses_event_id_missing'"),
        ]
    reason_list = ", ".join(
        f"CASE WHEN {cond} THEN {code if code.startswith(('coalesce', chr(39))) else repr(code)} END"
        for cond, code in checks
    )
    party_ok = "u.ok" if uscc_check == "u.ok" else "TRUE"
    counter_ok = "cu.ok" if uscc_check == "u.ok" else "TRUE"
    region_valid = "rg.ok" if (strict and region_ok is not None) else region_check
    joins = ""
    if uscc_check == "u.ok":
        joins += " LEFT JOIN uscc_ok u ON u.value = r.party_uscc"
        joins += " LEFT JOIN uscc_ok cu ON cu.value = r.counterparty_uscc"
    if strict and region_ok is not None:
        joins += " LEFT JOIN region_ok rg ON rg.value = r.party_region"
    # A scan's pack key is an integer (``SCAN_KEY``), the test for 20 digits made once; the code
    # map is probed by the codes that are not 20 digits only.
    if stream:
        source = (
            "(SELECT *, CAST(CASE WHEN regexp_full_match(trace_code, '\\d{20}') THEN trace_code "
            "END AS HUGEINT) AS c20 FROM raw) r LEFT JOIN codemap m "
            "ON m.raw = CASE WHEN r.c20 IS NULL THEN r.trace_code END"
        )
        code = "coalesce(r.c20, m.id)"
    else:
        source = "raw r LEFT JOIN codemap m ON m.raw = r.trace_code"
        code = (
            "CASE WHEN regexp_full_match(r.trace_code, '\\d{20}') THEN r.trace_code ELSE m.key END"
        )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP {"VIEW" if stream else "TABLE"} staged AS
        SELECT r.file_no, r.line_no, r.event_id,
               {code} AS code,
               CASE WHEN r.trace_code IS NULL THEN 'code_empty' ELSE m.reason END AS code_reason,
               r.trace_code AS code_raw,
               lower(r.event_type) AS event_type,
               {ts_expr} AS ts, r.occurred_at, r.ts_typed,
               upper(r.party_uscc) AS party, r.party_region AS region,
               upper(r.counterparty_uscc) AS counterparty, r.product_code AS product,
               r.pack_units AS pack_units_raw, r.units AS units_raw,
               r.pack_units_n AS pack_units, r.units_n AS units,
               try_cast(r.unit_price_yuan AS DOUBLE) AS price,
               r.insured_id AS insured, r.settlement_id AS settlement,
               r.reverses_event_id AS reverses,
               {party_ok} AS party_uscc_ok, {counter_ok} AS counter_uscc_ok,
               {region_valid} AS region_valid
        FROM {source} {joins}
        """
    )
    failed = " OR ".join(f"coalesce({cond}, FALSE)" for cond, _code in checks)
    # A scan keeps only what the rules read, narrowed (``_scan_columns``); an ingest also the
    # values as sent (rejected rows).
    kept = _scan_columns() if stream else "*"
    # ``ok`` is one boolean per row; the list of reasons is built for failed rows only, and the
    # copies of an event id are numbered only when the folder has any (a window over every
    # row's id costs as much as reading the files again).
    table = "TABLE" if (stream and on_disk) else "TEMP TABLE"
    extra = (
        ""
        if stream
        else f""",
               CASE WHEN NOT ok_ THEN list_filter([{reason_list}], lambda x: x IS NOT NULL)
               END AS reasons, CAST(1 AS BIGINT) AS copy_no"""
    )
    con.execute(
        f"""
        CREATE OR REPLACE {table} checked AS
        SELECT {kept}, ok_ AS ok{extra}
        FROM (SELECT *, NOT ({failed}) AS ok_ FROM staged)
        """
    )
    if not stream:
        con.execute("ALTER TABLE checked DROP COLUMN ok_")
    # Repeated ids: the 64-bit hashes of the ids first (a hash table of numbers, not of every
    # id's text); only when two hashes are equal is the text counted.
    repeated = _count_sql(
        con, "SELECT count(event_id) - count(DISTINCT hash(event_id)) FROM checked"
    ) and _count_sql(
        con, "SELECT count(*) - count(DISTINCT event_id) FROM checked WHERE event_id IS NOT NULL"
    )
    order = "pos" if stream else "file_no, line_no"
    if repeated:
        con.execute(
            f"CREATE OR REPLACE {table} checked AS SELECT * {'' if stream else 'REPLACE'} ("
            f"row_number() OVER (PARTITION BY event_id ORDER BY {order}) AS copy_no) "
            "FROM checked"
        )
    copy_no = "copy_no" if (repeated or not stream) else "1"
    totals = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE ok AND {copy_no} = 1), "
        "count(*) FILTER (WHERE NOT ok), "
        f"count(*) FILTER (WHERE ok AND {copy_no} > 1) FROM checked"
    ).fetchone()
    assert totals is not None  # noqa: S101
    report.rows, report.accepted, report.rejected, report.duplicates_in_batch = (
        int(x) for x in totals
    )
    report.rows += report.malformed
    report.rejected += report.malformed
    return report


# A scan's table of events is narrowed (it is what a 100 M-event scan holds or spills): the pack
# key is an integer (``SCAN_KEY``), the event type and the small domains (institutions, products,
# regions) are ENUM types made from the folder's own values in sorted order (so that ``max``,
# ``min`` and ``ORDER BY`` give what they give on the text, and the rules read text back), the
# file and row are one number. The rules' SQL is the same text (``rules.py``).
SCAN_ENUMS = (
    ("trace_uscc", ("party", "counterparty")),
    ("trace_product", ("product",)),
    ("trace_region", ("region",)),
)

# The integer key of a pack in a scan: a 20-digit code is its own number (numeric order is the
# text's order, the codes having one length); a GS1 key ``(01)…(21)…`` is numbered from -N to -1
# in the order of its text, which sorts before every digit. The flags carry the text again
# (``duck.run_rules(integer_keys=True)``).


def _scan_columns() -> str:
    parts = ["CAST(file_no AS BIGINT) * 1099511627776 + line_no AS pos"]
    enums = {col: name for name, cols in SCAN_ENUMS for col in cols}
    for column in EV_COLUMNS:
        if column == "event_type":
            parts.append("TRY_CAST(event_type AS trace_event_type) AS event_type")
        elif column in enums:
            parts.append(f"CAST({column} AS {enums[column]}) AS {column}")
        else:
            parts.append(column)
    return ", ".join(parts)


def _scan_dictionaries(con: duckdb.DuckDBPyConnection) -> None:
    """The scan's dictionaries: the codes that are not plain 20-digit codes (parsed in Python,
    numbered: ``SCAN_KEY``) and the values of the ENUMs."""
    make_scan_dictionaries(
        con,
        "SELECT trace_code AS tc FROM raw WHERE NOT regexp_full_match(trace_code, '\\d{20}')",
        "SELECT upper(party_uscc) AS p, upper(counterparty_uscc) AS cp, product_code AS prod, "
        "party_region AS reg FROM raw",
    )


def make_scan_dictionaries(con: duckdb.DuckDBPyConnection, codes: str, enum_values: str) -> None:
    """The table ``codemap`` and the ENUM types of a scan. ``codes``: a SELECT of ``tc``, the
    codes as scanned that are not 20 digits (parsed here); ``enum_values``: a SELECT of ``p``,
    ``cp`` (institutions), ``prod`` and ``reg``.

    Two queries, each reading only its columns: the distinct codes, and one ``list(DISTINCT)``
    per ENUM column (DuckDB deduplicates the Parquet dictionaries' values cheaply there; one
    ``GROUPING SETS`` query over all five columns cost ten times as much)."""
    found: dict[str, set[str]] = {"tc": set(), "uscc": set(), "prod": set(), "reg": set()}
    found["tc"] = {
        row[0]
        for row in con.execute(f"SELECT DISTINCT tc FROM ({codes}) WHERE tc IS NOT NULL").fetchall()
    }
    lists = con.execute(
        f"SELECT list(DISTINCT p), list(DISTINCT cp), list(DISTINCT prod), list(DISTINCT reg) "
        f"FROM ({enum_values})"
    ).fetchone()
    for slot, listed in zip(("uscc", "uscc", "prod", "reg"), lists or (), strict=False):
        found[slot].update(v for v in listed or () if v is not None)
    parsed = {raw: parse_trace_code(raw) for raw in found["tc"]}
    gs1 = sorted({p.key for p in parsed.values() if p.key and not p.key.isdigit()})
    number = {key: i - len(gs1) for i, key in enumerate(gs1)}
    mapped = [
        (
            raw,
            (int(p.key) if p.key.isdigit() else number[p.key]) if p.key else None,
            p.key or None,
            p.reason or None,
        )
        for raw, p in parsed.items()
    ]
    import pyarrow as pa

    arrow = pa.table(
        {
            "raw": pa.array([m[0] for m in mapped], type=pa.string()),
            "id": pa.array([m[1] for m in mapped], type=pa.decimal128(38, 0)),
            "key": pa.array([m[2] for m in mapped], type=pa.string()),
            "reason": pa.array([m[3] for m in mapped], type=pa.string()),
        }
    )
    con.execute("SELECT 1").fetchall()
    con.register("codemap_arrow", arrow)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE codemap AS SELECT raw, CAST(id AS HUGEINT) AS id, "
        "key, reason FROM codemap_arrow"
    )
    con.unregister("codemap_arrow")
    types = {"trace_uscc": "uscc", "trace_product": "prod", "trace_region": "reg"}
    for name, _cols in (("trace_event_type", ()), *SCAN_ENUMS):
        values = sorted(found[types[name]]) if name in types else list(EVENT_TYPES)
        values = values or [""]  # no value at all: an ENUM needs one ("" is never a value)
        con.execute(f"DROP TYPE IF EXISTS {name}")
        literal = ", ".join("'" + _literal(v) + "'" for v in values)
        con.execute(f"CREATE TYPE {name} AS ENUM ({literal})")


def scan_ev_select(con: duckdb.DuckDBPyConnection) -> str:
    """What a scan reads as ``ev``: the valid rows of ``checked``, the first copy of an id."""
    columns = {row[0] for row in con.execute("DESCRIBE checked").fetchall()}
    first = " AND copy_no = 1" if "copy_no" in columns else ""
    return f"SELECT {', '.join(EV_COLUMNS)} FROM checked WHERE ok{first}"


def _count_sql(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _take_csv_rejects(con: duckdb.DuckDBPyConnection, file_no: int) -> list[tuple[Any, ...]]:
    """The rows of one CSV that DuckDB set aside: (file_no, row, the raw line, the error).

    The row number counts data rows as ``line_no`` does (the header is not a row)."""
    try:
        rows = con.execute(
            "SELECT line, any_value(csv_line), min(error_type) FROM csv_rejects "
            "GROUP BY line ORDER BY line"
        ).fetchall()
    except duckdb.Error:
        return []
    return [
        (file_no, int(line) - 1, (csv_line or "").strip("\r\n"), error)
        for line, csv_line, error in rows
    ]


def _drop_csv_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP TABLE IF EXISTS csv_rejects")
    con.execute("DROP TABLE IF EXISTS csv_scans")


# What a scan keeps (``load_folder(stream=True)``): the columns the rules read; what an ingest
# stores: those and the evidence.
EV_SELECT = f"SELECT {', '.join(EV_COLUMNS)} FROM checked WHERE ok AND copy_no = 1"
NORMALISED_SELECT = f"SELECT {', '.join(NORMALISED)} FROM checked WHERE ok AND copy_no = 1"


def load_valid(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    *,
    table: str = "batch",
    keys: str = "",
) -> LoadReport:
    """The accepted rows of ``folder`` (what ``load_folder(strict=False)`` then
    :data:`EV_SELECT` give: the same rows, text columns) in the temp table ``table``, read in
    one pass.

    For a check that writes nothing (``TraceStore.check_day``): the files are read through views
    straight into ``table`` — no ``raw``, ``staged`` and ``checked`` tables, no reasons, no
    values as sent — with ``table``'s columns :data:`EV_COLUMNS` plus ``keys`` (SQL over those
    columns, e.g. hashes the caller joins on). A file is refused for its schema (as
    ``load_folder``); a file that fails inside raises ``duckdb.Error`` (the caller falls back to
    ``load_folder``, which refuses it whole). Within the folder, the first copy of an id is kept
    only when it is valid (``load_folder``'s ``copy_no`` counts every row of an id)."""
    report = LoadReport()
    files = event_files(Path(folder))
    report.files = [FileOutcome(name=path.name) for path in files]
    selects: list[str] = []
    for group in _same_schema(con, files):
        numbers = [files.index(path) + 1 for path in group]
        try:
            select = _raw_select(con, group[0], numbers[0])
        except FormatError as exc:
            for number in numbers:
                outcome = report.files[number - 1]
                outcome.error, outcome.code, outcome.params = str(exc), exc.code, exc.params
            continue
        if len(group) > 1:
            select = _many_files(select, group, numbers)
        selects.append(select)
    con.execute("DROP TABLE IF EXISTS raw")
    con.execute("DROP VIEW IF EXISTS raw")
    if selects:
        con.execute(
            "CREATE TEMP VIEW raw AS " + " UNION ALL BY NAME ".join(f"({q})" for q in selects)
        )
    else:
        con.execute(
            "CREATE TEMP VIEW raw AS SELECT 0 AS file_no, 0::BIGINT AS line_no, "
            + ", ".join(f"NULL::VARCHAR AS {c}" for c in COLUMNS)
            + ", NULL::BIGINT AS ts_typed, NULL::BIGINT AS pack_units_n,"
            " NULL::BIGINT AS units_n LIMIT 0"
        )
    _code_map(con)
    ts_expr = "coalesce(ts_typed, CAST(epoch_us(try_cast(occurred_at AS TIMESTAMPTZ)) AS BIGINT))"
    values = {
        "event_id": "r.event_id",
        "code": "CASE WHEN r.c20 THEN r.trace_code ELSE m.key END",
        "event_type": "lower(r.event_type)",
        "ts": ts_expr,
        "party": "upper(r.party_uscc)",
        "region": "r.party_region",
        "counterparty": "upper(r.counterparty_uscc)",
        "product": "r.product_code",
        "pack_units": "r.pack_units_n",
        "units": "r.units_n",
        "insured": "r.insured_id",
        "settlement": "r.settlement_id",
        "reverses": "r.reverses_event_id",
    }
    # ``load_folder``'s checks without ``strict`` (its ``checks``): a row failing any is rejected.
    failed = " OR ".join(
        f"coalesce({cond}, FALSE)"
        for cond in (
            "event_id IS NULL",
            "code IS NULL",
            f"event_type NOT IN {EVENT_TYPES}",
            "ts IS NULL",
            "party IS NULL",
        )
    )
    extra = f", {keys}" if keys else ""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT {", ".join(EV_COLUMNS)}{extra}, pos, NOT ({failed}) AS ok FROM (
          SELECT {", ".join(f"{v} AS {c}" for c, v in values.items())},
                 CAST(r.file_no AS BIGINT) * 1099511627776 + r.line_no AS pos
          FROM (SELECT *, regexp_full_match(trace_code, '\\d{{20}}') AS c20 FROM raw) r
          LEFT JOIN codemap m ON m.raw = CASE WHEN NOT r.c20 THEN r.trace_code END
        )
        """
    )
    rows, valid = (
        int(x)
        for x in con.execute(f"SELECT count(*), count(*) FILTER (WHERE ok) FROM {table}").fetchone()
        or (0, 0)
    )
    repeated = _count_sql(
        con, f"SELECT count(event_id) - count(DISTINCT hash(event_id)) FROM {table}"
    ) and _count_sql(con, f"SELECT count(event_id) - count(DISTINCT event_id) FROM {table}")
    if repeated:
        # Every row after the first of an id goes (valid or not), then the invalid rows.
        con.execute(
            f"DELETE FROM {table} WHERE pos IN (SELECT pos FROM (SELECT pos, row_number() OVER "
            f"(PARTITION BY event_id ORDER BY pos) AS copy_no FROM {table} WHERE event_id IN "
            f"(SELECT event_id FROM {table} GROUP BY event_id HAVING count(*) > 1)) "
            "WHERE copy_no > 1)"
        )
    con.execute(f"DELETE FROM {table} WHERE NOT ok")
    con.execute(f"ALTER TABLE {table} DROP COLUMN ok")
    con.execute(f"ALTER TABLE {table} DROP COLUMN pos")
    report.accepted = _count_sql(con, f"SELECT count(*) FROM {table}")
    report.rows = rows
    report.rejected = rows - valid
    report.duplicates_in_batch = valid - report.accepted
    return report


def _same_schema(con: duckdb.DuckDBPyConnection, files: list[Path]) -> list[list[Path]]:
    """``files`` in groups that one reader can read as one: Parquet files whose schemas (every
    field's name, types and order, from their footers) are identical; a CSV file alone."""
    parquet = [p for p in files if p.suffix.lower() == ".parquet"]
    fields: dict[str, list[tuple[Any, ...]]] = {}
    if len(parquet) > 1:
        listed = ", ".join("'" + _literal(str(p)) + "'" for p in parquet)
        try:
            for name, *field in con.execute(
                "SELECT file_name, name, type, type_length, repetition_type, num_children, "
                "converted_type, scale, precision, field_id, logical_type, duckdb_type "
                f"FROM parquet_schema([{listed}])"
            ).fetchall():
                fields.setdefault(name, []).append(tuple(field))
        except duckdb.Error:  # an unreadable footer: each file on its own (and refused)
            fields = {}
    groups: dict[str, list[Path]] = {}
    order: list[list[Path]] = []
    for path in files:
        if path.suffix.lower() != ".parquet" or str(path) not in fields:
            order.append([path])
            continue
        signature = repr(fields[str(path)])
        if signature not in groups:
            groups[signature] = []
            order.append(groups[signature])
        groups[signature].append(path)
    return order


def _many_files(select: str, group: list[Path], numbers: list[int]) -> str:
    """``_raw_select`` of ``group[0]`` made to read every file of ``group`` (same schema) in one
    reader: the file's number from the reader's ``file_index``."""
    one = "read_parquet('" + _literal(str(group[0])) + "', file_row_number=true)"
    listed = ", ".join("'" + _literal(str(p)) + "'" for p in group)
    head = f"SELECT {numbers[0]} AS file_no, "
    if one not in select or not select.startswith(head):
        raise ValueError("unexpected reader")
    number = (
        f"CAST([{', '.join(str(n) for n in numbers)}][CAST(file_index AS BIGINT) + 1] AS INTEGER)"
    )
    return select.replace(head, f"SELECT {number} AS file_no, ", 1).replace(
        one, f"read_parquet([{listed}], file_row_number=true)"
    )
