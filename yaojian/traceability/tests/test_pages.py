"""The traceability lists: the shell's filter bar, sortable columns and pagination."""

from __future__ import annotations

import json
from typing import Any

import pytest

from yaojian.territory.models import Region
from yaojian.traceability.models import Alert, IngestBatch
from yaojian.traceability.tests.helpers import CLINIC, FAR, PHARMACY

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(regions: None) -> list[Alert]:
    region = Region.objects.get(code="540102")
    made = []
    for n in range(55):
        party = (CLINIC, PHARMACY, FAR)[n % 3]
        made.append(
            Alert.objects.create(
                rule=("R1", "R2", "R3")[n % 3],
                party_uscc=party,
                region=region,
                flag_count=n + 1,
                flags=[{"rule": "R1", "code": f"8{n:019d}", "insured": f"p{n % 7}"}],
            )
        )
    return made


def test_alerts_are_filtered_sorted_and_paginated(
    client: Any, system_user: Any, alerts: list[Alert]
) -> None:
    client.force_login(system_user)
    page = client.get("/trace/alerts/").content.decode()
    assert 'data-testid="alert-filters"' in page
    assert page.count('data-testid="alert-row"') == 50
    assert "?page=2" in page
    second = client.get("/trace/alerts/", {"page": 2}).content.decode()
    assert second.count('data-testid="alert-row"') == 5
    only = client.get("/trace/alerts/", {"rule": "R2"}).content.decode()
    assert only.count('data-testid="alert-row"') == 18
    by_flags = client.get("/trace/alerts/", {"sort": "-flags"}).content.decode()
    rows = [a.flag_count for a in alerts]
    first = by_flags.split('data-testid="alert-row"')[1]
    assert f">{max(rows)}</td>" in first
    ascending = client.get("/trace/alerts/", {"sort": "flags"}).content.decode()
    assert ">1</td>" in ascending.split('data-testid="alert-row"')[1]
    partial = client.get("/trace/alerts/", {"q": PHARMACY}, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert 'id="alert-table"' in text
    assert "<html" not in text
    assert text.count('data-testid="alert-row"') == 18


def test_hubs_are_filtered_and_sorted(client: Any, system_user: Any, alerts: list[Alert]) -> None:
    client.force_login(system_user)
    page = client.get("/trace/hubs/", {"sort": "party"}).content.decode()
    assert page.count('data-testid="hub-row"') == 3
    table = page.split('data-testid="hub-table"')[1]
    order = [table.index(p) for p in sorted((CLINIC, PHARMACY, FAR))]
    assert order == sorted(order)
    one = client.get("/trace/hubs/", {"rule": "R3"}).content.decode()
    assert one.count('data-testid="hub-row"') == 1
    assert FAR in one
    # The rules and the network's node kinds in words, not codes.
    assert "无来源发药" in one
    script = one.split('id="trace-network-data" type="application/json">', 1)[1]
    network = json.loads(script.split("</script>", 1)[0])
    assert network["categories"] == ["机构", "参保人", "药盒"]


def test_batches_are_filtered_and_sorted(client: Any, system_user: Any) -> None:
    for n in range(3):
        IngestBatch.objects.create(
            idempotency_key=f"key-{n}", status="done" if n else "failed", rows=n * 10
        )
    client.force_login(system_user)
    page = client.get("/trace/batches/", {"status": "done", "sort": "-rows"}).content.decode()
    assert page.count('data-testid="batch-row"') == 2
    assert page.index("key-2") < page.index("key-1")
    assert "key-0" not in page
