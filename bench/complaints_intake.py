"""Public intake of complaints: p95 of the form submission at 20 concurrent submitters beside a
trivial view (``/healthz``) in the same run, then a run in which one gunicorn worker is killed
(SIGKILL) mid-run and every tracking number a submitter received is looked for in the database.

Each submitter GETs the report form, solves its arithmetic question and POSTs a report with its
own telephone number and text (the per-address limit is lifted for the run: every submitter
comes from 127.0.0.1). Timed: the POST (validation, routing, duplicate check, the write, audit
and outbox rows, committed before the answer).

    uv run python bench/complaints_intake.py [--backend sqlite|postgresql] [--submitters 20]
        [--per-submitter 10] [--database bench_complaints] [--compare-ref REF --rounds 3]

``--compare-ref REF`` serves a second tree, commit ``REF`` exported under var/ (``git
archive``), on the same database, and runs the steady load against the two servers in
alternating rounds (before, after, after, before, …) so that both see the same machine; each
side is reported with its own /healthz figures measured during its rounds and the ratio of the
POST's p95 to /healthz's p95. The worker-kill run is made against the working tree only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

SETUP = """
from yaojian.accounts.models import Department
Department.objects.get_or_create(code="B-SAMR-540102", defaults=dict(
    name="基准城关区市场监督管理局", kind="market_regulator", region_id="540102", level="county"))
print("ok")
"""
LIMITS = json.dumps({"per_address_per_hour": 1_000_000, "per_contact_per_day": 1_000_000})
TOKEN = re.compile(r'name="challenge_token" value="([^"]+)"')
QUESTION = re.compile(r'data-testid="challenge-question">([^<]+)<')
NUMBER = re.compile(r'data-testid="receipt-number">([A-Z0-9]+)<')


class LightClient:
    """One keep-alive HTTP/1.1 connection (``http.client``): far less CPU per request than
    httpx, so that the load generator takes less of the cores it shares with the server. The
    csrftoken cookie is kept; a broken connection is reopened on the next request (a request
    is never retried: a POST that got no answer counts as failed)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def _request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _eq, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data.decode()

    def get(self, path: str) -> tuple[int, str]:
        return self._request("GET", path)

    def post(self, path: str, body: bytes) -> tuple[int, str]:
        return self._request("POST", path, body)

    def cookie(self, name: str) -> str:
        return self.cookies.get(name, "")


class HttpxClient:
    """The earlier load generator's client (httpx), kept to compare the two."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=60)

    def get(self, path: str) -> tuple[int, str]:
        response = self.client.get(path)
        return response.status_code, response.text

    def post(self, path: str, body: bytes) -> tuple[int, str]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        response = self.client.post(path, content=body, headers=headers)
        return response.status_code, response.text

    def cookie(self, name: str) -> str:
        return self.client.cookies.get(name, "")


ERRORS = (OSError, http.client.HTTPException, httpx.HTTPError)
FORM = "/public/complaints/new/report/"


def prepare(client: Any, n: int) -> bytes | None:
    """GET the report form and build submission ``n``'s body (its question solved)."""
    try:
        status, page = client.get(FORM)
    except ERRORS:
        return None
    token, question = TOKEN.search(page), QUESTION.search(page)
    if status != 200 or not token or not question:
        return None
    answer = sum(int(x) for x in re.findall(r"\d+", question.group(1)))
    data = {
        "csrfmiddlewaretoken": client.cookie("csrftoken"),
        "topic": "recycled_drugs",
        "subject_name": f"基准药店{n % 50}",
        "region_code": "540102",
        "summary": f"第{n}号基准举报：药店回收医保药品再销售，编号{n * 7919}。",
        "name": "基准举报人",
        "phone": f"139{n:08d}",
        "challenge_token": token.group(1),
        "challenge_answer": str(answer),
    }
    return urlencode(data).encode()


def post(client: Any, body: bytes | None) -> tuple[float, str | None]:
    """POST one prepared submission: (ms, the tracking number or None)."""
    if body is None:
        return float("nan"), None
    started = time.perf_counter()
    try:
        status, text = client.post(FORM, body)
    except ERRORS:
        return (time.perf_counter() - started) * 1000, None
    elapsed = (time.perf_counter() - started) * 1000
    found = NUMBER.search(text) if status == 200 else None
    return elapsed, found.group(1) if found else None


