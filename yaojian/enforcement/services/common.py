"""Helpers shared by the enforcement services: locking, stage changes, the step log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.audit.services import record
from yaojian.clocks.calendar import CalendarNotCoveredError
from yaojian.enforcement.choices import ALLOWED_TRANSITIONS, CaseStage
from yaojian.enforcement.models import Case, CaseStep

ACTION_MESSAGES = {
    "change": _("Only the case officers of the lead department may do this."),
    "approve": _("Only the head of the lead department may approve this."),
    "review": _("Only a legal reviewer of the lead department may review this case."),
}


def today() -> dt.date:
    return timezone.localdate()


def lock_case(actor: Any, case: Case, action: str) -> Case:
    """The case locked for update if ``actor`` may ``action`` it.

    ``DoesNotExist`` when the actor cannot see the case at all (404), ``PermissionDenied``
    when it can see but not ``action`` it (403).
    """
    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise Case.DoesNotExist
    locked = (
        Case.objects.visible_to(actor, action)
        .select_for_update(no_key=True, of=("self",))
        .select_related("department", "region", "entity")
        .filter(pk=case.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(ACTION_MESSAGES.get(action, ACTION_MESSAGES["change"]))
    return locked


def require_stage(case: Case, *stages: str) -> None:
    """Refuse an action the case's stage does not allow."""
    if case.stage not in stages:
        raise ValidationError(
            _("This cannot be done while the case is at the stage “%(stage)s”."),
            code="wrong_stage",
            params={"stage": CaseStage(case.stage).label},
        )


def check_transition(case: Case, to_stage: str) -> None:
    """Refuse a stage change that ``ALLOWED_TRANSITIONS`` does not list."""
    if to_stage not in ALLOWED_TRANSITIONS.get(case.stage, frozenset()):
        raise ValidationError(
            _("A case cannot go from “%(from)s” to “%(to)s”."),
            code="invalid_transition",
            params={"from": CaseStage(case.stage).label, "to": CaseStage(to_stage).label},
        )


def log_step(
    *,
    case: Case,
    actor: Any,
    action: str,
    note: str = "",
    from_stage: str = "",
    to_stage: str = "",
    department: Any = None,
    lead_only: bool = False,
    changes: dict[str, Any] | None = None,
    obj: Any = None,
) -> CaseStep:
    """One row of the case's step log plus its audit event (``enforcement.<action>``)."""
    step = CaseStep.objects.create(
        case=case,
        action=action,
        from_stage=from_stage,
        to_stage=to_stage,
        occurred_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        department=department or case.department,
        note=note,
        is_lead_only=lead_only,
    )
    audit_changes = dict(changes or {})
    if from_stage or to_stage:
        audit_changes["stage"] = [from_stage, to_stage]
    if obj is not None and obj is not case:
        audit_changes.setdefault("case", str(case.public_id))
    record(
        actor=actor,
        action=f"enforcement.{action}",
        obj=obj or case,
        changes=audit_changes,
        reason=note,
        department=department or case.department,
    )
    return step


def move(
    case: Case, to_stage: str, *, actor: Any, action: str, note: str = "", **extra: Any
) -> None:
    """Change the stage (checked against the table), saving ``extra`` fields too."""
    check_transition(case, to_stage)
    from_stage = case.stage
    case.stage = to_stage
    for name, value in extra.items():
        setattr(case, name, value)
    case.save(update_fields=["stage", "updated_at", *extra])
    log_step(
        case=case,
        actor=actor,
        action=action,
        note=note,
        from_stage=from_stage,
        to_stage=to_stage,
        changes={k: str(v) for k, v in extra.items()},
    )


@contextmanager
def calendar_errors(field: str = "__all__") -> Iterator[None]:
    """A date outside the holiday calendar becomes a validation error, not a 500."""
    try:
        yield
    except CalendarNotCoveredError as exc:
        raise ValidationError({field: [ValidationError(str(exc), code="calendar")]}) from exc


def required_text(value: Any, field: str, message: Any) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValidationError({field: [ValidationError(message, code="required")]})
    return text


def clean_day(value: Any, field: str, *, default: dt.date | None = None) -> dt.date:
    """A date (or ISO string); ``default`` (today) when empty; not in the future."""
    if value in (None, ""):
        return default or today()
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError(
                {field: [ValidationError(_("Enter a valid date."), code="invalid_date")]}
            ) from exc
    if value > today():
        raise ValidationError(
            {field: [ValidationError(_("This date lies in the future."), code="future_date")]}
        )
    return value


def require(
    condition: bool, message: Any, code: str, field: str = "__all__", **params: Any
) -> None:
    if not condition:
        raise ValidationError({field: [ValidationError(message, code=code, params=params or None)]})
