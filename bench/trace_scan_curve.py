"""The scaling curve of `trace_scan`: 10 M, 30 M and 100 M events, each beside raw R1, one run.

    uv run python bench/trace_data.py /work/trace-data/e100m --events 100000000
    uv run python bench/trace_scan_curve.py /work/trace-data/e100m --sizes 10,30,100 \\
        --temp /work/trace-data/spill

The smaller sets are the first files of the big one (symlinks; 500,005 events a file, each a
copy of our generator's base with its own packs, events and persons), with their share of the
planted labels. For each size, in this order and in one process each (peak RSS from
/usr/bin/time -v): `manage.py trace_scan` (DuckDB, all five rules; spilling to ``--temp``
beyond its memory limit, 60 % of RAM), then the raw DuckDB SQL for R1 alone over the same
files with the same memory limit and spill folder (the baseline), then precision and recall.
Each run's wall and CPU time (user + system, all threads) and the ratios to raw R1 of both.
The JSON (var/bench/trace_scan_curve.json) is rewritten after every step, with the load.

``--stores DIR``: also, for each size whose normalised store exists as DIR/s<N>m/store (built from
the same files: ``bench/trace_bulk_store.py FILES DIR/s<N>m --day-per-file 0 --skip-history``),
`trace_scan` of the store beside raw R1 over the store's own event files (``R1_STORE``). The
two scans are both legitimate and measure different things: a raw folder's scan validates every
row (codes parsed, instants, required fields, repeated ids) before the rules; a store's events
were validated once, at their ingest, and its scan reads them as they are (what a province runs
day to day). ``--only store`` or ``--only raw`` runs one of the two. ``--memory`` caps DuckDB
(``YAOJIAN_TRACE_MEMORY``) for the scans and raw R1 alike.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from trace_scan import R1_RAW, R1_STORE, score, timed

PER_FILE = 500_005


def subset(big: Path, millions: int, work: Path | None = None) -> Path:
    """The first files of ``big`` holding ``millions`` M events, and their labels (in ``work``,
    default beside ``big``)."""
    work = work or big.parent
    work.mkdir(parents=True, exist_ok=True)
    files = sorted(big.glob("events-*.parquet"))[: round(millions * 1_000_000 / PER_FILE)]
    folder = work / f"{big.name}-{millions}m"
    folder.mkdir(exist_ok=True)
    for path in files:
        link = folder / path.name
        if not link.exists():
            link.symlink_to(path)
    tags = {path.stem.split("-")[1] for path in files}
    with (big.parent / f"{big.name}-labels.csv").open(encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    with (work / f"{folder.name}-labels.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["rule", "key", "party_uscc"])
        writer.writeheader()
        writer.writerows(r for r in rows if _tag(r) in tags)
    return folder


def _tag(row: dict[str, str]) -> str:
    key = row["key"]
    if row["rule"] == "R6":
        return key.rsplit("-", 1)[1]
    if key.startswith("(01)"):
        return key.split("SN", 1)[1][:3]
    return key[7:10]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--sizes", default="10,30,100")
    parser.add_argument("--temp", required=True)
    parser.add_argument("--json", default="trace_scan_curve.json")
    parser.add_argument("--work", default=None, help="where the subsets go (default: beside)")
    parser.add_argument("--stores", default=None, help="DIR holding s<N>m/store")
    parser.add_argument("--only", choices=("raw", "store"), default=None)
    parser.add_argument("--memory", default="60%", help="DuckDB's memory limit")
    args = parser.parse_args()
    big = Path(args.folder).resolve()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "YAOJIAN_TRACE_MEMORY": args.memory}
    uv = os.environ.get("UV", "uv")
    out = ROOT / "var" / "bench" / args.json
    out.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"cpus": os.cpu_count(), "memory": args.memory, "sizes": {}}
    sizes: dict[str, object] = results["sizes"]  # type: ignore[assignment]
    for millions in (int(x) for x in args.sizes.split(",")):
        folder = subset(big, millions, Path(args.work) if args.work else None)
        labels = folder.parent / f"{folder.name}-labels.csv"
        runs: list[tuple[str, Path, str]] = []
        if args.only != "store":
            runs.append((f"{millions}M", folder, R1_RAW))
        store = Path(args.stores) / f"s{millions}m" / "store" if args.stores else None
        if store is not None and store.exists() and args.only != "raw":
            runs.append((f"{millions}M store", store, R1_STORE))
        for name, source, r1 in runs:
            flags = folder.parent / f"{folder.name}{'-store' if source != folder else ''}-flags.csv"
            temp = Path(args.temp) / folder.name
            row: dict[str, object] = {
                "source": str(source),
                "events_files": len(list(folder.glob("*.parquet"))),
            }
            sizes[name] = row
            row["load_before"] = os.getloadavg()
            row["trace_scan"] = timed(
                [
                    uv,
                    "run",
                    "python",
                    "manage.py",
                    "trace_scan",
                    str(source),
                    "--out",
                    str(flags),
                    "--temp-dir",
                    str(temp),
                ],
                env,
            )
            row["load_between"] = os.getloadavg()
            out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
            row["raw_duckdb_r1"] = timed(
                [uv, "run", "python", "-c", r1, str(source), str(temp), args.memory], env
            )
            row["load_after"] = os.getloadavg()
            scan_run: dict[str, float] = row["trace_scan"]  # type: ignore[assignment]
            r1_run: dict[str, float] = row["raw_duckdb_r1"]  # type: ignore[assignment]
            row["ratio"] = round(scan_run["seconds"] / r1_run["seconds"], 1)  # wall
            row["ratio_cpu"] = round(scan_run["cpu_s"] / max(r1_run["cpu_s"], 0.1), 1)
            row["accuracy"] = score(flags, labels)
            out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
            print(json.dumps({name: row}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
