"""A double-random draw of 3 % from the 1,000,000-entity pool with 5,000 inspectors (issue 12):
target under 10 s, reproducible.

    uv run python bench/inspections_draw.py [--name bench_inspections_1m] [--inspectors 5000]
        [--proportion 3] [--template bench_registry_1000000] [--by-grade]

Adds (once) a provincial drug regulator of Tibet with a head and ``--inspectors`` inspectors,
200 declared conflicts and cell officers, then times ``services.make_draw`` (pool query,
snapshots and their hashes, the draw, storing 30,000 drawn entities and 60,000 assignments,
audit) twice with the same seed, checks both results are identical, times
``services.verify_draw`` and a third draw with another seed (which must differ).
With ``--by-grade`` the plan also draws by credit grade (``draw-v2``: A 1 %, B 3 %, C 10 %,
D 30 %, entities without a grade at ``--proportion``), which adds the grades to the pool
snapshot. Results: var/bench/inspections_draw.json (``inspections_draw_by_grade.json``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import inspections_common


def staff(inspectors: int):  # type: ignore[no-untyped-def]
    from django.contrib.auth.hashers import make_password

    from yaojian.accounts.models import Department, Membership, User
    from yaojian.inspections.models import Conflict
    from yaojian.registry.models import Entity

    department, _created = Department.objects.get_or_create(
        code="BENCH-INSP-54",
        defaults={
            "name": "西藏自治区药品监督管理局（基准）",
            "kind": "drug_regulator",
            "level": "province",
            "region_id": "540000",
        },
    )
    head, created = User.objects.get_or_create(username="bench_insp_head")
    if created:
        Membership.objects.create(user=head, department=department, role="department_head")
    have = Membership.objects.filter(department=department, role="inspector").count()
    if have < inspectors:
        password = make_password(None)
        users = User.objects.bulk_create(
            [User(username=f"bench_insp_{n}", password=password) for n in range(have, inspectors)],
            batch_size=1000,
        )
        users = list(User.objects.filter(username__in=[u.username for u in users]))
        Membership.objects.bulk_create(
            [Membership(user=u, department=department, role="inspector") for u in users],
            batch_size=1000,
        )
        ids = [u.pk for u in users[:200]]
        entity_ids = list(Entity.objects.order_by("pk").values_list("pk", flat=True)[:200])
        Conflict.objects.bulk_create(
            [
                Conflict(inspector_id=i, entity_id=e, reason="基准")
                for i, e in zip(ids, entity_ids, strict=False)
            ]
        )
    return department, head


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", default="bench_inspections_1m")
    parser.add_argument(
        "--template",
        default=inspections_common.TEMPLATE,
        help="registry to copy, e.g. bench_registry_100000 (build_search_db.py --entities)",
    )
    parser.add_argument("--inspectors", type=int, default=5000)
    parser.add_argument("--proportion", default="3")
    parser.add_argument("--by-grade", action="store_true", help="A 1, B 3, C 10, D 30 %%")
    args = parser.parse_args()
    url = inspections_common.ensure_database(args.name, args.template)
    inspections_common.setup_django(url)
    from yaojian.inspections import services
    from yaojian.inspections.models import Plan

    department, head = staff(args.inspectors)
    title = "基准双随机（按信用等级）" if args.by_grade else "基准双随机"
    scope = (
        {"grade_proportions": {"A": "1", "B": "3", "C": "10", "D": "30"}} if args.by_grade else {}
    )
    plan = Plan.objects.filter(department=department, title=title).first() or services.create_plan(
        actor=head,
        department=department,
        year=2026,
        kind="ad_hoc" if args.by_grade else "annual",  # A at 1 % may take the whole under 3 %
        title=title,
        items=["ypjy_gsp"],
        proportion=args.proportion,
        inspection_kind="gsp_pharmacy",
        scope=scope,
    )
    load = harness.load_average()
    timings = []
    cpu = []
    draws = []
    for seed in ("bench-seed", "bench-seed", "another-seed"):
        started, started_cpu = time.monotonic(), time.process_time()
        draws.append(services.make_draw(actor=head, plan=plan, seed=seed))
        timings.append(round(time.monotonic() - started, 2))
        cpu.append(round(time.process_time() - started_cpu, 2))
        harness.log(
            f"draw {seed}: {timings[-1]} s, {draws[-1].drawn_count} of {draws[-1].pool_size}"
        )
    started = time.monotonic()
    ok, why = services.verify_draw(draws[0])
    verify_seconds = round(time.monotonic() - started, 2)
    result = {
        "algorithm": draws[0].algorithm,
        "strata": draws[0].strata,
        "pool": draws[0].pool_size,
        "drawn": draws[0].drawn_count,
        "inspectors": draws[0].inspector_count,
        "draw_seconds": timings,
        "draw_client_cpu_seconds": cpu,
        "same_seed_same_result": draws[0].result_hash == draws[1].result_hash,
        "other_seed_other_result": draws[0].result_hash != draws[2].result_hash,
        "verify_seconds": verify_seconds,
        "verified": ok,
        "why": why,
        "load_before": load,
        "load_after": harness.load_average(),
        "machine": harness.machine(),
    }
    harness.log(str(result))
    harness.save("inspections_draw_by_grade" if args.by_grade else "inspections_draw", result)


if __name__ == "__main__":
    main()
