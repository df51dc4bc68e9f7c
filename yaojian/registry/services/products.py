"""Writes of products (national reference data) and of entities' relations to them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from yaojian.audit.services import diff, record
from yaojian.registry.choices import EthnicMedicine, ProductKind, ProductRelation, RiskClass
from yaojian.registry.identifiers import normalise_identifier, parse_drug_approval_number
from yaojian.registry.models import Entity, EntityProduct, Product
from yaojian.registry.services.entities import lock_entity
from yaojian.registry.services.validation import (
    FieldErrors,
    clean_choice,
    clean_text,
    require_permission,
)

UPDATABLE_FIELDS = frozenset(
    {
        "name",
        "generic_name",
        "approval_number",
        "dosage_form",
        "strength",
        "ethnic_medicine",
        "risk_class",
        "holder",
    }
)


def product_snapshot(product: Product) -> dict[str, Any]:
    """The audited fields of a product, as JSON-friendly values."""
    return {
        "kind": product.kind,
        "name": product.name,
        "generic_name": product.generic_name,
        "approval_number": product.approval_number,
        "approval_scheme": product.approval_scheme,
        "origin": product.origin,
        "category": product.category,
        "dosage_form": product.dosage_form,
        "strength": product.strength,
        "ethnic_medicine": product.ethnic_medicine,
        "risk_class": product.risk_class,
        "holder": str(product.holder.public_id) if product.holder is not None else None,
    }


def _apply_approval_number(errors: FieldErrors, product: Product, value: Any) -> None:
    """Validate the number for the product's kind; for drugs derive scheme, origin, category."""
    raw = clean_text(errors, "approval_number", value)
    if errors.has("approval_number"):
        return
    if not raw:
        errors.add("approval_number", _("Enter the approval number."), "required")
        return
    if product.kind == ProductKind.DRUG:
        try:
            parsed = parse_drug_approval_number(raw)
        except ValidationError as exc:
            errors.add_error("approval_number", exc)
            return
        product.approval_number = parsed.normalised
        product.approval_scheme = str(parsed.scheme or "")
        product.origin = str(parsed.origin or "")
        product.category = str(parsed.category or "")
    else:
        product.approval_number = normalise_identifier(raw)
        product.approval_scheme = ""
        product.origin = ""
        product.category = ""
    other = (
        Product.objects.filter(kind=product.kind, approval_number=product.approval_number)
        .exclude(pk=product.pk)
        .first()
    )
    if other is not None:
        errors.add(
            "approval_number",
            _("The approval number %(number)s is already registered to “%(name)s”."),
            "duplicate_approval_number",
            {"number": product.approval_number, "name": other.name},
        )


def _check_holder(errors: FieldErrors, actor: Any, holder: Entity | None) -> None:
    if holder is not None and not Entity.objects.visible_to(actor).filter(pk=holder.pk).exists():
        errors.add("holder", _("The holder is not in your jurisdiction."), "out_of_scope")


