"""Recompute every credit grade, set-based, on PostgreSQL (issue 11: 1,000,000 entities with
5,000,000 records in under 5 minutes).

    uv run python bench/credit_grades.py [--entities 1000000] [--records 5000000]
        [--database bench_credit_grades] [--reuse]

The scratch database (``bench_credit_grades``) is migrated, the regions loaded, and the entities (all in
the demo province 54, spread over its counties) and records (kinds, dates and expiries drawn
pseudo-randomly, 2 % serious-dishonesty listings) are generated in SQL with
``generate_series``. Then ``credit.grades.recompute()`` runs three times: the first grading (every
grade and history row new), an unchanged re-run, and a re-run after one record in a hundred was
withdrawn. Each is one aggregate plus two INSERT … SELECT statements per province.

Seeding runs with ``session_replication_role = replica`` (no triggers: neither the name postings
of the entity search, which this benchmark does not use, nor the foreign-key checks of rows the
SQL generates consistently). The baseline, timed before each run in the same process, is one
sequential scan of the records (``SELECT count(*), sum(length(kind))``): the recompute's ratio to
it says how much the grading costs beyond reading the records once, whatever the load.
``--reuse`` keeps a seeded database (the grades are deleted first, so the first run is a first
grading again). Results: var/bench/credit_grades.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import psycopg

NAME = "bench_credit_grades"

KINDS = (
    "penalty",
    "penalty",
    "heavy_penalty",
    "insurance_measure",
    "health_finding",
    "clean_year",
    "inspection_passed",
    "training",
    "training",
    "commitment",
)

SEED_SQL = """
SET session_replication_role = replica;
INSERT INTO accounts_department (public_id, code, name, kind, level, region_id, is_active, created_at, updated_at)
VALUES (gen_random_uuid(), 'BENCH-540000', 'bench regulator', 'drug_regulator', 'province', '540000', true, now(), now())
ON CONFLICT DO NOTHING;

CREATE TEMP TABLE counties AS
  SELECT row_number() OVER (ORDER BY code) - 1 AS n, code FROM territory_region
  WHERE code LIKE '54%%' AND level = 'county';

INSERT INTO registry_entity (public_id, name, search_key, unified_social_credit_code, kind, status,
  region_id, address, legal_representative, registered_by_id, created_at, updated_at)
SELECT gen_random_uuid(), 'bench entity ' || g, 'bench0entity0' || g, NULL, 'single_pharmacy',
  'active', c.code, '', '', (SELECT id FROM accounts_department WHERE code = 'BENCH-540000'),
  now(), now()
FROM generate_series(1, %(entities)s) g
JOIN counties c ON c.n = g %% (SELECT count(*) FROM counties);

INSERT INTO credit_creditrecord (public_id, entity_id, person_id, region_id, kind, status, origin,
  source_department_id, legal_basis, summary, conduct, occurred_on, expires_on, origin_ref,
  created_at, updated_at)
SELECT gen_random_uuid(), e.id, NULL, e.region_id,
  CASE WHEN g %% 50 = 0 THEN 'serious_dishonesty'
       ELSE (ARRAY{kinds})[1 + (g * 7919) %% {nkinds}] END,
  'active', 'import', (SELECT id FROM accounts_department WHERE code = 'BENCH-540000'),
  'bench', '', '', DATE '2024-01-01' + ((g * 31) %% 900)::int,
  CASE WHEN g %% 3 = 0 THEN NULL ELSE DATE '2024-01-01' + ((g * 31) %% 900)::int + (365 * (1 + g %% 3))::int END,
  '', now(), now()
FROM generate_series(1::bigint, %(records)s) g
JOIN registry_entity e ON e.id = (SELECT min(id) FROM registry_entity) + ((g * 104729) %% %(entities)s)::int;
SET session_replication_role = DEFAULT;
ANALYZE;
"""


def seed(url: str, entities: int, records: int) -> float:
    started = time.monotonic()
    kinds = "[" + ",".join(f"'{k}'" for k in KINDS) + "]"
    sql = SEED_SQL.replace("{kinds}", kinds).replace("{nkinds}", str(len(KINDS)))
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in [s for s in sql.split(";\n") if s.strip()]:
            conn.execute(statement, {"entities": entities, "records": records})
    return time.monotonic() - started


RECOMPUTE = """
import time
from django.db import connection
from yaojian.credit import grades
from yaojian.credit.models import CreditRecord, CreditGrade
def scan():
    started = time.monotonic()
    with connection.cursor() as c:
        c.execute("SELECT count(*), sum(length(kind)) FROM credit_creditrecord")
    return time.monotonic() - started
def run(label):
    base = scan()
    started = time.monotonic()
    changed = grades.recompute()
    print(f"{label} {time.monotonic() - started:.1f} {changed} {base:.2f} {open('/proc/loadavg').read().split()[0]}")
with connection.cursor() as c:
    c.execute("DELETE FROM credit_gradechange")
    c.execute("DELETE FROM credit_creditgrade")
    c.execute("UPDATE credit_creditrecord SET status = 'active' WHERE status = 'withdrawn'")
scan()
run("first")
run("unchanged")
with connection.cursor() as c:
    c.execute("UPDATE credit_creditrecord SET status = 'withdrawn' WHERE id %% 100 = 0")
run("after_withdrawals")
print("grades", dict((g, n) for g, n in CreditGrade.objects.values_list('grade').annotate(__import__('django').db.models.Count('entity_id')).order_by()))
""".replace("%%", "%")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--database", default=NAME, help="scratch database (bench…)")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded database")
    args = parser.parse_args()
    if not harness.postgres_reachable():
        harness.log("postgresql: not reachable (BENCH_PG_ADMIN_URL)")
        return 1
    url = harness.database_url("postgresql", args.database)
    load_before = harness.load_average()
    seeded = 0.0
    if args.reuse and harness.database_exists("postgresql", args.database):
        harness.manage(url, "migrate", "--no-input", "-v0")
    else:
        url = harness.recreate_database("postgresql", args.database)
        harness.prepare_database(url)
        seeded = seed(url, args.entities, args.records)
        harness.log(f"seeded {args.entities} entities, {args.records} records in {seeded:.0f} s")
    out = harness.shell(url, RECOMPUTE)
    harness.log(out)
    runs = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] != "grades":
            seconds, scan = float(parts[1]), float(parts[3])
            runs[parts[0]] = {
                "seconds": seconds,
                "changed": int(parts[2]),
                "baseline_scan_seconds": scan,
                "ratio_to_scan": round(seconds / scan, 1) if scan else None,
                "load_average": float(parts[4]),
            }
    payload = {
        "database": args.database,
        "entities": args.entities,
        "records": args.records,
        "seed_seconds": round(seeded, 1),
        "runs": runs,
        "grades": out.splitlines()[-1],
        "load_average_before": load_before,
        "load_average_after": harness.load_average(),
        "machine": harness.machine(),
    }
    harness.log(f"results: {harness.save('credit_grades', payload)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
