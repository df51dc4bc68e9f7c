"""Writes of routing rules: administrators create and change them (audited)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.audit.services import diff, record
from yaojian.notices.choices import TargetLevel
from yaojian.notices.models import ProblemCategory, RoutingRule
from yaojian.notices.permissions import EDIT_RULES
from yaojian.notices.services.notices import MAX_DUE_WORKING_DAYS
from yaojian.registry.choices import EntityKind
from yaojian.registry.services.validation import (
    FieldErrors,
    clean_choice,
    clean_text,
    require_permission,
)

FIELDS = (
    "category",
    "entity_kind",
    "target_kind",
    "target_level",
    "due_working_days",
    "expected_answer",
    "is_active",
)


def rule_snapshot(rule: RoutingRule) -> dict[str, Any]:
    return {
        "category": rule.category.code,
        "entity_kind": rule.entity_kind,
        "target_kind": rule.target_kind,
        "target_level": rule.target_level,
        "due_working_days": rule.due_working_days,
        "expected_answer": rule.expected_answer,
        "is_active": rule.is_active,
    }


def _apply(errors: FieldErrors, rule: RoutingRule, data: dict[str, Any]) -> None:
    if "category" in data:
        category = ProblemCategory.objects.filter(code=data["category"]).first()
        if category is None:
            errors.add(
                "category",
                _("“%(value)s” is not a problem category."),
                "invalid_choice",
                {"value": str(data["category"])[:40]},
            )
        else:
            rule.category = category
    if "entity_kind" in data:
        kind = str(data["entity_kind"] or "")
        rule.entity_kind = clean_choice(errors, "entity_kind", kind, EntityKind) if kind else ""
    if "target_kind" in data:
        rule.target_kind = clean_choice(errors, "target_kind", data["target_kind"], DepartmentKind)
    if "target_level" in data:
        rule.target_level = clean_choice(errors, "target_level", data["target_level"], TargetLevel)
    if "due_working_days" in data:
        try:
            days = int(data["due_working_days"])
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= MAX_DUE_WORKING_DAYS:
            errors.add(
                "due_working_days",
                _("The deadline must be between 1 and %(max)d working days."),
                "invalid_deadline",
                {"max": MAX_DUE_WORKING_DAYS},
            )
        rule.due_working_days = days
    if "expected_answer" in data:
        rule.expected_answer = clean_text(
            errors, "expected_answer", data["expected_answer"], multiline=True
        )
    if "is_active" in data:
        rule.is_active = bool(data["is_active"])


def _save(errors: FieldErrors, rule: RoutingRule) -> None:
    duplicate = RoutingRule.objects.filter(
        category_id=rule.category_id,
        entity_kind=rule.entity_kind,
        target_kind=rule.target_kind,
        target_level=rule.target_level,
    ).exclude(pk=rule.pk)
    if getattr(rule, "category_id", None) and duplicate.exists():
        errors.add(
            "__all__",
            _("A rule for this category, entity kind, department kind and level already exists."),
            "duplicate",
        )
    errors.raise_if_any()
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        errors.add(
            "__all__",
            _("A rule for this category, entity kind, department kind and level already exists."),
            "duplicate",
        )
        errors.raise_if_any()


@transaction.atomic
def create_routing_rule(*, actor: Any, data: dict[str, Any]) -> RoutingRule:
    """A new routing rule (administrators: ``notices.change_routingrule``)."""
    require_permission(actor, EDIT_RULES, _("Only administrators may edit routing rules."))
    errors = FieldErrors()
    rule = RoutingRule(target_level=TargetLevel.SAME, due_working_days=10)
    for required in ("category", "target_kind"):
        if not data.get(required):
            errors.add(required, _("This field is required."), "required")
    _apply(errors, rule, {k: v for k, v in data.items() if k in FIELDS and v is not None})
    _save(errors, rule)
    record(
        actor=actor, action="notices.routing_rule_created", obj=rule, changes=rule_snapshot(rule)
    )
    return rule


@transaction.atomic
def update_routing_rule(*, actor: Any, rule: RoutingRule, data: dict[str, Any]) -> RoutingRule:
    """Change a routing rule (administrators); notices already sent keep their clocks."""
    require_permission(actor, EDIT_RULES, _("Only administrators may edit routing rules."))
    rule = RoutingRule.objects.select_for_update(no_key=True).get(pk=rule.pk)
    before = rule_snapshot(rule)
    errors = FieldErrors()
    _apply(errors, rule, {k: v for k, v in data.items() if k in FIELDS})
    _save(errors, rule)
    changes = diff(before, rule_snapshot(rule))
    if changes:
        record(actor=actor, action="notices.routing_rule_changed", obj=rule, changes=changes)
    return rule
