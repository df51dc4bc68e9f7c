"""Reconcile two uploaded lists: read CSV (UTF-8, UTF-8-BOM, GB18030) or XLSX, link, write
PAIRS.csv. Used by ``manage.py link_files`` and by the link-files job (page and API).
"""

from __future__ import annotations

import csv
import io
import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.scoping import has_permission
from yaojian.core.spreadsheets import neutralise
from yaojian.jobs.models import Job
from yaojian.jobs.services import enqueue_on_commit, report_progress, start_job
from yaojian.linkage.matching import LinkRecord, Pair, link_lists
from yaojian.linkage.permissions import LINK_FILES

JOB_KIND = "linkage.link_files"
UPLOAD_DIR = "linkage/uploads"
RESULT_DIR = "linkage/pairs"
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
ENCODINGS = ("utf-8-sig", "gb18030")

# Column headers recognised without being told (lower case; Chinese and English).
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "key": ("id", "key", "编号", "序号"),
    "name": ("name", "名称", "单位名称", "企业名称", "机构名称"),
    "address": ("address", "地址", "经营地址", "注册地址"),
    "region_code": ("region_code", "region", "行政区划代码", "区划代码"),
    "credit_code": ("credit_code", "uscc", "统一社会信用代码", "信用代码"),
    "legal_representative": ("legal_representative", "法定代表人", "负责人"),
    "licence_number": ("licence_number", "licence", "许可证号", "许可证编号"),
}


@dataclass(frozen=True)
class LinkFilesResult:
    """What a run of link_files did."""

    left_rows: int
    right_rows: int
    auto: int
    review: int
    seconds: float


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("The file is neither UTF-8 nor GB18030 text; save it as CSV (UTF-8) or XLSX."),
        code="encoding",
    )


def _rows(data: bytes, filename: str) -> list[list[str]]:
    if filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError(_("The Excel file cannot be read."), code="xlsx") from exc
        sheet = workbook.worksheets[0]
        rows = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
        return rows
    text = _decode(data)
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def read_records(
    data: bytes, filename: str = "", *, columns: dict[str, str] | None = None
) -> list[LinkRecord]:
    """The records of a CSV or XLSX file; the first row names the columns.

    ``columns`` maps a field (``name``, ``address`` …) to a header when it is not one of the
    recognised headers. A file without a name column is refused.
    """
    rows = [row for row in _rows(data, filename) if any(row)]
    if not rows:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(
            _("The file has more than %(max)d rows."), code="too_many", params={"max": MAX_ROWS}
        )
    header = [cell.strip().lower() for cell in rows[0]]
    positions: dict[str, int] = {}
    for field, names in FIELD_HEADERS.items():
        wanted = (columns or {}).get(field)
        candidates = (wanted.strip().lower(),) if wanted else names
        for candidate in candidates:
            if candidate in header:
                positions[field] = header.index(candidate)
                break
        else:
            if wanted:
                raise ValidationError(
                    _("The file has no column %(column)s."),
                    code="no_column",
                    params={"column": wanted},
                )
    if "name" not in positions:
        raise ValidationError(
            _("The file has no name column; say which column holds the names."),
            code="no_name",
        )

    def cell(row: list[str], field: str) -> str:
        index = positions.get(field)
        return row[index] if index is not None and index < len(row) else ""

    return [
        LinkRecord(
            key=cell(row, "key") or str(number),
            name=cell(row, "name"),
            address=cell(row, "address"),
            region_code=cell(row, "region_code"),
            credit_code=cell(row, "credit_code"),
            legal_representative=cell(row, "legal_representative"),
            licence_number=cell(row, "licence_number"),
        )
        for number, row in enumerate(rows[1:], start=2)
    ]


PAIR_COLUMNS = (
    ("left_key", _("Left key")),
    ("right_key", _("Right key")),
    ("band", _("Result")),
    ("probability", _("Match probability")),
    ("match_weight", _("Match weight")),
    ("left_name", _("Left name")),
    ("right_name", _("Right name")),
    ("explanation", _("Match weight of each comparison")),
)
BAND_LABELS = {
    "auto": _("Same entity (automatic)"),
    "review": _("To review"),
    "new": _("No match"),
}


def pair_header() -> list[str]:
    """The column headers of PAIRS.csv, in words (the platform's language)."""
    return [str(label) for _key, label in PAIR_COLUMNS]


