"""Reads of inspections: coverage, due lists, plans, draws, assignments, public results."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import jurisdiction_q, scope_for
from yaojian.inspections import capacity, checklists, permissions
from yaojian.inspections.choices import InspectionState
from yaojian.inspections.models import (
    Assignment,
    Attachment,
    Draw,
    DrawnEntity,
    EntityRating,
    Inspection,
    Plan,
    Sample,
)
from yaojian.registry.models import Entity
from yaojian.territory.codes import subtree_q
from yaojian.territory.models import GridCell, GridOfficerTerm


def coverage(user: Any, region_code: str = "") -> dict[str, Any]:
    """The coverage of the grid in ``user``'s jurisdiction (or one region in it)."""
    entities = Entity.objects.visible_to(user).filter(status="active")
    cells = GridCell.objects.visible_to(user)
    if region_code:
        entities = entities.filter(subtree_q("region", region_code))
        cells = cells.filter(subtree_q("region", region_code))
    unplaced = entities.filter(grid_cell__isnull=True)
    empty_cells = cells.filter(officers__isnull=True).select_related("region").order_by("code")
    load = (
        cells.filter(officers__isnull=False)
        .values("officers__id", "officers__username", "officers__full_name")
        .annotate(
            cell_count=Count("id", distinct=True), entity_count=Count("entities", distinct=True)
        )
        .order_by("-entity_count", "officers__username")
    )
    return {
        "entity_count": entities.count(),
        "unplaced_count": unplaced.count(),
        "unplaced": unplaced.select_related("region").order_by("region_id", "name")[:100],
        "cell_count": cells.count(),
        "empty_cells": empty_cells[:100],
        "empty_cell_count": empty_cells.count(),
        "load": list(load[:100]),
    }


def terms_of(entity: Entity) -> list[GridOfficerTerm]:
    """The officers of the entity's cell over time (open terms first)."""
    if not entity.grid_cell_id:
        return []
    return list(
        GridOfficerTerm.objects.filter(cell_id=entity.grid_cell_id)
        .select_related("officer")
        .order_by("ended_on", "-started_on")
    )


def due_list(
    user: Any, *, cell: str = "", department_id: int | None = None, until: dt.date | None = None
) -> QuerySet[EntityRating]:
    """Entities due for inspection by ``until`` (today + 30 days), most overdue first."""
    until = until or timezone.localdate() + dt.timedelta(days=30)
    rows = EntityRating.objects.filter(jurisdiction_q(user, "region"), due_on__lte=until)
    if cell:
        rows = rows.filter(entity__grid_cell__public_id=cell)
    if department_id is not None:
        from yaojian.accounts.models import Department

        department = Department.objects.filter(pk=department_id).first()
        if department is not None:
            rows = rows.filter(subtree_q("region", department.region_id))
    return rows.select_related("entity", "entity__grid_cell", "region").order_by(
        "due_on", "entity_id"
    )


def rating_of(user: Any, entity_public_id: Any) -> EntityRating:
    """The worksheet of one visible entity (``DoesNotExist`` otherwise)."""
    return (
        EntityRating.objects.visible_to(user)
        .select_related("entity", "region")
        .get(entity__public_id=entity_public_id)
    )


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    return (
        Plan.objects.visible_to(user)
        .select_related("department")
        .annotate(draw_count=Count("draws", distinct=True))
        .order_by("-year", "-created_at")
    )


def get_plan_for_user(user: Any, public_id: Any, action: str = "view") -> Plan:
    return (
        Plan.objects.visible_to(user, action).select_related("department").get(public_id=public_id)
    )


def can_draw(user: Any, plan: Plan) -> bool:
    return Plan.objects.visible_to(user, "draw").filter(pk=plan.pk).exists()


def get_draw_for_user(user: Any, public_id: Any) -> Draw:
    return Draw.objects.select_related("plan", "plan__department", "drawn_by").get(
        public_id=public_id, plan__in=Plan.objects.visible_to(user).values("pk")
    )


def attachment_of(inspection: Inspection, sha256: str) -> Attachment | None:
    """The inspection's photo or file with this SHA-256 (the first, if added twice). The
    caller has read the inspection through ``get_inspection_for_user``."""
    return inspection.attachments.filter(sha256=sha256.lower()).order_by("id").first()


def attachment_bytes(attachment: Attachment) -> bytes:
    """The stored file's content."""
    with attachment.file.open("rb") as handle:
        return handle.read()


def departments_with(user: Any, permission: str) -> QuerySet[Department]:
    """The departments in which ``user`` holds ``permission`` (a superuser: every active
    one), by code: whom the pages and the API offer as the planning or sampling department."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Department.objects.filter(is_active=True).order_by("code")
    ids = sorted({m.department_id for m in scope.members_with(permission)})
    return Department.objects.filter(pk__in=ids).order_by("code")


def scope_summary(plan: Plan) -> list[tuple[str, str]]:
    """The plan's scope in words: ``[(what, which)]`` (empty: the whole jurisdiction)."""
    from django.utils.translation import gettext as _

    from yaojian.registry.choices import EntityKind, RiskClass

    scope = plan.scope or {}
    kinds = dict(EntityKind.choices)
    classes = dict(RiskClass.choices)
    summary: list[tuple[str, str]] = []
    if scope.get("kinds"):
        summary.append((_("Entity kinds"), "、".join(str(kinds.get(k, k)) for k in scope["kinds"])))
    if scope.get("risk_classes"):
        summary.append(
            (
                _("Product risk classes"),
                "、".join(str(classes.get(c, c)) for c in scope["risk_classes"]),
            )
        )
    if scope.get("region"):
        summary.append((_("Region"), str(scope["region"])))
    if scope.get("due_only"):
        summary.append((_("Only entities due this year"), _("yes")))
    if scope.get("credit_grades"):
        summary.append((_("Credit grades"), "、".join(scope["credit_grades"])))
    return summary


