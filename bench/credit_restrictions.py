"""``check_restrictions`` through its API on loopback, beside a trivial view (issue 11: p95 under
20 ms at 1,000,000 entities and 2,000,000 persons, under load).

    uv run python bench/credit_restrictions.py [--entities 1000000] [--persons 2000000]
        [--requests 600] [--concurrency 3] [--database bench_credit_r] [--reuse]

``--reuse`` keeps an existing database of that name (seeded by an earlier run) so that two
versions of the code can be measured on the same data one after the other.

The scratch database ``bench_credit_r`` gets ``--entities`` entities with credit codes, twice as
many persons with identity card numbers, one record per entity (1 % serious-dishonesty
listings) and a practice ban on 1 % of the persons, generated in SQL (``INSERT … SELECT
generate_series`` with ``session_replication_role = replica``: no triggers, so neither the
entity search's name postings, which the check does not use, nor foreign-key checks of rows
the SQL generates consistently). gunicorn serves on a
free loopback port (3 workers × 4 threads); in the same run, concurrently from
``--concurrency`` clients: ``/healthz`` (the trivial view), ``GET
/api/v1/credit/restrictions/?subject=<USCC>&action=licence.issue`` and ``POST`` of a person's
identity card number (``person.appoint``), random subjects. When the answer carries
``Server-Timing: check;dur=<ms>`` (the check itself, timed in the view), those figures are
reported too ("… (check)"). Results: var/bench/credit_restrictions.json.
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import httpx
import psycopg

NAME = "bench_credit_r"

SEED_SQL = """
SET session_replication_role = replica;
INSERT INTO accounts_department (public_id, code, name, kind, level, region_id, is_active, created_at, updated_at)
VALUES (gen_random_uuid(), 'BENCH-540000', 'bench regulator', 'drug_regulator', 'province', '540000', true, now(), now());

INSERT INTO registry_entity (public_id, name, search_key, unified_social_credit_code, kind, status,
  region_id, address, legal_representative, registered_by_id, created_at, updated_at)
SELECT gen_random_uuid(), 'bench entity ' || g, 'bench0entity0' || g, 'B' || lpad(g::text, 17, '0'),
  'single_pharmacy', 'active', '540102', '', '',
  (SELECT id FROM accounts_department WHERE code = 'BENCH-540000'), now(), now()
FROM generate_series(1, %(entities)s) g;

INSERT INTO registry_person (public_id, name, id_number, phone, qualification, certificate_number,
  region_id, department_id, created_at, updated_at)
SELECT gen_random_uuid(), 'p' || g, 'P' || lpad(g::text, 17, '0'), '', '', '', '540102',
  (SELECT id FROM accounts_department WHERE code = 'BENCH-540000'), now(), now()
FROM generate_series(1, %(persons)s) g;

INSERT INTO credit_creditrecord (public_id, entity_id, person_id, region_id, kind, status, origin,
  source_department_id, legal_basis, summary, conduct, occurred_on, expires_on, origin_ref,
  created_at, updated_at)
SELECT gen_random_uuid(), e.id, NULL, '540102',
  CASE WHEN e.id %% 100 = 0 THEN 'serious_dishonesty' ELSE 'penalty' END, 'active', 'import',
  (SELECT id FROM accounts_department WHERE code = 'BENCH-540000'), '第15条', '', '',
  DATE '2026-01-05', DATE '2029-01-05', '', now(), now()
FROM registry_entity e;

INSERT INTO credit_creditrecord (public_id, entity_id, person_id, region_id, kind, status, origin,
  source_department_id, legal_basis, summary, conduct, occurred_on, expires_on, origin_ref,
  created_at, updated_at)
SELECT gen_random_uuid(), NULL, p.id, '540102', 'practice_ban', 'active', 'import',
  (SELECT id FROM accounts_department WHERE code = 'BENCH-540000'), '第118条', '', '',
  DATE '2026-01-05', NULL, '', now(), now()
