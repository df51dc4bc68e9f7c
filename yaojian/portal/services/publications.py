"""The life of one publication: publish (masking personal data), withdraw, stop early, expire.

``actor=None`` stands for the system (event handlers, the expiry task); people need the
permission in the publication's department (``Publication.objects.visible_to``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.audit.services import record
from yaojian.portal import masking, rules
from yaojian.portal.choices import (
    OPEN_STATUSES,
    PUBLICATION_TRANSITIONS,
    EarlyStopCondition,
    PublicationStatus,
)
from yaojian.portal.models import Publication, TypicalCase
from yaojian.registry.services.validation import FieldErrors, clean_text
from yaojian.territory.models import Region


def _region_names(code: str) -> list[str]:
    """Names from the province down to the region ``code`` (for a masked address)."""
    names: list[str] = []
    region = Region.objects.filter(code=code).select_related("parent__parent").first()
    while region is not None:
        names.insert(0, region.name)
        region = region.parent
    return names


def masked_fields(publication: Publication) -> dict[str, str]:
    """The ``public_*`` fields of a publication: personal data of natural persons masked."""
    names: list[tuple[str, str]] = []
    region_names: list[str] = []
    if publication.party_is_person:
        region_names = _region_names(publication.region_id)
        party = masking.mask_person_name(publication.party_name)
        names.append((publication.party_name, party))
        credit_code = ""
        address = (
            masking.mask_address(publication.party_address, region_names)
            if publication.party_address
            else ""
        )
        if publication.party_address and address:
            names.append((publication.party_address, address))
    else:
        party = publication.party_name
        credit_code = publication.party_credit_code
        address = publication.party_address
    legal_representative = publication.legal_representative
    if publication.party_is_person and legal_representative:
        legal_representative = masking.mask_person_name(legal_representative)
        names.append((publication.legal_representative, legal_representative))
    if masking.looks_like_id_number(credit_code):
        credit_code = ""  # an identity-card number given as a credit code: never shown

    def scrub(text: str) -> str:
        text = masking.scrub_text(text, names=names)
        return masking.trim_addresses(text, region_names) if region_names else text

    def text_of(text: str) -> str:
        """A published text: the party's name is not repeated (it has its own field)."""
        return scrub(masking.without_party_name(text, (publication.party_name, party)))

    return {
        "public_party_name": party,
        "public_credit_code": credit_code,
        "public_legal_representative": legal_representative,
        "public_address": scrub(address),
        "public_violation": text_of(publication.violation),
        "public_legal_basis": scrub(publication.legal_basis),
        "public_penalty_summary": text_of(publication.penalty_summary),
    }


