"""Real-time check latency: GET /api/v1/trace/codes/<code>/ beside /healthz, under load.

    uv run python bench/trace_realtime.py --packs 100000000 --store DIR [--requests 5000
        --concurrency 8 --rounds 2 --port 8130 --client light|httpx]

Builds (once) a per-code key table with ``--packs`` known packs (codes.sqlite3, the table
ingest keeps current), serves the app with gunicorn on loopback, and fires the same number of
requests at the check and at the trivial health view, in the same run.

``--client light`` (the default) sends the requests with ``http.client`` (``harness.LightClient``,
one keep-alive connection per thread), ``--client httpx`` as the runs before 2026-12-04 did: the
load generator shares the two cores with the server, and httpx takes several times the CPU per
request.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb
import harness
import httpx
from harness import (
    RESULTS,
    database_url,
    fire,
    gunicorn,
    machine,
    percentile,
    prepare_database,
    recreate_database,
    shell,
)

from yaojian.traceability.engine.store import TraceStore, write_key_table


def build(path: Path, packs: int) -> float:
    """The key table with ``packs`` synthetic packs, written by the product's bulk writer
    (``store.write_key_table``, what ``trace_rebuild_state`` uses), once."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with contextlib.closing(sqlite3.connect(path)) as db:
            if db.execute("SELECT count(*) FROM codes").fetchone()[0] == packs:
                return 0.0
    con = duckdb.connect()  # insertion order kept: range() gives the codes already sorted
    query = f"""
        SELECT printf('8%019d', i) AS code, CAST(i % 3 AS INTEGER) AS settlements,
               CAST((i % 3) * 10 AS BIGINT) AS units, 10 AS pack_units,
               CAST(least(1, i % 3) AS INTEGER) AS institutions,
               '52540102000000043K' AS last_party, '540102' AS last_region,
               1772416800000000 AS last_at, 'dispense' AS last_event,
               1772416800000000 AS last_event_at
        FROM range({packs}) t(i)
    """
    building = path.with_name(path.name + ".building")
    write_key_table(con, query, building)
    os.replace(building, path)
    return time.perf_counter() - started


def in_process(store: Path, codes: list[str]) -> dict[str, float]:
    """The lookup alone, as the view makes it (``TraceStore.code_state``: a connection per
    call), in milliseconds: wall time per call and the CPU time of all the calls."""
    trace = TraceStore(store)
    for code in codes[:200]:
        trace.code_state(code)
    times = []
    cpu = time.process_time()
    for code in codes:
        started = time.perf_counter()
        assert trace.code_state(code) is not None
        times.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu) * 1000 / len(codes)
    times.sort()
    return {
        "lookups": len(codes),
        "p50_ms": round(percentile(times, 0.50), 3),
        "p95_ms": round(percentile(times, 0.95), 3),
        "p99_ms": round(percentile(times, 0.99), 3),
        "cpu_ms_per_lookup": round(cpu, 3),
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packs", type=int, default=100_000_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--store", default="var/bench-trace/rt-store")
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--client", choices=("light", "httpx"), default="light")
    args = parser.parse_args()
    store = Path(args.store).resolve()
    build_seconds = build(store / "codes.sqlite3", args.packs)
    print(f"key table: {args.packs} packs in {build_seconds:.1f} s, load {os.getloadavg()}")
    if args.build_only:
        return
    url = database_url("sqlite", "bench_tscale_rt")
    recreate_database("sqlite", "bench_tscale_rt")
    prepare_database(url)
    token = shell(
        url,
        "from rest_framework.authtoken.models import Token\n"
        "from yaojian.accounts.models import User\n"
        "u = User.objects.create_user('rt', password='x-Rt-2026-long')\n"
        "print(Token.objects.create(user=u).key)",
    ).splitlines()[-1]
    os.environ["YAOJIAN_TRACE_DIR"] = str(store)
    rng = random.Random(5)
    codes = [f"8{rng.randrange(args.packs):019d}" for _ in range(5000)]
    result: dict[str, object] = {
        "packs": args.packs,
        "build_seconds": round(build_seconds, 1),
        "load_before": os.getloadavg(),
        "client": args.client,
        "machine": machine(),
    }
    harness.free_port = lambda: args.port  # a port of this run's own (helper rules)
    with gunicorn(url) as base:
        auth = {"Authorization": f"Token {token}"}

        def api_client() -> httpx.Client | harness.LightClient:
            if args.client == "light":
                return harness.LightClient(base, headers=auth)
            return httpx.Client(base_url=base, timeout=30, headers=auth)

        def plain_client() -> httpx.Client | harness.LightClient:
            if args.client == "light":
                return harness.LightClient(base)
            return httpx.Client(base_url=base, timeout=30)

        fire(
            "warm-up",
            api_client,
            [f"/api/v1/trace/codes/{c}/" for c in codes[:200]],
            requests=400,
            concurrency=4,
        )
        rounds = []
        for _ in range(args.rounds):  # alternating, so both targets see the same machine
            check = fire(
                "trace code check",
                api_client,
                [f"/api/v1/trace/codes/{c}/" for c in codes],
                requests=args.requests,
                concurrency=args.concurrency,
            )
            trivial = fire(
                "healthz",
                plain_client,
                ["/healthz"],
                requests=args.requests,
                concurrency=args.concurrency,
            )
            rounds.append(
                {"check": check.row(trivial), "trivial": trivial.row(None), "load": os.getloadavg()}
            )
    result["rounds"] = rounds
    result["in_process_lookup"] = in_process(store, codes)
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2, ensure_ascii=False))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"trace_realtime_{args.packs}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
