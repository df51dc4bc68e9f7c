"""Writes of the exchange app: start an import, run it, take API records, handle alerts.

The upload page, the API and ``manage.py import_file`` all call :func:`start_import` and then
:func:`run_import` (as a job through the task, or in-process for the command), so every path
validates and applies rows the same way.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.core.events import publish
from yaojian.exchange import reading
from yaojian.exchange.alerts import recompute_alerts
from yaojian.exchange.applying import Applier, Outcome
from yaojian.exchange.choices import (
    ALERT_TRANSITIONS,
    AlertStatus,
    BatchOrigin,
    BatchStatus,
    RowOutcome,
    SourceKind,
    source_kind_label,
    source_kind_values,
    uploaders_for,
)
from yaojian.exchange.events import BatchApplied
from yaojian.exchange.models import (
    ApiReceipt,
    DataQualityAlert,
    DataSource,
    ImportBatch,
    RejectedRow,
)
from yaojian.exchange.permissions import CHANGE_ALERTS, IMPORT, MANAGE_SOURCES
from yaojian.exchange.reports import REPORT_DIR, write_error_report
from yaojian.exchange.rows import CleanRow, RowValidator
from yaojian.jobs.models import Job
from yaojian.jobs.services import enqueue_on_commit, report_progress, start_job
from yaojian.territory.codes import subtree_prefix

JOB_KIND = "exchange.import"
UPLOAD_DIR = "exchange/uploads"
PROGRESS_EVERY = 2000


# --- departments and sources ------------------------------------------------------------


def importing_department(actor: Any, department: Department | None = None) -> Department:
    """The department ``actor`` imports for: ``department`` if they may import there, else their
    only importing department. ``PermissionDenied`` otherwise."""
    scope = scope_for(actor)
    allowed = sorted({m.department_id for m in scope.members_with(IMPORT)})
    if department is not None:
        if scope.is_superuser or department.pk in allowed:
            return department
        raise PermissionDenied(_("You may import data only for a department you steward."))
    if len(allowed) == 1:
        return Department.objects.get(pk=allowed[0])
    if not allowed:
        raise PermissionDenied(_("You are not allowed to import data."))
    raise ValidationError(
        {"department": ValidationError(_("Choose the department to import for."), code="required")}
    )


def check_source_kind(kind: str, department: Department) -> None:
    """Refuse unknown kinds and files for the wrong kind of department."""
    if kind not in source_kind_values():
        raise ValidationError(
            {"kind": ValidationError(_("Choose one of the data sources."), code="invalid_choice")}
        )
    uploaders = uploaders_for(kind)
    if uploaders is not None and department.kind not in uploaders:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _(
                        "A %(source)s cannot be uploaded by %(department)s: this data source "
                        "belongs to another kind of department."
                    ),
                    code="wrong_department",
                    params={"source": source_kind_label(kind), "department": department.name},
                )
            }
        )


def source_for(*, actor: Any, department: Department, kind: str) -> DataSource:
    """The department's source of ``kind``, created on first use (audited when created)."""
    check_source_kind(kind, department)
    source, created = DataSource.objects.get_or_create(department=department, kind=kind)
    if created:
        record(
            actor=actor,
            action="exchange.source_created",
            obj=source,
            changes={"kind": kind},
            department=department,
        )
    return source


@transaction.atomic
def set_source_active(*, actor: Any, source: DataSource, is_active: bool) -> DataSource:
    """Open or close a data source (administrators of its department; audited)."""
    scope = scope_for(actor)
    if not scope.is_superuser and source.department_id not in {
        m.department_id for m in scope.members_with(MANAGE_SOURCES)
    }:
        raise PermissionDenied(_("You are not allowed to manage this data source."))
    if source.is_active != is_active:
        source.is_active = is_active
        source.save(update_fields=["is_active", "updated_at"])
        record(
            actor=actor,
            action="exchange.source_changed",
            obj=source,
            changes={"is_active": [not is_active, is_active]},
            department=source.department,
        )
    return source


