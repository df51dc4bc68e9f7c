"""Benchmark: importing a 100,000-row licence-register XLSX (issue 3: under 60 s, progress visible).

Baselines in the same run: openpyxl merely reading the same file (read-only, values only,
every cell) and calamine (the reader the import uses) merely reading it. Then
``manage.py import_file licence_register FILE --department CODE -v 2`` on a fresh scratch
database, timed end to end as a separate process (Django start-up, header check, row
validation, bulk apply, provenance, alerts, error report), with its progress lines counted and
its own seconds per step. A second run of the same file measures the "unchanged" path.

    uv run python bench/import_xlsx.py [--rows 100000] [--backend sqlite|postgres|both]
        [--database bench_import_ex]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import ROOT, VAR, bench_env, log, prepare_database, recreate_database, shell

HEADERS = [
    "企业名称", "统一社会信用代码", "企业类型", "行政区划代码", "地址", "法定代表人",
    "许可证类型", "许可证编号", "有效期起", "有效期至", "许可状态",
]  # fmt: skip


def write_file(path: Path, rows: int) -> None:
    """A licence register of ``rows`` pharmacies in Tibet (1% of rows have a bad date)."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
    import django

    django.setup()
    from openpyxl import Workbook

    from yaojian.registry.identifiers import (
        make_drug_distribution_licence_number,
        make_unified_social_credit_code,
    )

    counties = ["540102", "540103", "540104", "540121", "540122", "540123", "540124"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("数据")
    sheet.append(HEADERS)
    for n in range(rows):
        county = counties[n % len(counties)]
        sheet.append(
            [
                f"测试大药房{n}号店",
                make_unified_social_credit_code("91", county, f"MB{n:06d}"),
                "single_pharmacy",
                county,
                f"北京中路{n}号",
                "扎西",
                "drug_distribution",
                make_drug_distribution_licence_number("54", "DA", "8910", n % 99999 + 1)
                if n < 99999
                else make_drug_distribution_licence_number("54", "CA", "8910", n % 99999 + 1),
                "2025-01-05" if n % 100 else "2025-13-05",
                "2030-01-04",
                "valid",
            ]
        )
    workbook.save(path)


def baseline_read(path: Path) -> tuple[float, int]:
    from openpyxl import load_workbook

    start = time.perf_counter()
    workbook = load_workbook(path, read_only=True)
    count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return time.perf_counter() - start, count


def calamine_read(path: Path) -> tuple[float, int]:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    count = sum(1 for _row in sheet.iter_rows())
    return time.perf_counter() - start, count


def timed_import(url: str, path: Path) -> tuple[float, list[str]]:
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_file",
            "licence_register",
            str(path),
            "--department",
            "bench-xz-drug",
            "-v",
            "2",
        ],
        cwd=ROOT,
        env=bench_env(url),
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return time.perf_counter() - start, result.stdout.splitlines()


def run(backend: str, database: str, path: Path) -> None:
    url = recreate_database(backend, database)
    prepare_database(url)
    shell(
        url,
        "from yaojian.accounts.models import Department;"
        "Department.objects.get_or_create(code='bench-xz-drug', defaults=dict(name='西藏药监(基准)',"
        " kind='drug_regulator', level='province', region_id='540000'))",
    )
    for label in ("import", "re-import of the same file"):
        seconds, lines = timed_import(url, path)
        progress = [line for line in lines if "/" in line and line.split("/")[0].isdigit()]
        summary = next((line for line in lines if line.startswith("accepted")), "")
        steps = next((line for line in lines if line.startswith("seconds:")), "")
        log(f"[{backend}] {label}: {seconds:.1f} s; {len(progress)} progress lines; {summary}")
        log(f"[{backend}]   {steps}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--database", default="bench_import_ex", help="scratch database name")
    args = parser.parse_args()
    VAR.mkdir(exist_ok=True)
    path = VAR / f"bench-licences-{args.rows}.xlsx"
    if not path.exists():
        log(f"writing {path} ({args.rows} rows)")
        write_file(path, args.rows)
    log(f"file size {path.stat().st_size / 1e6:.1f} MB")
    seconds, count = baseline_read(path)
    log(f"baseline: openpyxl read-only read of {count - 1} rows: {seconds:.1f} s")
    seconds, count = calamine_read(path)
    log(f"baseline: calamine read of {count - 1} rows: {seconds:.1f} s")
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    for backend in backends:
        run(backend, args.database, path)


if __name__ == "__main__":
    main()
