"""The name postings' catch-up after bulk writes (PostgreSQL, ADR 0032).

The triggers on ``registry_entity`` write the postings of small writes at once; a statement
that inserts or renames more than 1,000 entities leaves their ids in
``registry_entity_gram_pending``. ``refresh_postings`` writes those postings in batches, each
in its own short transaction (``FOR UPDATE SKIP LOCKED``: two workers never take the same
ids). It is idempotent: a killed run leaves the untouched ids pending for the next one.
"""

from __future__ import annotations

from django.db import connection, transaction

BATCH = 5_000
PENDING_TABLE = "registry_entity_gram_pending"


def postings_enabled() -> bool:
    return connection.vendor == "postgresql"


def pending_count() -> int:
    """How many entities wait for their postings (0 on SQLite)."""
    if not postings_enabled():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_entity_gram_pending")
        return int(cursor.fetchone()[0])


def any_pending() -> bool:
    """True while a bulk write's postings are not written yet (the search then takes the
    general path, whose answers are exact without them)."""
    if not postings_enabled():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM registry_entity_gram_pending)")
        return bool(cursor.fetchone()[0])


def refresh_postings(batch: int = BATCH) -> int:
    """Write the postings of every pending entity; returns how many entities were done."""
    if not postings_enabled():
        return 0
    done = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT entity_id FROM registry_entity_gram_pending ORDER BY entity_id "
                "LIMIT %s FOR UPDATE SKIP LOCKED",
                [batch],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return done
            cursor.execute("DELETE FROM registry_entity_gram WHERE entity_id = ANY(%s)", [ids])
            cursor.execute(
                "INSERT INTO registry_entity_gram (gram, name, entity_id, region_id) "
                "SELECT g, e.name, e.id, e.region_id "
                "FROM registry_entity AS e, registry_entity_grams_of(e.search_key) AS g "
                "WHERE e.id = ANY(%s) ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING",
                [ids],
            )
            cursor.execute(
                "DELETE FROM registry_entity_gram_pending WHERE entity_id = ANY(%s)", [ids]
            )
        done += len(ids)
