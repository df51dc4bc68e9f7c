"""Writes of persons (legal representatives, pharmacists …) and reads of their personal data.

Personal data (identity card number, phone) never enters the audit trail unmasked.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.audit.services import diff, record
from yaojian.registry.choices import PersonRole
from yaojian.registry.decisions import DecisionSubject, require_clear
from yaojian.registry.identifiers import (
    mask_id_card_number,
    mask_phone,
    validate_id_card_number,
)
from yaojian.registry.models import Entity, EntityPerson, Person
from yaojian.registry.names import normalise_name
from yaojian.registry.selectors import can_see_personal_data, personal_data_department_id
from yaojian.registry.services.entities import lock_entity
from yaojian.registry.services.validation import (
    FieldErrors,
    acting_department,
    clean_choice,
    clean_date,
    clean_text,
    require_permission,
    resolve_region,
    within_jurisdiction,
)

# Roles whose appointment is a decision checked against credit restrictions.
APPOINTED_ROLES = frozenset({PersonRole.LEGAL_REPRESENTATIVE, PersonRole.LICENSED_PHARMACIST})

_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,30}$")


def person_snapshot(person: Person) -> dict[str, Any]:
    """The audited fields of a person, personal data masked."""
    return {
        "name": person.name,
        "id_number": mask_id_card_number(person.id_number) if person.id_number else "",
        "phone": mask_phone(person.phone) if person.phone else "",
        "qualification": person.qualification,
        "certificate_number": person.certificate_number,
        "region": person.region_id,
        "department": person.department.code,
    }


def _clean_id_number(errors: FieldErrors, value: Any) -> str:
    text = clean_text(errors, "id_number", value)
    if not text or errors.has("id_number"):
        return text
    try:
        number = validate_id_card_number(text)
    except ValidationError as exc:
        errors.add_error("id_number", exc)
        return text
    if Person.objects.filter(id_number=number).exists():
        # The other person is not named: that would disclose personal data.
        errors.add(
            "id_number",
            _("A person with this identity card number is already registered."),
            "duplicate_id_number",
        )
    return number


def _clean_phone(errors: FieldErrors, value: Any) -> str:
    text = clean_text(errors, "phone", value)
    if text and not errors.has("phone") and not _PHONE.match(text):
        errors.add(
            "phone",
            _("Enter a phone number of digits, optionally with +, spaces, brackets or hyphens."),
            "invalid_phone",
        )
    return text


@transaction.atomic
def create_person(
    *,
    actor: Any,
    name: str,
    region_code: str,
    id_number: str = "",
    phone: str = "",
    qualification: str = "",
    certificate_number: str = "",
    department: Department | None = None,
) -> Person:
    """Register a person; the acting department owns (and guards) their personal data."""
    require_permission(actor, "registry.add_person", _("You are not allowed to add persons."))
    errors = FieldErrors(rename={"region": "region_code"})
    name = clean_text(errors, "name", name)
    region = resolve_region(errors, "region_code", region_code)
    owner = None
    if region is not None and within_jurisdiction(
        errors, "region_code", actor, "registry.add_person", region
    ):
        owner = acting_department(
            errors, "department", actor, "registry.add_person", region.code, department
        )
    person = Person(
        name=name,
        id_number=_clean_id_number(errors, id_number),
        phone=_clean_phone(errors, phone),
        qualification=clean_text(errors, "qualification", qualification),
        certificate_number=clean_text(errors, "certificate_number", certificate_number),
        region=region,
        department=owner,
    )
    errors.full_clean(person, exclude={"department"} if owner is None else None)
    errors.raise_if_any()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        errors.add(
            "id_number",
            _("A person with this identity card number is already registered."),
            "duplicate_id_number",
        )
        errors.raise_if_any()
    record(
        actor=actor,
        action="registry.person_created",
        obj=person,
        changes=diff({}, person_snapshot(person)),
        department=owner,
    )
    return person


@transaction.atomic
def link_person(
    *,
    actor: Any,
    entity: Entity,
    person: Person,
    role: str,
    started_on: dt.date | str | None = None,
    override_reason: str = "",
    restriction_checked: bool = False,
) -> EntityPerson:
    """Record a person's role at an entity from ``started_on`` (audited on the entity)."""
    require_permission(
        actor, "registry.change_entity", _("You are not allowed to change regulated entities.")
    )
    locked = lock_entity(actor, entity, "change")
    person = Person.objects.visible_to(actor).get(pk=person.pk)
    errors = FieldErrors()
    role = clean_choice(errors, "role", role, PersonRole)
    start = clean_date(errors, "started_on", started_on, required=False)
    if (
        not errors
        and EntityPerson.objects.filter(
            entity=locked, person=person, role=role, ended_on__isnull=True
        ).exists()
    ):
        errors.add(
            "person",
            _("%(name)s already holds this role at this entity."),
            "duplicate_link",
            {"name": person.name},
        )
    errors.raise_if_any()
    if not restriction_checked and role in APPOINTED_ROLES:
        require_clear(
            actor=actor,
            subject=DecisionSubject(
                entity_id=locked.pk, person_id=person.pk, id_number=person.id_number
            ),
            action="person.appoint",
            override_reason=override_reason,
            obj=locked,
        )
    link = EntityPerson(entity=locked, person=person, role=role, started_on=start)
    link.full_clean()
    link.save()
    record(
        actor=actor,
        action="registry.entity_person_linked",
        obj=locked,
        changes={
            "person": [None, str(person.public_id)],
            "person_name": [None, person.name],
            "role": [None, role],
            "started_on": [None, start.isoformat() if start else None],
        },
    )
    return link


