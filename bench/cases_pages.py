"""Latency of the enforcement pages over 200,000 cases, against ``/healthz`` in the same run.

    uv run python bench/cases_pages.py [--cases 200000] [--requests 300] [--concurrency 3]
        [--reseed | --reseed-cases] [--quiet-below 1.5]

PostgreSQL only (``BENCH_PG_ADMIN_URL``, default postgres://postgres@127.0.0.1:5432/postgres).
The scratch database ``bench_cases`` is built once and kept between runs (``--reseed``
rebuilds it): ``migrate``, ``load_regions``, ``seed_demo --entities 3000`` (departments and the
demo accounts of province 54), then a bulk seeder writes the cases with COPY: every market
and drug regulator of the province gets cases, the county regulator SAMR-540102 (the demo
``caseofficer``'s department) a fifth of them; stages as in a real register (most closed);
each case has two officers (``caseofficer`` on one in ten of its department's cases), one
stopped clock, and one running clock per open case (due dates from five weeks overdue to
three months ahead, copied onto ``next_due_on`` as the services do).

gunicorn serves on a free loopback port (3 workers × 4 threads, as scripts/serve.py); the
demo ``caseofficer`` signs in through the login form; then, in the same run: ``/healthz``,
``/enforcement/`` (my work) and ``/enforcement/cases/`` (department overview, cycling
through its filters and pages). The main queries are also run under EXPLAIN ANALYZE.
Target: p95 < 150 ms for both pages. Results: var/bench/cases_pages.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

NAME = "bench_cases"
USERNAME = "caseofficer"
DEPARTMENT = "SAMR-540102"
STAGES = (
    ("closed", 55),
    ("not_filed", 5),
    ("clue", 4),
    ("verification", 5),
    ("investigation", 15),
    ("review", 4),
    ("notice", 3),
    ("hearing", 1),
    ("decided", 2),
    ("execution", 6),
)
OPEN_CLOCK = {
    "clue": ("verification", "wd", 15),
    "verification": ("verification", "wd", 15),
    "investigation": ("decision", "days", 90),
    "review": ("review", "wd", 10),
    "notice": ("defence", "wd", 5),
    "hearing": ("hearing_presiding", "wd", 3),
    "decided": ("service", "wd", 7),
    "execution": ("payment", "days", 15),
}
SOURCES = ("inspection", "complaint", "sampling", "risk_warning", "traceability")
TITLES = ("销售劣药", "无处方销售处方药", "销售过期药品", "串换药品结算", "未按规定储存药品")
PATHS_CASES = [
    "/enforcement/cases/",
    "/enforcement/cases/?stage=investigation",
    "/enforcement/cases/?due=overdue",
    "/enforcement/cases/?due=soon",
    "/enforcement/cases/?page=5",
    "/enforcement/cases/?stage=closed&page=20",
    f"/enforcement/cases/?officer={USERNAME}",
    "/enforcement/cases/?region=540102&stage=execution",
]

EXPLAIN = """
import json
from django.db import connection
from yaojian.accounts.models import User
from yaojian.enforcement import selectors
user = User.objects.get(username="{username}")
plans = {{}}
fields = selectors.CASE_ROW_FIELDS
mine = selectors.my_cases(user)
officer = selectors.department_cases(user, {{"officer": "{username}"}})
queries = {{
    "my_cases": mine.only(*fields)[:25],
    "my_cases_capped_count": mine.order_by().values_list("pk", flat=True)[:1001],
    "department_cases": selectors.department_cases(user, {{}}).only(*fields)[:25],
    "department_cases_overdue": selectors.department_cases(user, {{"due": "overdue"}}).only(
        *fields)[:25],
    "department_cases_officer": officer.only(*fields)[:25],
    "department_cases_officer_capped_count": officer.order_by().values_list(
        "pk", flat=True)[:1001],
    "stage_counts": selectors.Case.objects.led_by(user).values("stage").annotate(
        n=selectors.Count("id")).order_by(),
}}
for name, qs in queries.items():
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plans[name] = "\\n".join(row[0] for row in cursor.fetchall())
print(json.dumps(plans, ensure_ascii=False))
"""


def _weighted(rng: random.Random) -> str:
    roll = rng.randrange(100)
    for stage, weight in STAGES:
        if roll < weight:
            return stage
        roll -= weight
    return "closed"


def seed_cases(url: str, total: int, seed: int = 54) -> dict[str, int]:
    """Write ``total`` cases with their officers and clocks by COPY (seconds, not minutes)."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(ZoneInfo("Asia/Shanghai")).date()
    with psycopg.connect(url) as conn:
        departments = conn.execute(
            "SELECT id, code, region_id FROM accounts_department "
            "WHERE kind IN ('market_regulator', 'drug_regulator') AND region_id LIKE '54%%' "
            "ORDER BY code"
        ).fetchall()
        officers: dict[int, list[int]] = {}
        for department_id, user_id in conn.execute(
            "SELECT department_id, user_id FROM accounts_membership "
            "WHERE role = 'case_officer' AND is_active ORDER BY user_id"
        ).fetchall():
            officers.setdefault(department_id, []).append(user_id)
        demo_user = conn.execute(
            "SELECT id FROM accounts_user WHERE username = %s", [USERNAME]
        ).fetchone()
        demo_department = next(d for d in departments if d[1] == DEPARTMENT)
        start_id = conn.execute("SELECT COALESCE(MAX(id), 0) FROM enforcement_case").fetchone()[0]
        case_rows, officer_rows, clock_rows = [], [], []
        for n in range(total):
            department = (
                demo_department
                if rng.random() < 0.2
                else departments[rng.randrange(len(departments))]
            )
            department_id, code, region = department
            case_id = start_id + n + 1
            stage = _weighted(rng)
            received = today - dt.timedelta(days=rng.randint(1, 1100))
            created = now - dt.timedelta(days=(today - received).days)
            open_clock = OPEN_CLOCK.get(stage)
            due = today + dt.timedelta(days=rng.randint(-35, 90)) if open_clock else None
            filed = stage not in ("clue", "verification", "not_filed")
            case_rows.append(
                (
                    case_id,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    created,
                    created,
                    f"{code}-{received.year}-B{n:07d}",
                    department_id,
                    region,
                    stage,
                    SOURCES[n % len(SOURCES)],
                    "",
                    f"{TITLES[n % len(TITLES)]}案（批量{n}）",
                    "",
                    f"拉萨批量测试药房{n % 5000}号店",
                    "",
                    False,
                    "",
                    "",
                    received,
                    n % 17 == 0,
                    "不予立案" if stage == "not_filed" else "",
                    received + dt.timedelta(days=5) if filed else None,
                    None,
                    None,
                    received + dt.timedelta(days=80) if stage == "closed" else None,
                    "",
                    due,
                    open_clock[0] if open_clock else "",
                )
            )
            # The demo officer works one in ten of its department's cases, not a random share.
            staff = [u for u in officers.get(department_id, []) if u != demo_user[0]]
            staff = staff or [demo_user[0]]
            pair = rng.sample(staff, k=min(2, len(staff)))
            if department is demo_department and demo_user and rng.random() < 0.1:
                pair = [demo_user[0], *[u for u in pair if u != demo_user[0]][:1]]
            for index, user_id in enumerate(pair):
                officer_rows.append(
                    (case_id, user_id, "lead" if index == 0 else "assistant", created, created)
                )
            clock_rows.append(
                (
                    case_id,
                    "verification",
                    "wd",
                    15,
                    received,
                    received + dt.timedelta(days=21),
                    "stopped",
                    received + dt.timedelta(days=5),
                    True,
                    department_id,
                    "",
                )
            )
            if open_clock:
                kind, unit, period = open_clock
                started = due - dt.timedelta(days=period if unit == "days" else period * 7 // 5)
                clock_rows.append(
                    (
                        case_id,
                        kind,
                        unit,
                        period,
                        started,
                        due,
                        "running",
                        None,
                        None,
                        department_id,
                        "",
                    )
                )
        with conn.cursor() as cursor:
            with cursor.copy(
                "COPY enforcement_case (id, public_id, created_at, updated_at, number, "
                "department_id, region_id, stage, source, source_reference, title, facts, "
                "party_name, party_credit_code, party_is_person, party_id_number, "
                "legal_representative, clue_received_on, is_major, not_filed_reason, filed_on, "
                "decided_on, served_on, closed_on, closing_note, next_due_on, next_clock_kind, "
                "party_kind) FROM STDIN"
            ) as copy:
                for row in case_rows:
                    copy.write_row((*row, "natural_person" if row[14] else "organisation"))
            with cursor.copy(
                "COPY enforcement_caseofficer (case_id, user_id, role, created_at, updated_at) "
                "FROM STDIN"
            ) as copy:
                for row in officer_rows:
                    copy.write_row(row)
            with cursor.copy(
                "COPY enforcement_caseclock (case_id, kind, unit, period, started_on, due_on, "
                "state, stopped_on, met, department_id, label, provisional) FROM STDIN"
            ) as copy:
                for row in clock_rows:
                    copy.write_row((*row, False))
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('enforcement_case', 'id'), "
                "(SELECT MAX(id) FROM enforcement_case))"
            )
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {"cases": len(case_rows), "officers": len(officer_rows), "clocks": len(clock_rows)}


