"""What the incremental check's history read costs when it scans: a 1 M-event day's reads
against a large history, on the raw files (no store needed).

    uv run python bench/trace_history_read.py /work/trace-data/e100m [--day-per-file 5000]

The day is the last ``--day-per-file`` events by instant of every file (for bench/trace_data.py
sets, whose copies share their instants, that is the last events by instant of the whole set);
the history is everything else. Times, in the same run: the duplicate-id semi-join and the two
reads ``TraceStore._incremental`` makes (events of the day's packs and of the packs its persons
bought), each a scan of the whole history; and how many packs, persons and history events the
day touches (what a check that reads by key would read). Our own generator's data.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import duckdb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--day-per-file", type=int, default=5000)
    args = parser.parse_args()
    folder = Path(args.folder).resolve()
    con = duckdb.connect()
    con.execute("SET TimeZone='Asia/Shanghai'")
    con.execute("SET preserve_insertion_order=false")
    src = f"read_parquet('{folder}/*.parquet', filename=true)"
    first = sorted(folder.glob("*.parquet"))[0]
    cut = con.execute(
        f"SELECT occurred_at FROM read_parquet('{first}') "
        "ORDER BY CAST(occurred_at AS TIMESTAMPTZ) DESC LIMIT 1 OFFSET ?",
        [args.day_per_file],
    ).fetchone()[0]
    result: dict[str, object] = {"load_before": os.getloadavg(), "cut": cut}
    day_where = f"CAST(occurred_at AS TIMESTAMPTZ) > CAST('{cut}' AS TIMESTAMPTZ)"
    # The scans read every file (the day's own events included, as in the counts): excluding
    # them would parse every instant, which the store's integer ``ts`` does not need.
    hist = src

    def timed(name: str, sql: str) -> object:
        started, cpu = time.perf_counter(), time.process_time()
        row = con.execute(sql).fetchone()
        result[name] = {
            "seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1),
            "rows": row[0] if row else None,
        }
        return row

    timed(
        "day_table",
        f"CREATE TABLE day AS SELECT * FROM {src} WHERE {day_where}; SELECT count(*) FROM day",
    )
    con.execute("CREATE TABLE day_codes AS SELECT DISTINCT trace_code FROM day")
    con.execute(
        "CREATE TABLE day_persons AS SELECT DISTINCT insured_id FROM day "
        "WHERE insured_id <> '' AND event_type IN ('dispense', 'reverse')"
    )
    result["day_packs"] = con.execute("SELECT count(*) FROM day_codes").fetchone()[0]
    result["day_persons"] = con.execute("SELECT count(*) FROM day_persons").fetchone()[0]
    timed(
        "scan_duplicate_ids",
        f"SELECT count(*) FROM (SELECT event_id FROM {src}) h SEMI JOIN day d "
        "ON d.event_id = h.event_id",
    )
    timed(
        "scan_events_of_day_packs_and_persons",
        f"CREATE TABLE hist AS SELECT * FROM {hist} h WHERE h.trace_code IN "
        "(SELECT trace_code FROM day_codes) OR (h.event_type = 'dispense' AND h.insured_id IN "
        "(SELECT insured_id FROM day_persons)); SELECT count(*) FROM hist",
    )
    timed(
        "scan_events_of_persons_packs",
        f"SELECT count(*) FROM {hist} h WHERE h.trace_code IN (SELECT DISTINCT trace_code "
        "FROM hist) AND h.event_id NOT IN (SELECT event_id FROM hist)",
    )
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    out = Path(__file__).resolve().parent.parent / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"trace_history_read_{folder.name}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
