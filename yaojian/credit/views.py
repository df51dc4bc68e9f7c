"""Credit pages: records, grades, the serious-dishonesty list, repair, the ledger, the rules,
the restriction check, and the entity profile's credit panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yaojian.accounts.scoping import has_permission
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import template_for
from yaojian.credit import forms, grades, selectors, services, tables
from yaojian.credit import permissions as perms
from yaojian.credit.choices import LedgerState, ListingState
from yaojian.credit.models import CreditGrade, Listing
from yaojian.registry.models import Entity
from yaojian.registry.selectors import get_entity_for_user
from yaojian.registry.services.validation import FieldErrors

PAGE = 50


def _require(request: HttpRequest, permission: str) -> None:
    if not has_permission(request.user, permission):
        raise PermissionDenied


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE).get_page(request.GET.get("page"))


# --- records ---------------------------------------------------------------------------------


def record_list(request: HttpRequest) -> HttpResponse:
    _require(request, perms.VIEW)
    form = forms.RecordFilterForm(request.GET or None)
    records = selectors.records_for_user(request.user)
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            records = records.filter(
                Q(entity__name__contains=q) | Q(entity__unified_social_credit_code=q.upper())
            )
        if form.cleaned_data["kind"]:
            records = records.filter(kind=form.cleaned_data["kind"])
    page = _page(request, records)
    rows = [{"record": r, "person": _person_label(request.user, r)} for r in page.object_list]
    return render(
        request,
        template_for(request, "credit/record_list.html", "record-table"),
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "columns": tables.RECORDS,
            "can_add": has_permission(request.user, perms.ADD_RECORD),
        },
    )


def _person_label(user: Any, record: Any) -> str:
    if record.person is None:
        return ""
    name = record.person.name
    return name if selectors.can_see_person_data(user, record) else selectors.mask_name(name)


def record_create(request: HttpRequest) -> HttpResponse:
    _require(request, perms.ADD_RECORD)
    form = forms.RecordForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            errors = FieldErrors()
            entity = services.resolve_entity(
                errors, "credit_code", request.user, data["credit_code"]
            )
            person = services.resolve_person(errors, "id_number", request.user, data["id_number"])
            try:
                errors.raise_if_any()
                item = services.create_record(
                    actor=request.user,
                    entity=entity,
                    person=person,
                    kind=data["kind"],
                    legal_basis=data["legal_basis"],
                    occurred_on=data["occurred_on"],
                    expires_on=data["expires_on"],
                    summary=data["summary"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "entity" in exc.error_dict:
                    exc.error_dict["credit_code"] = exc.error_dict.pop("entity")
                add_service_errors(form, exc)
            else:
                return redirect("credit:record_detail", public_id=item.public_id)
        return render(request, "credit/record_form.html", {"form": form}, status=UNPROCESSABLE)
    return render(request, "credit/record_form.html", {"form": form})


def record_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    item = selectors.get_record_for_user(request.user, public_id)
    return _record_page(request, item)


def _record_page(request: HttpRequest, item: Any, status: int = 200, **bound: Any) -> HttpResponse:
    user = request.user
    context = {
        "record": item,
        "person": _person_label(user, item),
        "listings": item.listings.all(),
        "repairs": item.repairs.all(),
        "can_propose": item.kind in services.PENALTY_KINDS
        and item.entity_id is not None
        and has_permission(user, perms.ADD_LISTING),
        "can_repair": has_permission(user, perms.ADD_REPAIR),
        "triggers": services.listing_triggers(item, refused_to_comply=False, other_serious=False),
        "listing_form": bound.get("listing_form") or forms.ListingProposalForm(),
        "repair_form": bound.get("repair_form") or forms.RepairForm(),
    }
    return render(request, "credit/record_detail.html", context, status=status)


@require_POST
def record_propose_listing(request: HttpRequest, public_id: str) -> HttpResponse:
    item = selectors.get_record_for_user(request.user, public_id)
    form = forms.ListingProposalForm(request.POST)
    if form.is_valid():
        try:
            listing = services.propose_listing(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("credit:listing_detail", public_id=listing.public_id)
    return _record_page(request, item, UNPROCESSABLE, listing_form=form)


@require_POST
def record_repair(request: HttpRequest, public_id: str) -> HttpResponse:
    item = selectors.get_record_for_user(request.user, public_id)
    form = forms.RepairForm(request.POST)
    if form.is_valid():
        try:
            application = services.apply_for_repair(
                actor=request.user, item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("credit:repair_detail", public_id=application.public_id)
    return _record_page(request, item, UNPROCESSABLE, repair_form=form)


# --- grades ----------------------------------------------------------------------------------


def grade_list(request: HttpRequest) -> HttpResponse:
    _require(request, perms.VIEW)
    form = forms.GradeFilterForm(request.GET or None)
    rows = CreditGrade.objects.filter(
        entity__in=Entity.objects.visible_to(request.user).values("pk")
    ).select_related("entity")
    if form.is_valid():
        if form.cleaned_data["grade"]:
            rows = rows.filter(grade=form.cleaned_data["grade"])
        q = form.cleaned_data["q"].strip()
        if q:
            rows = rows.filter(
                Q(entity__name__contains=q) | Q(entity__unified_social_credit_code=q.upper())
            )
    page = _page(request, rows.order_by("score", "entity_id"))
    return render(
        request,
        template_for(request, "credit/grade_list.html", "grade-table"),
        {"form": form, "page_obj": page, "columns": tables.GRADES},
    )


def entity_panel(request: HttpRequest, public_id: str) -> HttpResponse:
    """The entity profile's credit card: grade, contributing records, what would change it."""
    entity = get_entity_for_user(request.user, public_id)
    if not has_permission(request.user, perms.VIEW):
        return render(request, "credit/entity_panel.html", {"forbidden": True})
    explanation = selectors.explain_grade(entity)
    listings = Listing.objects.filter(entity=entity).order_by("-decided_on")[:3]
    return render(
        request,
        "credit/entity_panel.html",
        {
            "entity": entity,
            "x": explanation,
            "listings": listings,
            "restrictions": selectors.restrictions_in_force(entity),
            "columns": tables.CONTRIBUTIONS,
        },
    )