def lock_for(actor: Any, publication: Publication, action: str) -> Publication:
    """The publication locked for ``action``: 404 if unseen, 403 without the permission."""
    if actor is None:
        return Publication.objects.select_for_update(no_key=True).get(pk=publication.pk)
    if not Publication.objects.visible_to(actor).filter(pk=publication.pk).exists():
        raise Publication.DoesNotExist
    locked = (
        Publication.objects.visible_to(actor, action)
        .select_for_update(no_key=True, of=("self",))
        .filter(pk=publication.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You are not allowed to do this with this publication."))
    return locked


def check_transition(errors: FieldErrors, publication: Publication, to_status: str) -> None:
    if to_status not in PUBLICATION_TRANSITIONS.get(publication.status, set()):
        errors.add(
            "status",
            _("A publication that is “%(from)s” cannot become “%(to)s”."),
            "invalid_transition",
            {
                "from": PublicationStatus(publication.status).label,
                "to": PublicationStatus(to_status).label,
            },
        )


def do_publish(actor: Any, locked: Publication) -> Publication:
    """Publish a locked draft (no permission check: callers have done it)."""
    errors = FieldErrors()
    check_transition(errors, locked, PublicationStatus.PUBLISHED)
    errors.raise_if_any()
    now = timezone.now()
    for name, value in masked_fields(locked).items():
        setattr(locked, name, value)
    locked.status = PublicationStatus.PUBLISHED
    locked.published_at = now
    locked.published_by = actor
    locked.display_until = rules.display_until(
        timezone.localdate(now),
        locked.display_rule,
        locked.restriction_years,
        lifetime=locked.restriction_lifetime,
        region_code=locked.region_id,
    )
    locked.save()
    late = locked.publish_by is not None and timezone.localdate(now) > locked.publish_by
    record(
        actor=actor,
        action="portal.publication_published",
        obj=locked,
        changes={
            "status": [PublicationStatus.DRAFT, PublicationStatus.PUBLISHED],
            "display_until": locked.display_until.isoformat(),
            "late": late,
        },
        department=locked.department,
    )
    return locked


@transaction.atomic
def publish_publication(*, actor: Any, publication: Publication) -> Publication:
    """Publish a draft: mask personal data, put it on display for its period (audited)."""
    locked = lock_for(actor, publication, "publish")
    return do_publish(actor, locked)


def do_withdraw(actor: Any, locked: Publication, reason: str) -> Publication:
    """Withdraw a locked draft or publication with ``reason`` (no permission check)."""
    errors = FieldErrors()
    check_transition(errors, locked, PublicationStatus.WITHDRAWN)
    reason = clean_text(errors, "reason", reason, multiline=True)
    if not reason and not errors.has("reason"):
        errors.add("reason", _("Give the reason for withdrawing the publication."), "required")
    errors.raise_if_any()
    from_status = locked.status
    locked.status = PublicationStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "withdrawn_at", "reason", "updated_at"])
    late = locked.withdraw_by is not None and timezone.localdate() > locked.withdraw_by
    record(
        actor=actor,
        action="portal.publication_withdrawn",
        obj=locked,
        changes={"status": [from_status, PublicationStatus.WITHDRAWN], "late": late},
        reason=reason,
        department=locked.department,
    )
    return locked


@transaction.atomic
def withdraw_publication(*, actor: Any, publication: Publication, reason: str) -> Publication:
    """Take a publication (or a draft) off the portal for good, with the reason (audited)."""
    locked = lock_for(actor, publication, "withdraw")
    return do_withdraw(actor, locked, reason)


@transaction.atomic
def stop_publication_early(
    *, actor: Any, publication: Publication, conditions: list[str], reason: str = ""
) -> Publication:
    """Stop a publication before its period ends (规定 第14条; audited with the checklist).

    Needs the minimum period since publication (``PORTAL_EARLY_STOP_MIN_DAYS``), all four
    conditions confirmed, and a penalty that is not of a kind never stopped early.
    """
    locked = lock_for(actor, publication, "stop")
    errors = FieldErrors()
    check_transition(errors, locked, PublicationStatus.STOPPED)
    if not rules.may_stop_early(locked.penalty_kinds):
        errors.add(
            "conditions",
            _(
                "Publications of business suspensions, restrictions, bans on practice, "
                "downgrades or revocations are never stopped early."
            ),
            "never_stopped",
        )
    today = timezone.localdate()
    if locked.published_at is not None:
        earliest = timezone.localdate(locked.published_at) + dt.timedelta(
            days=rules.early_stop_min_days()
        )
        if today < earliest:
            errors.add(
                "conditions",
                _("Publication can be stopped early from %(date)s on."),
                "too_early",
                {"date": earliest.isoformat()},
            )
    given = {str(item) for item in conditions}
    unknown = given - set(EarlyStopCondition.values)
    if unknown:
        errors.add("conditions", _("Unknown condition."), "invalid_choice")
    elif given != set(EarlyStopCondition.values):
        errors.add(
            "conditions",
            _("All four conditions of article 14 must hold to stop early."),
            "conditions_missing",
        )
    reason = clean_text(errors, "reason", reason, multiline=True)
    errors.raise_if_any()
    return do_stop(actor, locked, conditions=given, reason=reason)


