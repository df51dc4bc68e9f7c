"""PostgreSQL only: postings of the name search, kept by a trigger (ADR 0032).

``registry_entity_gram`` holds one row per entity and pair of adjacent characters of its
normalised name (the search key interleaves every character with ``0``, ADR 0003: the
characters sit at the odd positions). A two-character fragment is then found in name order by
walking ``(gram, name, entity_id)``, or county by county by walking
``(gram, region_id, name, entity_id)``: the first page of a search reads 25 postings whatever
the number of matches and wherever they sort. The trigger keeps the postings in step with
every write to ``registry_entity`` (ORM, bulk, raw SQL), truncation included; the table has no
foreign key, so ``TRUNCATE registry_entity`` in the test flushes still works. On other
databases the table is created empty and never searched.
"""

from django.db import migrations, models

CREATE = r"""
CREATE TABLE IF NOT EXISTS registry_entity_gram (
    gram varchar(2) NOT NULL,
    name varchar(200) NOT NULL,
    entity_id bigint NOT NULL,
    region_id varchar(6)
);
ALTER TABLE registry_entity_gram ALTER COLUMN gram SET STATISTICS 1000;

CREATE OR REPLACE FUNCTION registry_entity_grams_of(key text) RETURNS SETOF varchar AS $$
    SELECT DISTINCT substr(key, 2 * i - 1, 1) || substr(key, 2 * i + 1, 1)
    FROM generate_series(1, length(coalesce(key, '')) / 2 - 1) AS i
$$ LANGUAGE sql IMMUTABLE;

-- Statement-level triggers with transition tables: a bulk write of 100,000 entities writes
-- their postings in one INSERT … SELECT, not 100,000 trigger calls.
CREATE OR REPLACE FUNCTION registry_entity_gram_inserted() RETURNS trigger AS $$
BEGIN
    INSERT INTO registry_entity_gram (gram, name, entity_id, region_id)
    SELECT g, n.name, n.id, n.region_id FROM new_rows AS n, registry_entity_grams_of(n.search_key) AS g
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION registry_entity_gram_updated() RETURNS trigger AS $$
BEGIN
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
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION registry_entity_gram_truncate() RETURNS trigger AS $$
BEGIN
    TRUNCATE registry_entity_gram;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS registry_entity_gram_inserted ON registry_entity;
CREATE TRIGGER registry_entity_gram_inserted AFTER INSERT ON registry_entity
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_entity_gram_inserted();
DROP TRIGGER IF EXISTS registry_entity_gram_updated ON registry_entity;
CREATE TRIGGER registry_entity_gram_updated AFTER UPDATE ON registry_entity
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_entity_gram_updated();
DROP TRIGGER IF EXISTS registry_entity_gram_deleted ON registry_entity;
CREATE TRIGGER registry_entity_gram_deleted AFTER DELETE ON registry_entity
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registry_entity_gram_deleted();
DROP TRIGGER IF EXISTS registry_entity_gram_truncate ON registry_entity;
CREATE TRIGGER registry_entity_gram_truncate AFTER TRUNCATE ON registry_entity
    FOR EACH STATEMENT EXECUTE FUNCTION registry_entity_gram_truncate();

-- The backfill goes in before the indexes: building them sorted afterwards is many times
-- faster than inserting millions of rows into three B-trees.
INSERT INTO registry_entity_gram (gram, name, entity_id, region_id)
SELECT g, e.name, e.id, e.region_id
FROM registry_entity AS e, registry_entity_grams_of(e.search_key) AS g;
ALTER TABLE registry_entity_gram ADD CONSTRAINT registry_entity_gram_pkey
    PRIMARY KEY (gram, name, entity_id);
CREATE INDEX IF NOT EXISTS registry_entity_gram_region
    ON registry_entity_gram (gram, region_id, name, entity_id);
CREATE INDEX IF NOT EXISTS registry_entity_gram_entity ON registry_entity_gram (entity_id);
ANALYZE registry_entity_gram;
"""

DROP = """
DROP TRIGGER IF EXISTS registry_entity_gram_inserted ON registry_entity;
DROP TRIGGER IF EXISTS registry_entity_gram_updated ON registry_entity;
DROP TRIGGER IF EXISTS registry_entity_gram_deleted ON registry_entity;
DROP TRIGGER IF EXISTS registry_entity_gram_truncate ON registry_entity;
DROP FUNCTION IF EXISTS registry_entity_gram_inserted();
DROP FUNCTION IF EXISTS registry_entity_gram_updated();
DROP FUNCTION IF EXISTS registry_entity_gram_deleted();
DROP FUNCTION IF EXISTS registry_entity_gram_truncate();
DROP FUNCTION IF EXISTS registry_entity_grams_of(text);
DROP TABLE IF EXISTS registry_entity_gram;
"""


# Elsewhere (SQLite, the embedded default) the table exists but stays empty and is never
# searched: code that walks every model's table (dumps, leak checks) finds it.
CREATE_PLAIN = """
CREATE TABLE IF NOT EXISTS registry_entity_gram (
    gram varchar(2) NOT NULL,
    name varchar(200) NOT NULL,
    entity_id bigint NOT NULL,
    region_id varchar(6),
    PRIMARY KEY (gram, name, entity_id)
)
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
    else:
        schema_editor.execute(CREATE_PLAIN)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
    else:
        schema_editor.execute("DROP TABLE IF EXISTS registry_entity_gram")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_search_characters_index_and_statistics"),
    ]

    operations = [
        migrations.CreateModel(
            name="EntityGram",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "gram",
                        "name",
                        "entity",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("gram", models.CharField(max_length=2)),
                ("name", models.CharField(max_length=200)),
            ],
            options={"db_table": "registry_entity_gram", "managed": False},
        ),
        migrations.RunPython(forwards, backwards),
    ]
