"""Entity-search latency against the trivial baseline ``/healthz``, served by gunicorn.

    uv run python bench/search_latency.py [--entities 30000 1000000] [--backend both]
        [--requests 300] [--concurrency 3] [--reseed]

For each backend and size: a scratch database ``bench_<N>`` (var/bench_<N>.sqlite3 or the
PostgreSQL database of that name) seeded with ``seed_demo --entities N`` (kept between runs;
``--reseed`` rebuilds it), gunicorn on a free loopback port (3 workers × 4 threads, as
scripts/serve.py), the demo data steward of the provincial drug regulator signed in (token
for the API, session cookie from the login form for the page), then, in the same run:
``/healthz``, ``/api/v1/entities/?q=…`` and ``/registry/entities/?q=…`` with a fixed list of
realistic queries. On PostgreSQL the search queries are also run under EXPLAIN ANALYZE.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

USERNAME = "steward"  # data steward of the provincial drug regulator: sees the whole province
FRAGMENTS = ["康源", "藏药", "诊所", "人民", "大药房", "藏医院", "康源大药", "医疗器械"]

SETUP = """
from rest_framework.authtoken.models import Token
from yaojian.registry.models import Entity, Licence
user_model = Token._meta.get_field("user").related_model
user = user_model.objects.get(username="{username}")
token, _ = Token.objects.get_or_create(user=user)
pharmacy = Entity.objects.filter(kind="single_pharmacy").order_by("id")[1000 % Entity.objects.filter(kind="single_pharmacy").count()]
licence = Licence.objects.filter(kind="drug_distribution").order_by("id")[500].number
import json
print(json.dumps({{"token": token.key, "uscc": pharmacy.unified_social_credit_code, "licence": licence}}))
"""

EXPLAIN = """
import json, time
from django.db import connection
from yaojian.accounts.models import User
from yaojian.registry import selectors
user = User.objects.get(username="{username}")
out = []
for params in json.loads({queries!r}):
    qs = selectors.search_entities(user, **params)
    sql, sql_params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM (" + sql + ") AS sub", sql_params)
        count_plan = "\\n".join(row[0] for row in cursor.fetchall())
    page_sql, page_params = qs[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + page_sql, page_params)
        page_plan = "\\n".join(row[0] for row in cursor.fetchall())
    out.append({{"params": params, "count": qs.count(), "count_plan": count_plan, "page_plan": page_plan}})
print(json.dumps(out, ensure_ascii=False))
"""


def ensure_database(backend: str, entities: int, reseed: bool) -> tuple[str, float | None]:
    name = f"bench_{entities}"
    url = harness.database_url(backend, name)
    exists = not reseed and harness.database_exists(backend, name)
    if exists and harness.entity_count(url) == entities:
        harness.log(f"{backend}: reusing {name} ({entities} entities)")
        return url, None
    url = harness.recreate_database(backend, name)
    harness.log(f"{backend}: seeding {name} with {entities} entities")
    harness.prepare_database(url)
    seconds = harness.timed_seed(url, entities)
    harness.log(f"{backend}: seeded in {seconds:.1f} s")
    return url, seconds


def query_list(extra: dict[str, str]) -> list[dict[str, str]]:
    queries = [{"q": fragment} for fragment in FRAGMENTS]
    queries += [{"q": extra["uscc"]}, {"q": extra["licence"]}]
    queries += [{"region": "540102"}, {"q": "药房", "region": "540202"}]
    return queries


def run(
    backend: str,
    entities: int,
    requests: int,
    concurrency: int,
    reseed: bool,
    quiet_below: float,
) -> dict[str, object]:
    url, seed_seconds = ensure_database(backend, entities, reseed)
    extra = json.loads(harness.shell(url, SETUP.format(username=USERNAME)).splitlines()[-1])
    queries = query_list(extra)
    api_paths = [f"/api/v1/entities/?{urlencode(q)}" for q in queries]
    page_paths = [f"/registry/entities/?{urlencode(q)}" for q in queries]
    headers = {"Authorization": f"Token {extra['token']}"}
    results: list[harness.Stats] = []
    with harness.gunicorn(url) as base:

        def anonymous() -> httpx.Client:
            return httpx.Client(base_url=base, timeout=60)

        def api() -> httpx.Client:
            return httpx.Client(base_url=base, timeout=60, headers=headers)

        def page() -> httpx.Client:
            return harness.login(base, USERNAME, harness.BENCH_PASSWORD)

        targets = [
            ("healthz", anonymous, ["/healthz"]),
            ("api /api/v1/entities/?q=", api, api_paths),
            ("page /registry/entities/?q=", page, page_paths),
        ]
        if quiet_below:
            harness.wait_until_quiet(quiet_below)
        load_before = harness.load_average()
        harness.log(f"{backend} {entities}: warming up (load average {load_before:.2f})")
        for name, make, paths in targets:
            harness.fire(name, make, paths, requests=2 * len(paths), concurrency=1)
        for name, make, paths in targets:
            stats = harness.fire(name, make, paths, requests=requests, concurrency=concurrency)
            harness.log(
                f"{backend} {entities} {name}: p50 {stats.p50} ms, p95 {stats.p95} ms, "
                f"p99 {stats.p99} ms, errors {stats.errors}"
            )
            results.append(stats)
        per_query = []
        client = api()
        for q, path in zip(queries, api_paths, strict=True):
            stats = harness.fire(f"api {q}", lambda c=client: c, [path], requests=5, concurrency=1)
            per_query.append({"params": q, "p50": stats.p50, "max": stats.max})
    baseline = results[0]
    payload: dict[str, object] = {
        "backend": backend,
        "entities": entities,
        "seed_seconds": seed_seconds,
        "requests": requests,
        "concurrency": concurrency,
        "load_average_before": load_before,
        "load_average_after": harness.load_average(),
        "targets": [s.row(baseline) for s in results],
        "per_query_api": per_query,
    }
    if backend == "postgresql":
        harness.log(f"{backend} {entities}: EXPLAIN ANALYZE of the search queries")
        code = EXPLAIN.format(username=USERNAME, queries=json.dumps(queries, ensure_ascii=False))
        payload["explain"] = json.loads(harness.shell(url, code).splitlines()[-1])
    return payload


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, nargs="+", default=[30_000])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=0.0,
        help="Before measuring, wait (at most 15 min) until the load average is below this.",
    )
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for entities in args.entities:
        for backend in backends:
            if backend == "postgresql" and not harness.postgres_reachable():
                harness.log("postgresql: not reachable, skipped")
                continue
            payload = run(
                backend, entities, args.requests, args.concurrency, args.reseed, args.quiet_below
            )
            payload["machine"] = harness.machine()
            path = harness.save(f"search_latency-{backend}-{entities}", payload)
            harness.log(f"results: {path}")
            for row in payload["targets"]:  # type: ignore[attr-defined]
                print(
                    f"  {row['target']:<30} p50 {row['p50']:>7} ms  p95 {row['p95']:>7} ms  "
                    f"p99 {row['p99']:>7} ms  x{row.get('p95_ratio', 1)} (p95 vs healthz)  "
                    f"errors {row['errors']}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
