"""Recording a problem and fanning it out to the departments the routing rules name."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.core.events import publish
from yaojian.notices.choices import PersonRole
from yaojian.notices.events import ProblemRecorded
from yaojian.notices.models import Problem, ProblemCategory, ProblemPerson
from yaojian.notices.permissions import RECORD_PROBLEM
from yaojian.notices.selectors import (
    can_see_personal_data,
    personal_data_department_id,
    route_problem,
)
from yaojian.notices.services.common import check_attachments, save_attachments, user_or_none
from yaojian.notices.services.notices import compute_due_on, create_notice
from yaojian.registry.identifiers import validate_id_card_number
from yaojian.registry.models import Entity
from yaojian.registry.services.validation import (
    FieldErrors,
    clean_date,
    clean_text,
    resolve_region,
)
from yaojian.territory.codes import subtree_prefix

MAX_PERSONS = 50
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,30}$")


def _valid_id_number(value: str) -> bool:
    """The registry's check of an identity card number (GB 11643: region, birth, check digit)."""
    try:
        validate_id_card_number(value)
    except ValidationError:
        return False
    return True


def _clean_persons(errors: FieldErrors, rows: Sequence[dict[str, Any]]) -> list[ProblemPerson]:
    persons: list[ProblemPerson] = []
    if len(rows) > MAX_PERSONS:
        errors.add(
            "personal_data",
            _("A problem carries at most %(limit)d persons."),
            "too_many",
            {"limit": MAX_PERSONS},
        )
        return persons
    for index, row in enumerate(rows):
        field = f"personal_data.{index}"
        if not isinstance(row, dict):
            errors.add(
                field, _("Each person is a set of role, name, ID number and phone."), "invalid"
            )
            continue
        role = str(row.get("role") or "")
        if role not in PersonRole.values:
            errors.add(
                f"{field}.role",
                _("“%(value)s” is not one of the available choices."),
                "invalid_choice",
                {"value": role[:40]},
            )
        name = clean_text(errors, f"{field}.name", row.get("name"))
        if not name:
            errors.add(f"{field}.name", _("Enter the person's name."), "required")
        elif len(name) > 64:
            errors.add(f"{field}.name", _("The name is longer than 64 characters."), "too_long")
        id_number = clean_text(errors, f"{field}.id_number", row.get("id_number")).upper()
        id_number = id_number.replace(" ", "")
        if id_number and not _valid_id_number(id_number):
            errors.add(
                f"{field}.id_number",
                _("This is not a valid 18-character identity card number."),
                "invalid_id_number",
            )
        phone = clean_text(errors, f"{field}.phone", row.get("phone"))
        if phone and not _PHONE.match(phone):
            errors.add(f"{field}.phone", _("This is not a phone number."), "invalid_phone")
        persons.append(ProblemPerson(role=role, name=name, id_number=id_number, phone=phone))
    return persons


def _check_department(actor: Any, department: Department) -> None:
    if actor is None or scope_for(actor).is_superuser:
        return
    allowed = {m.department_id for m in scope_for(actor).members_with(RECORD_PROBLEM)}
    if department.pk not in allowed:
        raise PermissionDenied(
            _("You can record problems only for a department in which your role allows it.")
        )


