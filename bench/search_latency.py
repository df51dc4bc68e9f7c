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

``--classes`` (issue 8, item 8) measures instead, per query class and per scope, the search page
and the API against ``/healthz`` in the same run, on the full production server (gunicorn with
an access log, ``db_worker`` and ``run_scheduler`` running): classes ``place`` (阿里 那曲 林芝 拉萨
日喀则 昌都 山南), ``one`` (one character), ``two`` (two characters), ``late`` (matches that sort
late), ``ident`` (credit code, licence number) and ``region`` (region filters at each level);
scopes ``province`` (the provincial data steward), ``city`` (a leader of the Lhasa municipal
regulator) and ``county`` (an officer of 城关区). Before measuring, the run waits until the worker has done every task due (a scheduler
started on a database it never served runs each periodic task at once). ``--analyze fresh`` runs ANALYZE first;
``--analyze none`` deletes the table's statistics (and turns autovacuum off for it) so no plan
can lean on them; ``both`` runs both. Use ``--database`` to point at a database built by
bench/build_search_db.py. ``--client light`` (the default) sends the requests with
``http.client`` (``harness.LightClient``), ``--client httpx`` with httpx as the earlier runs did:
the load generator shares the server's two cores, and httpx takes several times more CPU per
request. ``--concurrency`` is the number of clients sending at once (3 by default; the issue's
own measurement of the city region filter used one).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import psycopg

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


CLASSES: dict[str, list[dict[str, str]]] = {
    "place": [{"q": q} for q in ("阿里", "那曲", "林芝", "拉萨", "日喀则", "昌都", "山南")],
    "one": [{"q": q} for q in ("药", "阿", "芒", "诊")],
    "two": [{"q": q} for q in ("诊所", "藏药", "康源", "卫生")],
    "late": [{"q": q} for q in ("阿里地区", "那曲市", "阿里", "珠")],
    "region": [],  # per scope, below
    "ident": [],  # from the database
}
REGIONS = {
    "province": [{"region": "540100"}, {"region": "542500"}, {"region": "540102"}],
    "city": [{"region": "540100"}, {"region": "540102"}, {"region": "540121"}],
    "county": [{"region": "540102"}],
}
SCOPE_SETUP = """
import json
from rest_framework.authtoken.models import Token
from yaojian.accounts.models import Membership
from yaojian.registry.models import Entity, Licence
picked = {{"province": Membership.objects.filter(user__username="{username}").first()}}
picked["city"] = (Membership.objects.filter(is_active=True, department__region_id="540100",
    department__kind="drug_regulator", role="leader").order_by("id").first()
    or Membership.objects.filter(is_active=True, department__region_id="540100").order_by("id").first())
picked["county"] = (Membership.objects.filter(is_active=True, department__region_id="540102",
    department__kind__in=["drug_regulator", "market_regulator"], role="inspector").order_by("id").first()
    or Membership.objects.filter(is_active=True, department__region_id="540102").order_by("id").first())
out = {{}}
for scope, m in picked.items():
    token, _ = Token.objects.get_or_create(user=m.user)
    out[scope] = {{"username": m.user.username, "token": token.key, "role": m.role,
                  "department": m.department.name}}
entity = Entity.objects.filter(region_id="540102", unified_social_credit_code__isnull=False).order_by("id").first()
licence = Licence.objects.filter(entity__region_id="540102", kind="drug_distribution").order_by("id").first()
out["uscc"] = entity.unified_social_credit_code
out["licence"] = licence.number
print(json.dumps(out, ensure_ascii=False))
"""


