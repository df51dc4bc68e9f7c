"""Fan-out: problem recorded → notices visible in every target inbox (p95 target < 2 s).

Runs on a scratch database with the real worker (``manage.py db_worker``) and gunicorn:
records problems through the API as an inspector and polls the target departments'
inboxes through the API until each notice shows; baseline: ``/healthz`` in the same run.

    uv run python bench/notices_fanout.py [--backend sqlite|postgresql] [--problems 40]
        [--database bench_notices_fanout]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import httpx

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
import harness

SETUP = """
import json
from rest_framework.authtoken.models import Token
from yaojian.accounts.models import Department, Membership, User
from yaojian.registry.models import Entity
from yaojian.registry.names import search_key
def dept(code, kind, region, level):
    return Department.objects.get_or_create(code=code, defaults=dict(name=code, kind=kind, region_id=region, level=level))[0]
def user(name, d, role):
    u, _ = User.objects.get_or_create(username=name)
    Membership.objects.get_or_create(user=u, department=d, role=role)
    return Token.objects.get_or_create(user=u)[0].key
drug = dept("B-MPA", "drug_regulator", "540102", "county")
health = dept("B-HC", "health_commission", "540102", "county")
ins = dept("B-MI", "medical_insurance", "540102", "county")
police = dept("B-PS", "public_security", "540100", "city")
e = Entity.objects.filter(name="基准大药房").first() or Entity.objects.create(name="基准大药房", search_key=search_key("基准大药房"), kind="single_pharmacy", region_id="540102", registered_by=drug)
print(json.dumps({"inspector": user("b_inspector", drug, "inspector"), "targets": [user("b_health", health, "case_officer"), user("b_ins", ins, "case_officer"), user("b_police", police, "case_officer")], "entity": str(e.public_id)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--problems", type=int, default=40)
    parser.add_argument(
        "--database",
        default="bench_notices_fanout",
        help="scratch database name (must start with 'bench'; dropped and re-created)",
    )
    args = parser.parse_args()
    url = harness.recreate_database(args.backend, args.database)
    harness.prepare_database(url)
    setup = json.loads(harness.shell(url, SETUP).splitlines()[-1])
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker"],
        cwd=harness.ROOT,
        env=harness.bench_env(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with harness.gunicorn(url) as base:

            def client(token: str) -> httpx.Client:
                return httpx.Client(
                    base_url=base, timeout=30, headers={"Authorization": f"Token {token}"}
                )

            inspector = client(setup["inspector"])
            targets = [client(t) for t in setup["targets"]]
            healthz: list[float] = []
            fanout: list[float] = []
            for index in range(args.problems):
                started = time.perf_counter()
                httpx.get(f"{base}/healthz", timeout=10)
                healthz.append(time.perf_counter() - started)
                started = time.perf_counter()
                response = inspector.post(
                    "/api/v1/problems/",
                    json={
                        "category": "counterfeit_drug",
                        "description": f"基准 {index}",
                        "entity": setup["entity"],
                    },
                )
                response.raise_for_status()
                problem = response.json()["id"]
                pending = list(targets)
                while pending:
                    still = []
                    for target in pending:
                        rows = target.get("/api/v1/notices/?state=unread").json()["results"]
                        if not any(row["problem"] == problem for row in rows):
                            still.append(target)
                    pending = still
                    if time.perf_counter() - started > 30:
                        raise RuntimeError("notices did not show within 30 s")
                fanout.append(time.perf_counter() - started)
    finally:
        worker.terminate()
        worker.wait(timeout=20)

    def summary(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)
        return {
            "n": len(ordered),
            "p50_ms": round(harness.percentile(ordered, 0.50) * 1000, 1),
            "p95_ms": round(harness.percentile(ordered, 0.95) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1),
        }

    payload = {
        "backend": args.backend,
        "healthz": summary(healthz),
        "record_to_visible_in_3_inboxes": summary(fanout),
        "target_p95_ms": 2000,
        "machine": harness.machine(),
    }
    harness.log(json.dumps({k: payload[k] for k in ("healthz", "record_to_visible_in_3_inboxes")}))
    harness.save(f"notices_fanout-{args.backend}", payload)


if __name__ == "__main__":
    main()
