"""Build a large trace-event data set fast: our own generator for a base, replicated with DuckDB.

    uv run python bench/trace_data.py var/bench-trace/e10m --events 10000000 [--base 500000]

The base (generator.py, planted anomalies and traps) is copied k times with every pack code,
event id, settlement id and insured id made unique per copy, so the planted flags replicate
exactly: labels.csv beside the folder lists them all. One Parquet file per copy.
"""

from __future__ import annotations

import argparse
import csv
import math
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb

from yaojian.traceability.engine.generator import write


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--base", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    out = Path(args.folder)
    base_dir = out.parent / (out.name + "-base")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(base_dir, ignore_errors=True)
    started = time.perf_counter()
    generated = write(base_dir, min(args.base, args.events), seed=args.seed)
    print(f"base: {generated.events} events in {time.perf_counter() - started:.1f} s")
    copies = max(1, math.ceil(args.events / generated.events))
    out.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE base AS SELECT * FROM read_parquet('{base_dir}/*.parquet')")
    for k in range(copies):
        tag = f"{k:03d}"
        con.execute(
            f"""
            COPY (
              SELECT event_id || '-{tag}' AS event_id,
                     CASE WHEN regexp_full_match(trace_code, '\\d{{20}}')
                          THEN substr(trace_code, 1, 7) || '{tag}' || substr(trace_code, 11)
                          ELSE replace(trace_code, 'SN', 'SN{tag}') END AS trace_code,
                     event_type, occurred_at, party_uscc, party_region, counterparty_uscc,
                     product_code, pack_units, units, unit_price_yuan,
                     CASE WHEN insured_id <> '' THEN insured_id || '-{tag}' ELSE '' END AS insured_id,
                     CASE WHEN settlement_id <> '' THEN settlement_id || '-{tag}' ELSE '' END AS settlement_id,
                     CASE WHEN reverses_event_id <> '' THEN reverses_event_id || '-{tag}' ELSE '' END
                       AS reverses_event_id
              FROM base
            ) TO '{out}/events-{tag}.parquet' (FORMAT PARQUET, COMPRESSION zstd)
            """
        )
    with (out.parent / f"{out.name}-labels.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rule", "key", "party_uscc"])
        for k in range(copies):
            tag = f"{k:03d}"
            for rule, key, party in sorted(generated.labels):
                if rule == "R6":
                    key = f"{key}-{tag}"
                elif key.startswith("(01)"):
                    key = key.replace("SN", f"SN{tag}")
                else:
                    key = key[:7] + tag + key[10:]
                writer.writerow([rule, key, party])
    shutil.rmtree(base_dir, ignore_errors=True)
    print(
        f"{copies} copies → {copies * generated.events} events, "
        f"{copies * len(generated.labels)} planted flags, in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
