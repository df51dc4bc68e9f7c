"""Writes per second with the audit chain lock taken early (before) or late (after), one run.

    uv run python bench/audit_lock.py [--seconds 30] [--decision-workers 2] [--import-workers 2]
        [--batch 5] [--cases 40] [--name bench_audit]

PostgreSQL only (``BENCH_PG_ADMIN_URL``, default postgres://postgres@127.0.0.1:5432/postgres).
The scratch database ``bench_audit`` is rebuilt each run: ``migrate``, ``load_regions``, one
market regulator per decision worker (a head, two credentialed officers, a reviewer, an
entity, and ``--cases`` cases brought through the real services, without PDFs, to the point
where the head may decide them: reviewed, no penalty proposed; decisions are numbered per
department, so each worker decides for its own department), one insurance bureau (a data
steward). Half of each department's cases are decided in each mode.

Then, for each mode — ``early`` (``AUDIT_CHAIN_LOCK=early``: the chain lock is taken at the
first audit record and held to commit, as before ADR 0011) and ``late`` (the lock is taken in
the pre-commit step) — the same load runs for ``--seconds``, in separate processes started
together: decision workers call ``enforcement.services.decide_case`` (which renders the
行政处罚决定书 PDF in its transaction) on their own cases; import workers call
``exchange.services.submit_records`` with ``--batch`` new insurance designations (one entity
and audit events per record) per transaction. Reported per mode and kind: committed
transactions per second, audit rows per second, p50/p95/max latency. The chain is verified
at the end (``verify_audit``). Results: var/bench/audit_lock.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness

MODES = ("early", "late")


# --- inside a worker process (django set up) ------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(harness.ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
    import django

    django.setup()


def setup(cases: int, regulators: int) -> dict[str, object]:
    """``regulators`` market regulators (one per decision worker: numbering is per department)
    with their staff, each with ``cases`` cases ready for the head's decision; one insurance
    bureau with a data steward."""
    _django()
    from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
    from yaojian.accounts.tests.factories import (
        DepartmentFactory,
        MembershipFactory,
        UserFactory,
    )
    from yaojian.enforcement import services
    from yaojian.enforcement.choices import ClueSource, ReviewConclusion
    from yaojian.enforcement.services.outbound import documents_skipped
    from yaojian.enforcement.tests.factories import CredentialFactory
    from yaojian.registry.tests.factories import EntityFactory

    def member(department: Any, role: str, username: str) -> Any:
        user = UserFactory(username=username)
        MembershipFactory(user=user, department=department, role=role)
        return user

    bureau = DepartmentFactory(
        code="YB-540102",
        name="城关区医疗保障局",
        kind=DepartmentKind.MEDICAL_INSURANCE,
        level=DepartmentLevel.COUNTY,
        region_id="540102",
    )
    member(bureau, Role.DATA_STEWARD, "bench_steward")
    by_regulator: dict[str, list[int]] = {}
    for w in range(regulators):
        regulator = DepartmentFactory(
            code=f"SAMR-540102-{w}",
            name=f"城关区市场监督管理局{w}",
            kind=DepartmentKind.MARKET_REGULATOR,
            level=DepartmentLevel.COUNTY,
            region_id="540102",
        )
        officer = member(regulator, Role.CASE_OFFICER, f"bench_officer{w}a")
        officer2 = member(regulator, Role.CASE_OFFICER, f"bench_officer{w}b")
        CredentialFactory(user=officer)
        CredentialFactory(user=officer2)
        head = member(regulator, Role.DEPARTMENT_HEAD, f"bench_head{w}")
        reviewer = member(regulator, Role.LEGAL_REVIEWER, f"bench_reviewer{w}")
        inspector = member(regulator, Role.INSPECTOR, f"bench_inspector{w}")
        entity = EntityFactory(registered_by=regulator)
        ids = by_regulator.setdefault(str(w), [])
        with documents_skipped():
            for n in range(cases):
                case = services.record_clue(
                    actor=inspector,
                    source=ClueSource.INSPECTION,
                    title=f"销售劣药线索{n}",
                    entity=entity,
                )
                services.begin_verification(actor=officer, case=case, officers=[officer, officer2])
                services.file_case(actor=head, case=case)
                services.add_evidence(
                    actor=officer, case=case, kind="physical", description="劣药20盒"
                )
                services.propose_penalty(
                    actor=officer,
                    case=case,
                    violation="销售劣药",
                    legal_basis="药品管理法第117条",
                    items=[],
                )
                services.submit_for_review(actor=officer, case=case)
                services.review_case(
                    actor=reviewer,
                    case=case,
                    opinion="事实清楚",
                    conclusion=ReviewConclusion.APPROVE,
                )
                ids.append(case.pk)
    return {"cases": by_regulator}


def work(kind: str, ids: list[int], seconds: float, batch: int, seed: int) -> dict:
    """Say "ready", read the start time from stdin, run until ``seconds`` after it; returns
    the latencies of the committed writes."""
    _django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from yaojian.enforcement import services as enforcement
    from yaojian.enforcement.models import Case
    from yaojian.exchange import services as exchange
    from yaojian.exchange.choices import SourceKind
    from yaojian.registry.tests.factories import uscc_for

    users = get_user_model().objects
    head = users.filter(username=f"bench_head{seed}").first()
    steward = users.get(username="bench_steward")
    connection.ensure_connection()
    latencies: list[float] = []
    errors: list[str] = []
    queue = list(ids)
    serial = 0
    print("ready", flush=True)
    start_at = float(sys.stdin.readline())
    time.sleep(max(0.0, start_at - time.time()))
    deadline = start_at + seconds
    while time.time() < deadline:
        started = time.perf_counter()
        try:
            if kind == "decide":
                if not queue:
                    errors.append("out of cases")
                    break
                case = Case.objects.get(pk=queue.pop(0))
                enforcement.decide_case(actor=head, case=case)
            else:
                records = []
                for _ in range(batch):
                    serial += 1
                    n = seed * 1_000_000 + serial
                    records.append(
                        {
                            "idempotency_key": f"bench-{n}",
                            "entity_name": f"拉萨基准药房{n}号店",
                            "unified_social_credit_code": uscc_for(
                                300_000 + seed * 10_000 + serial
                            ),
                            "agreement_number": f"YB540102-2026-{n}",
                            "agreement_status": "有效",
                            "start_date": "2026-01-01",
                            "region_code": "540102",
                            "legal_representative": "扎西",
                        }
                    )
                exchange.submit_records(
                    actor=steward, kind=SourceKind.INSURANCE_DESIGNATIONS, records=records
                )
        except Exception as exc:  # reported, not hidden
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
            continue
        latencies.append(time.perf_counter() - started)
    return {"kind": kind, "latencies": latencies, "errors": errors}


# --- the driver ------------------------------------------------------------------------------


def _spawn(url: str, mode: str, payload: dict) -> subprocess.Popen:
    env = harness.bench_env(url, AUDIT_CHAIN_LOCK=mode, LOG_LEVEL="WARNING")
    return subprocess.Popen(
        [sys.executable, __file__, "--role", "worker", "--payload", json.dumps(payload)],
        cwd=harness.ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _audit_count(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM audit_auditevent").fetchone()
    return int(row[0]) if row else 0


def run_mode(url: str, mode: str, cases: dict[str, list[int]], args: argparse.Namespace) -> dict:
    common = {"seconds": args.seconds, "batch": args.batch}
    rows_before = _audit_count(url)
    procs = []
    for w in range(args.decision_workers):
        ids = cases[str(w)]
        procs.append(_spawn(url, mode, {**common, "kind": "decide", "ids": ids, "seed": w}))
    for w in range(args.import_workers):
        seed = 10 * (MODES.index(mode) + 1) + w
        procs.append(_spawn(url, mode, {**common, "kind": "import", "ids": [], "seed": seed}))
    for proc in procs:  # every process is set up before the clock starts
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"a {mode} worker did not start")
    start_at = time.time() + 0.5
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(f"{start_at}\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=args.seconds + 600)
        if proc.returncode != 0:
            raise RuntimeError(f"a {mode} worker failed")
        results.append(json.loads(out.strip().splitlines()[-1]))
    rows = _audit_count(url) - rows_before
    summary: dict[str, object] = {"mode": mode, "audit_rows_per_s": round(rows / args.seconds, 1)}
    total = 0
    for kind in ("decide", "import"):
        lat = sorted(x for r in results if r["kind"] == kind for x in r["latencies"])
        errors = [e for r in results if r["kind"] == kind for e in r["errors"]]
        total += len(lat)
        summary[kind] = {
            "transactions": len(lat),
            "per_s": round(len(lat) / args.seconds, 2),
            "p50_ms": round(1000 * harness.percentile(lat, 0.5)) if lat else None,
            "p95_ms": round(1000 * harness.percentile(lat, 0.95)) if lat else None,
            "max_ms": round(1000 * lat[-1]) if lat else None,
            "errors": errors[:5],
            "error_count": len(errors),
        }
    summary["writes_per_s"] = round(total / args.seconds, 2)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--role", default="driver", choices=("driver", "setup", "worker"))
    parser.add_argument("--payload", default="{}")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--decision-workers", type=int, default=2)
    parser.add_argument("--import-workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=5)
    parser.add_argument("--cases", type=int, default=40, help="per decision worker")
    parser.add_argument("--name", default="bench_audit")
    args = parser.parse_args()
    if args.role == "setup":
        print(json.dumps(setup(args.cases, args.decision_workers)))
        return
    if args.role == "worker":
        p = json.loads(args.payload)
        result = work(p["kind"], p["ids"], p["seconds"], p["batch"], p["seed"])
        print(json.dumps(result))
        return

    if not harness.postgres_reachable():
        sys.exit("PostgreSQL is not reachable (BENCH_PG_ADMIN_URL)")
    checkpoints = harness.RESULTS / "audit_lock-checkpoints.jsonl"
    checkpoints.parent.mkdir(parents=True, exist_ok=True)
    checkpoints.unlink(missing_ok=True)  # the scratch database is new: so is its anchor
    os.environ["AUDIT_CHECKPOINT_FILE"] = str(checkpoints)
    url = harness.recreate_database("postgresql", args.name)
    harness.log(f"migrating {args.name}")
    harness.prepare_database(url)
    harness.manage(url, "prepare_document_fonts")
    harness.log(f"preparing {args.cases} cases ready for decision")
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--role",
            "setup",
            "--cases",
            str(args.cases),
            "--decision-workers",
            str(args.decision_workers),
        ],
        cwd=harness.ROOT,
        env=harness.bench_env(url, LOG_LEVEL="WARNING"),
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    cases = json.loads(out.strip().splitlines()[-1])["cases"]
    harness.manage(url, "audit_checkpoint")
    shares = [{w: ids[: len(ids) // 2] for w, ids in cases.items()}]
    shares.append({w: ids[len(ids) // 2 :] for w, ids in cases.items()})
    results = {}
    machine = harness.machine()
    for mode, share in zip(MODES, shares, strict=True):
        harness.log(f"{mode}: {args.seconds:.0f} s, load {harness.load_average():.1f}")
        results[mode] = run_mode(url, mode, share, args)
        harness.log(json.dumps(results[mode], ensure_ascii=False))
    verify = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=harness.ROOT,
        env=harness.bench_env(url),
        text=True,
        capture_output=True,
    )
    report = {
        "machine": machine,
        "args": vars(args),
        "results": results,
        "verify_audit": verify.stdout.strip() or verify.stderr.strip(),
    }
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    (harness.RESULTS / "audit_lock.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False)
    )
    print()
    print(
        "| mode | writes/s | decisions/s (p50 / p95 ms) | imports/s (p50 / p95 ms) | audit rows/s |"
    )
    print("|---|---|---|---|---|")
    for mode in MODES:
        r = results[mode]
        d, i = r["decide"], r["import"]
        print(
            f"| {mode} | {r['writes_per_s']} | {d['per_s']} ({d['p50_ms']} / {d['p95_ms']}) | "
            f"{i['per_s']} ({i['p50_ms']} / {i['p95_ms']}) | {r['audit_rows_per_s']} |"
        )
    print(f"\nverify_audit: {report['verify_audit']}")


if __name__ == "__main__":
    main()
