"""Outbox throughput: licence revocations handed to the health commission and the insurance
bureau (one notice each), delivered through the outbox vs. the handler called directly.

Scratch database; everything in one ``manage.py shell`` so interpreter start does not count.
Baseline (same run, same data shape): the old bus's path, the handler called in its own
transaction right after the change. Outbox: ``publish`` (row + enqueue, each in its own
transaction), then ``deliver_due()`` — the code the worker's tasks and sweep run.

    uv run python bench/outbox_throughput.py [--backend sqlite|postgresql] [--events 300]
        [--database bench_outbox]
"""

from __future__ import annotations

import argparse
import json
import sys

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
import harness

CODE = """
import json, time, uuid
from django.db import transaction
from yaojian.accounts.models import Department
from yaojian.core.events import publish
from yaojian.enforcement.events import LicenceRevoked
from yaojian.enforcement.handlers import on_licence_revoked
from yaojian.notices.models import Notice
from yaojian.outbox.delivery import deliver_due
from yaojian.outbox.models import Message
from yaojian.registry.models import Entity, Licence
from yaojian.registry.names import search_key
N = %(events)d
def dept(code, kind):
    return Department.objects.get_or_create(code=code, defaults=dict(name=code, kind=kind, region_id="540102", level="county"))[0]
drug, _h, _i = dept("OB-MPA", "drug_regulator"), dept("OB-HC", "health_commission"), dept("OB-MI", "medical_insurance")
entity = Entity.objects.create(name="基准药房", search_key=search_key("基准药房"), kind="single_pharmacy", region_id="540102", registered_by=drug)
run = uuid.uuid4().hex[:8]
licences = [Licence.objects.create(entity=entity, kind="drug_distribution", number=f"B{run}{i:06d}", issued_by=drug, valid_from="2024-01-01", valid_until="2029-12-31", status="valid") for i in range(2 * N)]
def event(licence):
    return LicenceRevoked(case_id=0, case_public_id=uuid.uuid4(), licence_id=licence.pk, entity_id=entity.pk, department_id=drug.pk, region_code="540102")
t = time.perf_counter()
for licence in licences[:N]:
    with transaction.atomic():
        on_licence_revoked(event(licence))
direct = time.perf_counter() - t
t = time.perf_counter()
for licence in licences[N:]:
    with transaction.atomic():
        publish(event(licence))
published = time.perf_counter() - t
t = time.perf_counter()
ran = deliver_due(budget_seconds=3600)
delivered = time.perf_counter() - t
refs = [f"licence.revoked:{l.public_id}" for l in licences]
print(json.dumps({"events": N, "direct_s": direct, "publish_s": published, "deliver_s": delivered, "ran": ran,
  "notices": Notice.objects.filter(source_ref__in=refs).count(), "delivered_rows": Message.objects.filter(status="delivered").count()}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--database", default="bench_outbox")
    args = parser.parse_args()
    url = harness.recreate_database(args.backend, args.database)
    harness.prepare_database(url)
    result = json.loads(harness.shell(url, CODE % {"events": args.events}).splitlines()[-1])
    n = result["events"]
    assert result["notices"] == 4 * n, result  # 2 departments × (direct + outbox) per event
    assert result["ran"] == n, result
    print(f"backend {args.backend}, {n} revocations each way (2 notices per revocation)")
    print(f"direct handler (baseline): {n / result['direct_s']:.1f} events/s")
    print(f"outbox publish (row + enqueue): {n / result['publish_s']:.1f} events/s")
    print(f"outbox delivery (deliver_due): {n / result['deliver_s']:.1f} deliveries/s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
