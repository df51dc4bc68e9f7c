"""Writes of the linkage app: queue an uncertain link for review, confirm it, reject it.

Each takes a keyword-only ``actor``, checks permission and scope, runs in one transaction with
its audit event and publishes :class:`~yaojian.linkage.events.LinkReviewResolved` after commit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.models import Department
from yaojian.accounts.scoping import scope_for
from yaojian.audit.services import record
from yaojian.core.events import publish
from yaojian.linkage.choices import ReviewState
from yaojian.linkage.events import LinkReviewResolved
from yaojian.linkage.matching import LinkRecord, Match
from yaojian.linkage.models import LinkReview
from yaojian.registry.models import Entity

REASON_MAX = 2000


def _snapshot(review: LinkReview) -> dict[str, Any]:
    return {
        "state": review.state,
        "record_name": review.record_name,
        "candidate": review.candidate_id,
        "linked_entity": review.linked_entity_id,
        "probability": round(review.probability, 6),
        "source_app": review.source_app,
        "source_ref": review.source_ref,
    }


@transaction.atomic
def queue_for_review(
    *,
    actor: Any,
    department: Department,
    record: LinkRecord,
    match: Match,
    source_app: str,
    source_ref: str,
    payload: dict[str, Any],
) -> LinkReview:
    """Put a record whose best match fell in the review band on ``department``'s queue.

    ``actor`` is the user on whose behalf the record arrived (``None`` for the system); a user
    must belong to ``department``. Queuing the same ``source_app``/``source_ref`` again while
    the first is pending answers the pending review (idempotent).
    """
    if actor is not None:
        scope = scope_for(actor)
        if not scope.is_superuser and department.pk not in scope.department_ids:
            raise PermissionDenied(_("You can queue reviews only for your own department."))
    existing = (
        LinkReview.objects.select_for_update(no_key=True)
        .filter(source_app=source_app, source_ref=source_ref, state=ReviewState.PENDING)
        .first()
    )
    if existing is not None:
        return existing
    candidate = None
    if match.entity_id is not None:
        candidate = Entity.objects.filter(pk=match.entity_id).first()
        if candidate is None:
            raise ValidationError(
                {"candidate": ValidationError(_("The candidate entity does not exist."), "invalid")}
            )
    review = LinkReview(
        department=department,
        source_app=source_app,
        source_ref=source_ref,
        payload=payload,
        record_key=record.key[:100],
        record_name=record.name,
        record_address=record.address,
        record_region_code=record.region_code,
        record_credit_code=record.credit_code,
        record_legal_representative=record.legal_representative,
        record_licence_number=record.licence_number,
        candidate=candidate,
        probability=min(max(float(match.probability), 0.0), 1.0),
        match_weight=float(match.match_weight),
        explanation=[[label, round(float(weight), 4)] for label, weight in match.explanation],
    )
    review.full_clean()
    review.save()
    record_audit(actor, "linkage.review_queued", review, department)
    return review


def record_audit(actor: Any, action: str, review: LinkReview, department: Any, **kw: Any) -> None:
    record(
        actor=actor,
        action=action,
        obj=review,
        changes=_snapshot(review),
        department=department,
        **kw,
    )


def _lock_for_decision(actor: Any, review: LinkReview) -> LinkReview:
    locked = (
        LinkReview.objects.visible_to(actor, "change")
        .select_for_update(no_key=True)
        .filter(pk=review.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You may not decide this review."))
    if locked.state != ReviewState.PENDING:
        raise ValidationError(
            {"state": ValidationError(_("This review has already been decided."), "decided")}
        )
    return locked


def _publish(review: LinkReview, actor: Any) -> None:
    publish(
        LinkReviewResolved(
            review_id=review.pk,
            decision=review.state,
            entity_id=review.linked_entity_id,
            source_app=review.source_app,
            source_ref=review.source_ref,
            payload=dict(review.payload or {}),
            actor_id=getattr(actor, "pk", None),
            department_id=review.department_id,
        )
    )


@transaction.atomic
def confirm_review(*, actor: Any, review: LinkReview, entity: Entity | None = None) -> LinkReview:
    """Confirm that the record is ``entity`` (by default the candidate the engine proposed)."""
    locked = _lock_for_decision(actor, review)
    target = entity if entity is not None else locked.candidate
    if target is None:
        raise ValidationError(
            {"entity": ValidationError(_("Choose the entity to link the record to."), "required")}
        )
    if entity is not None and not Entity.objects.visible_to(actor).filter(pk=entity.pk).exists():
        raise ValidationError(
            {"entity": ValidationError(_("This entity is not in your jurisdiction."), "invalid")}
        )
    locked.state = ReviewState.CONFIRMED
    locked.linked_entity = target
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "linked_entity", "decided_by", "decided_at", "updated_at"])
    record_audit(actor, "linkage.review_confirmed", locked, locked.department)
    _publish(locked, actor)
    return locked


@transaction.atomic
def reject_review(*, actor: Any, review: LinkReview, reason: str) -> LinkReview:
    """Reject the proposed link: the record is a new entity (the queuing app creates it)."""
    locked = _lock_for_decision(actor, review)
    text = (reason or "").strip()
    if not text:
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for rejecting the link."), "required")}
        )
    if len(text) > REASON_MAX:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Keep the reason under %(max)d characters."),
                    "max_length",
                    params={"max": REASON_MAX},
                )
            }
        )
    locked.state = ReviewState.REJECTED
    locked.reason = text
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "reason", "decided_by", "decided_at", "updated_at"])
    record_audit(actor, "linkage.review_rejected", locked, locked.department, reason=text)
    _publish(locked, actor)
    return locked
