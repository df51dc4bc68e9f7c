"""The engine's full scan before and after a change, alternating, beside raw R1, in one run.

    uv run python bench/trace_scan_ab.py var/bench-trace/e1m --before <commit> [--rounds 2]

``--before`` is exported with ``git archive`` to var/bench/ab-<commit>/ and imported from there
in its own process; "after" is this working tree. Each run is a fresh process: ``scan()`` alone
(no Django start-up), then the flags are compared. The baseline is the raw DuckDB SQL for R1
of bench/trace_scan.py over the same files (a raw folder's, or a normalised store's event files),
with the same memory limit. Our own generator's data (bench/trace_data.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from trace_scan import r1_baseline

RUN = """
import hashlib, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from yaojian.traceability.engine.scan import scan
t = time.perf_counter()
flags, _ = scan(Path(sys.argv[2]))
print(round(time.perf_counter() - t, 2), len(flags),
      hashlib.sha256(repr(flags).encode()).hexdigest()[:12])
"""


CPU: list[float] = []  # CPU seconds (user + system, all threads) of each child, in order


def run(code: str, *args: str, last: int = 3) -> list[str]:
    """The last ``last`` words printed (DuckDB's progress bar may precede them); the child's
    CPU time is appended to ``CPU`` (the robust measure on a shared machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2))
    return out.stdout.split()[-last:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--before", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    folder = str(Path(args.folder).resolve())
    before = ROOT / "var" / "bench" / f"ab-{args.before[:12]}"
    if not before.exists():
        before.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "archive", args.before, "yaojian"], capture_output=True, check=True, cwd=ROOT
        ).stdout
        tar = before / "src.tar"
        tar.write_bytes(archive)
        with tarfile.open(tar) as handle:
            handle.extractall(before, filter="data")
    rows: list[dict[str, object]] = []
    result: dict[str, object] = {
        "load_before": os.getloadavg(),
        "memory_limit": os.environ.get("YAOJIAN_TRACE_MEMORY", "60%"),
        "runs": rows,
    }
    for n in range(args.rounds):
        for name, src in (("before", str(before)), ("after", str(ROOT))):
            started = time.perf_counter()
            seconds, flags, digest = run(RUN, src, folder)
            rows.append(
                {
                    "round": n + 1,
                    "what": name,
                    "scan_s": float(seconds),
                    "flags": int(flags),
                    "digest": digest,
                    "process_s": round(time.perf_counter() - started, 2),
                    "cpu_s": CPU[-1],
                }
            )
        # The same memory limit and spill folder as the scans (YAOJIAN_TRACE_MEMORY/_TEMP).
        limit = os.environ.get("YAOJIAN_TRACE_MEMORY", "60%")
        spill = os.environ.get("YAOJIAN_TRACE_TEMP", str(ROOT / "var" / "bench" / "spill"))
        count, seconds = run(r1_baseline(folder), folder, spill, limit, last=2)
        rows.append(
            {
                "round": n + 1,
                "what": "raw R1",
                "scan_s": round(float(seconds), 2),
                "r1_packs": int(count),
                "cpu_s": CPU[-1],
                "load": os.getloadavg()[0],
            }
        )
        for r in rows[-3:-1]:
            r["ratio_cpu"] = round(float(r["cpu_s"]) / max(CPU[-1], 0.01), 1)  # type: ignore[arg-type]
        print(json.dumps(rows[-3:]), flush=True)
    result["load_after"] = os.getloadavg()
    result["same_flags"] = len({r["digest"] for r in rows if "digest" in r}) == 1
    print(json.dumps(result, indent=2))
    (ROOT / "var" / "bench" / f"trace_scan_ab_{Path(folder).name}.json").write_text(
        json.dumps(result, indent=2)
    )


if __name__ == "__main__":
    main()
