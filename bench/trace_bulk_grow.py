"""Grow a store made by bench/trace_bulk_store.py batch by batch, its history file kept up.

    uv run python bench/trace_bulk_grow.py /work/trace-data/tday/e100m/store --upto 20

Each step adds one batch as bench/trace_bulk_replicate.py makes it (the store's first batches'
normalised events with the copy tags renamed, committed in the manifest) and then brings the
history file (``history.duckdb``, ADR 0038) up to the manifest with ``history.sync``, the code
every commit runs. Stopped at any point, the store is whole: its manifest, event files and history
file agree, so a check can be timed against whatever history it has reached. Our own generator's
data.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from trace_bulk_replicate import commit_batch, write_batch

from yaojian.traceability.engine import history, manifest, normalise


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--upto", type=int, default=20)
    parser.add_argument("--memory-limit", default="4GB")
    args = parser.parse_args()
    root = Path(args.store).resolve()
    current = manifest.read(root)
    assert current is not None
    made = sorted(current.batches)
    n = len(made)
    t0, cpu = time.perf_counter(), time.process_time()
    added = history.sync(root, current, memory_limit=args.memory_limit)
    print(f"history of {made}: +{added} in {time.perf_counter() - t0:.1f} s", flush=True)
    for number in range(len(current.batches), args.upto):
        t0, cpu = time.perf_counter(), time.process_time()
        key = f"g{number:03d}"
        source = made[number % n]
        con = normalise.connect(memory_limit=args.memory_limit)
        files = [str(root / p) for p in current.batches[source]]
        generation = current.generation + 1
        staging = write_batch(con, root, files, 10 * (number - int(source[1:])), key, generation)
        con.close()
        commit_batch(root, current, key, staging, generation)
        written = time.perf_counter() - t0
        added = history.sync(root, current, memory_limit=args.memory_limit)
        print(
            json.dumps(
                {
                    "batch": key,
                    "from": source,
                    "events_added": added,
                    "write_s": round(written, 1),
                    "total_s": round(time.perf_counter() - t0, 1),
                    "cpu_s": round(time.process_time() - cpu, 1),
                    "load": os.getloadavg()[0],
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
