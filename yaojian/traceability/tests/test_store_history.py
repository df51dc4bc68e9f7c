"""The key-readable history (``history.py``, ADR 0038): kept by every commit and discard, equal
to a bulk build, brought up to the manifest after a kill, and what the duplicate check reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from yaojian.traceability.engine import manifest
from yaojian.traceability.engine.generator import write
from yaojian.traceability.engine.scan import scan
from yaojian.traceability.engine.store import TraceStore
from yaojian.traceability.tests.helpers import CLINIC, Events, killed_ingest


def _history(root: Path) -> dict[str, Any]:
    """The history file's rows, each with the path of its event file (not its number)."""
    con = duckdb.connect(str(root / "history.duckdb"), read_only=True)
    try:
        return {
            "events": con.execute(
                "SELECT f.path, e.* EXCLUDE (file_no) FROM events e JOIN files f USING (file_no) "
                "ORDER BY ALL"
            ).fetchall(),
            "persons": con.execute(
                "SELECT f.path, p.ik, p.pk FROM persons p JOIN files f USING (file_no) ORDER BY ALL"
            ).fetchall(),
            "files": sorted(r[0] for r in con.execute("SELECT path FROM files").fetchall()),
            "generation": con.execute("SELECT value FROM meta WHERE key = 'generation'").fetchall(),
        }
    finally:
        con.close()


def _split(tmp_path: Path, events: int = 12_000, seed: int = 4) -> tuple[Path, Path, Path]:
    write(tmp_path / "all", events, seed=seed, anomaly_rate=0.03)
    src = f"read_parquet('{tmp_path / 'all'}/*.parquet')"
    for name, where in (("h", "occurred_at < '2026-05-25'"), ("d", "occurred_at >= '2026-05-25'")):
        (tmp_path / name).mkdir()
        duckdb.execute(f"COPY (SELECT * FROM {src} WHERE {where}) TO '{tmp_path / name}/x.parquet'")
    return tmp_path / "all", tmp_path / "h", tmp_path / "d"


def _ids(folder: Path) -> list[str]:
    ids: list[str] = []
    for path in sorted(folder.glob("*.parquet")):
        ids += pq.read_table(path, columns=["event_id"]).column("event_id").to_pylist()
    return ids


def test_the_bulk_built_history_is_the_one_ingest_kept(tmp_path: Path) -> None:
    # given: a store that ingested two batches and discarded and re-ingested the second
    _, h, d = _split(tmp_path)
    store = TraceStore(tmp_path / "store")
    store.ingest(h, batch_key="h", strict=False)
    store.ingest(d, batch_key="d", strict=False)
    store.ingest(d, batch_key="d", strict=False, restart=True)
    kept = _history(store.root)
    current = manifest.read(store.root)
    assert current is not None
    assert kept["files"] == sorted(current.event_files())
    assert kept["generation"] == [(current.generation,)]
    assert len(kept["events"]) == len(_ids(h)) + len(_ids(d))
    assert len(kept["persons"]) > 100
    # when: it is built again in bulk
    assert store.rebuild_history() == len(kept["events"])
    # then: the same rows, and the ingest goes on from it
    assert _history(store.root) == kept
    assert not (store.root / "history.duckdb.building").exists()
    again = store.ingest(d, batch_key="d2", strict=False)
    assert (again.new_events, again.duplicates_in_store) == (0, len(_ids(d)))
    assert _history(store.root)["events"] == kept["events"]


def test_a_discarded_batch_leaves_the_history(tmp_path: Path) -> None:
    _, h, d = _split(tmp_path)
    store = TraceStore(tmp_path / "store")
    store.ingest(h, batch_key="h", strict=False)
    only_history = _history(store.root)
    store.ingest(d, batch_key="d", strict=False)
    with store.lock():
        store.ensure()
        assert store.discard_batch("d") > 0
    after = _history(store.root)
    assert (after["events"], after["persons"]) == (
        only_history["events"],
        only_history["persons"],
    )


def test_a_store_without_a_history_file_gets_one_at_its_next_start(tmp_path: Path) -> None:
    _, h, _ = _split(tmp_path)
    store = TraceStore(tmp_path / "store")
    store.ingest(h, batch_key="h", strict=False)
    kept = _history(store.root)
    (store.root / "history.duckdb").unlink()  # a store from before ADR 0038
    with store.lock():
        store.ensure()
    assert _history(store.root) == kept


KILL = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from yaojian.traceability.engine import history, manifest
from yaojian.traceability.engine.store import TraceStore

where = sys.argv[4]
if where == "manifest":  # killed right after the manifest was replaced
    real_write = manifest.write
    def write(root, current):
        real_write(root, current)
        if current.batches.get("d"):
            os.kill(os.getpid(), signal.SIGKILL)
    manifest.write = write
else:  # killed inside the history file's transaction, its rows written, before its COMMIT
    real_connect = history.normalise.connect
    class Killing:
        def __init__(self, con):
            self.con = con
        def __getattr__(self, name):
            return getattr(self.con, name)
        def execute(self, sql, *args):
            if sql == "COMMIT" and self.con.execute(
                "SELECT count(*) FROM files").fetchone()[0] > 1:
                os.kill(os.getpid(), signal.SIGKILL)
            return self.con.execute(sql, *args)
    def connect(*args, **kwargs):
        con = real_connect(*args, **kwargs)
        return Killing(con) if args and args[0].endswith("history.duckdb") else con
    history.normalise.connect = connect
TraceStore(sys.argv[2]).ingest(Path(sys.argv[3]), batch_key="d", strict=False)
"""


def test_a_kill_before_the_history_is_brought_up_is_completed_at_the_next_start(
    tmp_path: Path,
) -> None:
    everything, h, d = _split(tmp_path, 20_000, seed=5)
    clean = TraceStore(tmp_path / "clean")
    clean.ingest(h, batch_key="h", strict=False)
    clean.ingest(d, batch_key="d", strict=False)
    for where in ("manifest", "history-commit"):
        store = TraceStore(tmp_path / where)
        store.ingest(h, batch_key="h", strict=False)
        only_history = _history(store.root)
        # when: the ingest of d is killed after its commit point, the history not yet up to it
        killed_ingest(KILL, store.root, d, where)
        # then: the history file still holds the committed history only
        assert _history(store.root)["events"] == only_history["events"]
        # and the next start brings it up to the manifest: what an uninterrupted ingest keeps
        with store.lock():
            store.ensure()
        assert _history(store.root)["events"] == _history(clean.root)["events"]
        assert _history(store.root)["persons"] == _history(clean.root)["persons"]
        assert store.flags() == clean.flags() == scan(everything)[0]


def test_duplicates_across_batches_are_ignored_and_counted_by_the_history(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    store = TraceStore(tmp_path / "store")
    store.ingest(e.write(tmp_path / "a"), batch_key="a")
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add("dispense", "2026-03-02T10:00:00+08:00", CLINIC, insured="p2", settlement="s2")
    second = store.ingest(e.write(tmp_path / "b"), batch_key="b")
    assert (second.new_events, second.duplicates_in_store) == (2, 5)
    # the check of a day already stored changes no flag, and the history holds each id once
    assert store.check_day(tmp_path / "b") == store.flags()
    events = _history(store.root)["events"]
    assert len(events) == 7
    assert len({row[3] for row in events}) == 7  # event_id
    again = store.ingest(e.write(tmp_path / "b"), batch_key="b2")
    assert (again.new_events, again.duplicates_in_store) == (0, 7)
    assert len(_history(store.root)["events"]) == 7
