"""A batch's commit is all or nothing: a failure or a kill in the middle of writing its files
leaves nothing of it visible (and is rolled back at the next start), a kill after the commit
point leaves all of it visible (and the key table is completed at the next start); the rejected
rows are kept either way, and the store ends equal to one uninterrupted ingest."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from yaojian.traceability.engine import store as store_module
from yaojian.traceability.engine.generator import write
from yaojian.traceability.engine.scan import scan
from yaojian.traceability.engine.store import TraceStore
from yaojian.traceability.tests.helpers import CLINIC, Events, killed_ingest


def _folders(tmp_path: Path) -> tuple[Path, Path, set[str], set[str]]:
    """History (the first 3,000 generated events) and a batch of 3 CSV files plus a file of 2
    rows the format refuses; the batch spans several months and provinces (several files)."""
    generated = write(tmp_path / "gen", 12_000, seed=7, fmt="parquet")
    table = pq.read_table(generated.files)
    history, batch = tmp_path / "history", tmp_path / "batch"
    history.mkdir()
    batch.mkdir()
    pq.write_table(table.slice(0, 3_000), history / "h.parquet")
    rest = table.slice(3_000)
    for i in range(3):
        start, stop = i * rest.num_rows // 3, (i + 1) * rest.num_rows // 3
        pcsv.write_csv(rest.slice(start, stop - start), batch / f"part-{i}.csv")
    bad = Events()
    bad.add("dispense", "2026-03-03T09:00:00+08:00", CLINIC, insured="p9", code="6901234567892")
    bad.add("dispense", "2026-03-03T10:00:00", CLINIC, insured="p9", settlement="s9")
    bad.write(batch, "zz-bad.csv")
    ids = table.column("event_id").to_pylist()
    return history, batch, set(ids[:3_000]), set(ids[3_000:])


def _visible_ids(root: Path) -> list[str]:
    """The event ids a reader of the store sees (the files the manifest lists)."""
    ids: list[str] = []
    for path in TraceStore(root).event_files():
        ids += pq.read_table(path, columns=["event_id"]).column("event_id").to_pylist()
    return ids


def _codes(root: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(root / "codes.sqlite3") as db:
        return db.execute("SELECT * FROM codes ORDER BY code").fetchall()


def _on_disk(root: Path) -> int:
    return len(list((root / "events").rglob("*.parquet")))


def _clean(tmp_path: Path, history: Path, batch: Path) -> TraceStore:
    clean = TraceStore(tmp_path / "clean")
    clean.ingest(history, batch_key="history")
    clean.ingest(batch, batch_key="batch")
    return clean


KILL = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from yaojian.traceability.engine import manifest, store
from yaojian.traceability.engine.scan import scan
from yaojian.traceability.engine.store import TraceStore

where = sys.argv[4]
if where == "files":  # killed after the second of the batch's files is in place
    real_move, moves = store._move, []
    def move(source, target):
        real_move(source, target)
        moves.append(target)
        if len(moves) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    store._move = move
else:  # killed right after the manifest was replaced (the key table not yet brought up)
    real_write = manifest.write
    def write(root, current):
        real_write(root, current)
        if current.batches.get("batch"):
            os.kill(os.getpid(), signal.SIGKILL)
    manifest.write = write
TraceStore(sys.argv[2]).ingest(Path(sys.argv[3]), batch_key="batch")
"""


