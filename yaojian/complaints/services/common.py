"""Helpers shared by the complaint services: permission checks, steps, state changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.complaints import clocks
from yaojian.complaints.choices import TRANSITIONS
from yaojian.complaints.models import Complaint, ComplaintStep
from yaojian.core import inserts


def acts_in(actor: Any, permission: str, department_id: int | None) -> bool:
    scope = scope_for(actor)
    if scope.is_superuser:
        return True
    return department_id is not None and any(
        m.department_id == department_id for m in scope.members_with(permission)
    )


def require(actor: Any, permission: str, department_id: int | None) -> None:
    if not acts_in(actor, permission, department_id):
        raise PermissionDenied(_("You are not allowed to take this step on this complaint."))


def text(
    errors: dict[str, list[str]], field: str, value: Any, message: str = "", limit: int = 4000
) -> str:
    cleaned = str(value or "").replace("\x00", "").strip()
    if not cleaned and message:
        errors.setdefault(field, []).append(message)
    elif len(cleaned) > limit:
        errors.setdefault(field, []).append(_("Write at most %(n)d characters.") % {"n": limit})
    return cleaned


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def lock(complaint: Complaint, action: str | None = None) -> Complaint:
    """The complaint locked for update; checks the transition table for ``action``."""
    locked = (
        Complaint.objects.select_for_update(no_key=True, of=("self",))
        .select_related("department", "region")
        .get(pk=complaint.pk)
    )
    if action is not None:
        kinds, states, _to = TRANSITIONS[action]
        if locked.kind not in kinds or locked.state not in states:
            raise ValidationError(
                {
                    "__all__": [
                        _("This step is not possible while it is “%(state)s”.")
                        % {"state": locked.get_state_display()}
                    ]
                }
            )
    return locked


def step(
    complaint: Complaint,
    *,
    actor: Any,
    action: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    public: bool = True,
) -> None:
    inserts.insert(
        ComplaintStep(
            complaint=complaint,
            action=action,
            from_state=from_state,
            to_state=to_state,
            occurred_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            note=note,
            is_public=public,
        )
    )


def save(
    complaint: Complaint,
    *,
    actor: Any,
    action: str,
    fields: dict[str, Any],
    note: str = "",
    public: bool = True,
    audit_changes: dict[str, Any] | None = None,
) -> Complaint:
    """Apply ``fields``, refresh the clocks, append the step and the audit event."""
    from_state = complaint.state
    for name, value in fields.items():
        setattr(complaint, name, value)
    changed = [*fields, *clocks.refresh(complaint), "updated_at"]
    complaint.save(update_fields=sorted(set(changed)))
    step(
        complaint,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=complaint.state if complaint.state != from_state else "",
        note=note,
        public=public,
    )
    record(
        actor=actor,
        action=f"complaints.complaint_{action}",
        obj=complaint,
        department=complaint.department,
        changes={"state": [from_state, complaint.state], **(audit_changes or {})},
        reason=note[:500],
    )
    return complaint
