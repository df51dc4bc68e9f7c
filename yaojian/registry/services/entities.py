"""Writes of regulated entities (监管对象): register and change the shared profile."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import diff, record
from yaojian.core.events import publish
from yaojian.registry import names
from yaojian.registry.choices import EntityKind, EntityStatus
from yaojian.registry.decisions import describe, refused_in_bulk
from yaojian.registry.events import EntityCreated, EntityRegisteredByHand, EntityUpdated
from yaojian.registry.identifiers import validate_unified_social_credit_code
from yaojian.registry.models import Entity
from yaojian.registry.names import normalise_name
from yaojian.registry.services.bulk_decisions import representative_appointment
from yaojian.registry.services.validation import (
    FieldErrors,
    acting_department,
    clean_choice,
    clean_text,
    departments_acting,
    require_permission,
    resolve_region,
    within_jurisdiction,
)
from yaojian.territory.codes import subtree_prefix
from yaojian.territory.models import GridCell, Region

ENTITY_RENAME = {"region": "region_code"}
UPDATABLE_FIELDS = frozenset(
    {
        "name",
        "kind",
        "status",
        "region_code",
        "unified_social_credit_code",
        "address",
        "legal_representative",
        "grid_cell",
        "parent",
    }
)


def entity_snapshot(entity: Entity) -> dict[str, Any]:
    """The audited fields of an entity, as JSON-friendly values."""
    return {
        "name": entity.name,
        "kind": entity.kind,
        "status": entity.status,
        "region": entity.region_id,
        "unified_social_credit_code": entity.unified_social_credit_code,
        "address": entity.address,
        "legal_representative": entity.legal_representative,
        "grid_cell": entity.grid_cell.code if entity.grid_cell is not None else None,
        "parent": str(entity.parent.public_id) if entity.parent is not None else None,
        "registered_by": entity.registered_by.code if entity.registered_by_id else None,
    }


def _clean_uscc(errors: FieldErrors, value: Any, *, exclude_pk: int | None) -> str | None:
    """The normalised code (``None`` when empty); errors when invalid or already registered."""
    if value is None or not str(value).strip():
        return None
    field = "unified_social_credit_code"
    try:
        code = validate_unified_social_credit_code(str(value))
    except ValidationError as exc:  # keeps the validator's own code and message
        errors.add_error(field, exc)
        return None
    _check_uscc_free(errors, code, exclude_pk=exclude_pk)
    return code


def _check_uscc_free(errors: FieldErrors, code: str, *, exclude_pk: int | None) -> None:
    existing = Entity.objects.filter(unified_social_credit_code=code)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    other = existing.select_related("region").first()
    if other is not None:
        errors.add(
            "unified_social_credit_code",
            _(
                "The unified social credit code %(code)s is already registered to "
                "“%(name)s” (%(region)s)."
            ),
            "duplicate_uscc",
            {"code": code, "name": other.name, "region": other.region.name},
        )


def _check_name(errors: FieldErrors, name: str) -> None:
    if name and not names.search_key(name):
        errors.add(
            "name",
            _("The name must contain at least one letter, character or digit."),
            "invalid_name",
        )


def _check_grid_cell(
    errors: FieldErrors, actor: Any, grid_cell: GridCell | None, region: Region | None
) -> None:
    if grid_cell is None or region is None:
        return
    if not GridCell.objects.visible_to(actor).filter(pk=grid_cell.pk).exists():
        errors.add("grid_cell", _("This grid cell is not in your jurisdiction."), "out_of_scope")
    elif not grid_cell.region_id.startswith(subtree_prefix(region.code)):
        errors.add(
            "grid_cell",
            _("The grid cell %(grid)s does not lie in %(region)s."),
            "grid_cell_outside_region",
            {"grid": str(grid_cell), "region": region.name},
        )


def _check_parent(
    errors: FieldErrors, actor: Any, parent: Entity | None, entity_pk: int | None
) -> None:
    if parent is None:
        return
    if not Entity.objects.visible_to(actor).filter(pk=parent.pk).exists():
        errors.add("parent", _("The headquarters is not in your jurisdiction."), "out_of_scope")
        return
    seen: set[int] = set()
    node: Entity | None = parent
    while node is not None and node.pk not in seen:
        if entity_pk is not None and node.pk == entity_pk:
            errors.add(
                "parent",
                _("An entity cannot be its own headquarters, directly or through others."),
                "parent_cycle",
            )
            return
        seen.add(node.pk)
        node = node.parent


def _check_representative(
    *,
    actor: Any,
    entity: Entity,
    before: str,
    department: Department | None,
) -> None:
    """处处受限: naming a new legal representative on the form is ``person.appoint``, checked
    by name as an import's row is (the form carries the name only). An unchanged name decides
    nothing. A restricted name is refused on ``legal_representative`` with the restrictions,
    unless a head recorded an override for the person beforehand (used once, audited as
    ``registry.restriction_overridden`` by the hook)."""
    name = (entity.legal_representative or "").strip()
    if not name or normalise_name(name) == normalise_name(before or ""):
        return
    [restrictions] = refused_in_bulk(
        actor=actor,
        decisions=[representative_appointment(entity.pk, name)],
        department_id=department.pk if department is not None else None,
        obj=entity,
    )
    if not restrictions:
        return
    raise ValidationError(
        {
            "legal_representative": ValidationError(
                _(
                    "%(name)s may not be appointed legal representative: %(list)s. If it is "
                    "another person of the same name, a department head may record an override "
                    "for the person on the credit pages; then save again."
                ),
                code="restricted",
                params={"name": name, "list": "；".join(describe(r) for r in restrictions)},
            )
        }
    )


def _save(entity: Entity, errors: FieldErrors, update_fields: list[str] | None = None) -> None:
    """Save, turning a lost race on the unique credit code into the same field error."""
    try:
        with transaction.atomic():
            entity.save(update_fields=update_fields)
    except IntegrityError:
        if entity.unified_social_credit_code:
            _check_uscc_free(errors, entity.unified_social_credit_code, exclude_pk=entity.pk)
        errors.raise_if_any()
        raise


@transaction.atomic
def create_entity(
    *,
    actor: Any,
    name: str,
    kind: str,
    region_code: str,
    unified_social_credit_code: str | None = None,
    address: str = "",
    legal_representative: str = "",
    grid_cell: GridCell | None = None,
    parent: Entity | None = None,
    registered_by: Department | None = None,
) -> Entity:
    """Register a regulated entity in a region of the actor's jurisdiction (audited).

    ``registered_by`` defaults to the actor's most local department that may add entities
    there. Raises ``PermissionDenied`` without the permission, ``ValidationError`` (per field)
    for bad input; nothing is written then.
    """
    require_permission(
        actor, "registry.add_entity", _("You are not allowed to register regulated entities.")
    )
    errors = FieldErrors(rename=ENTITY_RENAME)
    name = clean_text(errors, "name", name)
    _check_name(errors, name)
    address = clean_text(errors, "address", address)
    legal_representative = clean_text(errors, "legal_representative", legal_representative)
    kind = clean_choice(errors, "kind", kind, EntityKind)
    region = resolve_region(errors, "region_code", region_code)
    department = None
    if region is not None and within_jurisdiction(
        errors, "region_code", actor, "registry.add_entity", region
    ):
        department = acting_department(
            errors, "registered_by", actor, "registry.add_entity", region.code, registered_by
        )
    code = _clean_uscc(errors, unified_social_credit_code, exclude_pk=None)
    _check_grid_cell(errors, actor, grid_cell, region)
    _check_parent(errors, actor, parent, None)
    entity = Entity(
        name=name,
        search_key=names.search_key(name),
        unified_social_credit_code=code,
        kind=kind,
        status=EntityStatus.ACTIVE,
        region=region,
        address=address,
        grid_cell=grid_cell,
        legal_representative=legal_representative,
        parent=parent,
        registered_by=department,
    )
    # Without a department there is already an error (bad region or department).
    errors.full_clean(entity, exclude={"registered_by"} if department is None else None)
    errors.raise_if_any()
    _save(entity, errors)
    # Checked once saved, so that an override's audit names the entity; a refusal rolls the
    # whole registration back (nothing written).
    _check_representative(actor=actor, entity=entity, before="", department=department)
    record(
        actor=actor,
        action="registry.entity_created",
        obj=entity,
        changes=diff({}, entity_snapshot(entity)),
        department=department,
    )
    publish(
        EntityCreated(
            entity_id=entity.pk,
            public_id=str(entity.public_id),
            region_code=entity.region_id,
            kind=entity.kind,
            actor_id=getattr(actor, "pk", None),
        )
    )
    publish(
        EntityRegisteredByHand(
            entity_id=entity.pk,
            region_code=entity.region_id,
            actor_id=getattr(actor, "pk", None),
        )
    )
    return entity


def lock_entity(actor: Any, entity: Entity, action: str) -> Entity:
    """The entity row, locked, if ``actor`` may ``action`` it.

    ``DoesNotExist`` when the actor cannot see it, ``PermissionDenied`` when they see it but
    may not ``action`` it.
    """
    if not Entity.objects.visible_to(actor).filter(pk=entity.pk).exists():
        raise Entity.DoesNotExist
    locked = (
        Entity.objects.visible_to(actor, action)
        .select_for_update(no_key=True)
        .filter(pk=entity.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You are not allowed to change this regulated entity."))
    return locked


@transaction.atomic
def update_entity(*, actor: Any, entity: Entity, reason: str = "", **changes: Any) -> Entity:
    """Change fields of an entity (audited with the before/after of each changed field).

    ``changes`` may hold: name, kind, status, region_code, unified_social_credit_code,
    address, legal_representative, grid_cell, parent. A change that changes nothing writes
    nothing.
    """
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"update_entity() got unexpected fields: {sorted(unknown)}")
    require_permission(
        actor, "registry.change_entity", _("You are not allowed to change regulated entities.")
    )
    locked = lock_entity(actor, entity, "change")
    before = entity_snapshot(locked)
    errors = FieldErrors(rename=ENTITY_RENAME)
    reason = clean_text(errors, "reason", reason, multiline=True)
    for field in ("name", "address", "legal_representative"):
        if field in changes:
            setattr(locked, field, clean_text(errors, field, changes[field]))
    if "name" in changes:
        _check_name(errors, locked.name)
        locked.search_key = names.search_key(locked.name)
    if "kind" in changes:
        locked.kind = clean_choice(errors, "kind", changes["kind"], EntityKind)
    if "status" in changes:
        locked.status = clean_choice(errors, "status", changes["status"], EntityStatus)
    region: Region | None = locked.region
    if "region_code" in changes:
        region = resolve_region(errors, "region_code", changes["region_code"])
        if (
            region is not None
            and region.code != locked.region_id
            and within_jurisdiction(errors, "region_code", actor, "registry.change_entity", region)
        ):
            locked.region = region
    if "unified_social_credit_code" in changes:
        locked.unified_social_credit_code = _clean_uscc(
            errors, changes["unified_social_credit_code"], exclude_pk=locked.pk
        )
    if "grid_cell" in changes:
        locked.grid_cell = changes["grid_cell"]
    if "grid_cell" in changes or "region_code" in changes:
        _check_grid_cell(errors, actor, locked.grid_cell, region)
    if "parent" in changes:
        locked.parent = changes["parent"]
        _check_parent(errors, actor, locked.parent, locked.pk)
    errors.full_clean(locked)
    errors.raise_if_any()
    changed = diff(before, entity_snapshot(locked))
    if not changed:
        return locked
    department = _audit_department(actor, locked.region_id, "registry.change_entity")
    if "legal_representative" in changed:
        _check_representative(
            actor=actor,
            entity=locked,
            before=before["legal_representative"],
            department=department,
        )
    update_fields = sorted(set(changed) | {"search_key", "updated_at"})
    _save(locked, errors, update_fields=update_fields)
    record(
        actor=actor,
        action="registry.entity_updated",
        obj=locked,
        changes=changed,
        reason=reason,
        department=department,
    )
    if "legal_representative" in changed and department is not None:
        # The persons table says what the basic information says (as after an import).
        from yaojian.registry.services.bulk_persons import sync_legal_representatives

        sync_legal_representatives(
            {locked.pk: {"legal_representative": changed["legal_representative"]}},
            {locked.pk: locked},
            actor=actor,
            department=department,
            today=timezone.localdate(),
            reason=reason,
        )
    publish(
        EntityUpdated(
            entity_id=locked.pk,
            public_id=str(locked.public_id),
            changed_fields=tuple(changed),
            actor_id=getattr(actor, "pk", None),
        )
    )
    return locked


def _audit_department(actor: Any, region_code: str, permission: str) -> Department | None:
    """The department the actor acted for (the most local one holding ``permission``)."""
    ids = departments_acting(actor, permission, region_code)
    if not ids or scope_for(actor).is_superuser:
        return None
    return Department.objects.filter(pk=ids[0]).first()
