"""Latency of the leadership dashboard and each role's first page, beside ``/healthz``.

    uv run python bench/dashboard_pages.py [--entities 60000] [--cases 200000]
        [--notices 1000000] [--requests 200] [--concurrency 3] [--reseed] [--export-only]
        [--database bench_dashboard]

PostgreSQL only. The scratch database ``bench_dashboard`` (``--database`` names another, e.g. a
worktree's own ``bench_h_<name>_dash``) is built once and kept (``--reseed`` rebuilds it): ``migrate``, ``load_regions``, ``seed_demo --entities N`` (the project's own
generator: departments, demo accounts and entities of province 54), then the cases by COPY
(``bench/cases_pages.py``'s seeder, reused) and the notices by COPY here: every market and
drug regulator of the province receives notices from the provincial drug regulator, 60 %
answered (a third of those late), 25 % open and past their deadline, the rest open in time;
then ``VACUUM (ANALYZE)`` of the notices (autovacuum's steady state).

The dashboard's figures are pre-computed (``dashboard.services.refresh_snapshot``, the job
that runs every 15 minutes); its time is measured too. Then gunicorn on a loopback port
(3 workers × 4 threads), and in the same run: ``/healthz``, ``/dashboard/`` for the
provincial ``leader`` (and a county's dashboard), and ``/`` (the first page) for the leader,
the county ``head``, ``caseofficer``, ``inspector``, ``reviewer``, ``steward`` and ``police``.
Targets: dashboard p95 < 500 ms, first pages p95 < 300 ms. Results: var/bench/dashboard_pages.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases_pages
import harness

NAME = "bench_dashboard"
ROLES = ("leader", "head", "caseofficer", "inspector", "reviewer", "steward", "police")


def seed_notices(url: str, total: int, seed: int = 54) -> int:
    """Write ``total`` notices by COPY (received by the province's regulators)."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(ZoneInfo("Asia/Shanghai")).date()
    with psycopg.connect(url) as conn:
        recipients = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM accounts_department WHERE kind IN "
                "('market_regulator', 'drug_regulator') AND region_id LIKE '54%%' ORDER BY code"
            ).fetchall()
        ]
        sender = conn.execute(
            "SELECT id FROM accounts_department WHERE code = 'MPA-540000'"
        ).fetchone()
        sender_id = sender[0] if sender else recipients[0]
        with (
            conn.cursor() as cursor,
            cursor.copy(
                "COPY notices_notice (public_id, created_at, updated_at, sender_id, recipient_id, "
                "subject, body, expected_answer, state, due_on, escalation_level, answer, "
                "answered_at, source_app, source_ref, url) FROM STDIN"
            ) as copy,
        ):
            for n in range(total):
                created = now - dt.timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 600))
                due = created.date() + dt.timedelta(days=14)
                roll = rng.random()
                if roll < 0.6:
                    state = "answered"
                    late = rng.random() < 0.33
                    answered = created + dt.timedelta(
                        days=rng.randint(15, 30) if late else rng.randint(1, 12)
                    )
                    answer = "已核查处理。"
                elif roll < 0.85:
                    state, answered, answer = "unread", None, ""
                    due = today - dt.timedelta(days=rng.randint(1, 40))
                else:
                    state, answered, answer = "read", None, ""
                    due = today + dt.timedelta(days=rng.randint(1, 10))
                copy.write_row(
                    (
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        created,
                        created,
                        sender_id,
                        recipients[n % len(recipients)],
                        f"通报{n}",
                        "请核查。",
                        "",
                        state,
                        due,
                        0,
                        answer,
                        answered,
                        "bench",
                        f"bench:{n}",
                        "",
                    )
                )
    # As after the cases (cases_pages): a table loaded by COPY has no visibility map until it is
    # vacuumed, and autovacuum may be off on a benchmark server (it is on in production), so
    # index-only scans of the partial indexes would read the heap instead.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) notices_notice")
    return total


def count(url: str, table: str) -> int:
    try:
        with psycopg.connect(url) as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608
    except psycopg.Error:
        return 0


def ensure_database(
    entities: int, cases: int, notices: int, reseed: bool, name: str = NAME
) -> tuple[str, dict[str, float]]:
    url = harness.database_url("postgresql", name)
    timings: dict[str, float] = {}
    if (
        reseed
        or not harness.database_exists("postgresql", name)
        or harness.entity_count(url) < entities
    ):
        url = harness.recreate_database("postgresql", name)
        harness.log(f"preparing {name}")
        harness.prepare_database(url)
        timings["seed_demo_seconds"] = round(harness.timed_seed(url, entities), 1)
    else:
        harness.manage(url, "migrate", "--no-input", "-v0")
    if count(url, "enforcement_case") < cases:
        started = time.monotonic()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("TRUNCATE enforcement_case CASCADE")
        cases_pages.seed_cases(url, cases)
        timings["seed_cases_seconds"] = round(time.monotonic() - started, 1)
    if count(url, "notices_notice") < notices:
        started = time.monotonic()
        seed_notices(url, notices - count(url, "notices_notice"))
        timings["seed_notices_seconds"] = round(time.monotonic() - started, 1)
    harness.log(f"database ready {timings}")
    return url, timings


