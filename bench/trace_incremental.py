"""Incremental check of a new day's batch against the history, beside a full rescan.

    uv run python bench/trace_incremental.py var/bench-trace/e10m --day-events 1000000

Splits DIR by instant: the last ``--day-events`` events are "the day", the rest the history.
Ingests the history into a fresh store (timed: the ingest throughput), then the day (timed:
validation + the incremental check + the writes), and compares the store's flags with a full
rescan of DIR (same run). Our own generator's data (bench/trace_data.py).

    uv run python bench/trace_incremental.py --history STORE --day DAY_DIR

Against a store already built (e.g. a province's, or one loaded in bulk): times the check of
DAY_DIR against it without writing anything (``TraceStore.check_day``: validation, the
duplicate-id check, the incremental check), so the store can be reused. A store built in bulk:
bench/trace_bulk_store.py (and bench/trace_bulk_replicate.py for 100 M events).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from yaojian.traceability.engine.scan import scan
from yaojian.traceability.engine.store import TraceStore


def _timed_phases(phases: dict[str, list[float]]) -> None:
    """Time the check's phases (wall, CPU of the process) by wrapping the functions it calls."""
    from yaojian.traceability.engine import duck, history, normalise

    for module, name, label in (
        (normalise, "load_folder", "read_validate"),
        (normalise, "load_valid", "read_validate"),
        (history, "drop_stored_ids", "duplicate_ids"),
        (history, "read_touched", "read_history_by_key"),
        (duck, "run_rules", "rules"),
    ):
        real = getattr(module, name, None)
        if real is None:
            continue

        def wrapped(*args: object, _real=real, _label=label, **kwargs: object) -> object:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return _real(*args, **kwargs)
            finally:
                phases[_label] = [
                    round(time.perf_counter() - started, 1),
                    round(time.process_time() - cpu, 1),
                ]

        setattr(module, name, wrapped)


def prebuilt(history: Path, day: Path) -> None:
    phases: dict[str, list[float]] = {}
    _timed_phases(phases)
    store = TraceStore(history)
    result: dict[str, object] = {
        "load_before": os.getloadavg(),
        "history_events_files": len(store.event_files()),
    }
    started, cpu = time.perf_counter(), time.process_time()
    flags = store.check_day(day)
    result["check_seconds"] = round(time.perf_counter() - started, 1)
    result["check_cpu_seconds"] = round(time.process_time() - cpu, 1)
    result["flags_after"] = len(flags)
    result["phases_wall_cpu_seconds"] = phases
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?")
    parser.add_argument("--day-events", type=int, default=1_000_000)
    parser.add_argument("--history", help="a built store to check --day against (no writes)")
    parser.add_argument("--day", help="the day's folder (with --history)")
    args = parser.parse_args()
    if args.history:
        prebuilt(Path(args.history), Path(args.day))
        return
    folder = Path(args.folder).resolve()
    work = folder.parent / f"{folder.name}-incremental"
    shutil.rmtree(work, ignore_errors=True)
    (work / "history").mkdir(parents=True)
    (work / "day").mkdir()
    con = duckdb.connect()
    con.execute("SET TimeZone='Asia/Shanghai'")
    src = f"read_parquet('{folder}/*.parquet')"
    con.execute(
        f"CREATE TABLE t AS SELECT *, epoch_us(CAST(occurred_at AS TIMESTAMPTZ)) AS at_ FROM {src}"
    )
    cut = con.execute(
        f"SELECT at_ FROM t ORDER BY at_ DESC LIMIT 1 OFFSET {args.day_events}"
    ).fetchone()[0]
    con.execute(
        f"COPY (SELECT * EXCLUDE (at_) FROM t WHERE at_ <= ?) TO '{work}/history/h.parquet'",
        [cut],
    )
    con.execute(
        f"COPY (SELECT * EXCLUDE (at_) FROM t WHERE at_ > ?) TO '{work}/day/d.parquet'", [cut]
    )
    day_rows = con.execute("SELECT count(*) FROM t WHERE at_ > ?", [cut]).fetchone()[0]
    con.close()
    result: dict[str, object] = {"load_before": os.getloadavg(), "day_events": day_rows}
    store = TraceStore(work / "store")
    started = time.perf_counter()
    history = store.ingest(work / "history", batch_key="history", strict=False)
    result["history_ingest_seconds"] = round(time.perf_counter() - started, 1)
    result["history_events"] = history.new_events
    started = time.perf_counter()
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "check":
            marks["check_start" if done == 0 else "check_end"] = time.perf_counter()

    day = store.ingest(work / "day", batch_key="day", strict=False, on_progress=progress)
    result["day_ingest_seconds"] = round(time.perf_counter() - started, 1)
    # of which: reading and validating the day's files, then the check against history and the
    # writes (event files, flags, key table)
    result["day_read_validate_seconds"] = round(marks["check_start"] - started, 1)
    result["day_check_and_commit_seconds"] = round(marks["check_end"] - marks["check_start"], 1)
    result["day_new_flags"] = len(day.new_flags)
    started = time.perf_counter()
    full, _ = scan(folder)
    result["full_rescan_seconds"] = round(time.perf_counter() - started, 1)
    result["identical_to_full_rescan"] = store.flags() == full
    result["flags"] = len(full)
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    out = Path(__file__).resolve().parent.parent / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"trace_incremental_{folder.name}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
