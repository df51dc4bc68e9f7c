"""Put the registry's entities in name order on disk (PostgreSQL), then refresh statistics.

    uv run python manage.py cluster_registry

A search whose matches are many but sort late (阿里 across the province: 37,000 matches) sorts
every match by name; each match is a heap fetch, and on a table in insertion order the 37,000
matches lie on 23,000 different pages. With the table in name order the same matches lie on
~1,300 pages and the search takes a tenth of the time (docs/benchmarks.md, ADR 0014 amended by
ADR 0024). PostgreSQL does not keep the order for rows written later, so run this from a
nightly maintenance job: ``CLUSTER`` locks the table (reads and writes wait) for about a minute
per million entities. Nothing to do on SQLite.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from yaojian.registry.models import Entity

NAME_ORDER_INDEX = "registry_entity_name_id"


class Command(BaseCommand):
    help = "Order the registry's entities by name on disk (PostgreSQL) and analyse the table."

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: nothing to do.")
            return
        table = connection.ops.quote_name(Entity._meta.db_table)
        index = connection.ops.quote_name(NAME_ORDER_INDEX)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # Identifiers only (the model's table and its declared index).
            cursor.execute(f"CLUSTER {table} USING {index}")
            cursor.execute(f"ANALYZE {table}")
        self.stdout.write(
            f"{Entity._meta.db_table} ordered by name in {time.perf_counter() - started:.1f} s."
        )
