"""Where each role's first page (工作台, ``/``) spends its time, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dashboard \
        uv run python bench/first_page_profile.py [--rounds 7] [--roles head,police] [--sql]

The Django test client against the benchmark database of ``bench/dashboard_pages.py`` (the
project's own generator), one client, no concurrency. Every work section's provider is wrapped
to time it and count its statements (``CaptureQueriesContext``); what is left of the request
(middleware, session and user, the shell's menu, the template) is reported as "shell". Median
of ``--rounds`` requests after one warm-up; ``/healthz`` is timed the same way beside it.
``--sql`` prints the statements of the last round outside the sections and the slowest ones.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("leader", "head", "caseofficer", "inspector", "reviewer", "steward", "police")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # No collected manifest needed: the page's static URLs are not what is measured.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yaojian.core.workbench import work_sections

    section_time: dict[str, list[float]] = defaultdict(list)
    section_queries: dict[str, int] = {}
    section_sql: dict[str, list[dict[str, str]]] = {}

    def wrap(key, provider):  # type: ignore[no-untyped-def]
        def timed(user, today):  # type: ignore[no-untyped-def]
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = provider(user, today)
                elapsed = (time.perf_counter() - started) * 1000
            section_time[key].append(elapsed)
            section_queries[key] = len(captured)
            section_sql[key] = list(captured.captured_queries)
            return result

        return timed

    providers = work_sections._providers  # the registry's own dict: wrapped in place
    for key, provider in list(providers.items()):
        providers[key] = wrap(key, provider)

    client = Client()
    healthz: list[float] = []
    for _ in range(args.rounds + 1):
        started = time.perf_counter()
        client.get("/healthz")
        healthz.append((time.perf_counter() - started) * 1000)
    report: dict[str, object] = {
        "healthz_ms": round(statistics.median(healthz[1:]), 1),
        "load_average": os.getloadavg()[0],
        "roles": {},
    }
    print(f"/healthz median {report['healthz_ms']} ms; load average {os.getloadavg()[0]:.2f}")
    users = get_user_model().objects
    for role in args.roles.split(","):
        client = Client()
        client.force_login(users.get(username=role))
        section_time.clear()
        totals, counts, sql_ms = [], [], []
        for round_ in range(args.rounds + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/")
                elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.status_code
            if round_ == 0:  # warm-up
                section_time.clear()
                continue
            totals.append(elapsed)
            counts.append(len(captured))
            sql_ms.append(sum(float(q["time"]) * 1000 for q in captured.captured_queries))
        sections = {
            key: {
                "ms": round(statistics.median(times), 1),
                "queries": section_queries[key],
                "sql_ms": round(sum(float(q["time"]) * 1000 for q in section_sql[key]), 1),
            }
            for key, times in section_time.items()
        }
        total = statistics.median(totals)
        in_sections = sum(s["ms"] for s in sections.values())  # type: ignore[misc]
        row = {
            "ms": round(total, 1),
            "queries": counts[-1],
            "sql_ms": round(statistics.median(sql_ms), 1),
            "shell_ms": round(total - in_sections, 1),
            "shell_queries": counts[-1] - sum(s["queries"] for s in sections.values()),  # type: ignore[misc]
            "sections": sections,
        }
        report["roles"][role] = row  # type: ignore[index]
        print(
            f"\n{role}: {row['ms']} ms, {row['queries']} queries, SQL {row['sql_ms']} ms; "
            f"outside the sections {row['shell_ms']} ms, {row['shell_queries']} queries"
        )
        for key, s in sorted(sections.items(), key=lambda kv: -kv[1]["ms"]):  # type: ignore[index,operator]
            print(f"    {key:<26} {s['ms']:>7} ms  {s['queries']:>2} q  SQL {s['sql_ms']} ms")
        if args.sql:
            inside = {q["sql"] for rows in section_sql.values() for q in rows}
            for q in captured.captured_queries:
                flag = "   " if q["sql"] in inside else "(*)"
                print(f"      {flag} {float(q['time']) * 1000:7.1f} ms  {q['sql'][:220]}")
    out = ROOT / "var" / "bench" / "first_page_profile.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nresults: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
