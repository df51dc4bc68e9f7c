"""The day's check (``TraceStore.check_day``): its one-pass read of the day
(``normalise.load_valid``) keeps exactly the rows the ingest's reader accepts, and its flags are
those the store holds after ingesting the day, which are a full rescan's."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from yaojian.traceability.engine import normalise
from yaojian.traceability.engine.generator import write
from yaojian.traceability.engine.rules import EV_COLUMNS
from yaojian.traceability.engine.scan import scan
from yaojian.traceability.engine.store import TraceStore
from yaojian.traceability.tests.helpers import CLINIC, DIST, FAR, Events

GS1 = "(01)06901234567892(21)SN42X"


def _dirty(folder: Path) -> Path:
    """Valid and invalid rows of every kind the reader checks, ids repeated both ways."""
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add("dispense", "2026-03-02T09:30:00Z", CLINIC, insured="p2", settlement="s2", code=GS1)
    e.add("DISPENSE", "2026-03-02T10:00:00+08:00", CLINIC.lower(), insured="p3", units=3)
    e.add("return", "2026-03-02T11:00:00+08:00", CLINIC, event_id="bad-type")
    e.add("dispense", "2026-03-02T11:00:00+08:00", CLINIC, code="123", event_id="bad-code")
    e.add("dispense", "2026-03-02T11:00:00+08:00", CLINIC, code=" ", event_id="no-code")
    e.add("dispense", "not a time", CLINIC, event_id="bad-time")
    # an id sent twice: the first copy invalid (so neither is kept), then twice valid
    e.add("dispense", "yesterday", CLINIC, event_id="twice-a")
    e.add("dispense", "2026-03-02T12:00:00+08:00", CLINIC, event_id="twice-a")
    e.add("receive", "2026-03-02T12:00:00+08:00", FAR, counterparty=DIST, event_id="twice-b")
    e.add("receive", "2026-03-03T12:00:00+08:00", FAR, counterparty=DIST, event_id="twice-b")
    e.rows.append({**e.rows[0], "event_id": " ", "party_uscc": ""})
    e.rows.append({**e.rows[1], "event_id": "  padded  ", "pack_units": "10.0", "units": ""})
    e.write(folder, "a.csv")
    write(folder / "gen", 3_000, seed=5, anomaly_rate=0.05)
    # Parquet files read as one (the same schema) and one with other types (its own reader)
    src = f"read_parquet('{folder / 'gen'}/*.parquet')"
    for i in range(3):
        duckdb.execute(
            f"COPY (SELECT * FROM {src} WHERE hash(event_id) % 4 = {i}) "
            f"TO '{folder / f'p{i}.parquet'}'"
        )
    duckdb.execute(
        f"COPY (SELECT * REPLACE (CAST(pack_units AS VARCHAR) AS pack_units, "
        "CAST(occurred_at AS TIMESTAMPTZ) AS occurred_at) "
        f"FROM {src} WHERE hash(event_id) % 4 = 3) TO '{folder / 'p3.parquet'}'"
    )
    return folder


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[object, ...]]:
    return sorted(con.execute(sql).fetchall(), key=repr)


def test_the_days_reader_keeps_what_the_ingests_reader_accepts(tmp_path: Path) -> None:
    # given: a folder of CSV and Parquet files with invalid and repeated rows
    folder = _dirty(tmp_path / "day")
    cols = ", ".join(EV_COLUMNS)
    # when: read by the ingest's reader and by the day's
    ingest = normalise.connect()
    report = normalise.load_folder(ingest, folder, strict=False)
    expected = _rows(ingest, normalise.EV_SELECT)
    day = normalise.connect()
    got = normalise.load_valid(day, folder, table="batch", keys="md5_number_lower(code) AS pk")
    # then: the same rows, counted the same way, and the keys beside them
    assert _rows(day, f"SELECT {cols} FROM batch") == expected
    assert (got.rows, got.accepted, got.rejected, got.duplicates_in_batch) == (
        report.rows,
        report.accepted,
        report.rejected,
        report.duplicates_in_batch,
    )
    assert report.rejected >= 6
    assert report.duplicates_in_batch >= 1
    assert not [r for r in expected if r[0] == "twice-a"]
    assert day.execute("SELECT count(*) FROM batch WHERE pk IS NULL").fetchone() == (0,)


def test_a_file_refused_for_its_schema_is_refused_by_both(tmp_path: Path) -> None:
    folder = _dirty(tmp_path / "day")
    (folder / "b.csv").write_text("event_id,trace_code\n1,81234567890123456789\n", encoding="utf-8")
    got = normalise.load_valid(normalise.connect(), folder)
    assert [f.name for f in got.refused_files] == ["b.csv"]
    assert got.accepted == normalise.load_folder(normalise.connect(), folder).accepted


def _split(tmp_path: Path) -> tuple[Path, Path, Path]:
    write(tmp_path / "all", 30_000, seed=9, anomaly_rate=0.03)
    src = f"read_parquet('{tmp_path / 'all'}/*.parquet')"
    for name, where in (("h", "occurred_at < '2026-05-25'"), ("d", "occurred_at >= '2026-05-25'")):
        (tmp_path / name).mkdir()
        duckdb.execute(f"COPY (SELECT * FROM {src} WHERE {where}) TO '{tmp_path / name}/x.parquet'")
    return tmp_path / "all", tmp_path / "h", tmp_path / "d"


@pytest.mark.parametrize("broken", [False, True])
def test_the_days_check_gives_the_flags_of_its_ingest_and_of_a_full_rescan(
    tmp_path: Path, broken: bool
) -> None:
    # given: a store holding the history; the day also resends stored events
    everything, h, d = _split(tmp_path)
    store = TraceStore(tmp_path / "store")
    store.ingest(h, batch_key="h", strict=False)
    duckdb.execute(
        f"COPY (SELECT * FROM read_parquet('{h}/x.parquet') LIMIT 500) TO '{d}/resent.parquet'"
    )
    if broken:  # a CSV with a row that cannot be split: the one-pass read fails, the check not
        (d / "z.csv").write_text(
            "event_id,trace_code,event_type,occurred_at,party_uscc\n"
            'x1,81234567890123456789,receive,2026-06-01T00:00:00Z,"unterminated\n',
            encoding="utf-8",
        )
    # when: the day is checked, then ingested
    checked = store.check_day(d)
    store.ingest(d, batch_key="d", strict=False)
    # then: the check's flags are the ones the store holds, and a full rescan's
    assert checked == store.flags()
    assert checked == scan(everything)[0]
    assert len(checked) > 30
