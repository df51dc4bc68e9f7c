"""Who is calling: DRF's ``TokenAuthentication`` + the scope, against ``ScopedTokenAuthentication``
(token, user, memberships and share grants in one statement), in process on PostgreSQL.

    uv run python bench/api_token_auth.py [--database bench_credit_r] [--rounds 6] [--calls 300]

Uses a database seeded by ``bench/credit_restrictions.py`` (its ``bench-credit`` user and token).
Each round times, alternately, ``--calls`` authentications with each class followed by
``scope_for(user)`` (what every scoped API request needs), and as the baseline in the same run
``--calls`` round trips of ``SELECT 1``. Results: var/bench/api_token_auth.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

CODE = """
import json, time
from django.db import connection
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.test import APIRequestFactory
from yaojian.accounts.api.authentication import ScopedTokenAuthentication
from yaojian.accounts.scoping import scope_for
key = Token.objects.get(user__username="bench-credit").key
request = APIRequestFactory().get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}")
def drf():
    user, _t = TokenAuthentication().authenticate(request)
    scope_for(user)
def scoped():
    user, _t = ScopedTokenAuthentication().authenticate(request)
    scope_for(user)
def select_1():
    with connection.cursor() as c:
        c.execute("SELECT 1")
out = {"drf": [], "scoped": [], "select_1": []}
for r in range(ROUNDS):
    order = [("drf", drf), ("scoped", scoped), ("select_1", select_1)]
    if r % 2:
        order = order[1::-1] + order[2:]
    for name, fn in order:
        for _ in range(CALLS):
            t0 = time.perf_counter()
            fn()
            out[name].append((time.perf_counter() - t0) * 1000)
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="bench_credit_r")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    url = harness.database_url("postgresql", args.database)
    load_before = harness.load_average()
    code = CODE.replace("ROUNDS", str(args.rounds)).replace("CALLS", str(args.calls))
    samples = json.loads(harness.shell(url, code).splitlines()[-1])
    rows = {}
    base = sorted(samples["select_1"])
    for name, values in samples.items():
        values.sort()
        p50, p95 = harness.percentile(values, 0.5), harness.percentile(values, 0.95)
        rows[name] = {
            "calls": len(values),
            "p50_ms": round(p50, 2),
            "p95_ms": round(p95, 2),
            "p50_over_select_1": round(p50 / harness.percentile(base, 0.5), 1),
        }
        harness.log(f"{name:<9} {rows[name]}")
    payload = {
        "database": args.database,
        "targets": rows,
        "load_average_before": load_before,
        "load_average_after": harness.load_average(),
        "machine": harness.machine(),
    }
    harness.log(f"results: {harness.save('api_token_auth', payload)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
