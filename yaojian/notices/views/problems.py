"""Recording a problem (with a preview of the recipients), problem pages, personal data."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from yaojian.accounts.models import Department
from yaojian.core import sorting
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import is_partial, template_for
from yaojian.notices import selectors, services
from yaojian.notices.forms import PERSON_ROWS, PersonRowForm, ProblemForm, person_rows
from yaojian.registry import selectors as registry_selectors
from yaojian.registry.models import Entity
from yaojian.territory.codes import subtree_q

PAGE = 50
PROBLEM_SORTS = {
    "category": ("category__order", "category__code"),
    "entity": "entity__name",
    "department": "department__name",
    "found_on": "found_on",
}


def _form(request: HttpRequest, data: Any = None, files: Any = None) -> ProblemForm:
    form = ProblemForm(data, files)
    departments = selectors.recording_departments(request.user)
    form.fields["department"].choices = [(str(d.public_id), d.name) for d in departments]  # type: ignore[attr-defined]
    form.fields["category"].choices = [  # type: ignore[attr-defined]
        ("", "—"),
        *((c.code, str(c)) for c in selectors.active_categories()),
    ]
    return form


def _entity(request: HttpRequest, value: Any) -> Entity | None:
    if not value:
        return None
    try:
        return registry_selectors.get_entity_for_user(request.user, value)
    except Entity.DoesNotExist:
        return None


def _department(departments: list[Department], value: Any) -> Department | None:
    return next((d for d in departments if str(d.public_id) == str(value)), None)


@require_GET
def problem_list(request: HttpRequest) -> HttpResponse:
    problems_qs = selectors.problems_visible_to(request.user)
    # Filters of the dashboard's drill-down: a category (by code) and a region.
    category = request.GET.get("category", "")[:48]
    if category:
        problems_qs = problems_qs.filter(category__code=category)
    region = request.GET.get("region", "")
    if region.isdigit() and len(region) == 6:
        problems_qs = problems_qs.filter(subtree_q("region", region))
    problems = list(sorting.sort(request, problems_qs, PROBLEM_SORTS)[:PAGE])
    return render(
        request,
        "notices/problem_list.html",
        {"problems": problems, "can_record": selectors.can_record_problem(request.user)},
    )


@require_http_methods(["GET", "POST"])
def problem_create(request: HttpRequest) -> HttpResponse:
    """Record a problem: category, entity (search), description, personal data, evidence."""
    if not selectors.can_record_problem(request.user):
        raise PermissionDenied
    departments = selectors.recording_departments(request.user)
    form = _form(request, request.POST or None, request.FILES or None)
    entity = _entity(request, request.POST.get("entity") or request.GET.get("entity"))
    status = 200
    person_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if form.is_valid():
            department = _department(departments, form.cleaned_data["department"])
            try:
                if department is None:
                    raise PermissionDenied
                problem = services.record_problem(
                    actor=request.user,
                    department=department,
                    category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                    entity=entity,
                    region_code=form.cleaned_data["region_code"] or "",
                    found_on=form.cleaned_data["found_on"],
                    personal_data=person_rows(request.POST),
                    attachments=form.cleaned_data["attachments"],
                )
            except ValidationError as exc:
                person_errors = {
                    field: list(errors)
                    for field, errors in exc.message_dict.items()
                    if field.startswith("personal_data")
                }
                rest = (
                    {
                        field: errors
                        for field, errors in exc.error_dict.items()
                        if not field.startswith("personal_data")
                    }
                    if hasattr(exc, "error_dict")
                    else None
                )
                add_service_errors(form, ValidationError(rest) if rest is not None else exc)
            else:
                url = f"/notices/problems/{problem.public_id}/"
                return HttpResponseClientRedirect(url) if is_partial(request) else redirect(url)
        status = UNPROCESSABLE
    context = {
        "form": form,
        "entity": entity,
        "person_rows": _person_rows(request.POST, person_errors),
        "person_errors": person_errors.get("personal_data", []),
        "can_record": True,  # checked above
    }
    return render(
        request,
        template_for(request, "notices/problem_form.html", "problem-form"),
        context,
        status=status,
    )


def _person_rows(data: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The personal-data rows as typed (one ``PersonRowForm`` each), errors beside the fields.

    The service numbers only the rows that were filled in (``personal_data.<n>.<field>``);
    the n-th filled row is shown with the n-th error set: a field's errors beside the field,
    the row's own errors above it."""
    rows: list[dict[str, Any]] = []
    filled = 0
    for index in range(PERSON_ROWS):
        prefix = f"person-{index}"
        form = PersonRowForm(data or None, prefix=prefix)
        if form.is_bound:
            form.is_valid()  # shape only: every field is optional
        values = {
            key: (data.get(f"{prefix}-{key}") or "").strip()
            for key in ("name", "id_number", "phone")
        }
        if any(values.values()):
            key_prefix = f"personal_data.{filled}"
            for key, messages in sorted(errors.items()):
                if key == key_prefix:
                    form.add_error(None, messages)
                elif key.startswith(key_prefix + "."):
                    field = key.rsplit(".", 1)[-1]
                    form.add_error(field if field in form.fields else None, messages)
            filled += 1
        rows.append({"index": index, "form": form})
    return rows


@require_GET
def problem_preview(request: HttpRequest) -> HttpResponse:
    """Which departments the problem will go to, by the rules (htmx fragment)."""
    departments = selectors.recording_departments(request.user)
    department = _department(departments, request.GET.get("department"))
    category = selectors.active_categories().filter(code=request.GET.get("category", "")).first()
    entity = _entity(request, request.GET.get("entity"))
    routes: list[Any] = []
    unrouted: list[Any] = []
    if department is not None and category is not None:
        region = (
            entity.region_id if entity else (request.GET.get("region_code") or department.region_id)
        )
        routes, unrouted = selectors.route_problem(
            category,
            entity.kind if entity else "",
            str(region).strip()[:6].ljust(6, "0"),
            exclude_department_id=department.pk,
        )
    return render(
        request,
        "notices/problem_preview.html",
        {"routes": routes, "unrouted": unrouted, "ready": category is not None},
    )


@require_GET
def entity_picker(request: HttpRequest) -> HttpResponse:
    """Entities matching the search, to pick one for the problem (htmx fragment)."""
    query = request.GET.get("q", "").strip()
    entities: list[Entity] = []
    if query:
        entities = list(registry_selectors.search_entities(request.user, q=query)[:10])
    return render(request, "notices/entity_picker.html", {"entities": entities, "q": query})


@require_GET
def problem_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    problem = selectors.get_problem_for_user(request.user, public_id)
    return render(
        request,
        "notices/problem_detail.html",
        {
            "problem": problem,
            "recipients": selectors.problem_recipients(request.user, problem),
            "persons": selectors.masked_persons(problem),
            "can_reveal": selectors.can_see_personal_data(request.user, problem),
            "attachments": list(problem.attachments.all()),
        },
    )


@require_POST
def problem_reveal(request: HttpRequest, public_id: str) -> HttpResponse:
    """The unmasked personal data (audited); 403 without the right, 404 when not visible."""
    problem = selectors.get_problem_for_user(request.user, public_id)
    rows = services.reveal_problem_personal_data(actor=request.user, problem=problem)
    return render(
        request,
        template_for(request, "notices/problem_detail.html", "persons"),
        {"problem": problem, "revealed": rows, "persons": [], "can_reveal": False},
    )