def test_a_failure_while_writing_the_files_leaves_nothing_visible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a store holding history
    history, batch, history_ids, batch_ids = _folders(tmp_path)
    store = TraceStore(tmp_path / "store")
    store.ingest(history, batch_key="history")
    flags, codes = store.flags(), _codes(store.root)
    # when: the commit fails after the second of the batch's files is in place
    real_move, moved = store_module._move, []

    def failing(source: Path, target: Path) -> None:
        real_move(source, target)
        moved.append(target)
        if len(moved) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(store_module, "_move", failing)
    with pytest.raises(OSError, match="disk full"):
        store.ingest(batch, batch_key="batch")
    monkeypatch.undo()
    # then: a reader sees the history only, the flags and the key table as they were
    assert sorted(_visible_ids(store.root)) == sorted(history_ids)
    assert (store.flags(), _codes(store.root)) == (flags, codes)
    # and the rejected rows are kept with their reasons
    assert "code_ean13" in (store.root / "rejected" / "batch.csv").read_text(encoding="utf-8")
    # when: the batch is ingested again: the half-written files are rolled back first
    result = store.ingest(batch, batch_key="batch", restart=True)
    # then: every event once, and the store equals an uninterrupted ingest
    assert result.new_events == len(batch_ids)
    seen = _visible_ids(store.root)
    assert len(seen) == len(set(seen))
    assert set(seen) == history_ids | batch_ids
    assert _on_disk(store.root) == len(store.event_files())
    clean = _clean(tmp_path, history, batch)
    assert store.flags() == clean.flags()
    assert _codes(store.root) == _codes(clean.root)


def test_a_kill_while_writing_the_files_is_rolled_back_at_the_next_start(tmp_path: Path) -> None:
    # given: a store holding history
    history, batch, history_ids, batch_ids = _folders(tmp_path)
    store = TraceStore(tmp_path / "store")
    store.ingest(history, batch_key="history")
    flags, codes = store.flags(), _codes(store.root)
    # when: the ingest's process is killed with some of the batch's files in place
    killed_ingest(KILL, store.root, batch, "files")
    # then: those files are on disk, but no reader sees them
    assert _on_disk(store.root) > len(store.event_files())
    assert sorted(_visible_ids(store.root)) == sorted(history_ids)
    assert (store.flags(), _codes(store.root)) == (flags, codes)
    assert (store.root / "rejected" / "batch.csv").exists()
    # when: the store starts again: the stopped commit is rolled back
    with store.lock():
        store.ensure()
    assert _on_disk(store.root) == len(store.event_files())
    assert not (store.root / ".staging").exists()
    # and the batch ingested again gives exactly an uninterrupted ingest
    store.ingest(batch, batch_key="batch", restart=True)
    seen = _visible_ids(store.root)
    assert len(seen) == len(set(seen))
    assert set(seen) == history_ids | batch_ids
    clean = _clean(tmp_path, history, batch)
    assert store.flags() == clean.flags()
    assert _codes(store.root) == _codes(clean.root)


def test_a_kill_after_the_commit_point_shows_everything_and_is_completed(tmp_path: Path) -> None:
    # given: a store holding history
    history, batch, history_ids, batch_ids = _folders(tmp_path)
    store = TraceStore(tmp_path / "store")
    store.ingest(history, batch_key="history")
    codes = _codes(store.root)
    # when: the process is killed just after the manifest was replaced
    killed_ingest(KILL, store.root, batch, "manifest")
    # then: all of the batch is visible, with the new flags
    seen = _visible_ids(store.root)
    assert len(seen) == len(set(seen))
    assert set(seen) == history_ids | batch_ids
    clean = _clean(tmp_path, history, batch)
    assert store.flags() == clean.flags()
    assert len(store.event_files()) >= 3  # several months and provinces: several files
    # and the key table, not yet brought up to it, is completed at the next start
    assert _codes(store.root) == codes
    with store.lock():
        store.ensure()
    assert _codes(store.root) == _codes(clean.root)
    assert (store.root / "rejected" / "batch.csv").exists()


@pytest.mark.spark
def test_both_engines_read_only_what_the_manifest_commits(
    tmp_path: Path, spark_session: object
) -> None:
    # given: a store holding history, and a file of a stopped commit beside its files
    history, batch, _history_ids, _batch_ids = _folders(tmp_path)
    store = TraceStore(tmp_path / "store")
    store.ingest(history, batch_key="history")
    other = TraceStore(tmp_path / "other")
    other.ingest(batch, batch_key="batch")
    stray = store.events_dir / "month=2026-03" / "province=54" / "bbatch_g9_0.parquet"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(other.event_files()[0].read_bytes())
    # when: each engine scans the store
    duck, _ = scan(store.root)
    spark, _ = scan(store.root, engine="spark", spark=spark_session)
    # then: both give the committed flags, nothing from the stray file
    assert duck == spark == store.flags()
