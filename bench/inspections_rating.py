"""Rate every entity and compute its due date (issue 12): target under 3 minutes for 1,000,000
entities on PostgreSQL.

    uv run python bench/inspections_rating.py [--name bench_inspections_1m] [--batch 20000]
        [--template bench_registry_1000000]

The database is a copy of ``bench_registry_1000000`` (``bench/build_search_db.py``) with the
inspections tables; ``services.rate_all`` reads each batch's entities, product classes,
findings, cases and last inspections, computes the worksheets (``rating.rate``) and upserts
``EntityRating`` rows. Results: var/bench/inspections_rating.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness
import inspections_common


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", default="bench_inspections_1m")
    parser.add_argument(
        "--template",
        default=inspections_common.TEMPLATE,
        help="registry to copy, e.g. bench_registry_100000 (build_search_db.py --entities)",
    )
    parser.add_argument("--batch", type=int, default=20000)
    args = parser.parse_args()
    url = inspections_common.ensure_database(args.name, args.template)
    inspections_common.setup_django(url)

    from yaojian.inspections import services
    from yaojian.inspections.models import EntityRating
    from yaojian.registry.models import Entity

    entities = Entity.objects.count()
    load = harness.load_average()
    started, started_cpu = time.monotonic(), time.process_time()
    rated = services.rate_all(batch=args.batch)
    seconds = time.monotonic() - started
    cpu = time.process_time() - started_cpu
    by_rating = dict(
        EntityRating.objects.values_list("rating").annotate(
            n=__import__("django.db.models", fromlist=["Count"]).Count("pk")
        )
    )
    result = {
        "entities": entities,
        "rated": rated,
        "seconds": round(seconds, 1),
        "per_second": round(rated / seconds),
        "client_cpu_seconds": round(cpu, 1),
        "by_rating": by_rating,
        "load_before": load,
        "load_after": harness.load_average(),
        "machine": harness.machine(),
    }
    harness.log(str(result))
    harness.save("inspections_rating", result)


if __name__ == "__main__":
    main()