@transaction.atomic
def record_problem(
    *,
    actor: Any,
    department: Department,
    category: str,
    description: str,
    entity: Entity | None = None,
    region_code: str = "",
    found_on: dt.date | None = None,
    personal_data: Sequence[dict[str, Any]] = (),
    attachments: Sequence[UploadedFile] = (),
) -> Problem:
    """Save the problem and fan out notices by the routing rules (in the same transaction).

    ``department`` is the reporting department: the actor must hold ``notices.add_problem``
    there (``PermissionDenied`` otherwise). The region is the entity's, else ``region_code``,
    else the department's; it must lie in the department's jurisdiction. Each department the
    active rules name for (category, entity kind) gets one notice, due after the strictest
    rule's working days. ``ValidationError`` per field; nothing is written on failure.
    """
    _check_department(actor, department)
    errors = FieldErrors()
    category_obj = ProblemCategory.objects.filter(code=category, is_active=True).first()
    if category_obj is None:
        errors.add(
            "category",
            _("“%(value)s” is not a problem category."),
            "invalid_choice",
            {"value": str(category)[:40]},
        )
    description = clean_text(errors, "description", description, multiline=True)
    if not description:
        errors.add("description", _("Describe the problem."), "required")
    elif len(description) > 10000:
        errors.add(
            "description", _("The description is longer than 10,000 characters."), "too_long"
        )
    today = timezone.localdate()
    found = clean_date(errors, "found_on", found_on, required=False) or today
    if found > today:
        errors.add("found_on", _("The date found cannot be in the future."), "future_date")
    region = None
    if entity is not None:
        region = entity.region
    elif region_code:
        region = resolve_region(errors, "region_code", region_code)
    else:
        region = department.region
    if region is not None and not region.code.startswith(subtree_prefix(department.region_id)):
        errors.add(
            "entity" if entity is not None else "region_code",
            _("%(region)s lies outside the jurisdiction of %(department)s."),
            "outside_jurisdiction",
            {"region": region.name, "department": department.name},
        )
    persons = _clean_persons(errors, personal_data)
    check_attachments(errors, "attachments", attachments)
    errors.raise_if_any()
    if category_obj is None or region is None:  # pragma: no cover (reported above)
        raise AssertionError

    routes, unrouted = route_problem(
        category_obj,
        entity.kind if entity is not None else "",
        region.code,
        exclude_department_id=department.pk,
    )
    due_errors = FieldErrors()
    dues = {
        route.department.pk: compute_due_on(due_errors, "category", route.due_working_days, today)
        for route in routes
    }
    due_errors.raise_if_any()

    problem = Problem.objects.create(
        department=department,
        reporter=user_or_none(actor),
        entity=entity,
        region=region,
        category=category_obj,
        description=description,
        found_on=found,
    )
    for person in persons:
        person.problem = problem
    ProblemPerson.objects.bulk_create(persons)
    save_attachments(actor=actor, files=attachments, problem=problem)
    record(
        actor=actor,
        action="notices.problem_recorded",
        obj=problem,
        changes={
            "category": category_obj.code,
            "entity": str(entity.public_id) if entity else None,
            "region": region.code,
            "persons": len(persons),  # personal data never enters the audit trail
            "attachments": len(attachments),
            "recipients": [route.department.code for route in routes],
            "unrouted_rules": [str(u.rule.public_id) for u in unrouted],
        },
        department=department,
    )
    subject_entity = entity.name if entity is not None else region.name
    notices = []
    for route in routes:
        notices.append(
            create_notice(
                actor=actor,
                sender=department,
                recipient=route.department,
                subject=f"{category_obj.name_zh}：{subject_entity}"[:200],
                body=description,
                due_on=dues[route.department.pk],
                due_working_days=route.due_working_days,
                expected_answer=route.expected_answer,
                category=category_obj,
                entity=entity,
                problem=problem,
                rule=route.rules[0],
                source_app="notices",
                source_ref=str(problem.public_id),
            )
        )
    publish(
        ProblemRecorded(
            problem_id=str(problem.public_id),
            department_id=department.pk,
            category=category_obj.code,
            entity_id=str(entity.public_id) if entity else None,
            notice_ids=tuple(str(n.public_id) for n in notices),
        )
    )
    return problem


@transaction.atomic
def reveal_problem_personal_data(*, actor: Any, problem: Problem) -> list[dict[str, str]]:
    """The unmasked personal data of a problem, for a reader entitled to it (audited).

    Entitled: members of the reporting department whose role handles personal data, and
    such members of a department it opened personal data to (ShareGrant ``personal_data``).
    Every read writes ``notices.personal_data_read``, marked ``cross_department`` when the
    reader is outside the reporting department.
    """
    problem = Problem.objects.visible_to(actor).select_related("department").get(pk=problem.pk)
    if not can_see_personal_data(actor, problem):
        raise PermissionDenied(
            _("Personal data stays within the reporting department unless it shares it with yours.")
        )
    department_id = personal_data_department_id(actor, problem)
    rows = list(problem.persons.order_by("id"))
    record(
        actor=actor,
        action="notices.personal_data_read",
        obj=problem,
        changes={
            "owner": problem.department.code,
            "persons": len(rows),
            "cross_department": department_id != problem.department_id,
        },
        department=Department.objects.filter(pk=department_id).first() if department_id else None,
    )
    return [
        {
            "role": row.role,
            "role_label": str(row.get_role_display()),
            "name": row.name,
            "id_number": row.id_number,
            "phone": row.phone,
        }
        for row in rows
    ]
