"""Pages of inspections: grid coverage, worksheets and due lists, plans and draws, on-site
records, samples, the capacity what-if, and the entity-profile panel."""

from __future__ import annotations

import contextlib
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import has_permission, has_permission_in_region
from yaojian.core import tables
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors
from yaojian.core.htmx import template_for
from yaojian.inspections import capacity, forms, permissions, selectors, services
from yaojian.inspections.models import DrawnEntity, EntityRating, RiskConfig
from yaojian.registry import selectors as registry_selectors
from yaojian.territory.models import GridCell

PAGE = 50


# --- grid -----------------------------------------------------------------------------------


def _require(request: HttpRequest, permission: str) -> None:
    """403 unless the user holds ``permission`` somewhere (what the menu shows, the page opens)."""
    if not has_permission(request.user, permission):
        raise PermissionDenied


def coverage(request: HttpRequest) -> HttpResponse:
    """Coverage of the grid: entities without a cell, cells without an officer, loads."""
    _require(request, permissions.VIEW)
    region = request.GET.get("region", "").strip()[:6]
    context = selectors.coverage(request.user, region)
    context["region"] = region
    context["can_place"] = has_permission(request.user, services.CHANGE_GRIDCELL)
    context["filter_fields"] = [("region", _("Region code"), None, region, 6)]
    context["unplaced_columns"] = tables.columns(
        ("name", _("Entity")), ("region", _("County")), ("address", _("Address")), ("cell", "")
    )
    context["load_columns"] = tables.columns(
        ("officer", _("Officer")), ("cells", _("Cells")), ("entities", _("Entities"))
    )
    return render(request, "inspections/coverage.html", context)


@require_POST
def place(request: HttpRequest) -> HttpResponse:
    """Place the entities without a cell by their addresses (per county the user manages)."""
    county = request.POST.get("county", "").strip()[:6]
    try:
        placed, left = services.place_entities(actor=request.user, county_code=county)
    except PermissionDenied:
        raise Http404 from None
    from django.contrib import messages
    from django.utils.translation import gettext as _

    messages.success(
        request,
        _("%(placed)s entities placed; %(left)s wait for review.")
        % {"placed": placed, "left": left},
    )
    return redirect("inspections:coverage")


def entity_panel(request: HttpRequest, public_id: str) -> HttpResponse:
    """The entity profile's card: grid cell, officers with dates, rating, inspections."""
    entity = registry_selectors.get_entity_for_user(request.user, public_id)
    rating = EntityRating.objects.filter(entity=entity).first()
    return render(
        request,
        "inspections/entity_panel.html",
        {
            "entity": entity,
            "cell": entity.grid_cell,
            "terms": selectors.terms_of(entity),
            "rating": rating,
            "inspections": list(selectors.entity_inspections(request.user, entity)),
            "can_assign": has_permission_in_region(
                request.user, services.CHANGE_GRIDCELL, entity.region_id
            ),
        },
    )


def entity_cell(request: HttpRequest, public_id: str) -> HttpResponse:
    """Put an entity into a cell by hand, with the reason (audited)."""
    entity = registry_selectors.get_entity_for_user(request.user, public_id)
    if not has_permission_in_region(request.user, services.CHANGE_GRIDCELL, entity.region_id):
        raise Http404
    cells = GridCell.objects.filter(region_id=entity.region_id).order_by("code")
    form = forms.CellForm(request.POST or None, cells=cells)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            cell = (
                cells.filter(public_id=form.cleaned_data["cell"]).first()
                if form.cleaned_data["cell"]
                else None
            )
            try:
                services.assign_entity_to_cell(
                    actor=request.user, entity=entity, cell=cell, reason=form.cleaned_data["reason"]
                )
                return redirect("registry:entity_detail", entity.public_id)
            except ValidationError as exc:
                add_service_errors(form, exc)
        status = UNPROCESSABLE
    return render(
        request, "inspections/entity_cell.html", {"entity": entity, "form": form}, status=status
    )


# --- ratings and due lists ------------------------------------------------------------------