SNAPSHOT = """
import json, time
from django.contrib.auth import get_user_model
from yaojian.dashboard.scope import dashboard_scope
from yaojian.dashboard.services import refresh_snapshot
User = get_user_model()
out = {}
for username, region in (("leader", ""), ("leader", "540102"), ("head", "")):
    user = User.objects.get(username=username)
    started = time.monotonic()
    refresh_snapshot(actor=None, scope=dashboard_scope(user, region))
    out[f"{username}:{region or 'home'}"] = round(time.monotonic() - started, 1)
print(json.dumps(out))
"""


EXPORT = """
import json, time
from django.contrib.auth import get_user_model
from yaojian.dashboard.exports import write_list_export
from yaojian.jobs.services import start_job
from yaojian.jobs.models import Job
user = get_user_model().objects.get(username="leader")
out = {}
for fmt, encoding in (("csv", "gb18030"), ("xlsx", "utf-8-sig")):
    job = start_job(actor=user, kind="dashboard.list_export", title="bench",
                    parameters={"list": "cases", "format": fmt, "encoding": encoding})
    started = time.monotonic()
    result, path = write_list_export(job)
    job.refresh_from_db()
    out[fmt] = {"rows": result["rows"], "seconds": round(time.monotonic() - started, 1),
                "progress_done": job.done, "progress_total": job.total}
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=60_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--notices", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--database", default=NAME, help="The scratch database (bench…).")
    parser.add_argument(
        "--export-only", action="store_true", help="Only time the 200,000-case list export."
    )
    args = parser.parse_args()
    if not harness.postgres_reachable():
        harness.log("postgresql: not reachable (BENCH_PG_ADMIN_URL)")
        return 1
    url, timings = ensure_database(
        args.entities, args.cases, args.notices, args.reseed, args.database
    )
    if args.export_only:
        harness.log("exporting the leader's case list (every case of the province)")
        print(harness.shell(url, EXPORT).splitlines()[-1])
        return 0
    harness.log("computing the dashboard snapshots (the periodic job)")
    import json

    snapshot_seconds = json.loads(harness.shell(url, SNAPSHOT).splitlines()[-1])
    harness.log(f"snapshots: {snapshot_seconds} s")
    results: list[harness.Stats] = []
    with harness.gunicorn(url) as base:

        def anonymous() -> httpx.Client:
            return httpx.Client(base_url=base, timeout=60)

        def as_user(username: str):  # type: ignore[no-untyped-def]
            return lambda: harness.login(base, username, harness.BENCH_PASSWORD)

        targets = [
            ("healthz", anonymous, ["/healthz"]),
            ("dashboard /dashboard/ (province)", as_user("leader"), ["/dashboard/"]),
            ("dashboard ?region=540102 (county)", as_user("leader"), ["/dashboard/?region=540102"]),
            *((f"first page / ({role})", as_user(role), ["/"]) for role in ROLES),
        ]
        load_before = harness.load_average()
        harness.log(f"warming up (load average {load_before:.2f})")
        for name, make, paths in targets:
            harness.fire(name, make, paths, requests=6, concurrency=1)
        for name, make, paths in targets:
            stats = harness.fire(
                name, make, paths, requests=args.requests, concurrency=args.concurrency
            )
            harness.log(f"{name}: p50 {stats.p50} ms, p95 {stats.p95} ms, errors {stats.errors}")
            results.append(stats)
    baseline = results[0]
    payload: dict[str, object] = {
        "entities": harness.entity_count(url),
        "cases": count(url, "enforcement_case"),
        "notices": count(url, "notices_notice"),
        **timings,
        "snapshot_seconds": snapshot_seconds,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "load_average_before": load_before,
        "load_average_after": harness.load_average(),
        "targets": [s.row(baseline) for s in results],
        "machine": harness.machine(),
    }
    path = harness.save("dashboard_pages", payload)
    harness.log(f"results: {path}")
    for row in payload["targets"]:  # type: ignore[attr-defined]
        print(
            f"  {row['target']:<40} p50 {row['p50']:>7} ms  p95 {row['p95']:>7} ms  "
            f"p99 {row['p99']:>7} ms  x{row.get('p95_ratio', 1)}  errors {row['errors']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
