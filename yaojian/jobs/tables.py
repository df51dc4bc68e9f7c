"""One writer for the lists people take away: XLSX, or CSV in UTF-8 or GB18030, with progress.

A list export is a job (``jobs.services.start_job``); its task calls :func:`write_table` with
the header and an iterator of rows, which writes ``MEDIA_ROOT/exports/<name>.<ext>`` through a
temporary file (so a rerun or a crash never leaves half a file under the final name),
reporting progress every :data:`PROGRESS_EVERY` rows. Every cell goes through
:func:`yaojian.core.spreadsheets.neutralise` (no formulas from user input).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings

from yaojian.core.spreadsheets import neutralise
from yaojian.jobs.models import Job
from yaojian.jobs.services import report_progress

FORMATS = ("xlsx", "csv")
ENCODINGS = ("utf-8-sig", "gb18030")
PROGRESS_EVERY = 2000
EXPORT_DIR = "exports"


def write_table(
    job: Job,
    *,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    total: int,
    file_format: str = "xlsx",
    encoding: str = "utf-8-sig",
    sheet_title: str = "",
) -> tuple[dict[str, Any], str]:
    """Write the table; returns the job's result and the file's path under MEDIA_ROOT."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}")
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}")
    report_progress(job, done=0, total=total)
    relative = f"{EXPORT_DIR}/{name}-{job.public_id.hex[:12]}.{file_format}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    count = 0
    if file_format == "csv":
        with partial.open("w", encoding=encoding, errors="replace", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise(h) for h in header])
            for row in rows:
                writer.writerow([neutralise(v) for v in row])
                count += 1
                if count % PROGRESS_EVERY == 0:
                    report_progress(job, done=count)
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=(sheet_title or name)[:31])
        sheet.append([neutralise(h) for h in header])
        for row in rows:
            sheet.append([_cell(v) for v in row])
            count += 1
            if count % PROGRESS_EVERY == 0:
                report_progress(job, done=count)
        book.save(partial)
    os.replace(partial, path)
    report_progress(job, done=count)
    result = {"rows": count, "format": file_format}
    if file_format == "csv":
        result["encoding"] = encoding
    return result, relative


def _cell(value: Any) -> Any:
    """Numbers stay numbers in XLSX; everything else is neutralised text."""
    if isinstance(value, bool):
        return neutralise(value)
    if isinstance(value, int | float):
        return value
    return neutralise(value)