def _client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(
    base: str,
    submitters: int,
    per: int,
    offset: int,
    *,
    kill: Any = None,
    client_kind: str = "light",
    prefetch: bool = False,
    server_pid: int | None = None,
    database: str = "",
) -> dict[str, Any]:
    """One run. ``prefetch``: every form is fetched and every body built before the clock
    starts (the timed phase only POSTs); otherwise each submitter GETs the form and solves its
    question before each POST, as before. CPU of the client, the server (``server_pid``'s
    process tree) and PostgreSQL's backends of ``database`` is measured over the timed phase."""
    make = LightClient if client_kind == "light" else HttpxClient
    latencies: list[float] = []
    numbers: list[str] = []
    failures = 0
    lock = threading.Lock()
    stop = threading.Event()
    baseline: list[float] = []
    clients = [make(base) for _ in range(submitters)]
    bodies: list[list[bytes | None]] = [[] for _ in range(submitters)]
    prepare_cpu = _client_cpu()
    if prefetch:

        def fetch(index: int) -> None:
            for k in range(per):
                bodies[index].append(prepare(clients[index], offset + index * per + k))

        fetchers = [threading.Thread(target=fetch, args=(i,)) for i in range(submitters)]
        for thread in fetchers:
            thread.start()
        for thread in fetchers:
            thread.join()
    prepare_cpu = _client_cpu() - prepare_cpu

    def submitter(index: int) -> None:
        nonlocal failures
        client = clients[index]
        for k in range(per):
            body = bodies[index][k] if prefetch else prepare(client, offset + index * per + k)
            ms, number = post(client, body)
            with lock:
                latencies.append(ms)
                if number:
                    numbers.append(number)
                else:
                    failures += 1

    def trivial() -> None:
        client = make(base)
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ok = client.get("/healthz")[0] == 200
            except ERRORS:
                ok = False
            if ok:
                baseline.append((time.perf_counter() - started) * 1000)
            time.sleep(0.05)

    def cpu() -> dict[str, float]:
        return {
            "client": _client_cpu(),
            "server": harness.cpu_of_tree(server_pid) if server_pid else float("nan"),
            "web": harness.cpu_of_tree(server_pid, "gunicorn") if server_pid else float("nan"),
            "database": harness.cpu_of_matching(f" {database} ") if database else 0.0,
            "machine": harness.machine_cpu(),
        }

    side = threading.Thread(target=trivial)
    threads = [threading.Thread(target=submitter, args=(i,)) for i in range(submitters)]
    cpu_before = cpu()
    started = time.perf_counter()
    side.start()
    for thread in threads:
        thread.start()
    if kill is not None:
        time.sleep(2.0)
        kill()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    stop.set()
    side.join()
    cpu_after = cpu()
    values = sorted(v for v in latencies if v == v)
    base_values = sorted(baseline)
    used = {k: cpu_after[k] - cpu_before[k] for k in cpu_before}
    n = max(1, len(latencies))
    others = used["machine"] - used["client"] - used["server"] - used["database"]
    return {
        "submissions": len(latencies),
        "accepted": len(numbers),
        "failed": failures,
        "p50_ms": round(harness.percentile(values, 0.50), 1),
        "p95_ms": round(harness.percentile(values, 0.95), 1),
        "p99_ms": round(harness.percentile(values, 0.99), 1),
        "healthz_p50_ms": round(harness.percentile(base_values, 0.50), 1),
        "healthz_p95_ms": round(harness.percentile(base_values, 0.95), 1),
        "submissions_per_s": round(len(values) / wall, 1),
        "wall_s": round(wall, 2),
        "cpu_s": {k: round(v, 2) for k, v in used.items()} | {"others": round(others, 2)},
        "cpu_ms_per_submission": {
            "client": round(used["client"] * 1000 / n, 1),
            "server": round(used["server"] * 1000 / n, 1),
            "web": round(used["web"] * 1000 / n, 1),
            "database": round(used["database"] * 1000 / n, 1),
        },
        "client_share_of_machine": round(used["client"] / used["machine"], 2)
        if used["machine"]
        else None,
        "machine_busy": round(used["machine"] / (wall * (os.cpu_count() or 1)), 2),
        "prefetch_client_cpu_s": round(prepare_cpu, 2),
        "numbers": numbers,
        "values": values,
        "baseline": base_values,
    }


