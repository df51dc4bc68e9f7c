"""PostgreSQL only: single characters become postings; a bulk write leaves its postings to
the worker (ADR 0032).

Writing the postings of 100,000 imported entities inside the import's transaction costs about
a million index insertions on three indexes — as much again as the import itself. A statement
that inserts or renames more than 1,000 entities now only records their ids in
``registry_entity_gram_pending``; ``registry.search_postings`` (a periodic task of the worker,
every minute, also run at once after a bulk import) writes their postings in batches. While
any id is pending, the name search takes the general path (ADR 0014), so its answers stay
exact; small writes (a form, a single import row) keep their postings in step at once.
"""

import importlib

from django.db import migrations

CREATE = r"""
CREATE TABLE IF NOT EXISTS registry_entity_gram_pending (entity_id bigint PRIMARY KEY);

-- Single characters are postings too: a one-character query (药, 阿) reads its page in name
-- order like any other.
CREATE OR REPLACE FUNCTION registry_entity_grams_of(key text) RETURNS SETOF varchar AS $$
    SELECT DISTINCT substr(key, 2 * i - 1, 1) || substr(key, 2 * i + 1, 1)
    FROM generate_series(1, length(coalesce(key, '')) / 2 - 1) AS i
    UNION
    SELECT substr(key, 2 * i - 1, 1) FROM generate_series(1, length(coalesce(key, '')) / 2) AS i
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION registry_entity_gram_inserted() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows OFFSET 1000) THEN
        INSERT INTO registry_entity_gram_pending (entity_id)
        SELECT id FROM new_rows ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO registry_entity_gram (gram, name, entity_id, region_id)
        SELECT g, n.name, n.id, n.region_id
        FROM new_rows AS n, registry_entity_grams_of(n.search_key) AS g
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION registry_entity_gram_updated() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
        WHERE n.search_key IS DISTINCT FROM o.search_key OR n.name IS DISTINCT FROM o.name
           OR n.region_id IS DISTINCT FROM o.region_id
        OFFSET 1000
    ) THEN
        INSERT INTO registry_entity_gram_pending (entity_id)
        SELECT n.id FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id
        WHERE n.search_key IS DISTINCT FROM o.search_key OR n.name IS DISTINCT FROM o.name
           OR n.region_id IS DISTINCT FROM o.region_id
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END IF;
    DELETE FROM registry_entity_gram AS p
    USING new_rows AS n JOIN old_rows AS o ON o.id = n.id
    WHERE p.entity_id = n.id
      AND (n.search_key IS DISTINCT FROM o.search_key OR n.name IS DISTINCT FROM o.name
           OR n.region_id IS DISTINCT FROM o.region_id);
    INSERT INTO registry_entity_gram (gram, name, entity_id, region_id)
    SELECT g, n.name, n.id, n.region_id
    FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id, registry_entity_grams_of(n.search_key) AS g
    WHERE n.search_key IS DISTINCT FROM o.search_key OR n.name IS DISTINCT FROM o.name
       OR n.region_id IS DISTINCT FROM o.region_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION registry_entity_gram_deleted() RETURNS trigger AS $$
BEGIN
    DELETE FROM registry_entity_gram WHERE entity_id IN (SELECT id FROM old_rows);
    DELETE FROM registry_entity_gram_pending WHERE entity_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION registry_entity_gram_truncate() RETURNS trigger AS $$
BEGIN
    TRUNCATE registry_entity_gram, registry_entity_gram_pending;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- The single characters of the entities already registered (one character per posting, so
-- no pair conflicts with them), inserted with the indexes dropped and rebuilt sorted after.
ALTER TABLE registry_entity_gram DROP CONSTRAINT IF EXISTS registry_entity_gram_pkey;
DROP INDEX IF EXISTS registry_entity_gram_region;
DROP INDEX IF EXISTS registry_entity_gram_entity;
INSERT INTO registry_entity_gram (gram, name, entity_id, region_id)
SELECT DISTINCT substr(e.search_key, 2 * i - 1, 1), e.name, e.id, e.region_id
FROM registry_entity AS e, generate_series(1, length(coalesce(e.search_key, '')) / 2) AS i;
ALTER TABLE registry_entity_gram ADD CONSTRAINT registry_entity_gram_pkey
    PRIMARY KEY (gram, name, entity_id);
CREATE INDEX registry_entity_gram_region ON registry_entity_gram (gram, region_id, name, entity_id);
CREATE INDEX registry_entity_gram_entity ON registry_entity_gram (entity_id);
ANALYZE registry_entity_gram;
"""

DROP = "DROP TABLE IF EXISTS registry_entity_gram_pending;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        previous = importlib.import_module("yaojian.registry.migrations.0007_entity_gram_postings")
        schema_editor.execute(previous.CREATE)  # the triggers' functions of 0007


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_entity_gram_postings")]

    operations = [migrations.RunPython(forwards, backwards)]
