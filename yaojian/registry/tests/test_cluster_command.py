from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from yaojian.registry.management.commands.cluster_registry import NAME_ORDER_INDEX
from yaojian.registry.models import Entity
from yaojian.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_cluster_registry_orders_the_table_by_its_name_index_and_keeps_every_row(regions):
    # given
    EntityFactory.create_batch(3)
    out = io.StringIO()
    if connection.vendor == "postgresql":  # the test's deferred foreign-key checks first
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # when
    call_command("cluster_registry", stdout=out)
    # then
    assert Entity.objects.count() == 3
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indisclustered FROM pg_index WHERE indexrelid = %s::regclass",
                [NAME_ORDER_INDEX],
            )
            assert cursor.fetchone() == (True,)
        assert "ordered by name" in out.getvalue()
    else:
        assert out.getvalue() == "Not PostgreSQL: nothing to do.\n"