FROM registry_person p WHERE p.id %% 100 = 0;
SET session_replication_role = DEFAULT;
ANALYZE;
"""

SETUP_CLIENT = """
from yaojian.accounts.models import Department, Membership, User
from rest_framework.authtoken.models import Token
user, _ = User.objects.get_or_create(username="bench-credit")
Membership.objects.get_or_create(user=user, department=Department.objects.get(code="BENCH-540000"), defaults={"role": "inspector"})
print(Token.objects.get_or_create(user=user)[0].key)
"""


def _percentile(values: list[float], fraction: float) -> float:
    return round(harness.percentile(sorted(values), fraction), 1)


def _seeded(url: str) -> bool:
    """True when the database exists and holds the bench department."""
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            return bool(
                conn.execute(
                    "SELECT 1 FROM accounts_department WHERE code = 'BENCH-540000'"
                ).fetchone()
            )
    except psycopg.Error:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--database", default=NAME, help="scratch database (bench…)")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded database")
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    args = parser.parse_args()
    if not harness.postgres_reachable():
        harness.log("postgresql: not reachable (BENCH_PG_ADMIN_URL)")
        return 1
    started = time.monotonic()
    url = harness.database_url("postgresql", args.database)
    if not (args.reuse and _seeded(url)):
        url = harness.recreate_database("postgresql", args.database)
        harness.prepare_database(url)
        with psycopg.connect(url, autocommit=True) as conn:
            for statement in [s for s in SEED_SQL.split(";\n") if s.strip()]:
                conn.execute(statement, {"entities": args.entities, "persons": args.persons})
    else:
        harness.manage(url, "migrate", "--no-input", "-v0")
    seeded = time.monotonic() - started
    harness.log(f"seeded in {seeded:.0f} s")
    if args.seed_only:
        return 0
    token = harness.shell(url, SETUP_CLIENT).splitlines()[-1]
    rng = random.Random(54)
    latencies: dict[str, list[float]] = {"healthz": [], "entity GET": [], "person POST": []}
    errors = dict.fromkeys(latencies, 0)
    checks: dict[str, list[float]] = {}
    lock = threading.Lock()
    load_before = harness.load_average()
    with harness.gunicorn(url) as base:

        def one(client: httpx.Client, kind: str) -> None:
            if kind == "healthz":
                request = lambda: client.get("/healthz")  # noqa: E731
            elif kind == "entity GET":
                code = "B" + str(rng.randint(1, args.entities)).zfill(17)
                request = lambda: client.get(  # noqa: E731
                    "/api/v1/credit/restrictions/",
                    params={"subject": code, "action": "licence.issue"},
                )
            else:
                number = "P" + str(rng.randint(1, args.persons)).zfill(17)
                request = lambda: client.post(  # noqa: E731
                    "/api/v1/credit/restrictions/",
                    json={"id_number": number, "action": "person.appoint"},
                )
            t0 = time.perf_counter()
            response = request()
            ok = response.status_code == 200
            elapsed = (time.perf_counter() - t0) * 1000
            timing = response.headers.get("server-timing", "")
            with lock:
                latencies[kind].append(elapsed)
                errors[kind] += 0 if ok else 1
                if timing.startswith("check;dur="):  # the check itself, timed in the view
                    checks.setdefault(f"{kind} (check)", []).append(float(timing[10:]))

        kinds = list(latencies)

        def worker(n: int) -> None:
            client = httpx.Client(
                base_url=base, timeout=60, headers={"Authorization": f"Token {token}"}
            )
            for i in range(args.requests // args.concurrency):
                one(client, kinds[(i + n) % len(kinds)])

        warm = httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Token {token}"})
        for _ in range(20):
            one(warm, "entity GET")
            one(warm, "person POST")
        for values in [*latencies.values(), *checks.values()]:
            values.clear()
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    rows = {
        kind: {
            "requests": len(values),
            "errors": errors[kind],
            "p50_ms": _percentile(values, 0.5),
            "p95_ms": _percentile(values, 0.95),
            "p99_ms": _percentile(values, 0.99),
        }
        for kind, values in latencies.items()
    }
    rows.update(
        {
            kind: {
                "requests": len(values),
                "p50_ms": _percentile(values, 0.5),
                "p95_ms": _percentile(values, 0.95),
                "p99_ms": _percentile(values, 0.99),
            }
            for kind, values in checks.items()
        }
    )
    for kind, row in rows.items():
        harness.log(f"{kind:<12} {row}")
    payload = {
        "database": args.database,
        "entities": args.entities,
        "persons": args.persons,
        "seed_seconds": round(seeded, 1),
        "targets": rows,
        "load_average_before": load_before,
        "load_average_after": harness.load_average(),
        "machine": harness.machine(),
    }
    harness.log(f"results: {harness.save('credit_restrictions', payload)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