def worksheet(request: HttpRequest, public_id: str) -> HttpResponse:
    """The explained risk worksheet of one entity."""
    entity = registry_selectors.get_entity_for_user(request.user, public_id)
    services.rate_entities([entity.pk])
    rating = selectors.rating_of(request.user, entity.public_id)
    return render(request, "inspections/worksheet.html", {"entity": entity, "rating": rating})


def due_list(request: HttpRequest) -> HttpResponse:
    """Entities due for inspection, per cell or department."""
    _require(request, permissions.VIEW)
    cell = request.GET.get("cell", "").strip()
    department = request.GET.get("department", "").strip()
    rows = selectors.due_list(
        request.user, cell=cell, department_id=int(department) if department.isdigit() else None
    )
    region = request.GET.get("region", "").strip()
    if region.isdigit():
        from yaojian.territory.codes import subtree_q

        rows = rows.filter(subtree_q("region", region))
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    cells = GridCell.objects.visible_to(request.user).order_by("code")[:500]
    departments = selectors.departments_with(request.user, permissions.VIEW)
    everything = ("", _("All"))
    context = {
        "page_obj": page,
        "rows": page.object_list,
        "today": timezone.localdate(),
        "columns": tables.columns(
            ("entity", _("Entity")),
            ("cell", _("Grid cell")),
            ("rating", _("Rating")),
            ("interval", _("Interval")),
            ("due_on", _("Due on")),
        ),
        "filter_fields": [
            (
                "cell",
                _("Grid cell"),
                [everything, *((str(c.public_id), c.name) for c in cells)],
                cell,
                None,
            ),
            (
                "department",
                _("Department"),
                [everything, *((str(d.pk), d.name) for d in departments)],
                department,
                None,
            ),
        ],
    }
    return render(request, template_for(request, "inspections/due_list.html", "due-table"), context)


# --- plans and draws ------------------------------------------------------------------------


def plan_list(request: HttpRequest) -> HttpResponse:
    _require(request, permissions.VIEW_PLAN)
    plans = selectors.plans_visible_to(request.user)
    return render(
        request,
        "inspections/plan_list.html",
        {
            "plans": plans[:200],
            "columns": tables.columns(
                ("title", _("Title")),
                ("year", _("Year")),
                ("kind", _("Kind")),
                ("department", _("Department")),
                ("proportion", _("Proportion (%)")),
                ("draws", _("Draws")),
            ),
            "can_add": has_permission(request.user, permissions.ADD_PLAN),
        },
    )


def plan_create(request: HttpRequest) -> HttpResponse:
    departments = selectors.departments_with(request.user, permissions.ADD_PLAN)
    if not departments.exists():
        raise Http404
    joint = Department.objects.filter(is_active=True).order_by("code")
    form = forms.PlanForm(request.POST or None, departments=departments, joint=joint)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            scope = form.scope()
            try:
                plan = services.create_plan(
                    actor=request.user,
                    department=data["department"],
                    year=data["year"],
                    kind=data["kind"],
                    title=data["title"],
                    items=data["items"],
                    proportion=data["proportion"],
                    inspection_kind=data["inspection_kind"],
                    scope=scope,
                    inspectors_per_entity=data["inspectors_per_entity"],
                    exclude_cell_officers=data["exclude_cell_officers"],
                    joint_departments=data["joint_departments"],
                )
                return redirect("inspections:plan_detail", plan.public_id)
            except ValidationError as exc:
                add_service_errors(form, exc)
        status = UNPROCESSABLE
    return render(request, "inspections/plan_form.html", {"form": form}, status=status)


def plan_detail(
    request: HttpRequest, public_id: str, draw_form: Any = None, status: int = 200
) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, public_id)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "columns": tables.columns(
                ("created_at", _("Drawn at")),
                ("seed", _("Seed")),
                ("algorithm", _("Algorithm version")),
                ("drawn_count", _("Drawn")),
                ("pool_size", _("Pool")),
            ),
            "scope": selectors.scope_summary(plan),
            "grade_proportions": selectors.grade_proportions(plan),
            "draws": plan.draws.select_related("drawn_by").defer("pool_blob", "inspector_blob"),
            "can_draw": selectors.can_draw(request.user, plan),
            "draw_form": draw_form or forms.DrawForm(),
            "pool_size": services.pool_entities(plan).count(),
            "joint": plan.joint_departments.all(),
        },
        status=status,
    )