# --- starting and running an import -----------------------------------------------------


@transaction.atomic
def start_import(
    *,
    actor: Any,
    kind: str,
    data: bytes,
    file_name: str,
    department: Department | None = None,
    origin: str = BatchOrigin.UPLOAD,
    enqueue: bool = True,
) -> ImportBatch:
    """Check and store an uploaded file, record the batch and its job, enqueue the import.

    The whole file is read once here (:func:`reading.check`): a file that cannot be imported
    at all (unreadable, wrong header, a header and no rows, a cell over the limit) is refused
    at once (``ValidationError`` on ``file``) and nothing is stored, no batch and no job.
    Rows are validated and applied by :func:`run_import`.
    """
    department = importing_department(actor, department)
    check_source_kind(kind, department)
    source = source_for(actor=actor, department=department, kind=kind)
    if not source.is_active:
        raise ValidationError(
            {"kind": ValidationError(_("This data source is closed."), code="closed")}
        )
    try:
        parsed = reading.check(kind, data)
    except reading.UnreadableFileError as exc:
        raise ValidationError({"file": exc}) from exc
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{UPLOAD_DIR}/{uuid.uuid4().hex}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    transaction.on_commit(lambda: None)
    batch = ImportBatch(
        department=department,
        source=source,
        source_kind=kind,
        origin=origin,
        uploaded_by=actor,
        file_name=Path(file_name or "upload").name[:255],
        stored_file=relative,
        file_sha256=digest,
        file_size=len(data),
        encoding=parsed.encoding,
        total_rows=parsed.estimated_rows,
    )
    batch.full_clean()
    batch.save()
    job = start_job(
        actor=actor,
        kind=JOB_KIND,
        title=gettext("Import of %(file)s") % {"file": batch.file_name},
        parameters={"batch": str(batch.public_id), "kind": kind},
    )
    batch.job = job
    batch.save(update_fields=["job", "updated_at"])
    record(
        actor=actor,
        action="exchange.import_started",
        obj=batch,
        changes={"kind": kind, "file": batch.file_name, "sha256": digest, "size": len(data)},
        department=department,
    )
    if enqueue:
        from yaojian.exchange.tasks import run_import_now, run_import_task

        if parsed.estimated_rows <= inline_max_rows():
            # Small files are applied at once after the commit: not "queued" until the worker
            # polls (the upload page then shows the result straight away).
            job_id = job.pk
            transaction.on_commit(lambda: run_import_now(job_id))
        else:
            enqueue_on_commit(run_import_task, job_id=job.pk)
    return batch


def inline_max_rows() -> int:
    """Files of at most this many rows are imported in the uploading request
    (``settings.EXCHANGE_INLINE_MAX_ROWS``, default 200; 0 queues every file)."""
    return int(getattr(settings, "EXCHANGE_INLINE_MAX_ROWS", 200))