# --- listings --------------------------------------------------------------------------------


def listing_list(request: HttpRequest) -> HttpResponse:
    _require(request, perms.VIEW)
    form = forms.ListingFilterForm(request.GET or None)
    listings = selectors.listings_for_user(request.user)
    if form.is_valid() and form.cleaned_data["state"]:
        listings = listings.filter(state=form.cleaned_data["state"])
    return render(
        request,
        template_for(request, "credit/listing_list.html", "listing-table"),
        {"form": form, "page_obj": _page(request, listings), "columns": tables.LISTINGS},
    )


LISTING_STEPS: dict[str, tuple[Any, Callable[..., Any]]] = {
    "approve": (
        forms.ApproveForm,
        lambda u, listing, d: services.approve_listing(
            actor=u, listing=listing, approve=d["approve"], reasons=d["reasons"]
        ),
    ),
    "publish": (
        forms.DateForm,
        lambda u, listing, d: services.publish_listing(
            actor=u, listing=listing, published_on=d["on"]
        ),
    ),
    "apply_removal": (
        forms.RemovalApplicationForm,
        lambda u, listing, d: services.apply_for_removal(
            actor=u, listing=listing, statement=d["statement"], applied_on=d["on"]
        ),
    ),
    "accept_removal": (
        forms.DateForm,
        lambda u, listing, d: services.accept_removal_application(
            actor=u, listing=listing, accepted_on=d["on"]
        ),
    ),
    "decide_removal": (
        forms.RemovalDecisionForm,
        lambda u, listing, d: services.decide_removal(actor=u, listing=listing, **d),
    ),
    "stop_publication": (
        forms.DateForm,
        lambda u, listing, d: services.stop_publication(
            actor=u, listing=listing, stopped_on=d["on"]
        ),
    ),
    "relist": (
        forms.ReasonsForm,
        lambda u, listing, d: services.relist(actor=u, listing=listing, reasons=d["reasons"]),
    ),
}