def _save(product: Product, errors: FieldErrors, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            product.save(update_fields=update_fields)
    except IntegrityError:
        errors.add(
            "approval_number",
            _("The approval number %(number)s is already registered."),
            "duplicate_approval_number",
            {"number": product.approval_number},
        )
        errors.raise_if_any()


@transaction.atomic
def create_product(
    *,
    actor: Any,
    kind: str,
    name: str,
    approval_number: str,
    generic_name: str = "",
    dosage_form: str = "",
    strength: str = "",
    ethnic_medicine: str = EthnicMedicine.NONE,
    risk_class: str = RiskClass.ORDINARY,
    holder: Entity | None = None,
) -> Product:
    """Add a drug, device or cosmetic to the reference list (audited).

    For drugs the 批准文号 is parsed: its scheme, origin and category are stored with it.
    """
    require_permission(actor, "registry.add_product", _("You are not allowed to add products."))
    errors = FieldErrors()
    product = Product(
        kind=clean_choice(errors, "kind", kind, ProductKind),
        name=clean_text(errors, "name", name),
        generic_name=clean_text(errors, "generic_name", generic_name),
        dosage_form=clean_text(errors, "dosage_form", dosage_form),
        strength=clean_text(errors, "strength", strength),
        ethnic_medicine=clean_choice(
            errors, "ethnic_medicine", ethnic_medicine or "", EthnicMedicine
        ),
        risk_class=clean_choice(errors, "risk_class", risk_class, RiskClass),
        holder=holder,
    )
    if not errors.has("kind"):
        _apply_approval_number(errors, product, approval_number)
    _check_holder(errors, actor, holder)
    # The approval number is checked only for a known kind.
    errors.full_clean(product, exclude={"approval_number"} if errors.has("kind") else None)
    errors.raise_if_any()
    _save(product, errors)
    record(
        actor=actor,
        action="registry.product_created",
        obj=product,
        changes=diff({}, product_snapshot(product)),
    )
    return product


@transaction.atomic
def update_product(*, actor: Any, product: Product, reason: str = "", **changes: Any) -> Product:
    """Change fields of a product (audited). The kind cannot change; a new product can."""
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"update_product() got unexpected fields: {sorted(unknown)}")
    require_permission(
        actor, "registry.change_product", _("You are not allowed to change products.")
    )
    locked = (
        Product.objects.visible_to(actor, "change")
        .select_for_update(no_key=True)
        .get(pk=product.pk)
    )
    before = product_snapshot(locked)
    errors = FieldErrors()
    reason = clean_text(errors, "reason", reason, multiline=True)
    for field in ("name", "generic_name", "dosage_form", "strength"):
        if field in changes:
            setattr(locked, field, clean_text(errors, field, changes[field]))
    if "ethnic_medicine" in changes:
        locked.ethnic_medicine = clean_choice(
            errors, "ethnic_medicine", changes["ethnic_medicine"] or "", EthnicMedicine
        )
    if "risk_class" in changes:
        locked.risk_class = clean_choice(errors, "risk_class", changes["risk_class"], RiskClass)
    if "approval_number" in changes:
        _apply_approval_number(errors, locked, changes["approval_number"])
    if "holder" in changes:
        locked.holder = changes["holder"]
        _check_holder(errors, actor, locked.holder)
    errors.full_clean(locked)
    errors.raise_if_any()
    changed = diff(before, product_snapshot(locked))
    if not changed:
        return locked
    _save(locked, errors, update_fields=sorted(set(changed) | {"updated_at"}))
    record(
        actor=actor,
        action="registry.product_updated",
        obj=locked,
        changes=changed,
        reason=reason,
    )
    return locked


@transaction.atomic
def link_product(*, actor: Any, entity: Entity, product: Product, relation: str) -> EntityProduct:
    """Record that an entity holds, makes, distributes or sells a product (audited on the entity)."""
    require_permission(
        actor, "registry.change_entity", _("You are not allowed to change regulated entities.")
    )
    locked = lock_entity(actor, entity, "change")
    product = Product.objects.visible_to(actor).get(pk=product.pk)
    errors = FieldErrors()
    relation = clean_choice(errors, "relation", relation, ProductRelation)
    if (
        not errors
        and EntityProduct.objects.filter(entity=locked, product=product, relation=relation).exists()
    ):
        errors.add(
            "product",
            _("“%(product)s” is already linked to this entity in this way."),
            "duplicate_link",
            {"product": product.name},
        )
    errors.raise_if_any()
    link = EntityProduct(entity=locked, product=product, relation=relation)
    link.full_clean()
    link.save()
    record(
        actor=actor,
        action="registry.entity_product_linked",
        obj=locked,
        changes={
            "product": [None, str(product.public_id)],
            "product_name": [None, product.name],
            "relation": [None, relation],
        },
    )
    return link
