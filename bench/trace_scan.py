"""trace_scan at scale beside raw DuckDB SQL for R1 alone, and precision/recall per rule.

    uv run python bench/trace_scan.py var/bench-trace/e10m [--spark-sample N]

Runs, in one process run each (peak RSS from /usr/bin/time -v):
1. `manage.py trace_scan DIR --out flags.csv` (DuckDB, all five rules);
2. raw DuckDB SQL for R1 alone over the same files (the baseline);
3. precision and recall per rule against the planted labels (<DIR>-labels.csv; our generator).
With --spark-sample N: the first N files through Spark local[2] and DuckDB in the same run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

R1_RAW = """
import duckdb, sys, time
t = time.perf_counter()
con = duckdb.connect()
if len(sys.argv) > 2:  # the same memory limit and spill folder as the scan beside it
    con.execute(f"SET memory_limit='{sys.argv[3] if len(sys.argv) > 3 else '60%'}'")
    con.execute(f"SET temp_directory='{sys.argv[2]}'")
src = f"read_parquet('{sys.argv[1]}/*.parquet')"
n = con.execute(f'''
WITH d AS (SELECT * FROM {src} WHERE event_type = 'dispense'),
r AS (SELECT DISTINCT reverses_event_id AS id FROM {src} WHERE event_type = 'reverse'),
s AS (SELECT d.trace_code, coalesce(nullif(d.settlement_id, ''), d.event_id) AS sid,
             max(d.units) AS units, max(d.pack_units) AS pu, max(d.party_uscc) AS party,
             bool_or(r.id IS NOT NULL) AS cancelled
      FROM d LEFT JOIN r ON r.id = d.event_id GROUP BY 1, 2)
SELECT count(*) FROM (
  SELECT trace_code FROM s WHERE NOT cancelled GROUP BY trace_code
  HAVING sum(units) > max(pu) OR count(DISTINCT party) > 1)
''').fetchone()[0]
print(n, time.perf_counter() - t)
"""

# The same query over a normalised store's event files (its own column names: ``rules.py``).
R1_STORE = (
    R1_RAW.replace("/*.parquet", "/events/**/*.parquet")
    .replace("reverses_event_id", "reverses")
    .replace(
        "coalesce(nullif(d.settlement_id, ''), d.event_id)", "coalesce(d.settlement, d.event_id)"
    )
    .replace("d.trace_code", "d.code")
    .replace("trace_code", "code")
    .replace("d.party_uscc", "d.party")
)


def r1_baseline(folder: Path | str) -> str:
    """Raw R1 over ``folder``'s files: a normalised store's event files, or a raw folder's."""
    return R1_STORE if (Path(folder) / "_yaojian_trace_store").exists() else R1_RAW


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    started = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env, cwd=ROOT
    )
    seconds = time.perf_counter() - started
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    if proc.returncode:
        print(proc.stdout, proc.stderr[-3000:])
        raise SystemExit(proc.returncode)
    cpu = sum(
        float(m.group(1))
        for m in re.finditer(r"(?:User|System) time \(seconds\): ([\d.]+)", proc.stderr)
    )
    return {
        "seconds": round(seconds, 1),
        "cpu_s": round(cpu, 1),
        "peak_rss_mb": round(int(rss.group(1)) / 1024) if rss else None,
        "stdout": proc.stdout.strip()[-400:],
    }


def score(flags_csv: Path, labels_csv: Path) -> dict[str, dict[str, float]]:
    def read(path: Path, key_col: str) -> set[tuple[str, str, str]]:
        with path.open(encoding="utf-8") as handle:
            rows = csv.DictReader(handle)
            out = set()
            for row in rows:
                key = row.get(key_col) or row.get("insured_id") or row.get("trace_code") or ""
                out.add((row["rule"], key, row["party_uscc"]))
            return out

    with flags_csv.open(encoding="utf-8") as handle:
        found = {
            (r["rule"], r["trace_code"] or r["insured_id"], r["party_uscc"])
            for r in csv.DictReader(handle)
        }
    labels = read(labels_csv, "key")
    result = {}
    for rule in ("R1", "R2", "R3", "R4", "R6"):
        expected = {k for k in labels if k[0] == rule}
        got = {k for k in found if k[0] == rule}
        tp = len(expected & got)
        result[rule] = {
            "labels": len(expected),
            "flags": len(got),
            "precision": round(tp / len(got), 4) if got else 1.0,
            "recall": round(tp / len(expected), 4) if expected else 1.0,
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--spark-sample", type=int, default=0)
    parser.add_argument("--skip-full", action="store_true")
    args = parser.parse_args()
    folder = Path(args.folder).resolve()
    out = folder.parent / f"{folder.name}-flags.csv"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    uv = os.environ.get("UV", "uv")
    results: dict[str, object] = {"load_before": os.getloadavg()}
    if not args.skip_full:
        results["trace_scan_duckdb"] = timed(
            [uv, "run", "python", "manage.py", "trace_scan", str(folder), "--out", str(out)], env
        )
        results["raw_duckdb_r1"] = timed([uv, "run", "python", "-c", R1_RAW, str(folder)], env)
        results["accuracy"] = score(out, folder.parent / f"{folder.name}-labels.csv")
    if args.spark_sample:
        sample = folder.parent / f"{folder.name}-sample{args.spark_sample}"
        sample.mkdir(exist_ok=True)
        for path in sorted(folder.glob("*.parquet"))[: args.spark_sample]:
            target = sample / path.name
            if not target.exists():
                target.symlink_to(path)
        for engine in ("duckdb", "spark"):
            results[f"sample_{engine}"] = timed(
                [
                    uv,
                    "run",
                    "python",
                    "manage.py",
                    "trace_scan",
                    str(sample),
                    "--engine",
                    engine,
                    "--out",
                    str(folder.parent / f"sample-{engine}.csv"),
                ],
                {**env, "TRACE_SPARK_MASTER": "local[2]"},
            )
        same = (folder.parent / "sample-duckdb.csv").read_bytes() == (
            folder.parent / "sample-spark.csv"
        ).read_bytes()
        results["sample_identical_flags"] = same
    results["load_after"] = os.getloadavg()
    print(json.dumps(results, indent=2, ensure_ascii=False))
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "bench" / f"trace_scan_{folder.name}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False)
    )


if __name__ == "__main__":
    sys.exit(main())
