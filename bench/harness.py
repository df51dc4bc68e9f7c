"""Shared pieces of the benchmarks: scratch databases, manage.py, gunicorn, load, percentiles.

Nothing here is collected by pytest (bench/ is outside ``testpaths``). Traffic goes to
127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
RESULTS = VAR / "bench"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_PASSWORD = "Bench-demo-2026!"  # noqa: S105 (scratch databases only)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- databases ----------------------------------------------------------------------------


def postgres_reachable() -> bool:
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def database_url(backend: str, name: str) -> str:
    """The DATABASE_URL of scratch database ``name`` (a file under var/ for SQLite)."""
    if backend == "sqlite":
        return f"sqlite:///{VAR / (name + '.sqlite3')}"
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def recreate_database(backend: str, name: str) -> str:
    """Drop and create the scratch database; returns its DATABASE_URL."""
    if not name.startswith("bench"):
        raise ValueError("scratch databases are named bench…")
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(backend, name)


def database_exists(backend: str, name: str) -> bool:
    if backend == "sqlite":
        return (VAR / f"{name}.sqlite3").exists()
    with psycopg.connect(PG_ADMIN_URL) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


# --- manage.py ------------------------------------------------------------------------------


def bench_env(url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "yaojian.settings"}
    env.pop("DEMO_PASSWORD", None)
    env.update(extra)
    return env


def manage(url: str, *args: str, capture: bool = False) -> str:
    """Run ``manage.py args`` against ``url``; raises on failure."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=bench_env(url),
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def shell(url: str, code: str) -> str:
    """Run Python in ``manage.py shell`` and return what it printed."""
    return manage(url, "shell", "--no-imports", "-c", code, capture=True).strip()


def prepare_database(url: str) -> None:
    manage(url, "migrate", "--no-input", "-v0")
    manage(url, "load_regions")


def timed_seed(url: str, entities: int, province: str = "54") -> float:
    """Seconds ``seed_demo`` takes (wall clock, including interpreter start)."""
    started = time.monotonic()
    manage(
        url,
        "seed_demo",
        "--province",
        province,
        "--entities",
        str(entities),
        "--password",
        BENCH_PASSWORD,
    )
    return time.monotonic() - started


def entity_count(url: str) -> int:
    code = "from yaojian.registry.models import Entity; print(Entity.objects.count())"
    try:
        return int(shell(url, code) or 0)
    except subprocess.CalledProcessError:
        return 0


# --- server ---------------------------------------------------------------------------------


def free_port() -> int:
    """A free port, or ``BENCH_PORT`` when set (a port reserved for this worktree)."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(
    url: str, workers: int = 3, threads: int = 4, *, cwd: Path = ROOT, port: int | None = None
) -> Iterator[str]:
    """Serve the app as scripts/serve.py does; yields the base URL; stops it afterwards.

    ``cwd``: the source tree served (another commit's, exported, to compare in one run)."""
    port = port or free_port()
    log_path = RESULTS / f"gunicorn-{port}.log"
    RESULTS.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "yaojian.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--worker-class",
                "gthread",
                "--timeout",
                "120",
            ],
            cwd=cwd,
            env=bench_env(url, STATIC_MANIFEST="0"),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                if proc.poll() is not None:
                    raise RuntimeError(f"gunicorn exited; see {log_path}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            else:
                raise RuntimeError(f"gunicorn did not answer; see {log_path}")
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def login(base: str, username: str, password: str) -> httpx.Client:
    """A client signed in through the login form (session cookie)."""
    client = httpx.Client(base_url=base, timeout=60)
    client.get("/accounts/login/")
    token = client.cookies.get("csrftoken", "")
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    if response.status_code not in (200, 302) or "sessionid" not in client.cookies:
        raise RuntimeError(f"login failed for {username}: HTTP {response.status_code}")
    return client


# --- load -----------------------------------------------------------------------------------


@dataclass
class Stats:
    """Latency statistics of one target, in milliseconds."""

    target: str
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    mean: float
    max: float
    throughput: float  # requests per second over the phase

    def row(self, baseline: Stats | None) -> dict[str, Any]:
        data = self.__dict__.copy()
        if baseline is not None:
            data["p50_ratio"] = round(self.p50 / baseline.p50, 1)
            data["p95_ratio"] = round(self.p95 / baseline.p95, 1)
        return data


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def fire(
    name: str,
    make_client: Any,
    paths: list[str],
    *,
    requests: int,
    concurrency: int,
    expect: int = 200,
) -> Stats:
    """Send ``requests`` GETs (cycling through ``paths``) from ``concurrency`` clients."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        nonlocal errors
        client = make_client()
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            path = paths[n % len(paths)]
            started = time.perf_counter()
            try:
                ok = client.get(path).status_code == expect
            except httpx.HTTPError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    values = sorted(latencies)
    return Stats(
        target=name,
        requests=len(values),
        errors=errors,
        p50=round(percentile(values, 0.50), 1),
        p95=round(percentile(values, 0.95), 1),
        p99=round(percentile(values, 0.99), 1),
        mean=round(statistics.fmean(values), 1) if values else float("nan"),
        max=round(values[-1], 1) if values else float("nan"),
        throughput=round(len(values) / wall, 1),
    )


def machine() -> dict[str, str]:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": run("nproc"),
        "free_g": run("free", "-g").splitlines()[1] if run("free", "-g") else "",
        "cpu": next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        ),
        "python": platform.python_version(),
        "loadavg": Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__(),
    }


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def wait_until_quiet(threshold: float = 1.5, limit_seconds: int = 900) -> float:
    """Wait (bounded) until the 1-minute load average drops below ``threshold``: other work
    on a 2-core machine would otherwise show up as latency. Returns the load at the start."""
    deadline = time.monotonic() + limit_seconds
    while (load := load_average()) >= threshold and time.monotonic() < deadline:
        log(f"load average {load:.2f} >= {threshold}; waiting for a quieter machine")
        time.sleep(30)
    return load


def save(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
