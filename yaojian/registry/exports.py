"""CSV export of regulated entities as a user-visible job.

``start_entity_export`` records the job and enqueues ``export_entities_task`` after commit;
the task runs ``write_entity_export`` as the job, which searches *as the job's owner* (so the
file holds exactly what the owner may see) and writes ``MEDIA_ROOT/exports/…csv``.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yaojian.core.spreadsheets import neutralise
from yaojian.jobs.models import Job
from yaojian.jobs.services import enqueue_on_commit, report_progress, start_job
from yaojian.registry import selectors
from yaojian.registry.choices import EntityKind, EntityStatus, LicenceKind, LicenceStatus
from yaojian.registry.entity_filters import ENTITY_FILTERS, apply_entity_filters
from yaojian.registry.models import Entity

JOB_KIND = "registry.entity_export"
ENCODINGS = ("utf-8-sig", "gb18030")
FILTER_KEYS = ("q", "region", "kind", "licence_status")
PROGRESS_EVERY = 1000
EXPORT_DIR = "exports"


@transaction.atomic
def start_entity_export(*, actor: Any, filters: dict[str, Any], encoding: str = "utf-8-sig") -> Job:
    """Start exporting the entities ``actor`` finds with ``filters`` (audited as a job start)."""
    if encoding not in ENCODINGS:
        raise ValidationError(
            {
                "encoding": ValidationError(
                    _("Choose UTF-8 or GB18030 as the encoding."), code="invalid_choice"
                )
            }
        )
    parameters = {key: str(filters.get(key) or "") for key in FILTER_KEYS}
    parameters.update({name: str(filters[name]) for name in ENTITY_FILTERS if filters.get(name)})
    parameters["encoding"] = encoding
    parameters["language"] = translation.get_language() or settings.LANGUAGE_CODE
    job = start_job(
        actor=actor,
        kind=JOB_KIND,
        title=gettext("Export of regulated entities (CSV)"),
        parameters=parameters,
    )
    from yaojian.registry.tasks import export_entities_task

    enqueue_on_commit(export_entities_task, job_id=job.pk)
    return job


def _header() -> list[str]:
    return [
        gettext("Name"),
        gettext("Unified social credit code"),
        gettext("Kind"),
        gettext("Status"),
        gettext("Region code"),
        gettext("Region"),
        gettext("Address"),
        gettext("Legal representative"),
        gettext("Grid cell"),
        gettext("Registered by"),
        gettext("Licences"),
    ]


def _row(entity: Entity) -> list[str]:
    licences = "; ".join(
        f"{LicenceKind(licence.kind).label} {licence.number} ({LicenceStatus(licence.status).label})"
        for licence in entity.licences.all()
    )
    return [
        neutralise(value)
        for value in (
            entity.name,
            entity.unified_social_credit_code or "",
            EntityKind(entity.kind).label,
            EntityStatus(entity.status).label,
            entity.region_id,
            entity.region.name,
            entity.address,
            entity.legal_representative,
            entity.grid_cell.name if entity.grid_cell else "",
            entity.registered_by.name,
            licences,
        )
    ]


def _entities(job: Job) -> QuerySet[Entity]:
    filters = {key: job.parameters.get(key) or None for key in FILTER_KEYS}
    entities = selectors.search_entities(
        job.owner,
        q=filters["q"] or "",
        region=filters["region"],
        kind=filters["kind"],
        licence_status=filters["licence_status"],
    )
    return apply_entity_filters(entities, job.parameters)


def write_entity_export(job: Job) -> tuple[dict[str, Any], str]:
    """Write the CSV of the job's search; returns (result, path under MEDIA_ROOT).

    Idempotent: a rerun writes the same file again (through a temporary file).
    """
    encoding = job.parameters.get("encoding", "utf-8-sig")
    queryset = _entities(job)
    total = queryset.count()
    report_progress(job, done=0, total=total)
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M%S")
    relative = f"{EXPORT_DIR}/entities-{stamp}-{job.public_id.hex[:8]}.csv"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    rows = 0
    language = job.parameters.get("language") or settings.LANGUAGE_CODE
    with (
        translation.override(language),
        partial.open("w", encoding=encoding, errors="replace", newline="") as handle,
    ):
        writer = csv.writer(handle)
        writer.writerow(_header())
        for entity in queryset.iterator(chunk_size=PROGRESS_EVERY):
            writer.writerow(_row(entity))
            rows += 1
            if rows % PROGRESS_EVERY == 0:
                report_progress(job, done=rows)
    os.replace(partial, path)
    report_progress(job, done=rows)
    return {"rows": rows, "encoding": encoding}, relative
