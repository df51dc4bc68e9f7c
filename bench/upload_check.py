"""Benchmark: what refusing unusable files at upload costs (issue 8 item 5).

``start_import`` now reads the whole file once at upload (``exchange.reading.check``) so that
a header-only file or a cell over the limit is refused before a batch exists. This measures,
on the same licence-register file, the upload-time work before (``reading.parse``: header
only) and after (``reading.check``: every row read), for XLSX and CSV. The file is made by
``bench/import_xlsx.py``'s generator; nothing touches a database.

    uv run python bench/upload_check.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import VAR, log, machine, save
from import_xlsx import write_file


def _best(function, data: bytes, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function("licence_register", data)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
    path = VAR / "bench" / f"upload-check-{args.rows}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        log(f"writing {args.rows} rows to {path}")
        write_file(path, args.rows)
    import django

    django.setup()
    from openpyxl import load_workbook

    from yaojian.exchange import reading

    xlsx = path.read_bytes()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True):
        writer.writerow(["" if v is None else v for v in row])
    csv_data = buffer.getvalue().encode("utf-8")
    results = {}
    for name, data in (("xlsx", xlsx), ("csv", csv_data)):
        header_only = _best(reading.parse, data, args.repeat)
        whole_file = _best(reading.check, data, args.repeat)
        results[name] = {
            "bytes": len(data),
            "parse_header_s": round(header_only, 3),
            "check_every_row_s": round(whole_file, 3),
            "added_s": round(whole_file - header_only, 3),
        }
        log(f"{name}: {results[name]}")
    save("upload_check", {"rows": args.rows, "machine": machine(), "results": results})


if __name__ == "__main__":
    main()
