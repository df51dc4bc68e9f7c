"""What the shell costs: static payload and the per-request menu, against the old shell.

    uv run python bench/shell_cost.py [--database var/shell-demo.sqlite3] [--rounds 200]

1. Static payload of a first visit, raw and gzip-compressed (what WhiteNoise serves): the
   new shell (Tabler CSS + JS, yaojian.css, shell.js, the icon sprite) against the old
   hand-written yaojian.css (``git show a9c7627:static/css/yaojian.css``).
2. Time to build the menu (``core.menu.menu_for``) and to render the home page with the
   Django test client, for the demo accounts of a database seeded by ``seed_demo`` (the
   project's own generator), against ``/healthz`` in the same run. SQLite by default.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = [
    "static/vendor/tabler-core-1.6.1/css/tabler.min.css",
    "static/vendor/tabler-core-1.6.1/js/tabler.min.js",
    "static/css/yaojian.css",
    "static/js/shell.js",
    "static/vendor/tabler-icons-3.48.0/icons.svg",
]
OLD_COMMIT = "a9c7627"


def _sizes(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, 9))


def payload() -> None:
    total_raw = total_gz = 0
    for path in ASSETS:
        raw, gz = _sizes((ROOT / path).read_bytes())
        total_raw, total_gz = total_raw + raw, total_gz + gz
        print(f"  {path:58s} {raw / 1024:8.1f} KiB  gzip {gz / 1024:7.1f} KiB")
    old = subprocess.run(
        ["git", "show", f"{OLD_COMMIT}:static/css/yaojian.css"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    raw, gz = _sizes(old)
    print(
        f"  new shell total {total_raw / 1024:.1f} KiB (gzip {total_gz / 1024:.1f} KiB); "
        f"old yaojian.css {raw / 1024:.1f} KiB (gzip {gz / 1024:.1f} KiB)"
    )


def timings(rounds: int) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from yaojian.accounts.scoping import forget_scope, scope_for
    from yaojian.core.menu import menu_for

    setup_test_environment()
    users = get_user_model().objects.filter(
        username__in=["inspector", "caseofficer", "head", "auditor", "admin"]
    )
    for user in users:
        menu_for(user, "/")  # the first reverse() of a process loads the URL conf
        samples, scopes = [], []
        for _ in range(rounds):
            forget_scope(user)
            start = time.perf_counter()
            scope_for(user)  # built once per request by the first permission check
            middle = time.perf_counter()
            menu_for(user, "/enforcement/")
            samples.append((time.perf_counter() - middle) * 1000)
            scopes.append((middle - start) * 1000)
        client = Client()
        client.force_login(user)
        pages = {}
        for url in ("/healthz", "/"):
            client.get(url)
            times = []
            for _ in range(max(20, rounds // 10)):
                start = time.perf_counter()
                assert client.get(url).status_code == 200
                times.append((time.perf_counter() - start) * 1000)
            pages[url] = statistics.median(times)
        print(
            f"  {user.username:12s} menu_for median {statistics.median(samples):6.2f} ms "
            f"(scope build {statistics.median(scopes):5.2f} ms) · GET / median {pages['/']:6.1f} ms · "
            f"GET /healthz median {pages['/healthz']:5.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="var/shell-demo.sqlite3")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / args.database}")
    print("static payload of a first visit:")
    payload()
    print(f"menu and home page ({os.environ['DATABASE_URL']}):")
    timings(args.rounds)


if __name__ == "__main__":
    main()