@require_POST
def draw_make(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, public_id)
    form = forms.DrawForm(request.POST)
    if form.is_valid():
        try:
            draw = services.make_draw(actor=request.user, plan=plan, seed=form.cleaned_data["seed"])
            return redirect("inspections:draw_detail", draw.public_id)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            add_service_errors(form, exc)
    return plan_detail(request, public_id, draw_form=form, status=UNPROCESSABLE)


def draw_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    draw = selectors.get_draw_for_user(request.user, public_id)
    verified = None
    if request.GET.get("verify"):
        verified = services.verify_draw(draw)
    return render(
        request,
        "inspections/draw_detail.html",
        {
            "draw": draw,
            "rows": selectors.draw_rows(draw),
            "columns": tables.columns(
                ("position", "#"),
                ("entity", _("Entity")),
                ("county", _("County")),
                ("team", _("Inspection team")),
            ),
            "strata": selectors.strata_rows(draw),
            "strata_columns": tables.columns(
                ("grade", _("Credit grade")),
                ("proportion", _("Proportion (%)")),
                ("pool", _("Entities in the pool")),
                ("drawn", _("Entities drawn")),
            ),
            "verified": verified,
        },
    )


def my_assignments(request: HttpRequest) -> HttpResponse:
    """The entities drawn for me (inspectors: those who may record inspections)."""
    _require(request, permissions.CHANGE)
    return render(
        request,
        "inspections/my_assignments.html",
        {"assignments": selectors.my_assignments(request.user)[:200]},
    )


def assignment_start(request: HttpRequest, drawn_id: int) -> HttpResponse:
    """Open (making it on first use) the inspection of a drawn entity I am on the team of."""
    drawn = (
        DrawnEntity.objects.select_related("draw__plan__department", "entity")
        .filter(pk=drawn_id, team__inspector_id=request.user.pk)
        .first()
    )
    if drawn is None:
        raise Http404
    inspection = services.start_from_assignment(actor=request.user, drawn=drawn)
    return redirect("inspections:inspection_record", inspection.public_id)


# --- inspections ----------------------------------------------------------------------------


def inspection_list(request: HttpRequest) -> HttpResponse:
    _require(request, permissions.VIEW)
    rows = selectors.inspections_visible_to(request.user).order_by("-scheduled_on", "-id")
    state = request.GET.get("state", "")
    if state:
        rows = rows.filter(state=state)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        template_for(request, "inspections/inspection_list.html", "inspection-table"),
        {
            "page_obj": page,
            "inspections": page.object_list,
            "columns": tables.columns(
                ("entity", _("Entity")),
                ("kind", _("Kind")),
                ("scheduled_on", _("Scheduled for")),
                ("state", _("State")),
                ("department", _("Department")),
            ),
            "queue": selectors.publication_queue(request.user)[:50],
            "today": timezone.localdate(),
        },
    )


def inspection_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    inspection = selectors.get_inspection_for_user(request.user, public_id)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "checklist": selectors.checklist_rows(inspection),
            "checklist_columns": tables.columns(
                ("item", _("Item")), ("text", _("Requirement")), ("answer", _("Answer"))
            ),
            "findings": inspection.findings.select_related("case"),
            "attachments": inspection.attachments.all(),
            "attachment_columns": tables.columns(
                ("name", _("File name")),
                ("type", _("Type")),
                ("size", _("Size")),
                ("sha256", "SHA-256"),
            ),
            "team": inspection.inspectors.all(),
            "can_record": selectors.can(request.user, inspection, "change")
            and inspection.state == "planned",
            "can_publish": selectors.can(request.user, inspection, "publish")
            and inspection.state == "recorded",
            "today": timezone.localdate(),
        },
    )


