"""Pages of the outbox: hand-offs by status (pending, running, failed, dead, delivered), one
hand-off with its error, and replay (administrators; POST, audited).

Scoped through the selectors: a hand-off of another department is a 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yaojian.core import sorting
from yaojian.core.htmx import render_after_action, template_for
from yaojian.outbox import selectors, services
from yaojian.outbox.choices import REPLAYABLE_STATUSES
from yaojian.outbox.forms import MessageFilterForm

UNPROCESSABLE = 422
PAGE_SIZE = 50
HANDOFF_SORTS = {
    "created": "created_at",
    "event": "event_type",
    "handler": "handler",
    "department": "department__name",
    "status": "status",
    "attempts": "attempts",
    "next_attempt": "next_attempt_at",
}


def _require_view(request: HttpRequest) -> None:
    if not selectors.can_view_outbox(request.user):
        raise PermissionDenied


@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    """Hand-offs of my departments, filtered by status (htmx: the table only)."""
    _require_view(request)
    filters = MessageFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else None
    page = Paginator(
        sorting.sort(
            request, selectors.messages_visible_to(request.user, status=status), HANDOFF_SORTS
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page,
        "handoffs": page.object_list,
        "counts": selectors.status_counts(request.user),
    }
    return render(
        request, template_for(request, "outbox/message_list.html", "handoff-table"), context
    )


def _detail_context(request: HttpRequest, message: Any) -> dict[str, Any]:
    return {
        "handoff": message,
        "payload": json.dumps(message.payload, ensure_ascii=False, indent=2, sort_keys=True),
        "can_replay": selectors.can_replay(request.user) and message.status in REPLAYABLE_STATUSES,
    }


@require_GET
def message_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One hand-off: event, handler, attempts, error, payload."""
    _require_view(request)
    message = selectors.get_message_for_user(request.user, public_id)
    return render(
        request,
        template_for(request, "outbox/message_detail.html", "handoff-panel"),
        _detail_context(request, message),
    )


@require_POST
def message_replay(request: HttpRequest, public_id: str) -> HttpResponse:
    """Queue a failed or dead hand-off again (administrators)."""
    _require_view(request)
    message = selectors.get_message_for_user(request.user, public_id)
    try:
        services.replay_message(actor=request.user, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        succeeded = False
    else:
        messages.success(request, _("The hand-off was queued again."))
        succeeded = True
    message = selectors.get_message_for_user(request.user, public_id)
    return render_after_action(
        request,
        template="outbox/message_detail.html",
        partial="handoff-panel",
        context=_detail_context(request, message),
        succeeded=succeeded,
        redirect_to=reverse("outbox:message_detail", args=[message.public_id]),
    )
