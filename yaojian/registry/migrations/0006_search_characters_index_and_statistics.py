"""PostgreSQL only: name searches find their matches within a region inside one index.

- ``registry_entity_search_region`` replaces the trigram index of ADR 0003: a GIN index on
  ``(search_key gin_trgm_ops, region_id)`` (``btree_gin``). A search scoped to a city or county
  (the user's jurisdiction, the region filter) is then answered by the index alone, whatever
  the planner believes about how names and regions correlate (ADR 0014).
- ``registry_entity_search_chars``: a one-character fragment has no trigram. The search key
  interleaves every character with ``0`` (ADR 0003), so ``string_to_array(search_key, '0')``
  is the array of the name's characters; a GIN index on it (with the region) finds every
  name containing one character.
- Statistics targets of 1,000 on ``search_key`` and ``name`` keep estimates steadier between
  ANALYZE samples (the search's plans no longer depend on them).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_entity_search_region ON registry_entity "
        "USING gin (search_key gin_trgm_ops, region_id)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS registry_entity_search_key_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_entity_search_chars ON registry_entity "
        "USING gin (string_to_array(search_key, '0'), region_id)"
    )
    schema_editor.execute(
        "ALTER TABLE registry_entity ALTER COLUMN search_key SET STATISTICS 1000, "
        "ALTER COLUMN name SET STATISTICS 1000"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS registry_entity_search_key_trgm "
        "ON registry_entity USING gin (search_key gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS registry_entity_search_region")
    schema_editor.execute("DROP INDEX IF EXISTS registry_entity_search_chars")
    schema_editor.execute(
        "ALTER TABLE registry_entity ALTER COLUMN search_key SET STATISTICS -1, "
        "ALTER COLUMN name SET STATISTICS -1"
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_licence_number_index")]

    operations = [migrations.RunPython(forwards, backwards)]
