"""Auditor pages: the event list with filters and the history of one object."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from yaojian.audit import selectors
from yaojian.core import sorting
from yaojian.core.htmx import template_for
from yaojian.core.labels import AUDIT_ACTIONS, object_type_label

PAGE_SIZE = 50
EVENT_SORTS = {
    "occurred_at": "occurred_at",
    "actor": "actor_label",
    "department": "department__name",
    "action": "action",
    "object": "object_repr",
}


class EventFilterForm(forms.Form):
    """The filters of the event list (all optional)."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actions: list[str], object_types: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        named = sorted(((a, AUDIT_ACTIONS.label(a)) for a in actions), key=lambda c: c[1])
        self.fields["action"].choices = everything + named  # type: ignore[attr-defined]
        kinds = [(t, object_type_label(t)) for t in object_types]
        self.fields["object_type"].choices = everything + kinds  # type: ignore[attr-defined]


def _require_audit_permission(request: HttpRequest) -> None:
    if not selectors.can_view_audit(request.user):
        raise PermissionDenied


def event_list(request: HttpRequest) -> HttpResponse:
    """Audit events the auditor may read, filtered and paginated (htmx: ``#event-table``)."""
    _require_audit_permission(request)
    visible = selectors.events_visible_to(request.user)
    form = EventFilterForm(
        request.GET or None,
        actions=selectors.distinct_values(visible, "action"),
        object_types=selectors.distinct_values(visible, "object_type"),
    )
    events = visible
    if form.is_bound and form.is_valid():
        events = selectors.filter_events(visible, **form.cleaned_data)
    page = Paginator(
        sorting.sort(request, selectors.newest_first(events), EVENT_SORTS), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "events": page.object_list}
    return render(request, template_for(request, "audit/event_list.html", "event-table"), context)


def object_history(request: HttpRequest) -> HttpResponse:
    """``?object_type=app.model&object_id=…``: the timeline of one object (htmx: ``#history``)."""
    _require_audit_permission(request)
    object_type = request.GET.get("object_type", "")[:64]
    object_id = request.GET.get("object_id", "")[:64]
    events = selectors.object_history_for_user(
        request.user, object_type=object_type, object_id=object_id
    )
    context = {"events": events, "object_type": object_type, "object_id": object_id}
    return render(request, template_for(request, "audit/object_history.html", "history"), context)