def _steps_for(listing: Listing) -> list[str]:
    state = listing.state
    steps = []
    if state == ListingState.PROPOSED:
        steps.append("approve")
    if state == ListingState.APPROVED:
        steps.append("publish")
    if state == ListingState.PUBLISHED:
        steps.append("apply_removal")
    if state == ListingState.REMOVAL_APPLIED:
        steps.append("decide_removal" if listing.removal_accepted_on else "accept_removal")
    if state == ListingState.REMOVED:
        if not listing.publication_stopped_on:
            steps.append("stop_publication")
        if listing.removal_kind == "early":
            steps.append("relist")
    return steps


def listing_detail(
    request: HttpRequest, public_id: str, *, bound: Any = None, step: str = "", status: int = 200
) -> HttpResponse:
    listing = selectors.get_listing_for_user(request.user, public_id)
    step_forms = {
        name: (bound if name == step and bound is not None else LISTING_STEPS[name][0]())
        for name in _steps_for(listing)
    }
    return render(
        request,
        "credit/listing_detail.html",
        {
            "listing": listing,
            "step_forms": step_forms,
            "ledger": listing.ledger.select_related("department"),
            "columns": tables.LISTING_LEDGER,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_POST
def listing_step(request: HttpRequest, public_id: str, step: str) -> HttpResponse:
    listing = selectors.get_listing_for_user(request.user, public_id)
    if step not in LISTING_STEPS:
        raise Listing.DoesNotExist
    form_class, call = LISTING_STEPS[step]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = call(request.user, listing, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("credit:listing_detail", public_id=result.public_id)
    return listing_detail(request, public_id, bound=form, step=step, status=UNPROCESSABLE)


# --- repair ----------------------------------------------------------------------------------


def repair_list(request: HttpRequest) -> HttpResponse:
    _require(request, perms.VIEW)
    return render(
        request,
        "credit/repair_list.html",
        {
            "page_obj": _page(request, selectors.repairs_for_user(request.user)),
            "columns": tables.REPAIRS,
        },
    )


def repair_detail(
    request: HttpRequest, public_id: str, *, bound: Any = None, status: int = 200
) -> HttpResponse:
    application = selectors.get_repair_for_user(request.user, public_id)
    return render(
        request,
        "credit/repair_detail.html",
        {
            "application": application,
            "form": bound or forms.RepairDecisionForm(),
            "can_decide": application.state == "applied"
            and has_permission(request.user, perms.DECIDE_REPAIR),
        },
        status=status,
    )


@require_POST
def repair_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    application = selectors.get_repair_for_user(request.user, public_id)
    form = forms.RepairDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_repair(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("credit:repair_detail", public_id=application.public_id)
    return repair_detail(request, public_id, bound=form, status=UNPROCESSABLE)


# --- ledger ----------------------------------------------------------------------------------


def ledger_list(request: HttpRequest) -> HttpResponse:
    form = forms.LedgerFilterForm(request.GET or None)
    entries = selectors.ledger_for_user(request.user)
    today = timezone.localdate()
    if form.is_valid():
        if form.cleaned_data["state"]:
            entries = entries.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["overdue"]:
            entries = entries.filter(state=LedgerState.PENDING, due_on__lt=today)
    return render(
        request,
        template_for(request, "credit/ledger_list.html", "ledger-table"),
        {
            "form": form,
            "page_obj": _page(request, entries),
            "today": today,
            "columns": tables.LEDGER,
        },
    )


def ledger_detail(
    request: HttpRequest, public_id: str, *, bound: Any = None, status: int = 200
) -> HttpResponse:
    entry = selectors.get_ledger_entry_for_user(request.user, public_id)
    from yaojian.accounts.scoping import scope_for

    scope = scope_for(request.user)
    can_record = entry.state == LedgerState.PENDING and (
        scope.is_superuser
        or any(
            m.department_id == entry.department_id and perms.LEDGER in m.permissions
            for m in scope.members
        )
    )
    return render(
        request,
        "credit/ledger_detail.html",
        {
            "entry": entry,
            "form": bound or forms.LedgerForm(),
            "can_record": can_record,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_POST
def ledger_record(request: HttpRequest, public_id: str) -> HttpResponse:
    entry = selectors.get_ledger_entry_for_user(request.user, public_id)
    form = forms.LedgerForm(request.POST)
    if form.is_valid():
        try:
            services.record_execution(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("credit:ledger_detail", public_id=entry.public_id)
    return ledger_detail(request, public_id, bound=form, status=UNPROCESSABLE)


# --- rules and the restriction check ---------------------------------------------------------


def rule_set(request: HttpRequest) -> HttpResponse:
    _require(request, perms.RULES)
    from yaojian.accounts.scoping import scope_for

    members = scope_for(request.user).members_with(perms.RULES)
    province = (members[0].prefix[:2] if members else "54") + "0000"
    current, _rules = grades.rules_for(province)
    from yaojian.credit.rules import default_text

    initial = {"text": current.text if current else default_text()}
    form = forms.RuleSetForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_rule_set(
                    actor=request.user,
                    province_code=province,
                    text=form.cleaned_data["text"],
                    valid_from=form.cleaned_data["valid_from"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("credit:rule_set")
        status = UNPROCESSABLE
    from yaojian.credit.models import RuleSet

    versions = RuleSet.objects.filter(province_code=province)[:20]
    return render(
        request,
        "credit/rule_set.html",
        {"form": form, "current": current, "versions": versions, "province": province},
        status=status,
    )


def restriction_check(request: HttpRequest) -> HttpResponse:
    """Ask whether an action is restricted (the identity card number only in a POST body)."""
    _require(request, perms.VIEW)
    form = forms.RestrictionCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        from yaojian.registry.decisions import DecisionSubject

        data = form.cleaned_data
        subject: Any = (
            DecisionSubject(id_number=data["id_number"].strip().upper())
            if data["id_number"]
            else data["credit_code"].strip().upper()
        )
        result = services.check_restrictions(subject, data["action"])
    return render(request, "credit/restriction_check.html", {"form": form, "result": result})


def override_create(request: HttpRequest) -> HttpResponse:
    """A department head records an override of a restriction, with the reason (audited)."""
    _require(request, perms.OVERRIDE)
    form = forms.OverrideForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_override(
                    actor=request.user,
                    action=data["action"],
                    reason=data["reason"],
                    credit_code=data["credit_code"],
                    id_number=data["id_number"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                from django.contrib import messages
                from django.utils.translation import gettext

                messages.success(
                    request,
                    gettext("The override was recorded; the decision may now be taken once."),
                )
                return redirect("credit:override_create")
        return render(request, "credit/override_form.html", {"form": form}, status=UNPROCESSABLE)
    return render(request, "credit/override_form.html", {"form": form})


# --- decisions checked for restrictions (honours, 告知承诺制) ---------------------------------


def decision_list(request: HttpRequest) -> HttpResponse:
    """Honours and 告知承诺制 approvals recorded in my jurisdiction, each checked for restrictions."""
    _require(request, perms.VIEW)
    rows = selectors.checked_decisions_for_user(request.user)
    return render(
        request,
        "credit/decision_list.html",
        {
            "page_obj": _page(request, rows),
            "columns": tables.DECISIONS,
            "can_add": has_permission(request.user, perms.ADD_DECISION),
        },
    )


def decision_create(request: HttpRequest) -> HttpResponse:
    """Grant an honour or approve on commitment: refused with the reasons when restricted."""
    from yaojian.credit.checked_decisions import record_checked_decision

    _require(request, perms.ADD_DECISION)
    form = forms.CheckedDecisionForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                record_checked_decision(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("credit:decision_list")
        return render(request, "credit/decision_form.html", {"form": form}, status=UNPROCESSABLE)
    return render(request, "credit/decision_form.html", {"form": form})
