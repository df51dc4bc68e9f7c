"""Typical cases (典型案例): department heads and administrators write and publish them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import diff, record
from yaojian.portal import masking
from yaojian.portal.models import Publication, TypicalCase
from yaojian.portal.permissions import ADD_TYPICAL_CASE
from yaojian.registry.services.validation import (
    FieldErrors,
    clean_text,
    departments_acting,
    require_permission,
)

TEXT_LIMITS = {"title": 200, "summary": 1000, "body": 20000}


def _snapshot(case: TypicalCase) -> dict[str, Any]:
    return {
        "title": case.title,
        "summary": case.summary,
        "body": case.body,
        "publication": str(case.publication.public_id) if case.publication else None,
        "is_published": case.is_published,
    }


def _clean(errors: FieldErrors, values: dict[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for field, limit in TEXT_LIMITS.items():
        text = clean_text(errors, field, values.get(field), multiline=field != "title")
        if not text and not errors.has(field):
            errors.add(field, _("This field is required."), "required")
        elif len(text) > limit:
            errors.add(
                field,
                _("Keep this under %(limit)s characters."),
                "too_long",
                {"limit": limit},
            )
        elif masking.contains_personal_numbers(text):
            errors.add(
                field,
                _(
                    "Remove identity-card and telephone numbers: typical cases are public "
                    "and must not show personal data."
                ),
                "personal_data",
            )
        cleaned[field] = text
    return cleaned


def _check_publication(errors: FieldErrors, actor: Any, publication: Publication | None) -> None:
    if publication is not None and not (
        Publication.objects.visible_to(actor).filter(pk=publication.pk).exists()
    ):
        errors.add("publication", _("Choose a publication of your department."), "invalid")


@transaction.atomic
def create_typical_case(
    *,
    actor: Any,
    title: str,
    summary: str,
    body: str,
    publication: Publication | None = None,
    department: Department | None = None,
) -> TypicalCase:
    """Write a typical case (unpublished) for the actor's department and its region."""
    require_permission(actor, ADD_TYPICAL_CASE, _("You are not allowed to write typical cases."))
    errors = FieldErrors()
    cleaned = _clean(errors, {"title": title, "summary": summary, "body": body})
    _check_publication(errors, actor, publication)
    if department is None:
        members = scope_for(actor).members_with(ADD_TYPICAL_CASE)
        ids = sorted({m.department_id for m in members})
        department = Department.objects.filter(pk__in=ids).order_by("pk").first()
        if department is None:
            raise PermissionDenied(_("You are not allowed to write typical cases."))
    elif not scope_for(actor).is_superuser and department.pk not in departments_acting(
        actor, ADD_TYPICAL_CASE, department.region_id
    ):
        raise PermissionDenied(_("You can act only for a department you belong to."))
    errors.raise_if_any()
    case = TypicalCase.objects.create(
        **cleaned,
        department=department,
        region_id=department.region_id,
        publication=publication,
        created_by=actor,
    )
    record(
        actor=actor,
        action="portal.typical_case_created",
        obj=case,
        changes=diff({}, _snapshot(case)),
        department=department,
    )
    return case


def _lock(actor: Any, case: TypicalCase) -> TypicalCase:
    if not TypicalCase.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise TypicalCase.DoesNotExist
    locked = (
        TypicalCase.objects.visible_to(actor, "change")
        .select_for_update(no_key=True, of=("self",))
        .select_related("publication")
        .filter(pk=case.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You are not allowed to change this typical case."))
    return locked


@transaction.atomic
def update_typical_case(
    *,
    actor: Any,
    case: TypicalCase,
    title: str,
    summary: str,
    body: str,
    publication: Publication | None = None,
) -> TypicalCase:
    """Change a typical case's text or link (audited with the differences)."""
    locked = _lock(actor, case)
    errors = FieldErrors()
    cleaned = _clean(errors, {"title": title, "summary": summary, "body": body})
    _check_publication(errors, actor, publication)
    errors.raise_if_any()
    before = _snapshot(locked)
    for field, value in cleaned.items():
        setattr(locked, field, value)
    locked.publication = publication
    locked.save()
    changes = diff(before, _snapshot(locked))
    if changes:
        record(
            actor=actor,
            action="portal.typical_case_changed",
            obj=locked,
            changes=changes,
            department=locked.department,
        )
    return locked


@transaction.atomic
def publish_typical_case(*, actor: Any, case: TypicalCase) -> TypicalCase:
    """Put a typical case on the public portal (audited)."""
    locked = _lock(actor, case)
    if not locked.is_published:
        locked.is_published = True
        locked.published_at = locked.published_at or timezone.now()
        locked.save(update_fields=["is_published", "published_at", "updated_at"])
        record(
            actor=actor,
            action="portal.typical_case_published",
            obj=locked,
            changes={"is_published": [False, True]},
            department=locked.department,
        )
    return locked


@transaction.atomic
def unpublish_typical_case(*, actor: Any, case: TypicalCase) -> TypicalCase:
    """Take a typical case off the public portal (audited)."""
    locked = _lock(actor, case)
    if locked.is_published:
        locked.is_published = False
        locked.save(update_fields=["is_published", "updated_at"])
        record(
            actor=actor,
            action="portal.typical_case_unpublished",
            obj=locked,
            changes={"is_published": [True, False]},
            department=locked.department,
        )
    return locked