def summary(values: list[float], baseline: list[float]) -> dict[str, Any]:
    """Percentiles of pooled POST and /healthz times, and the p95 ratio."""
    values, baseline = sorted(values), sorted(baseline)
    p95, h95 = harness.percentile(values, 0.95), harness.percentile(baseline, 0.95)
    return {
        "submissions": len(values),
        "p50_ms": round(harness.percentile(values, 0.50), 1),
        "p95_ms": round(p95, 1),
        "p99_ms": round(harness.percentile(values, 0.99), 1),
        "healthz_p50_ms": round(harness.percentile(baseline, 0.50), 1),
        "healthz_p95_ms": round(h95, 1),
        "p95_over_healthz_p95": round(p95 / h95, 1) if h95 else None,
    }


def export_tree(ref: str, url: str) -> Path:
    """Commit ``ref``'s tree under var/ (compiled catalogs included); returns its path."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", ref],
        cwd=harness.ROOT,
        check=True,
        text=True,
        capture_output=True,
    ).stdout.strip()
    target = harness.VAR / f"bench-tree-{sha}"
    if not (target / "manage.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", sha], cwd=harness.ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "compile_catalogs", "-v0"],
        cwd=target,
        env=harness.bench_env(url),
        check=True,
    )
    return target


def compare(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Alternating steady rounds against ``--compare-ref`` (before) and the working tree, both
    served by gunicorn alone (the worker and the scheduler are not started)."""
    tree = export_tree(args.compare_ref, url)
    port = int(os.environ.get("BENCH_PORT", "0")) or None
    kind, prefetch = _generator(args.generator.split(",")[0])
    pooled: dict[str, dict[str, list[float]]] = {
        side: {"values": [], "baseline": []} for side in ("before", "after")
    }
    with (
        harness.gunicorn(url, cwd=tree, port=port) as before,
        harness.gunicorn(url, port=port + 1 if port else None) as after,
    ):
        bases = {"before": before, "after": after}
        offset = 200_000
        for index in range(args.rounds):
            order = ("before", "after") if index % 2 == 0 else ("after", "before")
            for side in order:
                harness.log(f"round {index + 1}: {side} (load {harness.load_average():.2f})")
                result = run(
                    bases[side],
                    args.submitters,
                    args.per_submitter,
                    offset,
                    client_kind=kind,
                    prefetch=prefetch,
                )
                offset += 100_000
                pooled[side]["values"] += result["values"]
                pooled[side]["baseline"] += result["baseline"]
    return {
        "ref": args.compare_ref,
        "rounds": args.rounds,
        **{side: summary(**pooled[side]) for side in ("before", "after")},
    }


def _generator(name: str) -> tuple[str, bool]:
    """``light`` / ``httpx``, with ``-prefetch``: (client kind, prefetch)."""
    kind, _dash, rest = name.partition("-")
    if kind not in ("light", "httpx") or rest not in ("", "prefetch"):
        raise SystemExit(f"unknown generator {name!r}: light, httpx, light-prefetch, …")
    return kind, rest == "prefetch"


@contextmanager
def _server(url: str, args: argparse.Namespace) -> Iterator[harness.Served]:
    port = int(os.environ.get("BENCH_PORT", "0")) or None
    if args.server == "serve":
        with harness.serve(url, port=port, workers=args.workers, threads=args.threads) as s:
            yield s
        return
    with harness.gunicorn(url, args.workers, args.threads, port=port) as base:
        master = next(
            pid
            for pid, (_pp, cmd, _cpu) in harness._processes().items()
            if base.rsplit("/", 1)[1] in cmd and "gunicorn" in cmd and _pp == os.getpid()
        )
        yield harness.Served(base=base, pid=master)


def outbox_drain(url: str, limit: float = 180.0) -> dict[str, Any]:
    """Wait (bounded) until the worker has delivered every hand-off the runs queued."""
    code = (
        "import json; from django.db.models import Count; "
        "from yaojian.outbox.models import Message; "
        "print(json.dumps(dict(Message.objects.values_list('status').annotate(n=Count('pk')))))"
    )
    started = time.monotonic()
    while True:
        counts = json.loads(harness.shell(url, code).splitlines()[-1])
        if not counts.get("pending") and not counts.get("running"):
            break
        if time.monotonic() - started > limit:
            break
        time.sleep(2)
    return {"statuses": counts, "waited_s": round(time.monotonic() - started, 1)}


