"""Run every benchmark: seed_demo timing, then search latency at 30,000 and 1,000,000 entities.

    uv run python bench/run_all.py [--quick]

``--quick`` stops at 30,000 entities (a few minutes); the full run seeds 1,000,000 entities
per backend once (kept in var/bench_1000000.sqlite3 and PostgreSQL ``bench_1000000`` for
later runs) and takes about an hour on 2 cores.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="30,000 entities only.")
    args = parser.parse_args()
    sizes = ["30000"] if args.quick else ["30000", "1000000"]
    steps = [
        [sys.executable, str(HERE / "seed_demo.py"), "--entities", "30000"],
        [
            sys.executable,
            str(HERE / "search_latency.py"),
            "--entities",
            *sizes,
            "--quiet-below",
            "1.5",
        ],
    ]
    for step in steps:
        print("==>", " ".join(step[1:]), flush=True)
        if subprocess.call(step) != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