def do_stop(
    actor: Any,
    locked: Publication,
    *,
    conditions: set[str] | list[str],
    reason: str,
    changes: dict[str, Any] | None = None,
) -> Publication:
    """Stop a locked publication early with the ``conditions`` of 第14条 confirmed (no checks:
    callers have made them); audited with the checklist and any further ``changes``."""
    locked.status = PublicationStatus.STOPPED
    locked.stopped_at = timezone.now()
    locked.reason = reason
    locked.early_stop_conditions = sorted(conditions)
    locked.save(
        update_fields=["status", "stopped_at", "reason", "early_stop_conditions", "updated_at"]
    )
    record(
        actor=actor,
        action="portal.publication_stopped",
        obj=locked,
        changes={
            "status": [PublicationStatus.PUBLISHED, PublicationStatus.STOPPED],
            "conditions": sorted(conditions),
            **(changes or {}),
        },
        reason=reason,
        department=locked.department,
    )
    return locked


@transaction.atomic
def expire_publications(*, actor: Any = None, today: dt.date | None = None) -> int:
    """Move publications past their display period to ``expired``; returns how many.

    Idempotent: run it as often as you like (the scheduler runs it hourly).
    """
    today = today or timezone.localdate()
    ids = list(
        Publication.objects.filter(
            status=PublicationStatus.PUBLISHED, display_until__lt=today
        ).values_list("pk", flat=True)
    )
    count = 0
    for locked in (
        Publication.objects.select_for_update(no_key=True)
        .filter(pk__in=ids, status=PublicationStatus.PUBLISHED)
        .select_related("department")
        .order_by("pk")
    ):
        locked.status = PublicationStatus.EXPIRED
        locked.expired_at = timezone.now()
        locked.save(update_fields=["status", "expired_at", "updated_at"])
        record(
            actor=actor,
            action="portal.publication_expired",
            obj=locked,
            changes={
                "status": [PublicationStatus.PUBLISHED, PublicationStatus.EXPIRED],
                "display_until": locked.display_until.isoformat() if locked.display_until else None,
            },
            department=locked.department,
        )
        count += 1
    return count


def unpublish_cases_of(actor: Any, publication: Publication, reason: str) -> int:
    """Unpublish the typical cases built on a withdrawn publication (audited)."""
    count = 0
    for case in TypicalCase.objects.select_for_update(no_key=True).filter(
        publication=publication, is_published=True
    ):
        case.is_published = False
        case.save(update_fields=["is_published", "updated_at"])
        record(
            actor=actor,
            action="portal.typical_case_unpublished",
            obj=case,
            changes={"is_published": [True, False]},
            reason=reason,
            department=case.department,
        )
        count += 1
    return count


@transaction.atomic
def stop_for_credit_repair(*, actor: Any = None, event: Any) -> list[Publication]:
    """Follow credit's ``CreditRepaired``: the penalty information of the repaired decision
    stops being displayed (规定 第14条; 信用修复). Returns the publications changed.

    The record's ``origin_ref`` names the decision. A published version is stopped early with
    the four conditions of 第14条 (credit checked them when it granted the repair); a draft is
    withdrawn so it is never published. A decision whose penalties include a kind never
    stopped early stays on display. Idempotent: a second delivery finds nothing open.
    """
    try:
        decision_public_id = uuid.UUID(str(event.origin_ref))
    except ValueError:
        return []  # a record entered by hand or imported: nothing published for it
    reason = str(
        _("Credit repaired on %(date)s: publication stopped (信用修复).")
        % {"date": event.repaired_on.isoformat()}
    )
    changed: list[Publication] = []
    for locked in (
        Publication.objects.select_for_update(no_key=True)
        .filter(decision_public_id=decision_public_id, status__in=OPEN_STATUSES)
        .select_related("department")
        .order_by("pk")
    ):
        if not rules.may_stop_early(locked.penalty_kinds):
            continue
        if locked.status == PublicationStatus.DRAFT:
            changed.append(do_withdraw(actor, locked, reason))
            continue
        changed.append(
            do_stop(
                actor,
                locked,
                conditions=EarlyStopCondition.values,
                reason=reason,
                changes={"credit_record": event.record_id},
            )
        )
    return changed
