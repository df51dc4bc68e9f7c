"""Build a large PostgreSQL registry for the search benchmark in minutes, not half an hour.

    uv run python bench/build_search_db.py [--entities 1000000] [--base 50000]
        [--name bench_registry_1000000]

``seed_demo --entities 1000000`` takes about 24 minutes. This script runs ``seed_demo`` for a
base province of ``--base`` entities (the project's own generator: realistic Tibetan and Han
names, place names, addresses, regions spread over every county of Tibet, licences), then
multiplies it inside PostgreSQL with ``INSERT … SELECT`` until the registry holds
``--entities``: each copy gets new ids and public ids, no credit code (the code is unique) and
its licences with the number suffixed by the copy number (``-7``). Names, search keys,
regions, kinds and addresses keep the base's distribution, so how often a fragment matches
and where its matches sort are those of the generator at any size.

Bench-only: it writes straight into the tables of a scratch database named ``bench…``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

SKIP = {"id", "public_id"}


def _columns(conn: psycopg.Connection, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
        " ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def multiply(url: str, entities: int) -> dict[str, int]:
    """Copy the base rows until the registry holds ``entities`` entities."""
    with psycopg.connect(url, autocommit=True) as conn:
        base_max = conn.execute("SELECT max(id) FROM registry_entity").fetchone()[0]
        base_count = conn.execute("SELECT count(*) FROM registry_entity").fetchone()[0]
        licence_max = conn.execute("SELECT coalesce(max(id), 0) FROM registry_licence").fetchone()[
            0
        ]
        e_cols = [c for c in _columns(conn, "registry_entity") if c not in SKIP]
        l_cols = [c for c in _columns(conn, "registry_licence") if c not in SKIP]
        copies = 0
        total = base_count
        while total < entities:
            copies += 1
            take = min(base_count, entities - total)
            offset = copies * base_max
            replace = {
                "unified_social_credit_code": "NULL",
                "parent_id": "NULL",
            }
            select = ", ".join(replace.get(c, c) for c in e_cols)
            conn.execute(
                f"INSERT INTO registry_entity (id, public_id, {', '.join(e_cols)}) "  # noqa: S608
                f"SELECT id + {offset}, gen_random_uuid(), {select} FROM registry_entity "
                f"WHERE id <= {base_max} ORDER BY id LIMIT {take}"
            )
            l_replace = {
                "entity_id": f"entity_id + {offset}",
                "number": f"number || '-{copies}'",
            }
            l_select = ", ".join(l_replace.get(c, c) for c in l_cols)
            conn.execute(
                f"INSERT INTO registry_licence (id, public_id, {', '.join(l_cols)}) "  # noqa: S608
                f"SELECT id + {copies * licence_max}, gen_random_uuid(), {l_select} "
                f"FROM registry_licence WHERE id <= {licence_max} "
                f"AND entity_id + {offset} IN (SELECT id FROM registry_entity)"
            )
            total += take
            harness.log(f"copy {copies}: {total} entities")
        for table in ("registry_entity", "registry_licence"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        rebuild_postings(conn)
        # what ``manage.py cluster_registry`` does nightly in production (ADR 0024): the
        # entities in name order on disk, so a dense search's sort reads few pages
        conn.execute("CLUSTER registry_entity USING registry_entity_name_id")
        conn.execute("VACUUM ANALYZE registry_entity")
        conn.execute("VACUUM ANALYZE registry_licence")
        licences = conn.execute("SELECT count(*) FROM registry_licence").fetchone()[0]
    return {"entities": total, "licences": licences, "copies": copies}


def rebuild_postings(conn: psycopg.Connection) -> None:
    """Write the name postings of every copy at once (ADR 0032).

    Each copy's ``INSERT … SELECT`` writes more than 1,000 entities, so the triggers only queued
    their ids; ``refresh_postings`` would then insert 25 M postings into three live indexes
    (hours). As migration ``registry/0008`` does, insert with the indexes dropped and build them
    sorted after."""
    harness.log("postings: rebuilding with the indexes dropped")
    conn.execute(
        "ALTER TABLE registry_entity_gram DROP CONSTRAINT IF EXISTS registry_entity_gram_pkey"
    )
    conn.execute("DROP INDEX IF EXISTS registry_entity_gram_region")
    conn.execute("DROP INDEX IF EXISTS registry_entity_gram_entity")
    conn.execute("TRUNCATE registry_entity_gram, registry_entity_gram_pending")
    conn.execute(
        "INSERT INTO registry_entity_gram (gram, name, entity_id, region_id) "
        "SELECT DISTINCT g, e.name, e.id, e.region_id "
        "FROM registry_entity AS e, registry_entity_grams_of(e.search_key) AS g"
    )
    conn.execute(
        "ALTER TABLE registry_entity_gram ADD CONSTRAINT registry_entity_gram_pkey "
        "PRIMARY KEY (gram, name, entity_id)"
    )
    conn.execute(
        "CREATE INDEX registry_entity_gram_region ON registry_entity_gram "
        "(gram, region_id, name, entity_id)"
    )
    conn.execute("CREATE INDEX registry_entity_gram_entity ON registry_entity_gram (entity_id)")
    conn.execute("ANALYZE registry_entity_gram")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--base", type=int, default=50_000)
    parser.add_argument("--name", default="")
    args = parser.parse_args()
    name = args.name or f"bench_registry_{args.entities}"
    url = harness.recreate_database("postgresql", name)
    started = time.monotonic()
    harness.log(f"{name}: migrating, loading regions")
    harness.prepare_database(url)
    harness.log(f"{name}: seed_demo --entities {args.base}")
    seed = harness.timed_seed(url, args.base)
    harness.log(f"{name}: base seeded in {seed:.0f} s; multiplying")
    counts = multiply(url, args.entities)
    seconds = time.monotonic() - started
    harness.log(f"{name}: {counts} in {seconds:.0f} s")
    harness.save(
        f"build_search_db-{args.entities}",
        {"machine": harness.machine(), "seconds": round(seconds, 1), "seed": seed, **counts},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