def run_import(
    batch: ImportBatch,
    *,
    job: Job | None = None,
    progress: Callable[[int, int], None] | None = None,
    phase: Callable[[str], None] | None = None,
    timings: dict[str, float] | None = None,
) -> ImportBatch:
    """Validate every row of the batch's file and apply the accepted ones atomically.

    ``progress(done, total)`` is called while rows are validated, ``phase(step)`` at each step
    of applying them (the job's message shows both); ``timings`` receives seconds per step.

    Rejected rows are kept with their line and reasons and written to an XLSX error report.
    Idempotent: a batch that has already finished is returned as it is. A failure while applying
    rolls every write back and marks the batch failed.
    """
    if batch.status in (BatchStatus.APPLIED, BatchStatus.FAILED):
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, updated_at=timezone.now()
    )
    path = Path(settings.MEDIA_ROOT) / batch.stored_file
    try:
        started = time.perf_counter()
        parsed = reading.parse(batch.source_kind, path.read_bytes())
        clean, rejected, seen = _validate_rows(batch, parsed, job, progress)
        validated = round(time.perf_counter() - started, 2)
        if seen == 0:
            raise reading.UnreadableFileError(
                _("The file has a header but no rows."), code="no_rows"
            )
        _progress(job, progress, seen, seen, message=gettext("Applying the accepted rows …"))

        def report(step: str) -> None:
            if step:
                message = gettext("Applying the accepted rows: %(step)s …") % {"step": step}
                _progress(job, None, seen, seen, message=message)
                if phase is not None:
                    phase(step)

        with transaction.atomic():
            applier = Applier(
                batch=batch, actor=batch.uploaded_by, department=batch.department, report=report
            )
            outcomes = applier.apply(clean)
            finishing = time.perf_counter()
            _finish(batch, parsed, seen, rejected, outcomes, clean, applier.created_ids)
            finished = time.perf_counter()
        if timings is not None:
            # ``commit``: the deferred foreign-key checks, the audit chain and the COMMIT.
            timings.update(
                read_and_validate=validated,
                **applier.timings,
                report_and_alerts=round(finished - finishing, 2),
                commit=round(time.perf_counter() - finished, 2),
            )
    except reading.UnreadableFileError as exc:
        return _fail(batch, " ".join(exc.messages))
    except Exception:
        import logging

        logging.getLogger(__name__).exception("import batch %s failed", batch.pk)
        _fail(
            batch,
            gettext(
                "The import failed; nothing was applied. Try again or contact the administrator."
            ),
        )
        raise
    return batch


def _validate_rows(
    batch: ImportBatch,
    parsed: reading.ParsedFile,
    job: Job | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[CleanRow], list[RejectedRow], int]:
    """Validate every row; the second of two identical records is refused naming the first.

    Reasons are written in the platform's language, activated once for the whole file.
    """
    validator = RowValidator(
        batch.source_kind, jurisdiction_prefix=subtree_prefix(batch.department.region_id)
    )
    total = parsed.estimated_rows
    clean: list[CleanRow] = []
    rejected: list[RejectedRow] = []
    first_line: dict[str, int] = {}
    seen = 0
    with translation.override(settings.LANGUAGE_CODE):
        for line, raw in parsed.rows:
            seen += 1
            result = validator.validate(line, raw)
            if isinstance(result, CleanRow):
                earlier = first_line.get(result.record_key)
                if earlier is None:
                    first_line[result.record_key] = line
                    clean.append(result)
                else:
                    rejected.append(_rejected(batch, line, raw, [_duplicate_reason(earlier)]))
            else:
                rejected.append(_rejected(batch, line, raw, result))
            if seen % PROGRESS_EVERY == 0:
                _progress(job, progress, seen, max(total, seen))
    return clean, rejected, seen


