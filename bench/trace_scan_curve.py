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

from trace_scan import R1_RAW, score, timed

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
    args = parser.parse_args()
    big = Path(args.folder).resolve()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    uv = os.environ.get("UV", "uv")
    out = ROOT / "var" / "bench" / args.json
    out.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {"cpus": os.cpu_count(), "sizes": {}}
    sizes: dict[str, object] = results["sizes"]  # type: ignore[assignment]
    for millions in (int(x) for x in args.sizes.split(",")):
        folder = subset(big, millions, Path(args.work) if args.work else None)
        flags = folder.parent / f"{folder.name}-flags.csv"
        temp = Path(args.temp) / folder.name
        row: dict[str, object] = {"events_files": len(list(folder.glob("*.parquet")))}
        sizes[f"{millions}M"] = row
        row["load_before"] = os.getloadavg()
        row["trace_scan"] = timed(
            [
                uv,
                "run",
                "python",
                "manage.py",
                "trace_scan",
                str(folder),
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
            [uv, "run", "python", "-c", R1_RAW, str(folder), str(temp)], env
        )
        row["load_after"] = os.getloadavg()
        scan_run: dict[str, float] = row["trace_scan"]  # type: ignore[assignment]
        r1_run: dict[str, float] = row["raw_duckdb_r1"]  # type: ignore[assignment]
        row["ratio"] = round(scan_run["seconds"] / r1_run["seconds"], 1)  # wall
        row["ratio_cpu"] = round(scan_run["cpu_s"] / max(r1_run["cpu_s"], 0.1), 1)
        row["accuracy"] = score(flags, folder.parent / f"{folder.name}-labels.csv")
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
        print(json.dumps({f"{millions}M": row}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
