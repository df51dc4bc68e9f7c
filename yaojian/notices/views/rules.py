"""Routing rules: everyone reads them; administrators edit them (audited)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from yaojian.core import tables
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import template_for
from yaojian.notices import selectors, services
from yaojian.notices.forms import RoutingRuleForm
from yaojian.notices.models import RoutingRule

PAGE_SIZE = 50
RULE_SORTS = {
    "category": ("category__order", "category__code"),
    "entity_kind": "entity_kind",
    "target_kind": "target_kind",
    "target_level": "target_level",
    "due": "due_working_days",
    "active": "is_active",
}
RULE_COLUMNS = tables.columns(
    ("category", _("Problem category"), True),
    ("entity_kind", _("Entity kind"), True),
    ("target_kind", _("Department to notify"), True),
    ("target_level", _("Level"), True),
    ("due", _("Deadline (working days)"), True),
    ("expected_answer", _("Answer expected")),
    ("active", _("Active"), True),
)


@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    """The routing rules, sortable by the column heads, 50 a page."""
    can_edit = selectors.can_edit_rules(request.user)
    page = tables.sorted_page(request, selectors.routing_rules(), RULE_SORTS, per_page=PAGE_SIZE)
    columns = [*RULE_COLUMNS, tables.Column("edit", "")] if can_edit else RULE_COLUMNS
    return render(
        request,
        template_for(request, "notices/rule_list.html", "rule-table"),
        {"columns": columns, "page_obj": page, "rules": page.object_list, "can_edit": can_edit},
    )


def _form(data: Any = None, initial: dict[str, object] | None = None) -> RoutingRuleForm:
    form = RoutingRuleForm(data, initial=initial)
    form.fields["category"].choices = [(c.code, str(c)) for c in selectors.active_categories()]  # type: ignore[attr-defined]
    return form


def _save(request: HttpRequest, rule: RoutingRule | None) -> HttpResponse:
    if not selectors.can_edit_rules(request.user):
        raise PermissionDenied
    initial = None
    if rule is not None:
        initial = {
            "category": rule.category.code,
            "entity_kind": rule.entity_kind,
            "target_kind": rule.target_kind,
            "target_level": rule.target_level,
            "due_working_days": rule.due_working_days,
            "expected_answer": rule.expected_answer,
            "is_active": rule.is_active,
        }
    form = _form(request.POST or None, initial or {"is_active": True, "due_working_days": 10})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if rule is None:
                    services.create_routing_rule(actor=request.user, data=form.cleaned_data)
                else:
                    services.update_routing_rule(
                        actor=request.user, rule=rule, data=form.cleaned_data
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("notices:rule_list")
        status = UNPROCESSABLE
    return render(request, "notices/rule_form.html", {"form": form, "rule": rule}, status=status)


@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    return _save(request, selectors.get_rule(public_id))
