"""Reads of the linkage app: the review queue, one review, the side-by-side comparison."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from yaojian.accounts.scoping import scope_for
from yaojian.linkage.models import LinkReview
from yaojian.linkage.normalise import normalise_address, normalise_code, normalise_name


def reviews_visible_to(user: Any, action: str = "view") -> QuerySet[LinkReview]:
    """The reviews ``user`` may see (or ``action``): their departments' queues."""
    return LinkReview.objects.visible_to(user, action).select_related(  # type: ignore[return-value]
        "candidate", "candidate__region", "linked_entity", "decided_by"
    )


def filter_reviews(
    user: Any, *, state: str = "", source_app: str = "", q: str = ""
) -> QuerySet[LinkReview]:
    """The queue filtered by state, source app and a name fragment."""
    reviews = reviews_visible_to(user)
    if state:
        reviews = reviews.filter(state=state)
    if source_app:
        reviews = reviews.filter(source_app=source_app)
    if q:
        reviews = reviews.filter(record_name__icontains=q.strip())
    return reviews


def get_review_for_user(user: Any, public_id: Any, action: str = "view") -> LinkReview:
    """One review; ``DoesNotExist`` for missing and forbidden alike (→ 404)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise LinkReview.DoesNotExist from exc
    return reviews_visible_to(user, action).get(public_id=key)


def can_decide(user: Any, review: LinkReview) -> bool:
    """True if ``user`` may confirm or reject ``review`` now."""
    if review.state != "pending" or not scope_for(user).members:
        return scope_for(user).is_superuser and review.state == "pending"
    return reviews_visible_to(user, "change").filter(pk=review.pk).exists()


@dataclass(frozen=True)
class ComparisonRow:
    """One field of the record beside the candidate's, and whether they agree once normalised."""

    field: str
    record: str
    candidate: str
    same: bool


def comparison_rows(review: LinkReview) -> list[ComparisonRow]:
    """The side-by-side comparison of the record and the candidate entity."""
    entity = review.candidate
    candidate = {
        "name": entity.name if entity else "",
        "address": entity.address if entity else "",
        "region_code": entity.region_id if entity else "",
        "credit_code": (entity.unified_social_credit_code or "") if entity else "",
        "legal_representative": entity.legal_representative if entity else "",
    }
    record = {
        "name": review.record_name,
        "address": review.record_address,
        "region_code": review.record_region_code,
        "credit_code": review.record_credit_code,
        "legal_representative": review.record_legal_representative,
    }
    same = {
        "name": lambda a, b: normalise_name(a) == normalise_name(b),
        "address": lambda a, b: normalise_address(a) == normalise_address(b),
    }
    rows = []
    for field, value in record.items():
        other = candidate[field]
        compare = same.get(field, lambda a, b: normalise_code(a) == normalise_code(b))
        rows.append(
            ComparisonRow(field, value, other, bool(value and other and compare(value, other)))
        )
    return rows
