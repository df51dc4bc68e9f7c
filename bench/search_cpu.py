"""CPU of a few search requests in process (Django's test client), to compare two checkouts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_registry_1000000 \
        uv run python bench/search_cpu.py [--rounds 15]

Run it from each checkout in turn (a worktree of the older commit has its own ``bench/``; copy
this file there if it predates it): each line gives, per path, the median CPU and wall time of
``--rounds`` requests by the city leader of the bench database (``build_search_db.py``), after
three warm-up requests, and the load average. CPU time (``time.process_time``) is what differs
between two versions of the code; wall time also holds the database's share and the machine's
other work. Our own generator's data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
os.environ["STATIC_MANIFEST"] = "0"

PATHS = (
    "/registry/entities/?q=%E6%97%A5%E5%96%80%E5%88%99",  # 日喀则, the page
    "/api/v1/entities/?q=%E6%97%A5%E5%96%80%E5%88%99",  # and the API
    "/registry/entities/?q=%E8%AF%8A%E6%89%80",  # 诊所
    "/registry/entities/?region=540100",
    "/healthz",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from yaojian.accounts.models import Membership

    settings.ALLOWED_HOSTS = ["*"]
    leader = (
        Membership.objects.filter(
            is_active=True,
            department__region_id="540100",
            department__kind="drug_regulator",
            role="leader",
        )
        .order_by("id")
        .first()
    )
    if leader is None:
        print("no city leader: build the database with bench/build_search_db.py")
        return 1
    client = Client()
    client.force_login(leader.user)
    out = []
    for path in PATHS:
        for _ in range(3):
            client.get(path)
        cpu, wall = [], []
        for _ in range(args.rounds):
            started_cpu, started = time.process_time(), time.perf_counter()
            client.get(path)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        out.append(
            f"{path}: cpu {statistics.median(cpu):.1f} ms, wall {statistics.median(wall):.1f} ms"
        )
    print(ROOT, f"load {os.getloadavg()[0]:.1f}")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
