"""Build a large trace store in bulk from a bench/trace_data.py folder, with a day split off.

    uv run python bench/trace_bulk_store.py /work/trace-data/e100m /work/trace-data/thist/e100m \
        [--day-per-file 5000] [--files-per-batch 10]

The day is the last ``--day-per-file`` events by instant of every file (bench/trace_data.py's
copies share their instants, so that is the last events by instant of the whole set: about
1 M events for 200 files, touching packs and persons that the history holds); it is written to
OUT/day. Everything else is normalised by the store's own reader (``normalise.load_folder``)
``--files-per-batch`` files at a time and written as committed batches of the store OUT/store
(event files and manifest, as ``TraceStore._commit`` writes them). No flags and no key table
are computed (a full scan of 100 M events is another benchmark); then the history index is
built in bulk (``TraceStore.rebuild_history``). Our own generator's data.
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

from yaojian.traceability.engine import manifest, normalise
from yaojian.traceability.engine.store import TraceStore, write_partitioned


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--day-per-file", type=int, default=5000)
    parser.add_argument("--files-per-batch", type=int, default=10)
    parser.add_argument("--skip-split", action="store_true")
    parser.add_argument("--skip-events", action="store_true")
    # Only the first N files give history batches (the rest are copies: bench/trace_bulk_replicate.py
    # makes their batches from these); every file gives its part of the day.
    parser.add_argument("--history-files", type=int, default=0)
    parser.add_argument("--skip-history", action="store_true", help="no history index")
    args = parser.parse_args()
    source, out = Path(args.source).resolve(), Path(args.out).resolve()
    files = sorted(source.glob("*.parquet"))
    split, day = out / "split", out / "day"
    result: dict[str, object] = {"load_before": os.getloadavg(), "files": len(files)}
    started = time.perf_counter()
    if not args.skip_split:
        shutil.rmtree(split, ignore_errors=True)
        shutil.rmtree(day, ignore_errors=True)
        day.mkdir(parents=True)
        con = normalise.connect()
        cut = con.execute(
            f"SELECT occurred_at FROM read_parquet('{files[0]}') "
            "ORDER BY CAST(occurred_at AS TIMESTAMPTZ) DESC LIMIT 1 OFFSET ?",
            [args.day_per_file],
        ).fetchone()[0]
        result["cut"] = cut
        after = f"CAST(occurred_at AS TIMESTAMPTZ) > CAST('{cut}' AS TIMESTAMPTZ)"
        for i, path in enumerate(files):
            if not args.history_files or i < args.history_files:
                group = split / f"g{i // args.files_per_batch:03d}"
                group.mkdir(parents=True, exist_ok=True)
                con.execute(
                    f"COPY (SELECT * FROM read_parquet('{path}') WHERE NOT ({after})) "
                    f"TO '{group / path.name}' (FORMAT PARQUET, COMPRESSION zstd)"
                )
            con.execute(
                f"COPY (SELECT * FROM read_parquet('{path}') WHERE {after}) "
                f"TO '{day / path.name}' (FORMAT PARQUET, COMPRESSION zstd)"
            )
        con.close()
        result["split_seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(result), flush=True)
    store = TraceStore(out / "store")
    if not args.skip_events:
        shutil.rmtree(store.root, ignore_errors=True)
        with store.lock():
            store.ensure()
        current = manifest.Manifest()
        for group in sorted(split.iterdir()):
            t0 = time.perf_counter()
            con = normalise.connect()
            normalise.load_folder(con, group, strict=False)
            con.execute(f"CREATE TEMP TABLE batch AS {normalise.NORMALISED_SELECT}")
            key, generation = group.name, current.generation + 1
            staging = store.root / ".staging" / key
            staging.parent.mkdir(parents=True, exist_ok=True)
            write_partitioned(con, "batch", staging, f"b{key}_g{generation}")
            moved = []
            for path in sorted(staging.rglob("*.parquet")):
                target = store.events_dir / path.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                moved.append(target.relative_to(store.root).as_posix())
            shutil.rmtree(staging)
            current.generation, current.batches[key] = generation, moved
            manifest.write(store.root, current)
            con.close()
            print(f"{key}: {time.perf_counter() - t0:.1f} s", flush=True)
        result["events_seconds"] = round(time.perf_counter() - started, 1)
    if args.skip_history:
        result["load_after"] = os.getloadavg()
        print(json.dumps(result, indent=2), flush=True)
        return
    t0, cpu = time.perf_counter(), time.process_time()
    result["history_index_rows"] = store.rebuild_history()
    result["history_index_seconds"] = round(time.perf_counter() - t0, 1)
    result["history_index_cpu_seconds"] = round(time.process_time() - cpu, 1)
    result["history_index_bytes"] = (store.root / "history.duckdb").stat().st_size
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2), flush=True)


if __name__ == "__main__":
    main()