def inspection_record(request: HttpRequest, public_id: str) -> HttpResponse:
    """The on-site record (works on a phone): checklist, findings, photos, signature."""
    inspection = selectors.get_inspection_for_user(request.user, public_id, "change")
    if inspection.state != "planned":
        return redirect("inspections:inspection_detail", inspection.public_id)
    form = forms.RecordForm(request.POST or None, request.FILES or None, kind=inspection.kind)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_inspection(
                    actor=request.user,
                    inspection=inspection,
                    answers=form.answers(),
                    findings=form.findings(),
                    conclusion=data["conclusion"],
                    summary=data["summary"],
                    signed_by=data["signed_by"],
                    refused=data["refused"],
                    refusal_note=data["refusal_note"],
                    inspected_on=data["inspected_on"],
                    attachments=request.FILES.getlist("attachments"),
                )
                return redirect("inspections:inspection_detail", inspection.public_id)
            except ValidationError as exc:
                _service_errors(form, exc)
        status = UNPROCESSABLE
    return render(
        request,
        "inspections/inspection_record.html",
        {"inspection": inspection, "form": form},
        status=status,
    )


def _service_errors(form: Any, exc: ValidationError) -> None:
    """Service errors on fields the form does not have (answers, findings, attachments) go
    to the form's top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        add_service_errors(form, exc)


def inspection_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    from yaojian.inspections.pdf import render_record

    inspection = selectors.get_inspection_for_user(request.user, public_id)
    if inspection.state == "planned":
        raise Http404
    response = HttpResponse(render_record(inspection), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="inspection-{inspection.public_id}.pdf"'
    return response


def inspection_file(request: HttpRequest, public_id: str, sha256: str) -> HttpResponse:
    """Download a photo or file of an inspection the user may see (audited)."""
    inspection = selectors.get_inspection_for_user(request.user, public_id)
    attachment = selectors.attachment_of(inspection, sha256)
    if attachment is None:
        raise Http404
    content = selectors.attachment_bytes(attachment)
    services.record_file_read(actor=request.user, attachment=attachment, purpose="page")
    response = HttpResponse(content, content_type=attachment.content_type)
    disposition = "inline" if attachment.is_photo else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{attachment.sha256}"'
    response["X-Content-SHA256"] = attachment.sha256
    return response


@require_POST
def inspection_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    inspection = selectors.get_inspection_for_user(request.user, public_id, "publish")
    with contextlib.suppress(ValidationError):
        services.publish_inspection(actor=request.user, inspection=inspection)
    return redirect("inspections:inspection_detail", inspection.public_id)


# --- samples --------------------------------------------------------------------------------


def sample_list(request: HttpRequest) -> HttpResponse:
    _require(request, permissions.VIEW_SAMPLE)
    samples = selectors.samples_visible_to(request.user)
    page = Paginator(samples, PAGE).get_page(request.GET.get("page"))
    departments = selectors.departments_with(request.user, permissions.ADD_SAMPLE)
    form = forms.SampleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        sampling = departments.first()
        if sampling is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                entity = registry_selectors.get_entity_for_user(request.user, data["entity"])
            except Exception:
                form.add_error("entity", ValidationError(_lazy_missing()))
            else:
                try:
                    services.record_sample(
                        actor=request.user,
                        department=sampling,
                        entity=entity,
                        number=data["number"],
                        product_name=data["product_name"],
                        risk_class=data["risk_class"],
                        batch_number=data["batch_number"],
                        sampled_on=data["sampled_on"],
                    )
                    return redirect("inspections:sample_list")
                except ValidationError as exc:
                    add_service_errors(form, exc)
        status = UNPROCESSABLE
    may_record = departments.exists()
    rows = list(page.object_list)
    for sample in rows:  # one small form per sample at the laboratory, ids kept apart
        result_form = (
            forms.ResultForm(auto_id=f"id_{sample.public_id}_%s")
            if may_record and sample.state == "at_lab"
            else None
        )
        setattr(sample, "result_form", result_form)  # noqa: B010 (read by the row template)
    return render(
        request,
        "inspections/sample_list.html",
        {
            "page_obj": page,
            "samples": rows,
            "columns": tables.columns(
                ("number", _("Sample number")),
                ("entity", _("Entity")),
                ("product", _("Product")),
                ("sampled_on", _("Sampled on")),
                ("state", _("State")),
                ("result", _("Laboratory result")),
            ),
            "form": form if may_record else None,
        },
        status=status,
    )


def _lazy_missing() -> Any:
    from django.utils.translation import gettext as _

    return _("This entity does not exist or you may not see it.")


@require_POST
def sample_result(request: HttpRequest, public_id: str) -> HttpResponse:
    sample = selectors.samples_visible_to(request.user).filter(public_id=public_id).first()
    if sample is None or not has_permission(request.user, permissions.ADD_SAMPLE):
        raise Http404
    form = forms.ResultForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with contextlib.suppress(ValidationError):
            services.record_lab_result(
                actor=request.user,
                sample=sample,
                passed=data["passed"],
                result_on=data["result_on"],
                report_number=data["report_number"],
                failed_items=data["failed_items"],
            )
    return redirect("inspections:sample_list")


# --- capacity -------------------------------------------------------------------------------


def capacity_view(request: HttpRequest) -> HttpResponse:
    """Capacity what-if: scenarios side by side (heads, who publish and plan)."""
    _require(request, permissions.PUBLISH)
    form = forms.CapacityForm(
        request.GET or None, initial={"inspectors": selectors.inspector_count(request.user)}
    )
    outcomes = []
    if form.is_bound and form.is_valid():
        proportions = []
        for part in form.cleaned_data["proportions"].replace("，", ",").split(","):
            try:
                value = Decimal(part.strip())
            except InvalidOperation:
                continue
            if 0 < value <= 100:
                proportions.append(value)
        scenarios = [
            capacity.Scenario(threshold, p)
            for threshold in ("high", "medium", "low")
            for p in (proportions or [Decimal(3)])[:4]
        ]
        outcomes = capacity.simulate(
            selectors.capacity_units(request.user),
            scenarios,
            inspectors=form.cleaned_data["inspectors"],
            year_hours=form.cleaned_data["year_hours"] or capacity.YEAR_HOURS,
        )
    return render(
        request,
        "inspections/capacity.html",
        {
            "form": form,
            "outcomes": outcomes,
            "columns": tables.columns(
                ("threshold", _("Full frequency from rating")),
                ("proportion", _("Proportion (%)")),
                ("needed", _("Inspections needed")),
                ("hours_needed", _("Hours needed")),
                ("hours_available", _("Hours available")),
                ("reached", _("Entities reached")),
                ("floors_missed", _("Floors missed")),
                ("uncovered", _("Risk left uncovered")),
            ),
        },
    )


# --- per-province settings ------------------------------------------------------------------


def risk_settings(request: HttpRequest) -> HttpResponse:
    """A province's frequencies, intervals, credit modifier and draw settings (administrators
    of a provincial department; audited with a reason)."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    from yaojian.inspections import configuration
    from yaojian.territory.selectors import region_names

    provinces = services.configurable_provinces(request.user)
    if not provinces:
        raise PermissionDenied
    wanted = (request.POST.get("province") or request.GET.get("province") or "").strip()
    province = wanted if wanted in provinces else provinces[0]
    current = configuration.flatten(services.province_config(province))
    form = forms.RiskSettingsForm(request.POST or None, initial=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.configure_province(
                    actor=request.user,
                    province_code=province,
                    overrides=configuration.overrides_from(form.values()),
                    reason=form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    _("The settings were saved; the entities' ratings are being recomputed."),
                )
                return redirect(f"{request.path}?province={province}")
            except ValidationError as exc:
                add_service_errors(form, exc)
        status = UNPROCESSABLE
    names = region_names(provinces)
    return render(
        request,
        "inspections/risk_settings.html",
        {
            "form": form,
            "province": province,
            "provinces": [(code, names.get(code, code)) for code in provinces],
            "province_fields": [
                (
                    "province",
                    _("Province"),
                    [(code, names.get(code, code)) for code in provinces],
                    province,
                    None,
                )
            ]
            if len(provinces) > 1
            else [],
            "config": RiskConfig.objects.filter(province_id=province)
            .select_related("updated_by")
            .first(),
        },
        status=status,
    )
