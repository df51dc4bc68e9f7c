"""Writes of the webhooks app: emit events, manage endpoints, replay deliveries.

Other apps call :func:`emit` inside their writer's transaction. Sending itself (claiming a
due delivery, the HTTP request, the retry schedule) lives in :mod:`yaojian.webhooks.delivery`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import has_permission, scope_for
from yaojian.audit.services import diff, record
from yaojian.webhooks.addresses import check_url
from yaojian.webhooks.choices import REPLAYABLE_STATUSES, DeliveryStatus
from yaojian.webhooks.events import is_valid_event_type
from yaojian.webhooks.models import Delivery, Endpoint
from yaojian.webhooks.signing import new_secret

ENDPOINT_FIELDS = frozenset({"name", "url", "event_types", "is_active"})


def emit(
    *,
    event_type: str,
    department_ids: Iterable[int],
    payload: dict[str, Any],
    idempotency_key: str,
) -> int:
    """Queue a delivery to every active endpoint of those departments subscribed to
    event_type (or "*"); returns how many. Call inside the writer's transaction: rows are
    created in it and the sends are enqueued on commit. The same (endpoint, idempotency_key)
    is never queued twice.

    ``payload`` must be JSON-serialisable (dates, UUIDs and decimals become strings).
    """
    if not is_valid_event_type(event_type) or event_type == "*":
        raise ValueError(f"invalid webhook event type {event_type!r}")
    if not idempotency_key or len(idempotency_key) > 200:
        raise ValueError("idempotency_key must be 1-200 characters")
    ids = sorted({int(pk) for pk in department_ids})
    if not ids:
        return 0
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(department_id__in=ids, is_active=True)
        if endpoint.subscribes_to(event_type)
    ]
    if not endpoints:
        return 0
    data = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    taken = set(
        Delivery.objects.filter(
            endpoint__in=endpoints, idempotency_key=idempotency_key
        ).values_list("endpoint_id", flat=True)
    )
    now = timezone.now()
    queued: list[int] = []
    for endpoint in endpoints:
        if endpoint.pk in taken:
            continue
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    endpoint=endpoint,
                    event_type=event_type,
                    payload=data,
                    idempotency_key=idempotency_key,
                    status=DeliveryStatus.PENDING,
                    next_attempt_at=now,
                )
        except IntegrityError:  # another writer queued the same key meanwhile
            continue
        queued.append(delivery.pk)
    if queued:
        from yaojian.webhooks.delivery import send_on_commit

        for delivery_id in queued:
            send_on_commit(delivery_id)
    return len(queued)


@transaction.atomic
def send_audit_checkpoint() -> int:
    """Queue the audit chain's current signed checkpoint to the configured departments'
    endpoints subscribed to ``audit.checkpoint``: a copy of the anchor outside this platform,
    which ``verify_audit --checkpoints`` can check. The same checkpoint is queued once."""
    from dataclasses import asdict

    from django.conf import settings

    from yaojian.audit.checkpoints import current

    codes = list(getattr(settings, "AUDIT_CHECKPOINT_DEPARTMENTS", []))
    if not codes:
        return 0
    checkpoint = current()
    department_ids = Department.objects.filter(code__in=codes).values_list("pk", flat=True)
    return emit(
        event_type="audit.checkpoint",
        department_ids=list(department_ids),
        payload=asdict(checkpoint),
        idempotency_key=f"audit.checkpoint:{checkpoint.count}:{checkpoint.head_hash}",
    )


# --- endpoints -----------------------------------------------------------------------


def _snapshot(endpoint: Endpoint) -> dict[str, Any]:
    """What the audit diff shows of an endpoint: never the secret."""
    return {
        "name": endpoint.name,
        "url": endpoint.url,
        "event_types": list(endpoint.event_types or []),
        "is_active": endpoint.is_active,
        "department": endpoint.department_id,
    }


def _clean_event_types(errors: dict[str, list[ValidationError]], value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        errors.setdefault("event_types", []).append(
            ValidationError(_("Give a list of event type names."), code="invalid")
        )
        return []
    names = sorted({v.strip() for v in value if v.strip()})
    if not names:
        errors.setdefault("event_types", []).append(
            ValidationError(_("Choose at least one event type."), code="required")
        )
    for name in names:
        if not is_valid_event_type(name):
            errors.setdefault("event_types", []).append(
                ValidationError(
                    _("%(name)s is not an event type name (such as notice.created)."),
                    code="invalid",
                    params={"name": name},
                )
            )
    return names


def _clean_url(errors: dict[str, list[ValidationError]], url: str) -> str:
    url = (url or "").strip()
    try:
        if not url:
            raise ValidationError(_("Enter the address of the receiving system."), code="required")
        check_url(url)
    except ValidationError as error:
        errors.setdefault("url", []).extend(error.error_list)
    return url


def _clean_name(errors: dict[str, list[ValidationError]], name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        errors.setdefault("name", []).append(
            ValidationError(_("Enter a name for the endpoint."), code="required")
        )
    return name


def _validate(endpoint: Endpoint, errors: dict[str, list[ValidationError]]) -> None:
    try:
        endpoint.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, items in error.message_dict.items():
            errors.setdefault(field, []).extend(ValidationError(m) for m in items)
    if errors:
        raise ValidationError(errors)


def _acting_department(actor: Any, department: Department | None) -> Department:
    permission = "webhooks.add_endpoint"
    members = scope_for(actor).members_with(permission)
    if scope_for(actor).is_superuser and department is not None:
        return department
    allowed = {m.department_id for m in members}
    if department is not None:
        if department.pk not in allowed:
            raise ValidationError(
                {"department": _("You may add webhook endpoints only for your own department.")}
            )
        return department
    if len(allowed) != 1:
        raise ValidationError({"department": _("Choose the department the endpoint belongs to.")})
    return Department.objects.get(pk=next(iter(allowed)))


@transaction.atomic
def create_endpoint(
    *,
    actor: Any,
    name: str,
    url: str,
    event_types: list[str],
    is_active: bool = True,
    department: Department | None = None,
) -> Endpoint:
    """Add an endpoint for the actor's department with a new secret (audited, secret not).

    The caller shows ``endpoint.secret`` once; afterwards only rotation reveals a secret.
    """
    if not has_permission(actor, "webhooks.add_endpoint"):
        raise PermissionDenied(_("You are not allowed to add webhook endpoints."))
    errors: dict[str, list[ValidationError]] = {}
    endpoint = Endpoint(
        name=_clean_name(errors, name),
        url=_clean_url(errors, url),
        event_types=_clean_event_types(errors, event_types),
        is_active=bool(is_active),
        secret=new_secret(),
    )
    try:
        endpoint.department = _acting_department(actor, department)
    except ValidationError as error:
        for field, items in error.message_dict.items():
            errors.setdefault(field, []).extend(ValidationError(m) for m in items)
        raise ValidationError(errors) from error
    _validate(endpoint, errors)
    endpoint.save()
    record(
        actor=actor,
        action="webhooks.endpoint_created",
        obj=endpoint,
        changes=diff({}, _snapshot(endpoint)),
        department=endpoint.department,
    )
    return endpoint


def _lock_endpoint(actor: Any, endpoint: Endpoint) -> Endpoint:
    """The endpoint row, locked, if the actor may change it (DoesNotExist if unseen)."""
    if not Endpoint.objects.visible_to(actor).filter(pk=endpoint.pk).exists():
        raise Endpoint.DoesNotExist
    locked = (
        Endpoint.objects.visible_to(actor, "change")
        .select_for_update(no_key=True)
        .filter(pk=endpoint.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You are not allowed to change this webhook endpoint."))
    return locked


@transaction.atomic
def update_endpoint(*, actor: Any, endpoint: Endpoint, **changes: Any) -> Endpoint:
    """Change name, url, event_types or is_active (audited; a no-op writes nothing)."""
    unknown = set(changes) - ENDPOINT_FIELDS
    if unknown:
        raise TypeError(f"update_endpoint() got unexpected fields: {sorted(unknown)}")
    locked = _lock_endpoint(actor, endpoint)
    before = _snapshot(locked)
    errors: dict[str, list[ValidationError]] = {}
    if "name" in changes:
        locked.name = _clean_name(errors, changes["name"])
    if "url" in changes and changes["url"] != locked.url:
        locked.url = _clean_url(errors, changes["url"])
    if "event_types" in changes:
        locked.event_types = _clean_event_types(errors, changes["event_types"])
    if "is_active" in changes:
        locked.is_active = bool(changes["is_active"])
    _validate(locked, errors)
    changed = diff(before, _snapshot(locked))
    if changed:
        locked.save()
        record(
            actor=actor,
            action="webhooks.endpoint_changed",
            obj=locked,
            changes=changed,
            department=locked.department,
        )
    return locked


@transaction.atomic
def rotate_endpoint_secret(*, actor: Any, endpoint: Endpoint) -> Endpoint:
    """Replace the signing secret (audited without it); the caller shows the new one once."""
    locked = _lock_endpoint(actor, endpoint)
    locked.secret = new_secret()
    locked.save(update_fields=["secret", "updated_at"])
    record(
        actor=actor,
        action="webhooks.endpoint_secret_rotated",
        obj=locked,
        changes={"secret": ["(hidden)", "(hidden)"]},
        department=locked.department,
    )
    return locked


# --- deliveries ----------------------------------------------------------------------


@transaction.atomic
def replay_delivery(*, actor: Any, delivery: Delivery) -> Delivery:
    """Send a delivered or dead delivery again (same idempotency key; audited).

    The attempt counter starts again, so a replay gets the full retry schedule; the
    attempt log keeps every earlier attempt.
    """
    if not Delivery.objects.visible_to(actor).filter(pk=delivery.pk).exists():
        raise Delivery.DoesNotExist
    locked = (
        Delivery.objects.visible_to(actor, "replay")
        .select_for_update(no_key=True)
        .filter(pk=delivery.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You are not allowed to replay webhook deliveries."))
    if locked.status not in REPLAYABLE_STATUSES:
        raise ValidationError(
            _("Only a delivered or dead delivery can be replayed; this one is still being sent."),
            code="not_replayable",
        )
    before = locked.status
    locked.status = DeliveryStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = timezone.now()
    locked.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
    record(
        actor=actor,
        action="webhooks.delivery_replayed",
        obj=locked,
        changes={"status": [before, DeliveryStatus.PENDING]},
        department=locked.endpoint.department,
    )
    from yaojian.webhooks.delivery import send_on_commit

    send_on_commit(locked.pk)
    return locked
