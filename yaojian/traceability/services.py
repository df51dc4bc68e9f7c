"""Writes of the traceability app: ingest batches, alerts and their lifecycle, clues.

Events never enter the ORM: ``ingest_folder`` hands the folder to the engine's store (Parquet
under ``var/trace``); only the batch's counts and the alerts (small) are rows here.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.jobs import services as jobs
from yaojian.jobs.choices import JobStatus
from yaojian.territory.models import Region
from yaojian.traceability import reasons
from yaojian.traceability.choices import (
    ALERT_TRANSITIONS,
    AlertStatus,
    BatchStatus,
    CloseReason,
)
from yaojian.traceability.engine.explain import detail, when
from yaojian.traceability.engine.store import IngestResult, TraceStore
from yaojian.traceability.models import Alert, AlertEvent, IngestBatch

HANDLERS = (DepartmentKind.MEDICAL_INSURANCE, DepartmentKind.DRUG_REGULATOR)
INGEST_JOB_KIND = "traceability.ingest"
MAX_FLAGS_PER_ALERT = 500


def store() -> TraceStore:
    root = (
        getattr(settings, "TRACE_STORE_DIR", None)
        or os.environ.get("YAOJIAN_TRACE_DIR")
        or Path(settings.VAR_DIR) / "trace"
    )
    return TraceStore(root)


def uscc_ok(value: str) -> bool:
    from yaojian.registry.identifiers.uscc import validate_unified_social_credit_code

    try:
        validate_unified_social_credit_code(value)
    except ValidationError:
        return False
    return True


def region_ok(value: str) -> bool:
    return len(value) == 6 and value.isdigit() and value[:2] in _PROVINCES


_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


def folder_key(folder: Path) -> str:
    """An idempotency key from the folder's files (names, sizes and content hashes)."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:40]


def ingest_folder(
    *,
    actor: Any,
    folder: Path,
    idempotency_key: str = "",
    source: str = "command",
    on_progress: Any = None,
    resume: bool = False,
) -> tuple[IngestBatch, bool]:
    """Ingest ``folder`` once per key; returns (batch, created). A re-sent key changes nothing.

    ``resume`` (the ingest job): a batch left running by a worker that died, or failed, is
    ingested again from its files, after removing whatever of it reached the store.
    """
    key = (idempotency_key or folder_key(folder)).strip()[:64]
    if not key:
        raise ValidationError({"idempotency_key": [_("Give the batch an idempotency key.")]})
    existing = IngestBatch.objects.filter(idempotency_key=key).first()
    runnable = {BatchStatus.FAILED, BatchStatus.QUEUED}
    if resume:
        runnable.add(BatchStatus.RUNNING)
    if existing is not None and existing.status not in runnable:
        return existing, False
    restart = existing is not None and existing.status in (BatchStatus.RUNNING, BatchStatus.FAILED)
    with transaction.atomic():
        batch = existing or IngestBatch(idempotency_key=key)
        batch.source = batch.source if existing is not None and batch.folder else source
        batch.status = BatchStatus.RUNNING
        batch.error = ""
        if batch.created_by_id is None:
            batch.created_by = actor if getattr(actor, "pk", None) else None
        batch.save()
        record(actor=actor, action="traceability.batch_started", obj=batch, changes={"key": key})
    try:
        result = store().ingest(
            Path(folder),
            batch_key=_safe_key(key),
            strict=True,
            uscc_ok=uscc_ok,
            region_ok=region_ok,
            on_progress=on_progress,
            describe=reasons.describe,
            restart=restart,
        )
    except Exception as exc:
        IngestBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, error=str(exc)[:2000]
        )
        raise
    with transaction.atomic():
        _finish_batch(batch, result)
        record(
            actor=actor,
            action="traceability.batch_ingested",
            obj=batch,
            changes={"accepted": batch.accepted, "rejected": batch.rejected},
        )
        flags = result.new_flags
        if restart:  # flags the dead run may already have written are new to the alerts
            flags = _not_yet_alerted(result.recomputed_flags)
        raise_alerts(flags, regions=result_regions(result))
    return batch, True


