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
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

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


def submit(client: httpx.Client, n: int) -> tuple[float, str | None]:
    """One submission: (ms of the POST, the tracking number or None)."""
    try:
        page = client.get("/public/complaints/new/report/").text
    except httpx.HTTPError:
        return float("nan"), None
    token, question = TOKEN.search(page), QUESTION.search(page)
    if not token or not question:
        return float("nan"), None
    answer = sum(int(x) for x in re.findall(r"\d+", question.group(1)))
    data = {
        "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
        "topic": "recycled_drugs",
        "subject_name": f"基准药店{n % 50}",
        "region_code": "540102",
        "summary": f"第{n}号基准举报：药店回收医保药品再销售，编号{n * 7919}。",
        "name": "基准举报人",
        "phone": f"139{n:08d}",
        "challenge_token": token.group(1),
        "challenge_answer": str(answer),
    }
    started = time.perf_counter()
    try:
        response = client.post("/public/complaints/new/report/", data=data)
    except httpx.HTTPError:
        return (time.perf_counter() - started) * 1000, None
    elapsed = (time.perf_counter() - started) * 1000
    found = NUMBER.search(response.text) if response.status_code == 200 else None
    return elapsed, found.group(1) if found else None


def run(base: str, submitters: int, per: int, offset: int, kill: Any = None) -> dict[str, Any]:
    latencies: list[float] = []
    numbers: list[str] = []
    failures = 0
    lock = threading.Lock()
    stop = threading.Event()
    baseline: list[float] = []

    def submitter(index: int) -> None:
        nonlocal failures
        client = httpx.Client(base_url=base, timeout=60)
        for k in range(per):
            ms, number = submit(client, offset + index * per + k)
            with lock:
                latencies.append(ms)
                if number:
                    numbers.append(number)
                else:
                    failures += 1

    def trivial() -> None:
        client = httpx.Client(base_url=base, timeout=60)
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ok = client.get("/healthz").status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                baseline.append((time.perf_counter() - started) * 1000)
            time.sleep(0.05)

    side = threading.Thread(target=trivial)
    side.start()
    threads = [threading.Thread(target=submitter, args=(i,)) for i in range(submitters)]
    started = time.perf_counter()
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
    values = sorted(v for v in latencies if v == v)
    base_values = sorted(baseline)
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
    """Alternating steady rounds against ``--compare-ref`` (before) and the working tree."""
    tree = export_tree(args.compare_ref, url)
    port = int(os.environ.get("BENCH_PORT", "0")) or None
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
                result = run(bases[side], args.submitters, args.per_submitter, offset)
                offset += 100_000
                pooled[side]["values"] += result["values"]
                pooled[side]["baseline"] += result["baseline"]
    return {
        "ref": args.compare_ref,
        "rounds": args.rounds,
        **{side: summary(**pooled[side]) for side in ("before", "after")},
    }


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
    parser.add_argument("--compare-ref", default="")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ["YAOJIAN_COMPLAINTS"] = LIMITS
    url = harness.recreate_database(args.backend, args.database)
    harness.prepare_database(url)
    harness.manage(url, "compile_catalogs", "-v0")
    harness.shell(url, SETUP)
    load_before = harness.load_average()
    compared = compare(url, args) if args.compare_ref else None
    with harness.gunicorn(url) as base:
        harness.log(f"steady run: {args.submitters} submitters × {args.per_submitter}")
        steady = run(base, args.submitters, args.per_submitter, 0)
        port = int(base.rsplit(":", 1)[1])
        killed: list[int] = []

        def kill() -> None:
            workers = gunicorn_workers(port)
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])

        harness.log("run with a worker killed after 2 s")
        crash = run(base, args.submitters, args.per_submitter, 100_000, kill=kill)
    load_after = harness.load_average()
    returned = set(steady.pop("numbers")) | set(crash.pop("numbers"))
    for side in (steady, crash):
        side.pop("values"), side.pop("baseline")
    code = (
        "import json; from yaojian.complaints.models import Complaint; "
        f"n = set({sorted(returned)!r}); "
        "have = set(Complaint.objects.filter(number__in=n).values_list('number', flat=True)); "
        "print(json.dumps({'rows': Complaint.objects.count(), 'missing': len(n - have)}))"
    )
    counts = json.loads(harness.shell(url, code).splitlines()[-1])
    result = {
        "backend": args.backend,
        "compared": compared,
        "steady": steady,
        "worker_killed": {**crash, "killed_pids": killed},
        "tracking_numbers_returned": len(returned),
        "rows_in_database": counts["rows"],
        "returned_but_missing": counts["missing"],
        "load_before": load_before,
        "load_after": load_after,
        "machine": harness.machine(),
    }
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    out = harness.RESULTS / f"complaints_intake_{args.backend}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
