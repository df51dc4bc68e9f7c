"""Where one public submission's time goes, in-process (no server, no load generator).

Builds a scratch database as ``complaints_intake.py`` does, then in one Django process
(``django.test.Client``, ``REMOTE_ADDR`` 127.0.0.1) fetches the report form and posts a report
``--requests`` times, and reports per request: CPU time (``time.process_time``), SQL
statements, and the CPU spent in each step of the POST (the challenge, the rate limits, the
field checks, routing, the duplicate check, the write transaction, the outbox rows, the audit
event, the answer's rendering), each step measured by wrapping the function that does it.
``/healthz`` is measured the same way as the baseline. ``--cprofile N`` prints the N costliest
functions of the POSTs (cumulative).

    uv run python bench/complaints_intake_profile.py [--backend sqlite|postgresql]
        [--requests 60] [--database bench_compl_profile] [--cprofile 25 [--pstats FILE]] [--reuse]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

# Functions wrapped to attribute the POST's CPU: (module, attribute, label). Nested steps are
# counted in their own row and in their caller's.
STEPS = [
    ("yaojian.complaints.services", "submit_public", "service (submit_public, all below)"),
    ("yaojian.portal.views.complaints", "render", "rendering the answer"),
    ("yaojian.complaints.challenge", "check", "challenge check"),
    ("yaojian.complaints.services.intake", "check_limits", "rate limits"),
    ("yaojian.complaints.services.intake", "_check", "field checks (incl. files)"),
    ("yaojian.complaints.services.intake", "clean_files", "attachment checks"),
    ("yaojian.complaints.routing", "route", "routing"),
    ("yaojian.complaints.services.intake", "_record", "write transaction (all below)"),
    ("yaojian.complaints.services.intake", "_find_duplicate", "duplicate check"),
    ("yaojian.complaints.services.intake", "step", "step row"),
    ("yaojian.complaints.services.intake", "record", "audit event"),
    ("yaojian.complaints.services.intake", "publish", "event → outbox rows"),
    ("yaojian.complaints.clocks", "refresh", "clocks"),
    ("yaojian.portal.views.complaints", "PublicComplaintForm", "form construction"),
    ("yaojian.outbox.delivery", "deliver_all_on_commit", "queue row"),
    ("yaojian.audit.services", "flush_pending", "audit chain at commit"),
    ("yaojian.core.inserts", "insert_all", "INSERTs without the ORM (ADR 0040)"),
]


def _wrap(totals: dict[str, list[float]]) -> None:
    import importlib

    for module_name, attribute, label in STEPS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # an older tree (the other side of a before/after comparison)
            continue
        original = getattr(module, attribute, None)
        if original is None:
            continue

        def wrapper(
            *args: Any, _f: Callable[..., Any] = original, _l: str = label, **kwargs: Any
        ) -> Any:
            started = time.process_time()
            try:
                return _f(*args, **kwargs)
            finally:
                totals[_l].append((time.process_time() - started) * 1000)

        setattr(module, attribute, wrapper)


def measure(requests: int, top: int, dump: str = "") -> dict[str, Any]:
    import django

    sys.path.insert(0, str(harness.ROOT))
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    totals: dict[str, list[float]] = defaultdict(list)
    _wrap(totals)
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")
    url = "/public/complaints/new/report/"
    token = re.compile(r'name="challenge_token" value="([^"]+)"')
    question = re.compile(r'data-testid="challenge-question">([^<]+)<')
    rows: dict[str, list[float]] = defaultdict(list)
    statements: dict[str, list[int]] = defaultdict(list)
    profile = cProfile.Profile()
    first = int(time.time()) % 100_000 * 1000  # fresh reporters and texts: no duplicates
    for n in range(first, first + requests + 3):
        warm = n < first + 3  # the first requests load templates, catalogs, the holiday calendar
        started = time.process_time()
        with CaptureQueriesContext(connection) as q:
            client.get("/healthz")
        if not warm:
            rows["healthz"].append((time.process_time() - started) * 1000)
            statements["healthz"].append(len(q.captured_queries))
        started = time.process_time()
        with CaptureQueriesContext(connection) as q:
            page = client.get(url).content.decode()
        if not warm:
            rows["form page (GET)"].append((time.process_time() - started) * 1000)
            statements["form page (GET)"].append(len(q.captured_queries))
        answer = sum(int(x) for x in re.findall(r"\d+", question.search(page).group(1)))  # type: ignore[union-attr]
        data = {
            "topic": "recycled_drugs",
            "subject_name": f"基准药店{n % 50}",
            "region_code": "540102",
            "summary": f"第{n}号基准举报：药店回收医保药品再销售，编号{n * 7919}。",
            "name": "基准举报人",
            "phone": f"139{n:08d}",
            "challenge_token": token.search(page).group(1),  # type: ignore[union-attr]
            "challenge_answer": str(answer),
        }
        if not warm:
            for values in totals.values():
                values.clear()
            if top:  # the profiler slows every call: CPU figures only without it
                profile.enable()
        started = time.process_time()
        with CaptureQueriesContext(connection) as q:
            response = client.post(url, data)
        elapsed = (time.process_time() - started) * 1000
        if not warm and top:
            profile.disable()
        assert response.status_code == 200, response.status_code
        if not warm:
            rows["submission (POST)"].append(elapsed)
            statements["submission (POST)"].append(len(q.captured_queries))
            for label, values in totals.items():
                rows[f"  {label}"].append(sum(values))
    out = io.StringIO()
    if top:
        if dump:
            profile.dump_stats(dump)
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(top)
    last_sql = [x["sql"][:160] for x in q.captured_queries]
    return {
        "vendor": connection.vendor,
        "requests": requests,
        "cpu_ms_median": {k: round(statistics.median(v), 2) for k, v in rows.items()},
        "statements": {k: max(v) for k, v in statements.items()},
        "post_statements": last_sql,
        "cprofile": out.getvalue(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--database", default="bench_compl_profile")
    parser.add_argument("--cprofile", type=int, default=0)
    parser.add_argument("--pstats", default="", help="with --cprofile: also save the profile here")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database built by an earlier run"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.requests, args.cprofile, args.pstats), ensure_ascii=False))
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from complaints_intake import LIMITS, SETUP

    os.environ["YAOJIAN_COMPLAINTS"] = LIMITS
    if args.reuse and harness.database_exists(args.backend, args.database):
        url = harness.database_url(args.backend, args.database)
    else:
        url = harness.recreate_database(args.backend, args.database)
        harness.prepare_database(url)
        harness.manage(url, "compile_catalogs", "-v0")
        harness.shell(url, SETUP)
    import subprocess

    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--requests",
            str(args.requests),
            "--cprofile",
            str(args.cprofile),
            "--pstats",
            str(Path(args.pstats).resolve()) if args.pstats else "",
        ],
        cwd=harness.ROOT,
        env=harness.bench_env(url, STATIC_MANIFEST="0"),
        check=True,
        text=True,
        capture_output=True,
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    profile = result.pop("cprofile")
    result["load_average"] = harness.load_average()
    result["machine"] = harness.machine()
    harness.save(f"complaints_intake_profile_{args.backend}", result)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if profile:
        print(profile)


if __name__ == "__main__":
    main()