def _finish(
    batch: ImportBatch,
    parsed: reading.ParsedFile,
    seen: int,
    rejected: list[RejectedRow],
    outcomes: list[Outcome],
    clean: list[CleanRow],
    created: frozenset[int] = frozenset(),
) -> None:
    """Keep the rejected rows, write the error report, count, audit, recompute alerts."""
    by_line = {r.line_number for r in rejected}
    from yaojian.exchange.rows import raw_text

    refused = {o.line for o in outcomes if o.outcome == RowOutcome.REJECTED} - by_line
    raw_by_line = {
        row.line: {k: raw_text(v) for k, v in row.raw.items()}
        for row in clean
        if row.line in refused
    }
    counts = dict.fromkeys(RowOutcome.values, 0)
    for outcome in outcomes:
        counts[outcome.outcome] += 1
    # Rows refused while applying (another department's licence …) keep their original values.
    rejected.extend(
        RejectedRow(
            batch=batch,
            line_number=o.line,
            values=raw_by_line.get(o.line, {}),
            reasons=o.reasons,
        )
        for o in outcomes
        if o.outcome == RowOutcome.REJECTED and o.line not in by_line
    )
    RejectedRow.objects.bulk_create(rejected, batch_size=500)
    batch.total_rows = seen
    batch.accepted_count = counts[RowOutcome.ACCEPTED]
    batch.unchanged_count = counts[RowOutcome.UNCHANGED]
    batch.held_count = counts[RowOutcome.HELD]
    batch.rejected_count = len(rejected)
    batch.status = BatchStatus.APPLIED
    batch.finished_at = timezone.now()
    if rejected:
        batch.error_report = write_error_report(
            f"{REPORT_DIR}/{batch.public_id}.xlsx",
            parsed.headers,
            parsed.keys,
            sorted(rejected, key=lambda r: r.line_number),
        )
    batch.save()
    touched = sorted(
        {o.entity_id for o in outcomes if o.entity_id and o.outcome == RowOutcome.ACCEPTED}
    )
    alert_counts = recompute_alerts(_alert_candidates(batch, touched, created))
    summary = _summary(batch)
    record(
        actor=batch.uploaded_by,
        action="exchange.import_applied",
        obj=batch,
        changes={
            **summary,
            "alerts_opened": alert_counts["opened"],
            "alerts_resolved": alert_counts["resolved"],
        },
        department=batch.department,
    )
    publish(
        BatchApplied(
            batch_id=batch.pk,
            public_id=str(batch.public_id),
            department_id=batch.department_id,
            source_kind=batch.source_kind,
            entity_ids=tuple(touched),
            accepted=batch.accepted_count,
            rejected=batch.rejected_count,
            unchanged=batch.unchanged_count,
            held=batch.held_count,
        )
    )


def _alert_candidates(batch: ImportBatch, touched: list[int], created: frozenset[int]) -> list[int]:
    """The touched entities that may contradict another department.

    An entity this batch created holds only this batch's data: one department, so no mismatch
    of names or legal representatives, and no insurance agreement unless the batch is the
    insurance bureau's, which alone can make "revoked but insured" or "insured without a
    practice licence" true. Skipping them keeps a 100,000-row first import fast.
    """
    if batch.source_kind == SourceKind.INSURANCE_DESIGNATIONS or not created:
        return touched
    return [entity_id for entity_id in touched if entity_id not in created]


def _summary(batch: ImportBatch) -> dict[str, int]:
    return {
        "rows": batch.total_rows,
        "accepted": batch.accepted_count,
        "rejected": batch.rejected_count,
        "unchanged": batch.unchanged_count,
        "held": batch.held_count,
    }


@transaction.atomic
def _fail(batch: ImportBatch, message: str) -> ImportBatch:
    batch.status = BatchStatus.FAILED
    batch.error = message
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error", "finished_at", "updated_at"])
    record(
        actor=batch.uploaded_by,
        action="exchange.import_failed",
        obj=batch,
        changes={"error": message[:500]},
        department=batch.department,
    )
    return batch


def _rejected(
    batch: ImportBatch, line: int, raw: dict[str, Any], reasons: list[dict[str, str]]
) -> RejectedRow:
    from yaojian.exchange.rows import raw_text

    return RejectedRow(
        batch=batch,
        line_number=line,
        values={k: raw_text(v) for k, v in raw.items()},
        reasons=reasons,
    )


def _duplicate_reason(first: int) -> dict[str, str]:
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        message = str(
            _("The same record already appears on line %(line)s of this file.") % {"line": first}
        )
    return {"field": "", "code": "duplicate_in_file", "message": message}


def _progress(
    job: Job | None,
    callback: Callable[[int, int], None] | None,
    done: int,
    total: int,
    message: str = "",
) -> None:
    if job is not None:
        report_progress(job, done=done, total=total, message=message)
    if callback is not None:
        callback(done, total)