def case_count(url: str) -> int:
    try:
        with psycopg.connect(url) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM enforcement_case").fetchone()[0])
    except psycopg.Error:
        return 0


def ensure_database(
    total: int, reseed: bool, reseed_cases: bool = False
) -> tuple[str, dict[str, float]]:
    url = harness.database_url("postgresql", NAME)
    exists = harness.database_exists("postgresql", NAME)
    if not (reseed or reseed_cases) and exists and case_count(url) >= total:
        harness.log(f"reusing {NAME} ({case_count(url)} cases)")
        # The schema may have changed since (new indexes): migrate is a no-op otherwise.
        harness.manage(url, "migrate", "--no-input", "-v0")
        return url, {}
    timings: dict[str, float] = {}
    if reseed or not exists or not harness.entity_count(url):
        url = harness.recreate_database("postgresql", NAME)
        harness.log(f"preparing {NAME}")
        harness.prepare_database(url)
        timings["seed_demo_seconds"] = round(harness.timed_seed(url, 3000), 1)
    else:
        harness.manage(url, "migrate", "--no-input", "-v0")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("TRUNCATE enforcement_case CASCADE")
    started = time.monotonic()
    counts = seed_cases(url, total)
    timings["seed_cases_seconds"] = round(time.monotonic() - started, 1)
    harness.log(f"seeded {counts} in {timings['seed_cases_seconds']} s")
    return url, timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--reseed", action="store_true", help="Rebuild the whole database.")
    parser.add_argument(
        "--reseed-cases", action="store_true", help="Keep the province, rewrite the cases."
    )
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=0.0,
        help="Before measuring, wait (at most 15 min) until the load average is below this.",
    )
    args = parser.parse_args()
    if not harness.postgres_reachable():
        harness.log("postgresql: not reachable (BENCH_PG_ADMIN_URL)")
        return 1
    url, timings = ensure_database(args.cases, args.reseed, args.reseed_cases)
    results: list[harness.Stats] = []
    with harness.gunicorn(url) as base:

        def anonymous() -> httpx.Client:
            return httpx.Client(base_url=base, timeout=60)

        def page() -> httpx.Client:
            return harness.login(base, USERNAME, harness.BENCH_PASSWORD)

        targets = [
            ("healthz", anonymous, ["/healthz"]),
            ("my work /enforcement/", page, ["/enforcement/"]),
            ("case list /enforcement/cases/", page, PATHS_CASES),
        ]
        if args.quiet_below:
            harness.wait_until_quiet(args.quiet_below)
        load_before = harness.load_average()
        harness.log(f"warming up (load average {load_before:.2f})")
        for name, make, paths in targets:
            harness.fire(name, make, paths, requests=2 * len(paths) + 6, concurrency=1)
        for name, make, paths in targets:
            stats = harness.fire(
                name, make, paths, requests=args.requests, concurrency=args.concurrency
            )
            harness.log(
                f"{name}: p50 {stats.p50} ms, p95 {stats.p95} ms, p99 {stats.p99} ms, "
                f"errors {stats.errors}"
            )
            results.append(stats)
        per_path = []
        client = page()
        for path in ["/enforcement/", *PATHS_CASES]:
            stats = harness.fire(path, lambda c=client: c, [path], requests=8, concurrency=1)
            per_path.append({"path": path, "p50": stats.p50, "max": stats.max})
    baseline = results[0]
    payload: dict[str, object] = {
        "cases": case_count(url),
        **timings,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "load_average_before": load_before,
        "load_average_after": harness.load_average(),
        "targets": [s.row(baseline) for s in results],
        "per_path": per_path,
        "machine": harness.machine(),
    }
    harness.log("EXPLAIN ANALYZE of the page queries")
    payload["explain"] = json.loads(
        harness.shell(url, EXPLAIN.format(username=USERNAME)).splitlines()[-1]
    )
    path = harness.save("cases_pages", payload)
    harness.log(f"results: {path}")
    for row in payload["targets"]:  # type: ignore[attr-defined]
        print(
            f"  {row['target']:<32} p50 {row['p50']:>7} ms  p95 {row['p95']:>7} ms  "
            f"p99 {row['p99']:>7} ms  x{row.get('p95_ratio', 1)} (p95 vs healthz)  "
            f"errors {row['errors']}"
        )
    for row in per_path:
        print(f"  {row['path']:<50} p50 {row['p50']:>7} ms  max {row['max']:>7} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