@transaction.atomic
def end_person_link(
    *,
    actor: Any,
    link: EntityPerson,
    ended_on: dt.date | str | None = None,
    reason: str = "",
) -> EntityPerson:
    """End a person's role at an entity (today unless ``ended_on`` is given; audited)."""
    require_permission(
        actor, "registry.change_entity", _("You are not allowed to change regulated entities.")
    )
    locked_entity = lock_entity(actor, link.entity, "change")
    current = EntityPerson.objects.select_related("person").get(pk=link.pk)
    errors = FieldErrors()
    end = clean_date(errors, "ended_on", ended_on, required=False) or timezone.localdate()
    reason = clean_text(errors, "reason", reason, multiline=True)
    if current.ended_on is not None:
        errors.add("ended_on", _("This role has already ended."), "already_ended")
    elif current.started_on and end < current.started_on:
        errors.add(
            "ended_on",
            _("A role cannot end before it started (%(started)s)."),
            "ended_before_started",
            {"started": current.started_on.isoformat()},
        )
    errors.raise_if_any()
    current.ended_on = end
    current.save(update_fields=["ended_on", "updated_at"])
    record(
        actor=actor,
        action="registry.entity_person_link_ended",
        obj=locked_entity,
        changes={
            "person": [str(current.person.public_id), str(current.person.public_id)],
            "person_name": [current.person.name, current.person.name],
            "role": [current.role, current.role],
            "ended_on": [None, end.isoformat()],
        },
        reason=reason,
    )
    return current


@transaction.atomic
def reveal_personal_data(*, actor: Any, person: Person) -> dict[str, str]:
    """The unmasked identity card number and phone, for a member entitled to them (audited).

    ``DoesNotExist`` when the actor cannot see the person; ``PermissionDenied`` when they see
    them but may not read their personal data. Every read writes ``registry.personal_data_read``.
    """
    person = Person.objects.visible_to(actor).select_related("department").get(pk=person.pk)
    if not can_see_personal_data(actor, person):
        raise PermissionDenied(_("You are not allowed to see this person's personal data."))
    department_id = personal_data_department_id(actor, person)
    record(
        actor=actor,
        action="registry.personal_data_read",
        obj=person,
        changes={"fields": ["id_number", "phone"], "owner": person.department.code},
        department=Department.objects.filter(pk=department_id).first() if department_id else None,
    )
    return {"id_number": person.id_number, "phone": person.phone}


def _registered_person(actor: Any, id_number: str, name: str) -> Person | None:
    """The person registered in the actor's jurisdiction under ``id_number``, if any.

    ``None`` when the number is empty or invalid (``create_person`` then reports it) or when
    nobody the actor sees has it (``create_person`` then reports a registration elsewhere as a
    duplicate, without naming anyone). A different name is refused rather than linked: a
    typing error in the number must not attach a stranger to the entity.
    """
    if not id_number:
        return None
    try:
        number = validate_id_card_number(id_number)
    except ValidationError:
        return None
    person = Person.objects.visible_to(actor).filter(id_number=number).first()
    if person is not None and normalise_name(person.name) != normalise_name(name):
        raise ValidationError(
            {
                "id_number": ValidationError(
                    _(
                        "This identity card number is registered to a person with another "
                        "name; check the number and the name."
                    ),
                    code="id_number_name_mismatch",
                )
            }
        )
    return person


@transaction.atomic
def add_person_to_entity(
    *,
    actor: Any,
    entity: Entity,
    name: str,
    role: str,
    id_number: str = "",
    phone: str = "",
    qualification: str = "",
    certificate_number: str = "",
    started_on: dt.date | None = None,
    override_reason: str = "",
) -> tuple[EntityPerson, bool]:
    """Register a person (unless already registered) and give them ``role``: all or nothing.

    An identity card number already registered in the actor's jurisdiction under the same
    name links that person instead (their record is left as it is). Returns the link and
    whether the person was registered now. The person lives in the entity's region.
    """
    if role in APPOINTED_ROLES:
        # 处处受限: a banned person is found by the identity card number across the country.
        require_clear(
            actor=actor,
            subject=DecisionSubject(entity_id=entity.pk, id_number=id_number, name=name),
            action="person.appoint",
            override_reason=override_reason,
            obj=entity,
        )
    person = _registered_person(actor, id_number, name)
    created = person is None
    if person is None:
        person = create_person(
            actor=actor,
            name=name,
            region_code=entity.region_id,
            id_number=id_number,
            phone=phone,
            qualification=qualification,
            certificate_number=certificate_number,
        )
    link = link_person(
        actor=actor,
        entity=entity,
        person=person,
        role=role,
        started_on=started_on,
        restriction_checked=True,
    )
    return link, created
