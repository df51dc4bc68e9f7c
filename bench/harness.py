"""Shared pieces of the benchmarks: scratch databases, manage.py, gunicorn, load, percentiles.

Nothing here is collected by pytest (bench/ is outside ``testpaths``). Traffic goes to
127.0.0.1 only.
"""

from __future__ import annotations

import http.client
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
from urllib.parse import urlencode, urlsplit

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


def _serve_module() -> Any:
    """``scripts/serve.py`` as a module (its ``gunicorn_command``, default workers/threads)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("yaojian_serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _wait_until_up(proc: subprocess.Popen[bytes], base: str, log_path: Path) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited; see {log_path}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer; see {log_path}")


@contextmanager
def gunicorn(
    url: str,
    workers: int | None = None,
    threads: int | None = None,
    *,
    cwd: Path = ROOT,
    port: int | None = None,
) -> Iterator[str]:
    """Serve the app with the web server's command line from scripts/serve.py (its
    configuration file, worker class, workers × threads, access log); yields the base URL.
    The worker and the scheduler are not started (see :func:`serve` for the whole of it).

    ``cwd``: the source tree served (another commit's, exported, to compare in one run)."""
    serve_py = _serve_module()
    port = port or free_port()
    log_path = RESULTS / f"gunicorn-{port}.log"
    RESULTS.mkdir(parents=True, exist_ok=True)
    command = serve_py.gunicorn_command(
        "127.0.0.1",
        port,
        workers or serve_py.WEB_WORKERS,
        threads or serve_py.WEB_THREADS,
        root=cwd,
    )
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=bench_env(url, STATIC_MANIFEST="0"),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(proc, base, log_path)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@dataclass
class Served:
    """A running ``scripts/serve.py``: its base URL and process id."""

    base: str
    pid: int


@contextmanager
def serve(
    url: str, *, port: int | None = None, workers: int | None = None, threads: int | None = None
) -> Iterator[Served]:
    """Run ``scripts/serve.py`` itself, as ``make run`` does: gunicorn, the task worker and
    the scheduler (``WEB_WORKERS``/``WEB_THREADS`` when given); stopped afterwards."""
    port = port or free_port()
    log_path = RESULTS / f"serve-{port}.log"
    RESULTS.mkdir(parents=True, exist_ok=True)
    extra = {"HOST": "127.0.0.1", "PORT": str(port), "STATIC_MANIFEST": "0"}
    if workers:
        extra["WEB_WORKERS"] = str(workers)
    if threads:
        extra["WEB_THREADS"] = str(threads)
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "scripts/serve.py"],
            cwd=ROOT,
            env=bench_env(url, **extra),
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(proc, base, log_path)
            yield Served(base=base, pid=proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


# --- CPU accounting -------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, str, float]]:
    """Every process: pid → (parent pid, command line, CPU seconds incl. reaped children)."""
    out: dict[int, tuple[int, str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        cpu = sum(int(x) for x in fields[11:15]) / TICK  # utime stime cutime cstime
        out[int(entry.name)] = (int(fields[1]), cmd, cpu)
    return out


def cpu_of_tree(root_pid: int, matching: str = "") -> float:
    """CPU seconds used so far by ``root_pid`` and its descendants (reaped ones included);
    only those whose command line contains ``matching`` when given (``"gunicorn"``: the web
    server of ``serve``, without the task worker and the scheduler)."""
    procs = _processes()
    tree, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _c, _s) in procs.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    return sum(procs[pid][2] for pid in tree if pid in procs and matching in procs[pid][1])


def cpu_of_matching(text: str) -> float:
    """CPU seconds of the processes whose command line contains ``text`` (e.g. the PostgreSQL
    backends serving one database: ``postgres: … <database> …``)."""
    return sum(cpu for _pp, cmd, cpu in _processes().values() if text in cmd)


def machine_cpu() -> float:
    """CPU seconds every process on the machine has used (``/proc/stat``, not idle)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(x) for x in fields]
    busy = sum(ticks) - ticks[3] - ticks[4]  # minus idle and iowait
    return busy / TICK


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


@dataclass
class LightResponse:
    status_code: int
    content: bytes


class LightClient:
    """One keep-alive HTTP/1.1 connection per thread (``http.client``), for GETs and form
    POSTs: far less CPU per request than httpx, so that the load generator takes less of the
    cores it shares with the server (a real server's clients are on other machines). Cookies
    are kept; a broken connection is reopened on the next request, never retried."""

    def __init__(self, base: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}
        self._local = threading.local()

    def request(self, method: str, path: str, body: bytes | None = None) -> LightResponse:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self._local.conn = None
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _eq, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return LightResponse(response.status, content)

    def get(self, path: str) -> LightResponse:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> LightResponse:
        return self.request("POST", path, urlencode(data).encode())


def light_login(base: str, username: str, password: str) -> LightClient:
    """``login`` with a :class:`LightClient` (session cookie through the login form)."""
    client = LightClient(base)
    client.get("/accounts/login/")
    token = client.cookies.get("csrftoken", "")
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
    )
    if response.status_code not in (200, 302) or "sessionid" not in client.cookies:
        raise RuntimeError(f"login failed for {username}: HTTP {response.status_code}")
    return client


CLIENT_ERRORS = (OSError, http.client.HTTPException, httpx.HTTPError)


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
            except CLIENT_ERRORS:
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
