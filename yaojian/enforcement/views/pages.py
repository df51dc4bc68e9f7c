"""Thin, htmx-aware views: read through selectors, write through services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from yaojian.core import sorting
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial, template_for
from yaojian.core.pagination import CappedCountPaginator
from yaojian.enforcement import access, forms, permissions, selectors, services
from yaojian.enforcement.choices import CaseStage, ClockKind
from yaojian.enforcement.models import AssistanceRequest, JointTask
from yaojian.enforcement.panels import case_panels_for
from yaojian.enforcement.views.actions import ACTIONS, cleaned
from yaojian.registry.selectors import get_entity_for_user
from yaojian.territory.selectors import region_names

PAGE_SIZE = 25  # as the registry's search page (docs/adr/0007)
CASE_SORTS = {
    "number": "number",
    "party": "party_name",
    "region": "region_id",
    "stage": "stage",
    "due": "next_due_on",
}
WORK_LIST_CAP = 10  # tasks and assistance requests on "my work" before "show all"
WORK_LIST_ALL = 200
_MARKER = "00000000-0000-0000-0000-000000000000"


def _url_maker(name: str) -> Any:
    """``public_id → URL`` for a route taking one UUID, with a single ``reverse``."""
    pattern = reverse(name, args=[_MARKER])
    return lambda public_id: pattern.replace(_MARKER, str(public_id))


def _rows(cases: list[Any]) -> list[dict[str, Any]]:
    """List rows computed in one pass: the case's shown columns, its URL, its stage label
    and its running clocks as badges (one query, one ``reverse``, labels translated once).

    Lists are the hottest pages of the app (bench/cases_pages.py): no per-row template
    includes, tags, ``get_FOO_display`` or ``reverse``.
    """
    clocks = selectors.running_clocks([c.pk for c in cases])
    regions = region_names(c.region_id for c in cases if c.region_id)
    url = _url_maker("enforcement:case_detail")
    stages = {value: str(label) for value, label in CaseStage.choices}
    kinds = {value: str(label) for value, label in ClockKind.choices}
    warnings = {
        "overdue": " " + gettext("overdue"),
        "due_soon": " " + gettext("due soon"),
        "paused": " " + gettext("paused"),
    }
    rows = []
    for c in cases:
        badges = clocks.get(c.pk, [])
        rows.append(
            {
                "pk": c.pk,
                "number": c.number,
                "title": c.title,
                "party_name": c.party_name,
                "region": regions.get(c.region_id, ""),
                "stage": stages.get(c.stage, c.stage),
                "url": url(c.public_id),
                "level": badges[0].level if badges else "",
                "badges": _badges_html(badges, kinds, warnings),
            }
        )
    return rows


def _badges_html(badges: list[Any], kinds: dict[str, str], warnings: dict[str, str]) -> str:
    """``<span class="badge clock-<level>">kind → due date (warning)</span>`` for each clock."""
    if not badges:
        return format_html('<span class="muted">{}</span>', "—")
    provisional = provisional_warning()
    return format_html_join(
        " ",
        '<span class="badge clock-{0}" data-testid="clock" data-level="{0}" title="{1}">'
        "{1} → {2}{3}{4}</span>",
        (
            (
                b.level,
                kinds.get(b.kind, b.kind),
                b.due_on.isoformat(),
                warnings.get(b.level, ""),
                provisional if b.provisional else "",
            )
            for b in badges
        ),
    )


def provisional_warning() -> str:
    """The warning beside a due date computed with a provisional holiday schedule."""
    return " " + gettext(
        "(provisional: the official holiday schedule of this year is not yet published)"
    )


def _outcome_form(item: Any, label: str | None = None) -> forms.OutcomeForm:
    """The outcome (or answer) form of one row: its own ids, so several rows can share a page."""
    form = forms.OutcomeForm(auto_id=f"id_{item.public_id}_%s")
    if label:
        form.fields["text"].label = label
    return form


def _work_items(queryset: Any, more: bool, detail: str, action: str) -> tuple[list[Any], bool]:
    """The first items of a "my work" list (up to ``WORK_LIST_ALL`` with ``more``), each
    with ``detail_url`` (``detail`` takes the item's case for tasks, else the item),
    ``action_url`` and ``form`` (the outcome or answer); and whether some were left off."""
    limit = WORK_LIST_ALL if more else WORK_LIST_CAP
    items = list(queryset[: limit + 1])
    detail_url, action_url = _url_maker(detail), _url_maker(action)
    for item in items:
        target = item.case if detail == "enforcement:case_detail" else item
        item.detail_url = detail_url(target.public_id)
        item.action_url = action_url(item.public_id)
        item.form = _outcome_form(
            item, None if detail == "enforcement:case_detail" else gettext("Answer")
        )
    return items[:limit], len(items) > limit


def my_work(request: HttpRequest) -> HttpResponse:
    """The officer's open cases (25 a page, most urgent first), the first tasks and
    assistance requests of their departments (``?more=tasks`` / ``?more=requests`` for the
    rest), with every running clock."""
    paginator = CappedCountPaginator(
        selectors.my_cases(request.user).only(*selectors.CASE_ROW_FIELDS), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    more = request.GET.get("more", "")
    tasks, more_tasks = _work_items(
        selectors.my_tasks(request.user),
        more == "tasks",
        "enforcement:case_detail",
        "enforcement:task_complete",
    )
    requests_, more_requests = _work_items(
        selectors.my_assistance_requests(request.user),
        more == "requests",
        "enforcement:request_detail",
        "enforcement:request_answer",
    )
    context = {
        "page_obj": page,
        "rows": _rows(list(page.object_list)),
        "tasks": tasks,
        "more_tasks": more_tasks,
        "requests": requests_,
        "more_requests": more_requests,
        # Links the user could not follow (403/404) are not offered (issue 9 item 2).
        "can_record": access.departments_with(request.user, permissions.ADD) != frozenset(),
        "can_list": access.departments_with(request.user, permissions.VIEW) != frozenset(),
    }
    return render(request, template_for(request, "enforcement/my_work.html", "work"), context)


def case_list(request: HttpRequest) -> HttpResponse:
    """The department overview: filters, counts per stage, cases by urgency (capped count)."""
    if access.departments_with(request.user, permissions.VIEW) == frozenset():
        raise Http404
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = sorting.sort(
        request,
        selectors.department_cases(request.user, filters).only(*selectors.CASE_ROW_FIELDS),
        CASE_SORTS,
    )
    paginator = CappedCountPaginator(queryset, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    # The counts per stage sit outside the table that htmx swaps: not counted for it.
    counts = {} if is_partial(request) else selectors.stage_counts(request.user)
    rows = _rows(list(page.object_list))
    context = {
        "form": form,
        "filter_fields": [
            (
                name,
                field.label,
                getattr(field, "choices", None),
                form[name].value() or "",
                getattr(field, "max_length", None),
            )
            for name, field in form.fields.items()
        ],
        "page_obj": page,
        "cases": rows,
        "rows": rows,
        "counts": [(stage, label, counts.get(stage, 0)) for stage, label in CaseStage.choices],
        "can_record": bool(access.departments_with(request.user, permissions.ADD) != frozenset()),
    }
    return render(
        request, template_for(request, "enforcement/case_list.html", "case-table"), context
    )


def clue_create(request: HttpRequest) -> HttpResponse:
    """Record a clue, optionally for an entity found by search (``?entity=<public id>``)."""
    if access.departments_with(request.user, permissions.ADD) == frozenset():
        raise PermissionDenied
    initial = {"entity": request.GET.get("entity")} if request.GET.get("entity") else None
    form = forms.ClueForm(request.POST or None, initial=initial)
    entity = None
    if request.GET.get("entity"):
        try:
            entity = get_entity_for_user(request.user, request.GET["entity"])
        except ObjectDoesNotExist:
            entity = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.record_clue(
                    actor=request.user,
                    source=data["source"],
                    title=data["title"],
                    party_name=data["party_name"],
                    party_kind=data.get("party_kind") or "",
                    region=data["region"] or None,
                    entity=form.entity_for(request.user),
                    facts=data["facts"],
                    source_reference=data["source_reference"],
                    clue_received_on=data["clue_received_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("enforcement:case_detail", public_id=case.public_id)
        return render(
            request,
            "enforcement/clue_form.html",
            {"form": form, "entity": entity},
            status=UNPROCESSABLE,
        )
    return render(request, "enforcement/clue_form.html", {"form": form, "entity": entity})


def _detail_context(
    request: HttpRequest, case: Any, failed: tuple[str, Any] | None = None
) -> dict[str, Any]:
    case_access = selectors.case_access(request.user, case)
    action_forms = []
    for action in ACTIONS.values():
        if action.offered(case, case_access) or (failed and failed[0] == action.name):
            form = (
                failed[1]
                if failed and failed[0] == action.name
                else action.form(case=case, user=request.user, prefix=action.name)
            )
            action_forms.append({"action": action, "form": form})
    own = case_access.department_ids
    lead = case_access.is_lead
    documents = case.documents.order_by("created_at", "id")
    tasks = case.tasks.select_related("department", "clock").order_by("id")
    if not lead:
        documents = documents.filter(shared=True)
        tasks = tasks.filter(department_id__in=sorted(own))
    tasks = list(tasks)
    for task in tasks:
        task.form = _outcome_form(task)
    return {
        "case": case,
        "access": case_access,
        "clocks": selectors.clocks_for(case, case_access),
        "timeline": selectors.timeline(case, case_access),
        "actions": action_forms,
        "tasks": tasks,
        "documents": documents,
        "participants": case.participants.select_related("department"),
        "officers": case.officers.select_related("user", "credential"),
        "evidence": case.evidence.order_by("id") if lead else None,
        "measures": case.measures.select_related("clock") if lead else None,
        "requests": case.assistance_requests.select_related("to_department", "clock")
        if lead
        else None,
        "decisions": case.decisions.select_related("department")
        .prefetch_related("items")
        .order_by("id")
        if lead
        else case.decisions.filter(state__in=["effective", "changed", "revoked"]).prefetch_related(
            "items"
        ),
        "outcome_form": forms.OutcomeForm(),
        # Cards of the apps above (the criminal referral): the lead department's business.
        "panels": case_panels_for(case) if lead else [],
    }


def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The case page: header with stage and clocks, timeline, actions, participants, documents."""
    case = selectors.get_case_for_user(request.user, public_id)
    return render(
        request,
        template_for(request, "enforcement/case_detail.html", "case-main"),
        _detail_context(request, case),
    )


@require_POST
def case_action(request: HttpRequest, public_id: str, name: str) -> HttpResponse:
    """Run one action of the case page through its service (422 with errors in place)."""
    case = selectors.get_case_for_user(request.user, public_id)
    action = ACTIONS.get(name)
    if action is None:
        raise Http404
    if not action.allowed(case, selectors.case_access(request.user, case)):
        raise PermissionDenied
    form = action.form(
        request.POST, request.FILES, case=case, user=request.user, prefix=action.name
    )
    if form.is_valid():
        try:
            action.run(request.user, case, cleaned(action, form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if is_partial(request):
                return HttpResponseClientRedirect(case_url(case))
            return redirect("enforcement:case_detail", public_id=case.public_id)
    case.refresh_from_db()
    context = _detail_context(request, case, failed=(action.name, form))
    return render(
        request,
        template_for(request, "enforcement/case_detail.html", "case-main"),
        context,
        status=UNPROCESSABLE,
    )


def case_url(case: Any) -> str:
    return reverse("enforcement:case_detail", args=[case.public_id])


@require_POST
def task_complete(request: HttpRequest, public_id: str) -> HttpResponse:
    """The assignee department returns a task's outcome."""
    task = JointTask.objects.filter(
        public_id=public_id, case__in=selectors.cases_visible_to(request.user)
    ).first()
    if task is None:
        raise Http404
    form = forms.OutcomeForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            files = [form.cleaned_data["attachment"]] if form.cleaned_data.get("attachment") else []
            services.complete_task(
                actor=request.user, task=task, outcome=form.cleaned_data["text"], files=files
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.POST.get("next") == "work":
                return redirect("enforcement:my_work")
            return redirect("enforcement:case_detail", public_id=task.case.public_id)
    return render(
        request,
        "enforcement/outcome_form.html",
        {"form": form, "title": task.description},
        status=UNPROCESSABLE,
    )


def _request_context(request: HttpRequest, item: AssistanceRequest, form: Any) -> dict[str, Any]:
    requested = access.acts_for(request.user, permissions.VIEW, item.to_department_id)
    return {
        "item": item,
        "form": form,
        "can_answer": item.state == "sent"
        and access.acts_for(request.user, permissions.CHANGE, item.to_department_id),
        "is_requested": requested,
        "is_requester": access.acts_for(request.user, permissions.VIEW, item.case.department_id),
        "attachments": item.attachments.order_by("id"),
        "status": selectors.clock_rows([item.clock])[0].status,
    }


def request_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """An assistance request (协查函): what to check and by when; the requested department
    answers here (the lead department sees the answer on its case page too)."""
    item = selectors.get_assistance_request_for_user(request.user, public_id)
    return render(
        request,
        "enforcement/request_detail.html",
        _request_context(request, item, forms.OutcomeForm()),
    )


@require_POST
def request_answer(request: HttpRequest, public_id: str) -> HttpResponse:
    """The requested department answers an assistance request."""
    item = selectors.get_assistance_request_for_user(request.user, public_id)
    form = forms.OutcomeForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            files = [form.cleaned_data["attachment"]] if form.cleaned_data.get("attachment") else []
            services.answer_assistance_request(
                actor=request.user, request=item, answer=form.cleaned_data["text"], files=files
            )
        except AssistanceRequest.DoesNotExist as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.POST.get("next") == "work":
                return redirect("enforcement:my_work")
            return redirect("enforcement:request_detail", public_id=item.public_id)
    return render(
        request,
        "enforcement/request_detail.html",
        _request_context(request, item, form),
        status=UNPROCESSABLE,
    )


def entity_panel(request: HttpRequest, public_id: str) -> HttpResponse:
    """The entity profile's card: cases about the entity that the user may see."""
    entity = get_entity_for_user(request.user, public_id)
    return render(
        request,
        "enforcement/entity_panel.html",
        {"cases": selectors.entity_cases(request.user, entity), "entity": entity},
    )