def batch_result(batch: ImportBatch) -> dict[str, Any]:
    """What the job shows when it has finished."""
    return _summary(batch)


# --- API records ------------------------------------------------------------------------


def submit_records(
    *, actor: Any, kind: str, records: list[dict[str, Any]], department: Department | None = None
) -> list[dict[str, Any]]:
    """Take records from a partner system (JSON), each with an ``idempotency_key``.

    Answers per record ``{"idempotency_key", "outcome", "reasons", "entity"}``; a key seen before
    answers its first outcome and changes nothing. New records go through the same validation and
    the same applier as files, in one batch (origin ``api``), atomically.
    """
    department = importing_department(actor, department)
    check_source_kind(kind, department)
    keys = [str(r.get("idempotency_key") or "").strip() for r in records]
    missing = [i for i, key in enumerate(keys) if not key or len(key) > 128]
    if missing:
        raise ValidationError(
            {
                f"{i}.idempotency_key": ValidationError(
                    _("Every record needs an idempotency key of at most 128 characters."),
                    code="required",
                )
                for i in missing
            }
        )
    with transaction.atomic():
        source = source_for(actor=actor, department=department, kind=kind)
        earlier = {
            r.idempotency_key: r
            for r in ApiReceipt.objects.filter(
                department=department, source_kind=kind, idempotency_key__in=keys
            ).select_related("entity")
        }
        fresh = [
            (i, key, rec)
            for i, (key, rec) in enumerate(zip(keys, records, strict=True))
            if key not in earlier
        ]
        answers: dict[int, dict[str, Any]] = {}
        if fresh:
            batch = ImportBatch.objects.create(
                department=department,
                source=source,
                source_kind=kind,
                origin=BatchOrigin.API,
                uploaded_by=actor,
                file_name=gettext("API upload"),
                status=BatchStatus.RUNNING,
                encoding="json",
            )
            validator = RowValidator(kind, jurisdiction_prefix=subtree_prefix(department.region_id))
            clean: list[CleanRow] = []
            rejected: list[RejectedRow] = []
            processed: set[str] = set()
            first_line: dict[str, int] = {}
            line_of_key: dict[int, str] = {}
            for index, key, rec in fresh:
                if key in processed:  # the same key twice in one request: answered once
                    continue
                processed.add(key)
                line = index + 1
                line_of_key[line] = key
                raw = {k: v for k, v in rec.items() if k != "idempotency_key"}
                result = validator.validate(line, raw)
                if not isinstance(result, CleanRow):
                    rejected.append(_rejected(batch, line, raw, result))
                elif result.record_key in first_line:
                    reason = _duplicate_reason(first_line[result.record_key])
                    rejected.append(_rejected(batch, line, raw, [reason]))
                else:
                    first_line[result.record_key] = line
                    clean.append(result)
            outcomes = Applier(batch=batch, actor=actor, department=department).apply(clean)
            for row in rejected:
                outcomes.append(Outcome(row.line_number, RowOutcome.REJECTED, reasons=row.reasons))
            parsed = reading.ParsedFile(encoding="json", keys=[], headers=[], rows=iter(()))
            _finish(batch, parsed, len(processed), rejected, outcomes, clean)
            receipts = []
            for outcome in outcomes:
                key = line_of_key[outcome.line]
                receipts.append(
                    ApiReceipt(
                        department=department,
                        source_kind=kind,
                        idempotency_key=key,
                        outcome=outcome.outcome,
                        reasons=outcome.reasons,
                        entity_id=outcome.entity_id,
                        batch=batch,
                    )
                )
            ApiReceipt.objects.bulk_create(receipts, ignore_conflicts=True)
            earlier.update(
                {
                    r.idempotency_key: r
                    for r in ApiReceipt.objects.filter(batch=batch).select_related("entity")
                }
            )
        for index, key in enumerate(keys):
            receipt = earlier[key]
            answers[index] = {
                "idempotency_key": key,
                "outcome": receipt.outcome,
                "reasons": receipt.reasons,
                "entity": str(receipt.entity.public_id) if receipt.entity else None,
            }
    return [answers[i] for i in range(len(keys))]


