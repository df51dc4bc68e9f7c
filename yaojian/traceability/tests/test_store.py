"""Ingest into the store, bad input, incremental = full rescan, engine parity."""

from __future__ import annotations

from pathlib import Path

import pytest

from yaojian.traceability.engine import manifest
from yaojian.traceability.engine.generator import write
from yaojian.traceability.engine.scan import scan
from yaojian.traceability.engine.store import TraceStore
from yaojian.traceability.tests.helpers import CLINIC, CODE, FAR, Events, keys


def test_ingest_stores_partitioned_parquet_and_the_code_state(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    store = TraceStore(tmp_path / "store")
    result = store.ingest(e.write(tmp_path / "in"), batch_key="b1")
    assert result.new_events == 6
    parts = sorted(
        p.relative_to(store.events_dir).parent.as_posix()
        for p in store.events_dir.rglob("*.parquet")
    )
    assert parts == ["month=2026-03/province=54"]
    state = store.code_state(CODE)
    assert state is not None
    assert (state["settlements"], state["units"], state["last_party"]) == (1, 10, CLINIC)


def test_bad_rows_are_rejected_with_reasons_and_ean13_is_not_a_trace_code(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add(
        "dispense",
        "2026-03-02T09:00:00+08:00",
        CLINIC,
        insured="p1",
        settlement="s1",
        code="6901234567892",
    )
    e.add("dispense", "not a time", CLINIC, insured="p1", settlement="s2")
    e.add("dispense", "2026-03-02T09:00:00", CLINIC, insured="p1", settlement="s3")
    e.rows[0]["party_uscc"] = "91540102MA6T00000X"
    store = TraceStore(tmp_path / "store")
    result = store.ingest(
        e.write(tmp_path / "in"), batch_key="b1", uscc_ok=lambda v: not v.endswith("X")
    )
    assert (result.report.rejected, result.new_events) == (4, 4)
    text = Path(result.rejected_file).read_text(encoding="utf-8")
    for reason in (
        "party_uscc_invalid",
        "code_ean13",
        "occurred_at_invalid",
        "occurred_at_without_offset",
    ):
        assert reason in text


def test_duplicates_across_batches_are_ignored_and_a_resent_batch_changes_nothing(
    tmp_path: Path,
) -> None:
    e = Events()
    e.supply()
    store = TraceStore(tmp_path / "store")
    store.ingest(e.write(tmp_path / "a"), batch_key="a")
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    second = store.ingest(e.write(tmp_path / "b"), batch_key="b")
    assert (second.new_events, second.duplicates_in_store) == (1, 5)
    again = store.ingest(e.write(tmp_path / "b"), batch_key="b2")
    assert (again.new_events, again.duplicates_in_store) == (0, 6)
    assert len(list(store.events_dir.rglob("*.parquet"))) == 2


def test_a_corrupt_parquet_file_is_refused_whole(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    folder = e.write(tmp_path / "in")
    (folder / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    store = TraceStore(tmp_path / "store")
    result = store.ingest(folder, batch_key="b1")
    assert [f.name for f in result.report.refused_files] == ["broken.parquet"]
    assert result.new_events == 5


def test_a_file_without_a_required_column_is_refused_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.csv").write_text("event_id,trace_code\n1,81234567890123456789\n", encoding="utf-8")
    store = TraceStore(tmp_path / "store")
    result = store.ingest(folder, batch_key="b1")
    assert "event_type" in result.report.refused_files[0].error
    assert result.new_events == 0
    assert not store.has_events()


def test_incremental_day_equals_a_full_rescan(tmp_path: Path) -> None:
    write(tmp_path / "all", 40_000, seed=3, anomaly_rate=0.03)
    history, day = tmp_path / "history", tmp_path / "day"
    import duckdb

    con = duckdb.connect()
    src = f"read_parquet('{tmp_path / 'all'}/*.parquet')"
    history.mkdir()
    day.mkdir()
    # The last week is the "new day": everything at or after the cut goes to the batch.
    con.execute(
        f"COPY (SELECT * FROM {src} WHERE occurred_at < '2026-05-25') TO '{history}/h.parquet'"
    )
    con.execute(
        f"COPY (SELECT * FROM {src} WHERE occurred_at >= '2026-05-25') TO '{day}/d.parquet'"
    )
    store = TraceStore(tmp_path / "store")
    store.ingest(history, batch_key="history", strict=False)
    store.ingest(day, batch_key="day", strict=False)
    full, _ = scan(tmp_path / "all")
    assert store.flags() == full
    assert len(full) > 50


def test_the_generator_scores_perfectly_per_rule(tmp_path: Path) -> None:
    generated = write(tmp_path / "g", 30_000, seed=11, anomaly_rate=0.03)
    found = keys(scan(tmp_path / "g")[0])
    for rule in ("R1", "R2", "R3", "R4", "R6"):
        expected = {k for k in generated.labels if k[0] == rule}
        assert expected, rule
        assert {k for k in found if k[0] == rule} == expected, rule


def test_a_scan_in_shares_finds_the_flags_of_one_query(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "g", 20_000, seed=7, anomaly_rate=0.05)
    e = Events()  # the reverse is in another pack, of another share, than what it cancels
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    twice = e.add("dispense", "2026-03-03T09:00:00+08:00", FAR, insured="p2", settlement="s2")
    other = "81234567890123450001"  # hash % 3 and % 7 differ from CODE's
    e.add("reverse", "2026-03-03T10:00:00+08:00", FAR, insured="p2", reverses=twice, code=other)
    e.write(tmp_path / "g", "hand.csv")
    found = {}
    for shares in ("1", "3", "7"):
        monkeypatch.setenv("YAOJIAN_TRACE_SHARES", shares)
        found[shares], _ = scan(tmp_path / "g")
    assert found["3"] == found["1"]
    assert found["7"] == found["1"]
    assert {f["rule"] for f in found["1"]} == {"R1", "R2", "R3", "R4", "R6"}
    assert not [f for f in found["7"] if f["code"] == CODE and f["rule"] == "R1"]


@pytest.mark.spark
def test_duckdb_and_spark_give_identical_flags(tmp_path: Path, spark_session: object) -> None:
    write(tmp_path / "g", 20_000, seed=5, anomaly_rate=0.05)
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-03T09:00:00+08:00", FAR, insured="p1", settlement="s1")
    e.write(tmp_path / "g", "hand.csv")
    duck, _ = scan(tmp_path / "g")
    spark, _ = scan(tmp_path / "g", engine="spark", spark=spark_session)
    assert duck == spark
    assert {f["rule"] for f in duck} == {"R1", "R2", "R3", "R4", "R6"}


def test_a_scan_past_its_memory_limit_spills_to_a_folder_made_for_it(tmp_path: Path) -> None:
    from yaojian.traceability.engine.normalise import connect

    spill = tmp_path / "not" / "yet"
    con = connect(memory_limit="64MB", temp_dir=str(spill))
    row = con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT 'a-long-prefix-' || i AS v FROM range(2000000) t(i))"
    ).fetchone()
    assert row == (2_000_000,)
    assert spill.is_dir()


def _key_table(store: TraceStore) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(store.codes_path)) as db:
        return (
            db.execute("SELECT * FROM codes ORDER BY code").fetchall(),
            db.execute("SELECT * FROM meta").fetchall(),
        )


def test_the_rebuilt_key_table_is_the_one_ingest_kept(tmp_path: Path) -> None:
    write(tmp_path / "all", 12_000, seed=4, anomaly_rate=0.03)
    import duckdb

    src = f"read_parquet('{tmp_path / 'all'}/*.parquet')"
    for name, where in (("h", "occurred_at < '2026-05-25'"), ("d", "occurred_at >= '2026-05-25'")):
        (tmp_path / name).mkdir()
        duckdb.execute(f"COPY (SELECT * FROM {src} WHERE {where}) TO '{tmp_path / name}/x.parquet'")
    store = TraceStore(tmp_path / "store")
    store.ingest(tmp_path / "h", batch_key="h", strict=False)
    store.ingest(tmp_path / "d", batch_key="d", strict=False)
    kept, meta = _key_table(store)
    assert meta == [("generation", manifest.read(store.root).generation)]  # type: ignore[union-attr]
    assert len(kept) > 1_000

    assert store.rebuild_codes() == len(kept)

    assert _key_table(store) == (kept, meta)
    assert not (store.root / "codes.sqlite3.building").exists()
    # The ingest goes on from the rebuilt table: a batch already in the store changes nothing.
    again = store.ingest(tmp_path / "d", batch_key="d2", strict=False)
    assert (again.new_events, _key_table(store)) == (0, (kept, meta))


def test_rebuilding_the_key_table_of_an_empty_store_leaves_it_empty(tmp_path: Path) -> None:
    store = TraceStore(tmp_path / "store")
    assert store.rebuild_codes() == 0
    assert _key_table(store) == ([], [("generation", 1)])  # the adopted empty store
    assert store.code_state(CODE) is None


def test_a_stores_scan_reads_it_narrow_and_finds_the_raw_folders_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a generated folder (20-digit and GS1 codes, every rule planted), ingested whole
    generated = write(tmp_path / "g", 20_000, seed=11, anomaly_rate=0.05)
    store = TraceStore(tmp_path / "store")
    store.ingest(tmp_path / "g", batch_key="all", strict=False)
    raw, _ = scan(tmp_path / "g")
    # when: the store is scanned (read once into the narrow table, not validated again),
    # in one query and in three shares
    found = {}
    for shares in ("1", "3"):
        monkeypatch.setenv("YAOJIAN_TRACE_SHARES", shares)
        found[shares], report = scan(store.root)
        assert report is None
    # then: the raw folder's flags, GS1 keys given back as text, the store's own flags too
    assert found["1"] == found["3"] == raw == store.flags()
    assert {k for k in keys(found["1"]) if k[0] != "R6"} == {
        k for k in generated.labels if k[0] != "R6"
    }
    assert any(f["code"].startswith("(01)") for f in found["1"] if f["code"])
