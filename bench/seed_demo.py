"""Time ``manage.py seed_demo`` on SQLite and (when reachable) PostgreSQL.

    uv run python bench/seed_demo.py [--entities 30000] [--backend sqlite|postgresql|both]

Each backend gets a fresh scratch database (var/bench_seed.sqlite3, PostgreSQL ``bench_seed``),
migrated and with regions loaded before the clock starts. Results go to var/bench/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness


def run(backend: str, entities: int, name: str = "bench_seed") -> dict[str, object]:
    url = harness.recreate_database(backend, name)
    harness.log(f"{backend}: migrating and loading regions into {name}")
    harness.prepare_database(url)
    harness.log(f"{backend}: seed_demo --entities {entities}")
    seconds = harness.timed_seed(url, entities)
    count = harness.entity_count(url)
    harness.log(f"{backend}: {count} entities in {seconds:.1f} s")
    return {"backend": backend, "entities": count, "seconds": round(seconds, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=30_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--name",
        default="bench_seed",
        help="Scratch database name (bench_<N> is what search_latency.py reuses).",
    )
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results = []
    for backend in backends:
        if backend == "postgresql" and not harness.postgres_reachable():
            harness.log("postgresql: not reachable, skipped")
            continue
        results.append(run(backend, args.entities, args.name))
    path = harness.save(
        f"seed_demo-{args.entities}-{args.backend}",
        {"machine": harness.machine(), "results": results},
    )
    harness.log(f"results: {path}")
    for row in results:
        print(f"{row['backend']:<11} {row['entities']:>9} entities  {row['seconds']:>7} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
