"""Serve Yaojian: the web server (gunicorn), the background worker and the periodic
scheduler, stopped together.

Used by ``make run``. Honours HOST, PORT, WEB_WORKERS and WEB_THREADS.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Two cores: 3 processes (one more than the cores, so a process waiting on the database or the
# network leaves a core busy) × 4 threads (requests waiting on I/O inside one process), i.e.
# 12 requests in hand at once; CPU-bound work runs at most one thread per process at a time
# (the GIL). Raise WEB_WORKERS with the cores (cores + 1); see docs/benchmarks.md (complaints).
WEB_WORKERS = "3"
WEB_THREADS = "4"
# The worker and the scheduler run at a lower CPU priority than the web server: a person waiting
# for a page comes before a hand-off the worker will deliver a moment later (nothing is lost:
# the hand-off is a committed row). BACKGROUND_NICE=0 runs them at the web server's priority.
BACKGROUND_NICE = "10"


def _lower_priority() -> None:
    os.nice(int(os.environ.get("BACKGROUND_NICE", BACKGROUND_NICE)))


def gunicorn_command(
    host: str, port: str | int, workers: str | int, threads: str | int, *, root: Path = ROOT
) -> list[str]:
    """The web server's command line (also used by the benchmarks, so that they measure the
    server as it runs in production)."""
    config = root / "scripts" / "gunicorn_conf.py"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        *(["--config", str(config)] if config.exists() else []),
        "yaojian.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--access-logfile",
        "-",
        "--timeout",
        "120",
    ]


def main() -> int:
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    workers = os.environ.get("WEB_WORKERS", WEB_WORKERS)
    threads = os.environ.get("WEB_THREADS", WEB_THREADS)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yaojian.settings"}
    web = subprocess.Popen(gunicorn_command(host, port, workers, threads), cwd=ROOT, env=env)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.5"],
        cwd=ROOT,
        env=env,
        preexec_fn=_lower_priority,
    )
    scheduler = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler"],
        cwd=ROOT,
        env=env,
        preexec_fn=_lower_priority,
    )
    processes = (("web server", web), ("worker", worker), ("scheduler", scheduler))
    shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
    print(f"\n  Yaojian 药监协同 is running: http://{shown_host}:{port}/", flush=True)
    subprocess.call([sys.executable, "manage.py", "demo_accounts"], cwd=ROOT, env=env)
    print("  Press Ctrl-C to stop the web server, the worker and the scheduler.\n", flush=True)

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for name, proc in processes:
            if proc.poll() is not None:
                print(f"  The {name} stopped (exit {proc.returncode}); stopping.", flush=True)
                stopping = True
                code = proc.returncode or 1
        time.sleep(0.5)
    for _, proc in processes:
        if proc.poll() is None:
            proc.terminate()
    for _, proc in processes:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    print("  Stopped.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
