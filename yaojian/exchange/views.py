"""Pages of the exchange app: sources and batches, templates, upload, batch, error report,
data-quality alerts and the entity-profile panel. Thin: services write, selectors read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from yaojian.accounts.scoping import has_permission
from yaojian.core import sorting
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial, template_for
from yaojian.exchange import reports, selectors, services
from yaojian.exchange.choices import AlertStatus, source_kind_choices, source_kind_values
from yaojian.exchange.forms import AlertTransitionForm, UploadForm
from yaojian.exchange.models import ImportBatch
from yaojian.exchange.permissions import CHANGE_ALERTS, IMPORT, VIEW_BATCHES
from yaojian.registry import selectors as registry_selectors

PAGE_SIZE = 25
ALERT_SORTS = {
    "entity": "entity__name",
    "kind": "kind",
    "status": "status",
    "detected": "detected_at",
}
BATCH_SORTS = {
    "file": "file_name",
    "source": "source_kind",
    "status": "status",
    "accepted": "accepted_count",
    "rejected": "rejected_count",
    "uploaded": "created_at",
}


def overview(request: HttpRequest) -> HttpResponse:
    """My department's data sources and recent batches."""
    if not (has_permission(request.user, VIEW_BATCHES) or has_permission(request.user, IMPORT)):
        raise PermissionDenied
    batches = selectors.batches_visible_to(request.user)
    page = Paginator(sorting.sort(request, batches, BATCH_SORTS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "sources": selectors.sources_visible_to(request.user),
        "page_obj": page,
        "batches": page.object_list,
        "kinds": source_kind_choices(),
        "can_import": has_permission(request.user, IMPORT),
    }
    return render(request, template_for(request, "exchange/overview.html", "batch-table"), context)


def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The published XLSX template of a source kind."""
    if kind not in source_kind_values():
        raise ImportBatch.DoesNotExist
    response = HttpResponse(
        reports.template_xlsx(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


def upload(request: HttpRequest) -> HttpResponse:
    """Upload a file; on success go to the batch page, which follows the job's progress."""
    if not has_permission(request.user, IMPORT):
        raise PermissionDenied
    departments = selectors.importing_departments(request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, departments=departments)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                batch = services.start_import(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    data=upload_file.read(),
                    file_name=upload_file.name,
                    department=form.cleaned_data.get("department"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                url = reverse("exchange:batch_detail", args=[batch.public_id])
                return HttpResponseClientRedirect(url) if is_partial(request) else redirect(url)
        response = render(
            request, template_for(request, "exchange/upload.html", "upload-form"), {"form": form}
        )
        response.status_code = UNPROCESSABLE
        return response
    form = UploadForm(initial={"kind": request.GET.get("kind", "")}, departments=departments)
    return render(
        request, template_for(request, "exchange/upload.html", "upload-form"), {"form": form}
    )


def batch_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One batch: its progress (htmx polls until it has finished), counts and rejected rows."""
    batch = selectors.get_batch_for_user(request.user, public_id)
    rows = selectors.rejected_rows(batch)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"batch": batch, "page_obj": page, "rejected": page.object_list, "job": batch.job}
    if not is_partial(request):
        return render(request, "exchange/batch_detail.html", context)
    response = render(request, "exchange/batch_detail.html#batch-status", context)
    if batch.status in ("applied", "failed"):
        response.status_code = 286  # htmx: stop polling
    return response


def error_report(request: HttpRequest, public_id: str) -> FileResponse:
    """The XLSX error report of a batch (audited)."""
    batch = selectors.get_batch_for_user(request.user, public_id)
    path = reports.report_path(batch.error_report)
    if path is None:
        raise ImportBatch.DoesNotExist
    services.record_report_download(actor=request.user, batch=batch)
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"errors-{batch.public_id.hex[:8]}.xlsx"
    )


def alert_list(request: HttpRequest) -> HttpResponse:
    """Data-quality alerts concerning my departments."""
    status = request.GET.get("status", AlertStatus.OPEN)
    if status not in AlertStatus.values and status != "all":
        status = AlertStatus.OPEN
    alerts = selectors.alerts_visible_to(request.user, status=None if status == "all" else status)
    page = Paginator(sorting.sort(request, alerts, ALERT_SORTS), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "alerts": page.object_list,
        "status": status,
        "statuses": AlertStatus.choices,
        "status_filter": [
            ("status", _("Status"), [*AlertStatus.choices, ("all", _("All"))], status, None)
        ],
        "can_change": has_permission(request.user, CHANGE_ALERTS),
        "form": AlertTransitionForm(),
    }
    return render(
        request, template_for(request, "exchange/alert_list.html", "alert-table"), context
    )


@require_POST
def alert_transition(request: HttpRequest, public_id: str) -> HttpResponse:
    """Acknowledge or resolve an alert."""
    alert = selectors.get_alert_for_user(request.user, public_id)
    form = AlertTransitionForm(request.POST)
    if form.is_valid():
        try:
            services.transition_alert(
                actor=request.user,
                alert=alert,
                to_status=form.cleaned_data["to_status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            url = reverse("exchange:alert_list")
            return HttpResponseClientRedirect(url) if is_partial(request) else redirect(url)
    response = render(
        request,
        "exchange/alert_list.html#alert-form",
        {"alert": alert, "form": form, "can_change": True},
    )
    response.status_code = UNPROCESSABLE
    return response


def entity_sources(request: HttpRequest, public_id: str) -> HttpResponse:
    """Profile panel: what each department holds about the entity, with freshness and
    per-field provenance, plus the open alerts I may see."""
    entity = registry_selectors.get_entity_for_user(request.user, public_id)
    holdings = selectors.entity_holdings(request.user, entity)
    return render(request, "exchange/entity_sources.html", {"holdings": holdings})
