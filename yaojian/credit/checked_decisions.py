"""Writes of checked decisions: honours (评优评先) and approvals under the
notification-and-commitment procedure (告知承诺制), taken by any department and checked for
credit restrictions through the same decision hook as the registry's licences and
appointments (``registry.decisions.require_clear``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from yaojian.audit.services import record
from yaojian.credit import permissions as perms
from yaojian.credit.choices import Action
from yaojian.credit.models import CheckedDecision
from yaojian.credit.services import _acting, resolve_entity, today
from yaojian.registry.decisions import DecisionSubject, require_clear
from yaojian.registry.services.validation import FieldErrors, clean_date, clean_text

CHECKED_ACTIONS = (Action.HONOUR, Action.COMMITMENT)


@transaction.atomic
def record_checked_decision(
    *,
    actor: Any,
    action: str,
    credit_code: str,
    title: str,
    decided_on: dt.date | str | None = None,
    override_reason: str = "",
) -> CheckedDecision:
    """Record that the actor's department grants an honour or approves on commitment.

    The entity is found by its credit code in the actor's jurisdiction. The restriction check
    runs before anything is written: a restricted decision is refused with the reasons under
    ``override_reason`` unless a head recorded an override or, holding the override permission,
    gives the reason here (both audited). Audited as ``credit.decision_recorded``.
    """
    errors = FieldErrors()
    if action not in CHECKED_ACTIONS:
        errors.add(
            "action",
            _("Choose an honour or the notification-and-commitment procedure."),
            "invalid_choice",
        )
    entity = resolve_entity(errors, "credit_code", actor, credit_code)
    if entity is None and not errors.has("credit_code"):
        errors.add("credit_code", _("Give the unified social credit code."), "required")
    title = clean_text(errors, "title", title)
    if not title and not errors.has("title"):
        errors.add("title", _("Name the honour or the matter approved."), "required")
    elif len(title) > 200:
        errors.add("title", _("At most 200 characters."), "max_length")
    day = clean_date(errors, "decided_on", decided_on or today(), required=True)
    errors.raise_if_any()
    if entity is None or day is None:  # errors were raised above; for the type checker
        raise ValidationError(_("Invalid input."))
    department = _acting(
        actor,
        perms.ADD_DECISION,
        entity.region_id,
        _("You are not allowed to record decisions in this region."),
    )
    overridden = require_clear(
        actor=actor,
        subject=DecisionSubject(entity_id=entity.pk),
        action=action,
        override_reason=override_reason,
        department_id=department.pk,
        obj=entity,
    )
    decision = CheckedDecision(
        action=action,
        entity=entity,
        region_id=entity.region_id,
        department=department,
        title=title,
        decided_on=day,
        restrictions_overridden=[r.__dict__ for r in overridden],
        decided_by=actor,
    )
    decision.full_clean()
    decision.save()
    record(
        actor=actor,
        action="credit.decision_recorded",
        obj=decision,
        changes={
            "action": [None, action],
            "entity": [None, str(entity.public_id)],
            "title": [None, title],
            "overridden": [None, [r.measure for r in overridden]],
        },
        department=department,
    )
    return decision