def write_pairs(
    pairs: Sequence[Pair],
    left: Sequence[LinkRecord],
    right: Sequence[LinkRecord],
    handle: Any,
) -> None:
    """PAIRS.csv: one row per pair, cells neutralised against spreadsheet formulas; headers,
    results and comparison names in words (the platform's language), never internal codes."""
    from yaojian.linkage.choices import COMPARISON_LABELS

    left_names = {record.key: record.name for record in left}
    right_names = {record.key: record.name for record in right}
    writer = csv.writer(handle)
    with translation.override(settings.LANGUAGE_CODE):
        writer.writerow(pair_header())
        bands = {key: str(label) for key, label in BAND_LABELS.items()}
        comparisons = {key: str(label) for key, label in COMPARISON_LABELS.items()}
    for pair in pairs:
        explanation = "; ".join(
            f"{comparisons.get(label, label)} {weight:+.2f}" for label, weight in pair.explanation
        )
        writer.writerow(
            [
                neutralise(value)
                for value in (
                    pair.left_key,
                    pair.right_key,
                    bands.get(pair.band, pair.band),
                    f"{pair.probability:.4f}",
                    f"{pair.match_weight:.2f}",
                    left_names.get(pair.left_key, ""),
                    right_names.get(pair.right_key, ""),
                    explanation,
                )
            ]
        )


def link_files(
    left: Sequence[LinkRecord], right: Sequence[LinkRecord], out: Path
) -> LinkFilesResult:
    """Link two lists and write PAIRS.csv (UTF-8 with BOM, for Excel) to ``out``."""
    started = time.perf_counter()
    pairs = link_lists(left, right)
    partial = out.with_suffix(".part")
    with partial.open("w", encoding="utf-8-sig", newline="") as handle:
        write_pairs(pairs, left, right, handle)
    os.replace(partial, out)
    return LinkFilesResult(
        left_rows=len(left),
        right_rows=len(right),
        auto=sum(1 for pair in pairs if pair.band == "auto"),
        review=sum(1 for pair in pairs if pair.band == "review"),
        seconds=round(time.perf_counter() - started, 2),
    )


def _store_upload(data: bytes, suffix: str) -> str:
    relative = f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative


def _suffix(filename: str) -> str:
    return ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"


@transaction.atomic
def start_link_files(
    *,
    actor: Any,
    left: tuple[str, bytes],
    right: tuple[str, bytes],
    columns: dict[str, str] | None = None,
) -> Job:
    """Check both files now (clear errors per file), store them and start the linkage job."""
    if not has_permission(actor, LINK_FILES):
        raise PermissionDenied(_("You may not reconcile lists."))
    errors: dict[str, list[ValidationError]] = {}
    counts = {}
    for field, (filename, data) in (("left", left), ("right", right)):
        if len(data) > MAX_FILE_BYTES:
            errors[field] = [ValidationError(_("The file is larger than 50 MB."), "too_large")]
            continue
        try:
            counts[field] = len(read_records(data, filename, columns=columns))
        except ValidationError as exc:
            errors[field] = exc.error_list
    if errors:
        raise ValidationError(errors)
    parameters = {
        "left_file": _store_upload(left[1], _suffix(left[0])),
        "right_file": _store_upload(right[1], _suffix(right[0])),
        "left_name": left[0][:200],
        "right_name": right[0][:200],
        "columns": dict(columns or {}),
        "left_rows": counts["left"],
        "right_rows": counts["right"],
    }
    job = start_job(
        actor=actor,
        kind=JOB_KIND,
        title=gettext("Reconciliation of two lists (PAIRS.csv)"),
        parameters=parameters,
    )
    from yaojian.linkage.tasks import link_files_task

    enqueue_on_commit(link_files_task, job_id=job.pk)
    return job


def run_link_files_job(job: Job) -> tuple[dict[str, Any], str]:
    """The job's body: read the stored files, link, write PAIRS.csv (idempotent)."""
    media = Path(settings.MEDIA_ROOT)
    parameters = job.parameters
    columns = parameters.get("columns") or None
    left = read_records(
        (media / parameters["left_file"]).read_bytes(), parameters["left_file"], columns=columns
    )
    right = read_records(
        (media / parameters["right_file"]).read_bytes(), parameters["right_file"], columns=columns
    )
    report_progress(job, done=0, total=len(left) + len(right))
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M%S")
    relative = f"{RESULT_DIR}/pairs-{stamp}-{job.public_id.hex[:8]}.csv"
    out = media / relative
    out.parent.mkdir(parents=True, exist_ok=True)
    result = link_files(left, right, out)
    report_progress(job, done=len(left) + len(right))
    return (
        {
            "left_rows": result.left_rows,
            "right_rows": result.right_rows,
            "auto": result.auto,
            "review": result.review,
            "seconds": result.seconds,
        },
        relative,
    )