def _safe_key(key: str) -> str:
    return "".join(c for c in key if c.isalnum() or c in "-_")[:40] or "batch"


def _not_yet_alerted(flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The flags that no alert (open or closed) holds yet."""
    known: set[tuple[str, str, str, str]] = set()
    parties = {f["party"] for f in flags if f.get("party")}
    for alert in Alert.objects.filter(party_uscc__in=parties).only("party_uscc", "rule", "flags"):
        for f in alert.flags:
            known.add((alert.party_uscc, alert.rule, f.get("code", ""), f.get("insured", "")))
    return [
        f
        for f in flags
        if (f.get("party"), f["rule"], f.get("code") or "", f.get("insured") or "") not in known
    ]


UPLOAD_SUFFIXES = (".parquet", ".csv")


def upload_folder() -> Path:
    """A new folder under ``var/trace-uploads`` for the files of one upload."""
    folder = Path(settings.VAR_DIR) / "trace-uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    return folder


def save_uploads(files: list[Any]) -> Path:
    """Save uploaded files (Parquet and CSV only) to a new folder, chunk by chunk."""
    folder = upload_folder()
    saved = 0
    for upload in files:
        name = Path(upload.name or "upload").name
        if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
            continue
        with (folder / name).open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        saved += 1
    if not saved:
        shutil.rmtree(folder, ignore_errors=True)
        raise ValidationError(
            {"files": [_("Choose one or more Parquet or CSV files (.parquet, .csv).")]}
        )
    return folder


def check_uploader(actor: Any) -> None:
    if scope_for(actor).is_superuser:
        return
    if not any(m.department_kind in HANDLERS for m in scope_for(actor).members):
        raise PermissionDenied(
            _("Only the insurance bureau or the drug regulator may ingest trace events.")
        )


@transaction.atomic
def start_ingest(
    *, actor: Any, folder: Path, idempotency_key: str = "", source: str = "upload"
) -> IngestBatch:
    """Record a queued batch for the files in ``folder`` and enqueue its ingest as a job.

    The files stay on disk until the batch is done, so a worker that dies loses nothing: the
    job is failed as stale (``fail_stale_jobs``) and :func:`retry_ingest` starts it again. A
    folder already ingested (same key) is answered with its batch; no job is started.
    """
    check_uploader(actor)
    key = (idempotency_key or folder_key(folder)).strip()[:64]
    existing = IngestBatch.objects.select_for_update().filter(idempotency_key=key).first()
    if existing is not None and existing.status != BatchStatus.FAILED:
        return existing
    batch = existing or IngestBatch(idempotency_key=key, source=source)
    batch.folder = str(folder)
    batch.status = BatchStatus.QUEUED
    batch.created_by = actor if getattr(actor, "pk", None) else None
    try:
        with transaction.atomic():  # a savepoint: the same key sent twice at once
            batch.save()
    except IntegrityError:  # the other request recorded the key first: its batch answers
        return IngestBatch.objects.get(idempotency_key=key)
    return _enqueue(actor, batch)


def start_upload_ingest(
    *, actor: Any, files: list[Any], idempotency_key: str = "", source: str = "upload"
) -> IngestBatch:
    """Save uploaded files and start their ingest as a job (the page's and the API's one path).

    A key whose batch exists and has not failed answers that batch: nothing is saved or started.
    Without a key, the files' content is the key (:func:`folder_key`)."""
    check_uploader(actor)
    key = idempotency_key.strip()[:64]
    if key:
        existing = IngestBatch.objects.filter(idempotency_key=key).first()
        if existing is not None and existing.status != BatchStatus.FAILED:
            return existing
    folder = save_uploads(files)
    batch = start_ingest(actor=actor, folder=folder, idempotency_key=key, source=source)
    if Path(batch.folder) != folder:  # the same files were sent before: their batch answers
        shutil.rmtree(folder, ignore_errors=True)
    return batch


def _enqueue(actor: Any, batch: IngestBatch) -> IngestBatch:
    from yaojian.traceability.tasks import ingest_batch_task

    job = jobs.start_job(
        actor=actor,
        kind=INGEST_JOB_KIND,
        title=_("Trace-event ingest %(key)s") % {"key": batch.idempotency_key[:12]},
        parameters={"batch": str(batch.public_id)},
    )
    batch.job = job
    batch.save(update_fields=["folder", "status", "job", "updated_at"])
    record(
        actor=actor,
        action="traceability.batch_queued",
        obj=batch,
        changes={"key": batch.idempotency_key, "job": str(job.public_id)},
    )
    jobs.enqueue_on_commit(ingest_batch_task, job_id=job.pk)
    return batch


@transaction.atomic
def record_rejected_download(*, actor: Any, batch: IngestBatch) -> None:
    """Audit a download of a batch's rejected rows (they carry pseudonymous insured ids)."""
    record(
        actor=actor,
        action="traceability.rejected_downloaded",
        obj=batch,
        changes={"file": Path(batch.rejected_file).name},
    )


def batch_can_retry(batch: IngestBatch) -> bool:
    """A batch whose job failed (or stalled and was failed) and that has its files."""
    if not batch.folder or batch.status == BatchStatus.DONE:
        return False
    return batch.job is None or batch.job.status == JobStatus.FAILED


@transaction.atomic
def retry_ingest(*, actor: Any, batch: IngestBatch) -> IngestBatch:
    """Start the ingest of a batch again after its job failed (e.g. its worker was killed)."""
    check_uploader(actor)
    batch = (
        IngestBatch.objects.select_for_update(of=("self",)).select_related("job").get(pk=batch.pk)
    )
    if not batch_can_retry(batch):
        raise ValidationError({"batch": [_("This batch is done or still running.")]})
    if not Path(batch.folder).is_dir():
        raise ValidationError({"batch": [_("The files of this batch are no longer on disk.")]})
    return _enqueue(actor, batch)


def run_ingest_job(job: Any) -> tuple[dict[str, Any], str]:
    """The body of the ingest job: ingest the batch's folder, reporting progress."""
    batch = IngestBatch.objects.select_related("created_by").get(job=job)

    def progress(stage: str, done: int, total: int) -> None:
        message = (
            _("Reading file %(done)s of %(total)s …") % {"done": done, "total": total}
            if stage == "read"
            else _("Checking the new events against history …")
        )
        jobs.report_progress(job, done=done, total=total, message=message)

    batch, _created = ingest_folder(
        actor=batch.created_by,
        folder=Path(batch.folder),
        idempotency_key=batch.idempotency_key,
        source=batch.source,
        on_progress=progress,
        resume=True,
    )
    if batch.status == BatchStatus.FAILED:
        raise RuntimeError(batch.error)
    return batch_result(batch), ""


def batch_result(batch: IngestBatch) -> dict[str, Any]:
    return {
        "batch": str(batch.public_id),
        "rows": batch.rows,
        "stored": batch.accepted,
        "rejected": batch.rejected,
        "duplicates": batch.duplicates,
        "new_flags": batch.new_flags,
        "refused_files": len(batch.refused_files),
    }


def result_regions(result: IngestResult) -> dict[str, str]:
    return dict(result.party_regions)


def _finish_batch(batch: IngestBatch, result: IngestResult) -> None:
    report = result.report
    batch.rows = report.rows
    batch.accepted = result.new_events
    batch.rejected = report.rejected
    batch.duplicates = report.duplicates_in_batch + result.duplicates_in_store
    batch.new_flags = len(result.new_flags)
    batch.refused_files = [
        {"file": f.name, "error": f.error, "code": f.code, "params": f.params}
        for f in report.refused_files
    ]
    batch.rejected_file = result.rejected_file
    batch.seconds = round(result.seconds, 3)
    batch.status = BatchStatus.DONE
    batch.save()


# --- alerts ------------------------------------------------------------------------------------


def _region_for(party: str, regions: dict[str, str]) -> Region | None:
    for code in (regions.get(party, ""), party[2:8] if len(party) == 18 else ""):
        if code:
            region = Region.objects.filter(code=code).first()
            if region is not None:
                return region
    return None


def _flag_evidence(flag: dict[str, Any]) -> dict[str, Any]:
    return {
        "rule": flag["rule"],
        "code": flag.get("code") or "",
        "insured": flag.get("insured") or "",
        "detail": detail(flag),
        "at": when(flag.get("ts1")),
    }


@transaction.atomic
def raise_alerts(
    flags: list[dict[str, Any]], *, regions: dict[str, str] | None = None, actor: Any = None
) -> list[Alert]:
    """Group new flags into alerts per (institution, rule); a new alert is routed as notices."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for flag in flags:
        if flag.get("party"):
            groups[(flag["party"], flag["rule"])].append(flag)
    touched = []
    for (party, rule), items in sorted(groups.items()):
        alert = (
            Alert.objects.select_for_update()
            .filter(party_uscc=party, rule=rule)
            .exclude(status=AlertStatus.CLOSED)
            .first()
        )
        evidence = [_flag_evidence(f) for f in items]
        if alert is None:
            region = _region_for(party, regions or {})
            if region is None:
                continue
            alert = Alert.objects.create(
                rule=rule,
                party_uscc=party,
                region=region,
                flags=evidence[:MAX_FLAGS_PER_ALERT],
                flag_count=len(evidence),
            )
            AlertEvent.objects.create(alert=alert, to_status=AlertStatus.NEW, actor=None)
            record(
                actor=actor, action="traceability.alert_raised", obj=alert, changes={"rule": rule}
            )
            route_alert(alert)
        else:
            known = {(f["code"], f["insured"]) for f in alert.flags}
            fresh = [f for f in evidence if (f["code"], f["insured"]) not in known]
            alert.flags = (alert.flags + fresh)[:MAX_FLAGS_PER_ALERT]
            alert.flag_count += len(fresh)
            alert.save(update_fields=["flags", "flag_count", "updated_at"])
        touched.append(alert)
    return touched


def _departments_for(region: Region) -> list[Department]:
    """The insurance bureau and the drug regulator closest above ``region`` (one of each kind)."""
    chosen: list[Department] = []
    codes = [region.code]
    code = region.code
    for cut in (4, 2):
        codes.append(code[:cut] + "0" * (6 - cut))
    for kind in HANDLERS:
        for candidate in codes:
            dept = (
                Department.objects.filter(kind=kind, region__code=candidate, is_active=True)
                .order_by("code")
                .first()
            )
            if dept is not None:
                chosen.append(dept)
                break
    return chosen


def route_alert(alert: Alert) -> int:
    """Send the alert as notices to the institution region's insurance bureau and regulator."""
    from yaojian.notices.services import send_notice

    recipients = _departments_for(alert.region)
    if not recipients:
        return 0
    province = alert.region.code[:2] + "0000"
    sender = (
        Department.objects.filter(
            kind=DepartmentKind.MEDICAL_INSURANCE, region__code=province, is_active=True
        )
        .exclude(pk__in=[d.pk for d in recipients])
        .first()
    )
    if sender is None:
        sender = recipients[0]
        recipients = recipients[1:] or recipients
    subject = _("Traceability alert %(rule)s at institution %(party)s") % {
        "rule": alert.get_rule_display(),
        "party": alert.party_uscc,
    }
    body = "\n".join(f["detail"] for f in alert.flags[:20])
    notices = (
        send_notice(
            actor=None,
            sender_department=sender,
            recipient_departments=[d for d in recipients if d.pk != sender.pk] or recipients,
            subject=subject,
            body=body or subject,
            source_app="traceability",
            source_ref=str(alert.public_id),
            url=f"/trace/alerts/{alert.public_id}/",
        )
        if any(d.pk != sender.pk for d in recipients)
        else []
    )
    return len(notices)


def _check_handler(actor: Any, alert: Alert) -> None:
    scope = scope_for(actor)
    if scope.is_superuser:
        return
    for member in scope.members:
        if member.department_kind in HANDLERS and alert.region.code.startswith(member.prefix):
            return
    raise PermissionDenied(
        _("Only the insurance bureau or the drug regulator of the region may handle this alert.")
    )


@transaction.atomic
def transition_alert(
    *, actor: Any, alert: Alert, to_status: str, reason: str = "", note: str = ""
) -> Alert:
    """Move an alert along new → under investigation → escalated → closed (with a reason)."""
    _check_handler(actor, alert)
    alert = Alert.objects.select_for_update(no_key=True).get(pk=alert.pk)
    if to_status not in ALERT_TRANSITIONS.get(alert.status, frozenset()):
        raise ValidationError(
            {
                "to_status": [
                    _("This alert cannot move from %(from)s to %(to)s.")
                    % {"from": alert.status, "to": to_status}
                ]
            }
        )
    if to_status == AlertStatus.CLOSED:
        if reason not in CloseReason.values:
            raise ValidationError({"reason": [_("Choose a reason code to close the alert.")]})
        alert.close_reason = reason
        alert.close_note = note.strip()
    previous = alert.status
    alert.status = to_status
    alert.save(update_fields=["status", "close_reason", "close_note", "updated_at"])
    AlertEvent.objects.create(
        alert=alert, from_status=previous, to_status=to_status, note=note.strip(), actor=actor
    )
    record(
        actor=actor,
        action="traceability.alert_transitioned",
        obj=alert,
        changes={"from": previous, "to": to_status, "reason": reason},
    )
    return alert


@transaction.atomic
def alert_to_clue(*, actor: Any, alert: Alert, department: Department | None = None) -> Any:
    """Turn an alert into an enforcement clue (source “traceability anomaly”) with its evidence."""
    from yaojian.enforcement.choices import ClueSource
    from yaojian.enforcement.services import record_clue

    _check_handler(actor, alert)
    if alert.case_public_id:
        raise ValidationError({"alert": [_("This alert is already a clue.")]})
    facts = "\n".join(f["detail"] + (f" [{f['code']}]" if f["code"] else "") for f in alert.flags)
    case = record_clue(
        actor=actor,
        source=ClueSource.TRACEABILITY,
        title=_("Traceability anomaly %(rule)s at %(party)s")
        % {
            "rule": alert.get_rule_display(),
            "party": alert.party_uscc,
        },
        party_name=alert.party_uscc,
        party_credit_code=alert.party_uscc,
        region=alert.region.code,
        facts=facts,
        source_reference=str(alert.public_id),
        department=department,
    )
    alert = Alert.objects.select_for_update(no_key=True).get(pk=alert.pk)
    alert.case_public_id = str(case.public_id)
    if alert.status != AlertStatus.ESCALATED:
        previous = alert.status
        alert.status = AlertStatus.ESCALATED
        AlertEvent.objects.create(
            alert=alert,
            from_status=previous,
            to_status=AlertStatus.ESCALATED,
            note=_("Handed over as an enforcement clue."),
            actor=actor,
        )
    alert.save(update_fields=["case_public_id", "status", "updated_at"])
    record(
        actor=actor,
        action="traceability.alert_to_clue",
        obj=alert,
        changes={"case": str(case.public_id)},
    )
    return case
