"""Lists people take away (issue 10, item 6): cases, inbox, sent notices, the publication
register and data-quality alerts, to XLSX or CSV (UTF-8 or GB18030), as jobs.

``start_list_export`` checks the list, the format and the filters, records the job and
enqueues ``export_list_task`` after commit. The task reads the list *as the job's owner*
through the list's own selector with the same filters the page applied, so the file holds
exactly the rows the page lists (all pages of them), and writes it with
:func:`yaojian.jobs.tables.write_table` (progress every few thousand rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yaojian.enforcement import selectors as enforcement_selectors
from yaojian.enforcement.choices import CaseStage
from yaojian.exchange import selectors as exchange_selectors
from yaojian.exchange.choices import AlertKind, AlertStatus
from yaojian.jobs.models import Job
from yaojian.jobs.services import enqueue_on_commit, start_job
from yaojian.jobs.tables import ENCODINGS, FORMATS, write_table
from yaojian.notices import selectors as notice_selectors
from yaojian.notices.choices import NoticeState
from yaojian.portal import selectors as portal_selectors
from yaojian.portal.choices import PublicationStatus

JOB_KIND = "dashboard.list_export"
CHUNK = 2000


@dataclass(frozen=True)
class ListExport:
    """One list that can be taken away: its filters, header and rows."""

    name: str
    title: Any
    filters: tuple[str, ...]
    header: Callable[[], list[str]]
    rows: Callable[[Any, dict[str, str]], tuple[int, Iterator[list[Any]]]]


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# --- cases -----------------------------------------------------------------------------------


def _case_header() -> list[str]:
    return [
        gettext("Case number"),
        gettext("Title"),
        gettext("Stage"),
        gettext("Party"),
        gettext("Region code"),
        gettext("Region"),
        gettext("Lead department"),
        gettext("Clue received on"),
        gettext("Filed on"),
        gettext("Decided on"),
        gettext("Closed on"),
        gettext("Next due on"),
    ]


def _case_rows(user: Any, filters: dict[str, str]) -> tuple[int, Iterator[list[Any]]]:
    queryset = enforcement_selectors.department_cases(user, filters)
    total = queryset.count()
    values = queryset.values_list(
        "number",
        "title",
        "stage",
        "party_name",
        "region_id",
        "region__name",
        "department__name",
        "clue_received_on",
        "filed_on",
        "decided_on",
        "closed_on",
        "next_due_on",
    )

    def rows() -> Iterator[list[Any]]:
        for row in values.iterator(chunk_size=CHUNK):
            yield [
                row[0],
                row[1],
                _label(CaseStage, row[2]),
                row[3],
                row[4],
                row[5],
                row[6],
                *(_date(v) for v in row[7:]),
            ]

    return total, rows()


# --- notices ---------------------------------------------------------------------------------


def _notice_header() -> list[str]:
    return [
        gettext("Subject"),
        gettext("From"),
        gettext("To"),
        gettext("State"),
        gettext("Deadline"),
        gettext("Received"),
        gettext("Answered at"),
        gettext("Answer"),
    ]


def _notice_rows(queryset: Any) -> tuple[int, Iterator[list[Any]]]:
    total = queryset.count()
    values = queryset.values_list(
        "subject",
        "sender__name",
        "recipient__name",
        "state",
        "due_on",
        "created_at",
        "answered_at",
        "answer",
    )

    def rows() -> Iterator[list[Any]]:
        for row in values.iterator(chunk_size=CHUNK):
            yield [
                row[0],
                row[1],
                row[2],
                _label(NoticeState, row[3]),
                _date(row[4]),
                _date(row[5]),
                _date(row[6]),
                row[7],
            ]

    return total, rows()


def _inbox_rows(user: Any, filters: dict[str, str]) -> tuple[int, Iterator[list[Any]]]:
    return _notice_rows(
        notice_selectors.inbox(
            user,
            state=filters.get("state", ""),
            overdue=filters.get("overdue") == "1",
            escalated=filters.get("escalated") == "1",
            department=filters.get("department", ""),
        ).order_by("-created_at", "-id")
    )


def _sent_rows(user: Any, filters: dict[str, str]) -> tuple[int, Iterator[list[Any]]]:
    return _notice_rows(
        notice_selectors.sent_notices(user, state=filters.get("state", "")).order_by(
            "-created_at", "-id"
        )
    )


# --- publications ----------------------------------------------------------------------------


def _publication_header() -> list[str]:
    return [
        gettext("Decision number"),
        gettext("Decided on"),
        gettext("Deciding department"),
        gettext("Party"),
        gettext("Penalty"),
        gettext("Fine (yuan)"),
        gettext("Status"),
        gettext("Published at"),
        gettext("Version"),
    ]


def _publication_rows(user: Any, filters: dict[str, str]) -> tuple[int, Iterator[list[Any]]]:
    queryset = portal_selectors.publications_visible_to(user)
    if filters.get("status") in PublicationStatus.values:
        queryset = queryset.filter(status=filters["status"])
    queryset = queryset.order_by("-decided_on", "-id")
    total = queryset.count()
    values = queryset.values_list(
        "decision_number",
        "decided_on",
        "department_name",
        "party_name",
        "penalty_summary",
        "fine_amount",
        "status",
        "published_at",
        "version",
    )

    def rows() -> Iterator[list[Any]]:
        for row in values.iterator(chunk_size=CHUNK):
            yield [
                row[0],
                _date(row[1]),
                row[2],
                row[3],
                row[4],
                "" if row[5] is None else str(row[5]),
                _label(PublicationStatus, row[6]),
                _date(row[7]),
                row[8],
            ]

    return total, rows()


# --- alerts ----------------------------------------------------------------------------------


def _alert_header() -> list[str]:
    return [
        gettext("Kind"),
        gettext("Entity"),
        gettext("Unified social credit code"),
        gettext("Status"),
        gettext("Detected at"),
        gettext("Details"),
    ]


def _alert_rows(user: Any, filters: dict[str, str]) -> tuple[int, Iterator[list[Any]]]:
    status = filters.get("status") or AlertStatus.OPEN
    queryset = exchange_selectors.alerts_visible_to(
        user, status=None if status == "all" else status
    )
    total = queryset.count()
    values = queryset.values_list(
        "kind",
        "entity__name",
        "entity__unified_social_credit_code",
        "status",
        "detected_at",
        "details",
    )

    def rows() -> Iterator[list[Any]]:
        for row in values.iterator(chunk_size=CHUNK):
            yield [
                _label(AlertKind, row[0]),
                row[1],
                row[2] or "",
                _label(AlertStatus, row[3]),
                _date(row[4]),
                "; ".join(f"{k}: {v}" for k, v in sorted((row[5] or {}).items())),
            ]

    return total, rows()


LISTS: dict[str, ListExport] = {
    export.name: export
    for export in (
        ListExport(
            "cases",
            _("Enforcement cases"),
            ("stage", "due", "officer", "region"),
            _case_header,
            _case_rows,
        ),
        ListExport(
            "inbox",
            _("Inbox"),
            ("state", "overdue", "escalated", "department"),
            _notice_header,
            _inbox_rows,
        ),
        ListExport("sent", _("Sent notices"), ("state",), _notice_header, _sent_rows),
        ListExport(
            "publications",
            _("Publication register"),
            ("status",),
            _publication_header,
            _publication_rows,
        ),
        ListExport("alerts", _("Data-quality alerts"), ("status",), _alert_header, _alert_rows),
    )
}


@transaction.atomic
def start_list_export(
    *,
    actor: Any,
    list_name: str,
    filters: dict[str, Any],
    file_format: str = "xlsx",
    encoding: str = "utf-8-sig",
) -> Job:
    """Start exporting one list with its filters (audited as a job start)."""
    errors: dict[str, ValidationError] = {}
    export = LISTS.get(list_name)
    if export is None:
        errors["list"] = ValidationError(_("This list cannot be exported."), code="invalid_choice")
    if file_format not in FORMATS:
        errors["format"] = ValidationError(
            _("Choose XLSX or CSV as the format."), code="invalid_choice"
        )
    if encoding not in ENCODINGS:
        errors["encoding"] = ValidationError(
            _("Choose UTF-8 or GB18030 as the encoding."), code="invalid_choice"
        )
    if errors or export is None:
        raise ValidationError(errors)
    parameters: dict[str, Any] = {key: str(filters.get(key) or "")[:100] for key in export.filters}
    parameters.update(
        {
            "list": list_name,
            "format": file_format,
            "encoding": encoding,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        }
    )
    job = start_job(
        actor=actor,
        kind=JOB_KIND,
        title=gettext("Export: %(list)s (%(format)s)")
        % {"list": export.title, "format": file_format.upper()},
        parameters=parameters,
    )
    from yaojian.dashboard.tasks import export_list_task

    enqueue_on_commit(export_list_task, job_id=job.pk)
    return job


def write_list_export(job: Job) -> tuple[dict[str, Any], str]:
    """The task's body: the list as the owner sees it, with the job's filters."""
    parameters = job.parameters
    export = LISTS[parameters["list"]]
    filters = {key: str(parameters.get(key) or "") for key in export.filters}
    language = parameters.get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        total, rows = export.rows(job.owner, filters)
        stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M%S")
        return write_table(
            job,
            name=f"{export.name}-{stamp}",
            header=export.header(),
            rows=rows,
            total=total,
            file_format=parameters.get("format", "xlsx"),
            encoding=parameters.get("encoding", "utf-8-sig"),
            sheet_title=str(export.title),
        )