def gunicorn_workers(port: int) -> list[int]:
    """Pids of the gunicorn workers this benchmark started (children of its master)."""
    procs: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        procs[int(entry.name)] = (ppid, cmd)
    mine = {pid for pid, (_pp, cmd) in procs.items() if f"127.0.0.1:{port}" in cmd}
    return sorted(pid for pid in mine if procs[pid][0] in mine)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--submitters", type=int, default=20)
    parser.add_argument("--per-submitter", type=int, default=10)
    parser.add_argument("--database", default="bench_complaints")
    parser.add_argument(
        "--generator",
        default="light-prefetch",
        help="comma-separated load generators, each given a steady run (alternating rounds): "
        "light (http.client) or httpx, with -prefetch (forms fetched and bodies built before "
        "the clock); the first also makes the worker-kill run",
    )
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--server",
        default="serve",
        choices=["serve", "gunicorn"],
        help="serve: scripts/serve.py as make run starts it (web, worker, scheduler); "
        "gunicorn: its web server alone",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="WEB_WORKERS (default serve.py's)"
    )
    parser.add_argument("--threads", type=int, default=None, help="WEB_THREADS")
    parser.add_argument("--tag", default="", help="suffix of the result file")
    parser.add_argument("--compare-ref", default="")
    args = parser.parse_args()
    generators = [g.strip() for g in args.generator.split(",") if g.strip()]
    for name in generators:
        _generator(name)
    os.environ["YAOJIAN_COMPLAINTS"] = LIMITS
    url = harness.recreate_database(args.backend, args.database)
    harness.prepare_database(url)
    harness.manage(url, "compile_catalogs", "-v0")
    harness.shell(url, SETUP)
    load_before = harness.load_average()
    compared = compare(url, args) if args.compare_ref else None
    db = args.database if args.backend == "postgresql" else ""
    steady: dict[str, dict[str, Any]] = {}
    returned: set[str] = set()
    with _server(url, args) as served:
        port = int(served.base.rsplit(":", 1)[1])
        offset = 0
        for index in range(args.rounds):
            order = generators if index % 2 == 0 else generators[::-1]
            for name in order:
                kind, prefetch = _generator(name)
                harness.log(
                    f"steady run {index + 1}, {name}: {args.submitters} submitters × "
                    f"{args.per_submitter} (load {harness.load_average():.2f})"
                )
                result = run(
                    served.base,
                    args.submitters,
                    args.per_submitter,
                    offset,
                    client_kind=kind,
                    prefetch=prefetch,
                    server_pid=served.pid,
                    database=db,
                )
                offset += 10_000
                returned |= set(result.pop("numbers"))
                steady.setdefault(name, {"runs": []})["runs"].append(result)
        killed: list[int] = []

        def kill() -> None:
            workers = gunicorn_workers(port)
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])

        harness.log(f"run with a web worker killed after 2 s ({generators[0]})")
        kind, prefetch = _generator(generators[0])
        crash = run(
            served.base,
            args.submitters,
            args.per_submitter,
            100_000,
            kill=kill,
            client_kind=kind,
            prefetch=prefetch,
            server_pid=served.pid,
            database=db,
        )
        returned |= set(crash.pop("numbers"))
        drained = outbox_drain(url) if args.server == "serve" else None
    load_after = harness.load_average()
    for side in steady.values():
        pooled = summary(
            [v for r in side["runs"] for v in r["values"]],
            [v for r in side["runs"] for v in r["baseline"]],
        )
        for r in side["runs"]:
            r.pop("values"), r.pop("baseline")
        side["pooled"] = pooled
    crash.pop("values"), crash.pop("baseline")
    code = (
        "import json; from yaojian.complaints.models import Complaint; "
        f"n = set({sorted(returned)!r}); "
        "have = set(Complaint.objects.filter(number__in=n).values_list('number', flat=True)); "
        "print(json.dumps({'rows': Complaint.objects.count(), 'missing': len(n - have)}))"
    )
    counts = json.loads(harness.shell(url, code).splitlines()[-1])
    result = {
        "backend": args.backend,
        "server": args.server,
        "workers_threads": [args.workers, args.threads],
        "generators": generators,
        "compared": compared,
        "steady": steady,
        "worker_killed": {**crash, "killed_pids": killed},
        "outbox_after_runs": drained,
        "tracking_numbers_returned": len(returned),
        "rows_in_database": counts["rows"],
        "returned_but_missing": counts["missing"],
        "load_before": load_before,
        "load_after": load_after,
        "machine": harness.machine(),
    }
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = f"_{args.tag}" if args.tag else ""
    out = harness.RESULTS / f"complaints_intake_{args.backend}{suffix}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
