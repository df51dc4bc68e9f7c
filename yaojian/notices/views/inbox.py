"""The inbox, the sent list, one notice with its actions, the unread badge, attachments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from yaojian.core import sorting
from yaojian.core.form_errors import UNPROCESSABLE
from yaojian.core.htmx import is_partial, template_for
from yaojian.notices import selectors, services
from yaojian.notices.choices import NoticeState
from yaojian.notices.forms import AnswerForm
from yaojian.notices.models import Notice

PAGE = 50
INBOX_SORTS = {
    "subject": "subject",
    "state": "state",
    "due": "due_on",
    "received": "created_at",
}
SENT_SORTS = {"subject": "subject", "state": "state", "due": "due_on"}
BELL_LATEST = 5  # the notification centre lists the latest unread notices


def _rows(notices: list[Notice]) -> list[dict[str, object]]:
    today = timezone.localdate()
    return [
        {
            "notice": n,
            "days_left": selectors.working_days_left(n, today),
            "overdue": selectors.is_overdue(n, today),
        }
        for n in notices
    ]


@require_GET
def notice_inbox(request: HttpRequest) -> HttpResponse:
    """My departments' inbox: tabs by state, an overdue and an escalated filter."""
    state = request.GET.get("state", "")
    overdue = request.GET.get("overdue") == "1"
    escalated = request.GET.get("escalated") == "1"
    department = request.GET.get("department", "")[:64]
    notices = list(
        sorting.sort(
            request,
            selectors.inbox(
                request.user,
                state=state,
                overdue=overdue,
                escalated=escalated,
                department=department,
            ),
            INBOX_SORTS,
        )[:PAGE]
    )
    counts = selectors.inbox_counts(request.user)
    # Department heads see their department's escalated (overdue) notices first.
    escalated_rows = [] if is_partial(request) else selectors.escalated_to_heads(request.user)
    context = {
        "escalated_rows": escalated_rows,
        "rows": _rows(notices),
        "state": state,
        "overdue": overdue,
        "escalated": escalated,
        "department": department,
        "states": [(value, label, counts[value]) for value, label in NoticeState.choices],
        "counts": counts,
        "can_record": selectors.can_record_problem(request.user),
    }
    return render(request, template_for(request, "notices/inbox.html", "inbox-table"), context)


@require_GET
def notice_sent(request: HttpRequest) -> HttpResponse:
    """What my departments sent, with the states and the answers."""
    state = request.GET.get("state", "")
    notices = list(
        sorting.sort(
            request, selectors.sent_notices(request.user, state=state), SENT_SORTS
        ).prefetch_related("attachments")[:PAGE]
    )
    context = {"rows": _rows(notices), "state": state, "states": NoticeState.choices}
    return render(request, template_for(request, "notices/sent.html", "sent-table"), context)


@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The notification centre of the top bar: the unread count and the latest unread."""
    unread = selectors.unread_count(request.user)
    latest = (
        list(selectors.inbox(request.user, state=NoticeState.UNREAD)[:BELL_LATEST])
        if unread
        else []
    )
    return render(
        request,
        "notices/badge.html",
        {
            "unread": unread,
            "latest": latest,
            "escalated": selectors.escalated_count(request.user),
        },
    )


def _detail_context(
    request: HttpRequest, notice: Notice, form: AnswerForm | None = None
) -> dict[str, object]:
    return {
        "notice": notice,
        "days_left": selectors.working_days_left(notice),
        "overdue": selectors.is_overdue(notice),
        "timeline": selectors.notice_timeline(notice),
        "attachments": list(notice.attachments.all()),
        "can_act": selectors.can_act_on(request.user, notice),
        "can_close": selectors.can_close(request.user, notice),
        "form": form or AnswerForm(),
        "states": NoticeState,
    }


@require_GET
def notice_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """One notice; opening it marks it read (recorded as a ``viewed`` event)."""
    notice = selectors.get_notice_for_user(request.user, public_id)
    notice = services.view_notice(actor=request.user, notice=notice)
    return render(
        request,
        template_for(request, "notices/notice_detail.html", "notice-actions"),
        _detail_context(request, notice),
    )


@require_POST
def notice_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    """Acknowledge, answer or close; errors re-render the actions with HTTP 422."""
    notice = selectors.get_notice_for_user(request.user, public_id)
    form = AnswerForm(request.POST, request.FILES) if action == "answer" else AnswerForm()
    try:
        if action == "acknowledge":
            services.acknowledge_notice(actor=request.user, notice=notice)
        elif action == "answer":
            services.answer_notice(
                actor=request.user,
                notice=notice,
                answer=form.data.get("answer", ""),
                attachments=form.files.getlist("attachments"),
            )
        elif action == "close":
            services.close_notice(actor=request.user, notice=notice)
        else:
            raise Http404
    except ValidationError as exc:
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        notice.refresh_from_db()
        # The answer as typed, the service's errors beside the fields they name (the form's
        # own check of the same field is not repeated); the others above the actions.
        shown = AnswerForm({"answer": form.data.get("answer", "")})
        shown.is_valid()
        for field, field_messages in messages.items():
            if field in shown.fields and field not in shown.errors:
                shown.add_error(field, field_messages)
        context = _detail_context(request, notice, shown)
        context["action_errors"] = [
            m for k, v in messages.items() if k not in form.fields for m in v
        ]
        return render(
            request,
            template_for(request, "notices/notice_detail.html", "notice-actions"),
            context,
            status=UNPROCESSABLE,
        )
    url = request.path.rsplit("/", 2)[0] + "/"
    if is_partial(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


@require_GET
def attachment_download(request: HttpRequest, public_id: str) -> FileResponse:
    """An attachment of a problem or a notice the user sees (404 otherwise)."""
    attachment = selectors.get_attachment_for_user(request.user, public_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