def grade_proportions(plan: Plan) -> list[tuple[str, str]]:
    """``[(grade, proportion)]`` of a plan drawn by credit grade, in the order A–D."""
    shares = (plan.scope or {}).get("grade_proportions") or {}
    return [(grade, shares[grade]) for grade in ("A", "B", "C", "D") if grade in shares]


def strata_rows(draw: Draw) -> list[dict[str, Any]]:
    """A draw by credit grade, per grade: proportion, entities in the pool, entities drawn
    (rows of ``components/data_table.html``)."""
    from django.utils.translation import gettext as _

    return [
        {
            "cells": [
                row["grade"] or _("No grade"),
                row["proportion"],
                str(row["pool"]),  # a string: 0 is a count, not an empty cell
                str(row["drawn"]),
            ]
        }
        for row in draw.strata
    ]


def draw_rows(draw: Draw, limit: int = 200) -> list[DrawnEntity]:
    return list(
        DrawnEntity.objects.filter(draw=draw)
        .select_related("entity", "entity__region")
        .prefetch_related("team__inspector", "team__department")
        .order_by("position")[:limit]
    )


def my_assignments(user: Any) -> QuerySet[Assignment]:
    """Drawn entities the user is on the team of and has not recorded yet."""
    return (
        Assignment.objects.filter(inspector=user)
        .exclude(drawn__inspection__state__in=[InspectionState.RECORDED, InspectionState.PUBLISHED])
        .select_related("drawn", "drawn__entity", "drawn__draw__plan")
        .order_by("drawn__draw__created_at", "drawn__position")
    )


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    return Inspection.objects.visible_to(user).select_related("entity", "department")


def get_inspection_for_user(user: Any, public_id: Any, action: str = "view") -> Inspection:
    return (
        Inspection.objects.visible_to(user, action)
        .select_related("entity", "entity__region", "department", "plan")
        .get(public_id=public_id)
    )


def can(user: Any, inspection: Inspection, action: str) -> bool:
    return Inspection.objects.visible_to(user, action).filter(pk=inspection.pk).exists()


def checklist_rows(inspection: Inspection) -> list[dict[str, Any]]:
    from yaojian.inspections.choices import Answer

    labels = dict(Answer.choices)
    return [
        {"item": item, "answer": labels.get(inspection.answers.get(item.code, ""), "")}
        for item in checklists.checklist(inspection.kind)
    ]


def publication_queue(user: Any) -> QuerySet[Inspection]:
    """Recorded inspections waiting to be published, the closest deadline first."""
    return (
        Inspection.objects.visible_to(user, "publish")
        .filter(state=InspectionState.RECORDED)
        .select_related("entity", "department")
        .order_by("publish_due_on", "id")
    )


def published_results() -> QuerySet[Inspection]:
    """Published results for the public site (一公开), newest first."""
    return (
        Inspection.objects.filter(state=InspectionState.PUBLISHED)
        .select_related("entity", "department", "entity__region")
        .prefetch_related("findings")
        .order_by("-published_at", "-id")
    )


def samples_visible_to(user: Any) -> QuerySet[Sample]:
    return Sample.objects.visible_to(user).select_related("entity", "department", "case")


def capacity_units(user: Any, region_code: str = "") -> list[capacity.Unit]:
    """The rated entities of the user's jurisdiction as simulation units."""
    from yaojian.inspections.checklists import default_kind_for

    rows = EntityRating.objects.filter(jurisdiction_q(user, "region"))
    if region_code:
        rows = rows.filter(subtree_q("region", region_code))
    return [
        capacity.Unit(
            rating=r,
            interval_months=interval,
            floor_months=floor,
            kind=default_kind_for(kind),
            risk_points=intrinsic * compliance,
        )
        for r, interval, floor, kind, intrinsic, compliance in rows.values_list(
            "rating", "interval_months", "floor_months", "entity__kind", "intrinsic", "compliance"
        )
    ]


def inspector_count(user: Any) -> int:
    """Inspectors in the user's departments (the default of the simulation)."""
    from yaojian.accounts.models import Membership
    from yaojian.accounts.scoping import scope_for

    ids = sorted(scope_for(user).department_ids)
    return (
        Membership.objects.filter(department_id__in=ids, role="inspector", is_active=True)
        .values("user_id")
        .distinct()
        .count()
    )


def entity_inspections(user: Any, entity: Entity) -> QuerySet[Inspection]:
    return inspections_visible_to(user).filter(entity=entity).order_by("-scheduled_on")[:10]


__all__ = ["Q", "permissions"]