@contextlib.contextmanager
def production_server(url: str) -> Iterator[str]:
    """``scripts/serve.py`` itself (``harness.serve``: gunicorn with its config and access log,
    the worker and the scheduler at its lower priority; ``WEB_WORKERS``/``WEB_THREADS`` from the
    environment), once the worker has settled."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT now()").fetchone()
    with harness.serve(url) as served:
        settle(url, since=row[0] if row else None)
        yield served.base


def settle(url: str, limit: float = 1800.0, since: Any = None) -> None:
    """Wait until the worker has run every task due now: a scheduler started on a database
    it has never served runs each periodic task at once (the nightly credit grades of
    1,000,000 entities among them). The figures are those of a server in its steady state,
    worker and scheduler running, not of its first minutes; the wait is logged. A task left
    RUNNING by an earlier server's worker (killed with it: ``since`` is when this server was
    started) is not waited for; it is never taken up again, and its next periodic run redoes it.
    """
    started = time.monotonic()
    sql = (
        "SELECT count(*) FROM django_tasks_database_dbtaskresult"
        " WHERE (status = 'RUNNING' AND (%(since)s::timestamptz IS NULL OR started_at >= %(since)s))"
        " OR (status = 'READY' AND run_after <= now())"
    )
    time.sleep(3)  # the scheduler's first pass
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            row = conn.execute(sql, {"since": since}).fetchone()
            waiting = int(row[0]) if row else 0
            if waiting == 0 or time.monotonic() - started > limit:
                break
            time.sleep(2)
    harness.log(f"worker settled in {time.monotonic() - started:.0f} s ({waiting} tasks left)")


def set_statistics(url: str, mode: str) -> None:
    """``fresh``: ANALYZE the entity table; ``none``: delete its statistics (autovacuum off)."""
    with psycopg.connect(url, autocommit=True) as conn:
        if mode == "fresh":
            conn.execute("ALTER TABLE registry_entity RESET (autovacuum_enabled)")
            conn.execute("ANALYZE registry_entity")
            conn.execute("ANALYZE registry_licence")
        else:
            conn.execute("ALTER TABLE registry_entity SET (autovacuum_enabled = false)")
            conn.execute("DELETE FROM pg_statistic WHERE starelid = 'registry_entity'::regclass")


def run_classes(
    url: str, requests: int, concurrency: int, modes: list[str], client: str = "light"
) -> dict[str, Any]:
    info = json.loads(harness.shell(url, SCOPE_SETUP.format(username=USERNAME)).splitlines()[-1])
    CLASSES["ident"] = [{"q": info["uscc"]}, {"q": info["licence"]}]
    out: dict[str, Any] = {"users": {k: info[k] for k in ("province", "city", "county")}}
    for mode in modes:
        set_statistics(url, mode)
        rows: list[dict[str, Any]] = []
        with production_server(url) as base:
            light = client == "light"
            anonymous = (
                (lambda: harness.LightClient(base))
                if light
                else (lambda: httpx.Client(base_url=base, timeout=120))
            )
            load_before = harness.load_average()
            healthz = harness.fire("healthz", anonymous, ["/healthz"], requests=requests,
                                   concurrency=concurrency)  # fmt: skip
            rows.append({"scope": "-", "class": "healthz", **healthz.row(None)})
            harness.log(f"[{mode}] healthz p95 {healthz.p95} ms")
            for scope in ("province", "city", "county"):
                user = info[scope]
                token = user["token"]
                sign_in = harness.light_login if light else harness.login
                session = sign_in(base, user["username"], harness.BENCH_PASSWORD)
                headers = {"Authorization": f"Token {token}"}
                api = (
                    (lambda h=headers: harness.LightClient(base, h))
                    if light
                    else (lambda h=headers: httpx.Client(base_url=base, timeout=120, headers=h))
                )
                for name, queries in CLASSES.items():
                    queries = REGIONS[scope] if name == "region" else queries
                    api_paths = [f"/api/v1/entities/?{urlencode(q)}" for q in queries]
                    page_paths = [f"/registry/entities/?{urlencode(q)}" for q in queries]
                    for target, make, paths in (
                        ("api", api, api_paths),
                        ("page", lambda s=session: s, page_paths),
                    ):
                        harness.fire("warm", make, paths, requests=len(paths), concurrency=1)
                        stats = harness.fire(f"{scope} {name} {target}", make, paths,
                                             requests=requests, concurrency=concurrency)  # fmt: skip
                        row = {"scope": scope, "class": name, "target": target,
                               **stats.row(healthz)}  # fmt: skip
                        row["target"] = target
                        rows.append(row)
                        harness.log(
                            f"[{mode}] {scope:8} {name:6} {target:4} p50 {stats.p50} "
                            f"p95 {stats.p95} ms errors {stats.errors}"
                        )
            out[mode] = {
                "rows": rows,
                "load_average_before": load_before,
                "load_average_after": harness.load_average(),
            }
    set_statistics(url, "fresh")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entities", type=int, nargs="+", default=[30_000])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--client",
        choices=["light", "httpx"],
        default="light",
        help="--classes: the load generator's client (light: http.client, less CPU taken from "
        "the server's cores; httpx: the earlier runs' client)",
    )
    parser.add_argument("--classes", action="store_true", help="per class and scope (issue 8)")
    parser.add_argument("--database", default="", help="PostgreSQL database to use (--classes)")
    parser.add_argument("--analyze", choices=["fresh", "none", "both"], default="both")
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=0.0,
        help="Before measuring, wait (at most 15 min) until the load average is below this.",
    )
    args = parser.parse_args()
    if args.classes:
        url = harness.database_url("postgresql", args.database or f"bench_{args.entities[0]}")
        modes = ["fresh", "none"] if args.analyze == "both" else [args.analyze]
        payload = run_classes(url, args.requests, args.concurrency, modes, args.client)
        payload["client"] = args.client
        payload["concurrency"] = args.concurrency
        payload["machine"] = harness.machine()
        path = harness.save(f"search_classes-{args.database or args.entities[0]}", payload)
        harness.log(f"results: {path}")
        for mode in modes:
            for row in payload[mode]["rows"]:
                print(
                    f"  {mode:5} {row['scope']:8} {row['class']:7} {row.get('target', ''):4} "
                    f"p50 {row['p50']:>7} p95 {row['p95']:>7} ms errors {row['errors']}"
                )
        return 0
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
