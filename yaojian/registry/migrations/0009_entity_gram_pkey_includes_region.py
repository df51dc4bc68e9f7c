"""PostgreSQL only: the postings' primary key carries the region (``INCLUDE (region_id)``).

A city's search walks the postings of its query in name order and keeps those of the city's
counties. Without the region in the key's index, each posting walked cost a heap read to
learn its region: 药 for a Lhasa leader discarded 21,600 postings of other cities, one random
read each (630 ms on 1,000,000 entities). With it the walk is index-only (ADR 0032).
"""

from django.db import migrations

FORWARD = """
ALTER TABLE registry_entity_gram DROP CONSTRAINT IF EXISTS registry_entity_gram_pkey;
ALTER TABLE registry_entity_gram ADD CONSTRAINT registry_entity_gram_pkey
    PRIMARY KEY (gram, name, entity_id) INCLUDE (region_id);
"""

BACKWARD = """
ALTER TABLE registry_entity_gram DROP CONSTRAINT IF EXISTS registry_entity_gram_pkey;
ALTER TABLE registry_entity_gram ADD CONSTRAINT registry_entity_gram_pkey
    PRIMARY KEY (gram, name, entity_id);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_entity_gram_pending")]

    operations = [migrations.RunPython(forwards, backwards)]