# --- linkage reviews --------------------------------------------------------------------


def apply_reviewed_row(
    *,
    batch_id: int,
    line: int,
    record_key: str,
    payload: dict[str, Any],
    entity_id: int | None,
    decision: str,
) -> None:
    """Apply a row that was held for review, once linkage decided (confirmed → that entity;
    rejected → a new entity). Idempotent: the source record's content hash makes a replay a no-op."""
    batch = (
        ImportBatch.objects.select_related("department", "uploaded_by").filter(pk=batch_id).first()
    )
    if batch is None:
        return
    row = CleanRow(line=line, record_key=record_key, payload=payload)
    row.link = entity_id if decision == "confirmed" and entity_id else "new"
    with transaction.atomic():
        outcomes = Applier(batch=batch, actor=batch.uploaded_by, department=batch.department).apply(
            [row]
        )
        accepted = [o for o in outcomes if o.outcome == RowOutcome.ACCEPTED]
        if accepted:
            ImportBatch.objects.filter(pk=batch.pk, held_count__gt=0).update(
                held_count=batch.held_count - 1, accepted_count=batch.accepted_count + 1
            )
        # Refused once decided (a licence credit restricts …): kept like the file's rejected rows.
        refused = [o for o in outcomes if o.outcome == RowOutcome.REJECTED]
        if refused:
            RejectedRow.objects.bulk_create(
                RejectedRow(batch=batch, line_number=o.line, values=payload, reasons=o.reasons)
                for o in refused
            )
            ImportBatch.objects.filter(pk=batch.pk, held_count__gt=0).update(
                held_count=batch.held_count - 1, rejected_count=batch.rejected_count + 1
            )
        recompute_alerts([o.entity_id for o in accepted if o.entity_id])


# --- alerts -----------------------------------------------------------------------------


@transaction.atomic
def transition_alert(
    *, actor: Any, alert: DataQualityAlert, to_status: str, note: str = ""
) -> DataQualityAlert:
    """Acknowledge or resolve an alert (data stewards and heads of a department concerned; audited)."""
    if not DataQualityAlert.objects.visible_to(actor).filter(pk=alert.pk).exists():
        raise DataQualityAlert.DoesNotExist
    locked = (
        DataQualityAlert.objects.visible_to(actor, "change")
        .select_for_update(no_key=True)
        .filter(pk=alert.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You are not allowed to change this alert."))
    if to_status not in ALERT_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            {
                "to_status": ValidationError(
                    _("This alert cannot go from “%(from)s” to “%(to)s”."),
                    code="invalid_transition",
                    params={
                        "from": AlertStatus(locked.status).label,
                        "to": AlertStatus(to_status).label
                        if to_status in AlertStatus.values
                        else to_status,
                    },
                )
            }
        )
    note = (note or "").strip()[:2000]
    before = locked.status
    locked.status = to_status
    locked.note = note or locked.note
    if to_status == AlertStatus.RESOLVED:
        locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "note", "closed_at", "updated_at"])
    scope = scope_for(actor)
    departments = [m.department_id for m in scope.members_with(CHANGE_ALERTS)]
    record(
        actor=actor,
        action="exchange.alert_changed",
        obj=locked,
        changes={"status": [before, to_status], "note": note},
        department=Department.objects.filter(pk__in=departments).order_by("pk").first(),
    )
    return locked


def record_report_download(*, actor: Any, batch: ImportBatch) -> None:
    """Audit that ``actor`` downloaded a batch's error report (it may hold personal data)."""
    record(
        actor=actor,
        action="exchange.error_report_downloaded",
        obj=batch,
        changes={"rejected": batch.rejected_count},
        department=batch.department,
    )
