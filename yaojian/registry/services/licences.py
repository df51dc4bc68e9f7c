"""Writes of licences: record a licence, move it through its statuses (with history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import diff, record
from yaojian.core.events import publish
from yaojian.registry.choices import LICENCE_TRANSITIONS, LicenceKind, LicenceStatus
from yaojian.registry.decisions import DecisionSubject, require_clear
from yaojian.registry.events import LicenceAdded, LicenceStatusChanged
from yaojian.registry.identifiers import validate_licence_number
from yaojian.registry.models import Entity, Licence, LicenceStatusChange
from yaojian.registry.services.validation import (
    FieldErrors,
    acting_department,
    clean_choice,
    clean_date,
    clean_text,
    departments_acting,
    require_permission,
)


def licence_snapshot(licence: Licence) -> dict[str, Any]:
    """The audited fields of a licence, as JSON-friendly values."""
    return {
        "entity": str(licence.entity.public_id),
        "kind": licence.kind,
        "number": licence.number,
        "issued_by": licence.issued_by.code,
        "scope_of_business": licence.scope_of_business,
        "valid_from": licence.valid_from.isoformat() if licence.valid_from else None,
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
        "status": licence.status,
    }


def _check_number_free(errors: FieldErrors, kind: str, number: str) -> None:
    other = Licence.objects.filter(kind=kind, number=number).select_related("entity").first()
    if other is not None:
        errors.add(
            "number",
            _("Licence number %(number)s of this kind is already registered to “%(name)s”."),
            "duplicate_licence",
            {"number": number, "name": other.entity.name},
        )


def decision_action(kind: str, *, renewal: bool = False) -> str:
    """The decision a new licence of ``kind`` is, for the restriction check: signing or renewing
    a medical-insurance designation agreement (定点协议, the insurance bureau's decision) is
    ``insurance.designate``; any other licence is issued or renewed."""
    if kind == LicenceKind.INSURANCE_AGREEMENT:
        return "insurance.designate"
    return "licence.renew" if renewal else "licence.issue"


def visible_entity(actor: Any, entity: Entity) -> Entity:
    """``entity`` reloaded if the actor can see it; ``DoesNotExist`` otherwise."""
    return Entity.objects.visible_to(actor).select_related("region").get(pk=entity.pk)


@transaction.atomic
def add_licence(
    *,
    actor: Any,
    entity: Entity,
    kind: str,
    number: str,
    valid_from: dt.date | str,
    valid_until: dt.date | str | None = None,
    scope_of_business: str = "",
    issued_by: Department | None = None,
    renewal: bool = False,
    override_reason: str = "",
) -> Licence:
    """Record a licence an entity holds, issued by one of the actor's departments (audited).

    ``issued_by`` defaults to the actor's most local department that may add licences in the
    entity's region. Only that department may later change the licence's status. The first
    history row records the starting status (``expired`` when ``valid_until`` has passed).
    """
    require_permission(actor, "registry.add_licence", _("You are not allowed to record licences."))
    entity = visible_entity(actor, entity)
    if not scope_for(actor).is_superuser and not departments_acting(
        actor, "registry.add_licence", entity.region_id
    ):
        raise PermissionDenied(_("You are not allowed to record licences in this region."))
    errors = FieldErrors()
    kind = clean_choice(errors, "kind", kind, LicenceKind)
    number = clean_text(errors, "number", number)
    if not errors.has("kind") and not errors.has("number"):
        try:
            number = validate_licence_number(kind, number)
        except ValidationError as exc:
            errors.add_error("number", exc)
        else:
            _check_number_free(errors, kind, number)
    start = clean_date(errors, "valid_from", valid_from, required=True)
    end = clean_date(errors, "valid_until", valid_until, required=False)
    if start and end and end < start:
        errors.add(
            "valid_until",
            _("A licence cannot expire before it becomes valid."),
            "valid_until_before_valid_from",
        )
    scope = clean_text(errors, "scope_of_business", scope_of_business, multiline=True)
    department = acting_department(
        errors, "issued_by", actor, "registry.add_licence", entity.region_id, issued_by
    )
    status = LicenceStatus.EXPIRED if end and end < timezone.localdate() else LicenceStatus.VALID
    licence = Licence(
        entity=entity,
        kind=kind,
        number=number,
        issued_by=department,
        scope_of_business=scope,
        valid_from=start,  # type: ignore[misc]  # None only with an error raised below
        valid_until=end,
        status=status,
    )
    errors.full_clean(licence)
    errors.raise_if_any()
    # 处处受限: a decision hook (credit plugs in) may refuse the decision; a head overrides.
    require_clear(
        actor=actor,
        subject=DecisionSubject(entity_id=entity.pk),
        action=decision_action(kind, renewal=renewal),
        override_reason=override_reason,
        department_id=department.pk if department else None,
        obj=entity,
    )
    try:
        with transaction.atomic():
            licence.save()
    except IntegrityError:
        _check_number_free(errors, kind, number)
        errors.raise_if_any()
        raise
    LicenceStatusChange.objects.create(
        licence=licence, from_status="", to_status=status, changed_by=actor
    )
    record(
        actor=actor,
        action="registry.licence_added",
        obj=licence,
        changes=diff({}, licence_snapshot(licence)),
        department=department,
    )
    publish(
        LicenceAdded(
            licence_id=licence.pk,
            public_id=str(licence.public_id),
            entity_id=entity.pk,
            kind=licence.kind,
            number=licence.number,
            status=licence.status,
            actor_id=getattr(actor, "pk", None),
        )
    )
    return licence


@transaction.atomic
def transition_licence(*, actor: Any, licence: Licence, to_status: str, reason: str) -> Licence:
    """Move a licence to another status (only the issuing department; reason required).

    Locks the row, checks ``LICENCE_TRANSITIONS``, writes the history row and the audit
    event and publishes ``LicenceStatusChanged`` after commit.
    """
    if not Licence.objects.visible_to(actor).filter(pk=licence.pk).exists():
        raise Licence.DoesNotExist
    locked = (
        Licence.objects.visible_to(actor, "change")
        .select_for_update(no_key=True, of=("self",))
        .filter(pk=licence.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("Only the issuing department may change this licence."))
    errors = FieldErrors()
    to_status = clean_choice(errors, "to_status", to_status, LicenceStatus)
    from_status = locked.status
    if not errors.has("to_status") and to_status not in LICENCE_TRANSITIONS.get(from_status, set()):
        errors.add(
            "to_status",
            _("A licence cannot go from “%(from)s” to “%(to)s”."),
            "invalid_transition",
            {
                "from": LicenceStatus(from_status).label,
                "to": LicenceStatus(to_status).label,
            },
        )
    reason = clean_text(errors, "reason", reason, multiline=True)
    if not reason and not errors.has("reason"):
        errors.add("reason", _("Give the reason for this change."), "required")
    errors.raise_if_any()
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    LicenceStatusChange.objects.create(
        licence=locked,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changed_by=actor,
    )
    record(
        actor=actor,
        action="registry.licence_status_changed",
        obj=locked,
        changes={"status": [from_status, to_status]},
        reason=reason,
        department=locked.issued_by,
    )
    publish(
        LicenceStatusChanged(
            licence_id=locked.pk,
            public_id=str(locked.public_id),
            entity_id=locked.entity_id,
            kind=locked.kind,
            number=locked.number,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            actor_id=getattr(actor, "pk", None),
        )
    )
    return locked


@transaction.atomic
def change_licence_holder(
    *,
    actor: Any,
    licence: Licence,
    credit_code: str,
    reason: str,
    override_reason: str = "",
) -> Licence:
    """File a licence-holder change (许可证持有人变更): the licence passes to the entity with
    ``credit_code`` (issuing department only; reason required; audited).

    处处受限: the decision is checked for both the current and the new holder (a listed entity
    may neither acquire a licence nor hand one on); a restriction refuses it unless a head
    overrides (``registry.decisions.require_clear``).
    """
    if not Licence.objects.visible_to(actor).filter(pk=licence.pk).exists():
        raise Licence.DoesNotExist
    locked = (
        Licence.objects.visible_to(actor, "change")
        .select_for_update(no_key=True, of=("self",))
        .select_related("entity", "issued_by")
        .filter(pk=licence.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("Only the issuing department may change this licence."))
    errors = FieldErrors()
    code = clean_text(errors, "credit_code", credit_code).upper()
    new_holder: Entity | None = None
    if not code and not errors.has("credit_code"):
        errors.add("credit_code", _("Give the credit code of the new holder."), "required")
    elif code:
        new_holder = (
            Entity.objects.visible_to(actor).filter(unified_social_credit_code=code).first()
        )
        if new_holder is None:
            errors.add(
                "credit_code",
                _("No entity with the credit code %(code)s in your jurisdictions."),
                "unknown",
                {"code": code},
            )
        elif new_holder.pk == locked.entity_id:
            errors.add(
                "credit_code", _("The licence is already held by this entity."), "same_holder"
            )
    reason = clean_text(errors, "reason", reason, multiline=True)
    if not reason and not errors.has("reason"):
        errors.add("reason", _("Give the reason for this change."), "required")
    errors.raise_if_any()
    if new_holder is None:  # an error was raised above; for the type checker
        raise Entity.DoesNotExist
    old_holder = locked.entity
    for party in (old_holder, new_holder):
        require_clear(
            actor=actor,
            subject=DecisionSubject(entity_id=party.pk),
            action="licence.holder_change",
            override_reason=override_reason,
            department_id=locked.issued_by_id,
            obj=locked,
        )
    locked.entity = new_holder
    locked.save(update_fields=["entity", "updated_at"])
    record(
        actor=actor,
        action="registry.licence_holder_changed",
        obj=locked,
        changes={"entity": [str(old_holder.public_id), str(new_holder.public_id)]},
        reason=reason,
        department=locked.issued_by,
    )
    return locked
