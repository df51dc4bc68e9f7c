"""From enforcement's decisions to publications (called by the event handlers, as the system).

* ``ingest_decision``: a decided case whose penalty must be published becomes a draft with its
  deadline (20 working days), or is published at once when ``PORTAL_AUTO_PUBLISH`` is on.
* ``apply_decision_change``: a revoked or void decision is withdrawn (at once by default,
  ``PORTAL_AUTO_WITHDRAW``; otherwise queued with its 3-working-day deadline); a changed one
  gets a new version and the old one is withdrawn.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from yaojian.accounts.models import Department
from yaojian.audit.services import record
from yaojian.clocks.calendar import CalendarNotCoveredError, add_working_days
from yaojian.portal import rules
from yaojian.portal.choices import OPEN_STATUSES, DecisionChange, PublicationStatus
from yaojian.portal.models import Publication
from yaojian.portal.services.publications import do_publish, do_withdraw, unpublish_cases_of
from yaojian.territory.models import Region

logger = logging.getLogger(__name__)


def _working_days_after(day: dt.date, days: int) -> dt.date | None:
    try:
        return add_working_days(day, days)
    except CalendarNotCoveredError:
        logger.warning("holiday calendar does not cover %s: deadline left open", day.year)
        return None


def _new_publication(
    payload: Any, *, version: int, replaces: Publication | None, publish_by: dt.date | None
) -> Publication | None:
    region = Region.objects.filter(code=payload.region_code).first()
    department = Department.objects.filter(pk=payload.department_id).first()
    if region is None or department is None:
        logger.error(
            "decision %s: unknown region %r or department %r; not published",
            payload.decision_public_id,
            payload.region_code,
            payload.department_id,
        )
        return None
    publication = Publication(
        decision_public_id=payload.decision_public_id,
        version=version,
        replaces=replaces,
        department=department,
        region=region,
        decision_number=payload.decision_number[:100],
        decided_on=payload.decided_on,
        department_name=payload.department_name[:128],
        party_name=payload.party_name[:200],
        party_credit_code=(payload.party_credit_code or "")[:18],
        party_is_person=payload.party_is_person,
        party_address=str(getattr(payload, "party_address", "") or "")[:255],
        legal_representative=(payload.legal_representative or "")[:64],
        violation=payload.violation,
        legal_basis=payload.legal_basis,
        penalty_summary=payload.penalty_summary,
        penalty_kinds=list(payload.penalty_kinds),
        fine_amount=payload.fine_amount,
        confiscated_amount=payload.confiscated_amount,
        restriction_years=payload.restriction_years,
        restriction_lifetime=bool(getattr(payload, "restriction_lifetime", False)),
        entity_public_id=payload.entity_public_id,
        display_rule=rules.display_rule(
            penalty_kinds=payload.penalty_kinds,
            fine_amount=payload.fine_amount,
            restriction_years=payload.restriction_years,
            restriction_lifetime=bool(getattr(payload, "restriction_lifetime", False)),
            region_code=payload.region_code,
            party_is_person=payload.party_is_person,
        ),
        publish_by=publish_by,
    )
    publication.full_clean(exclude={"replaces"})
    publication.save()
    record(
        actor=None,
        action="portal.publication_queued",
        obj=publication,
        changes={
            "decision_number": publication.decision_number,
            "version": version,
            "display_rule": publication.display_rule,
            "publish_by": publish_by.isoformat() if publish_by else None,
        },
        department=department,
    )
    if rules.auto_publish():
        do_publish(None, publication)
    return publication


@transaction.atomic
def ingest_decision(*, actor: Any = None, payload: Any) -> Publication | None:
    """Queue the penalty information of a new decision (a ``PenaltyPublication``).

    Returns ``None`` when nothing is to be published (简易程序, warning only) or the decision
    is known already (events may be delivered again).
    """
    if not rules.is_publishable(payload):
        return None
    if Publication.objects.filter(decision_public_id=payload.decision_public_id).exists():
        return None
    publish_by = _working_days_after(payload.decided_on, rules.PUBLISH_WITHIN_WORKING_DAYS)
    return _new_publication(payload, version=1, replaces=None, publish_by=publish_by)


def _reason_for(change: str) -> str:
    labels = {choice.value: choice.label for choice in DecisionChange}
    return str(labels.get(change, gettext("The decision was changed.")))


@transaction.atomic
def apply_decision_change(*, actor: Any = None, event: Any) -> list[Publication]:
    """Follow a ``DecisionChanged`` event; returns the publications written.

    Every open version (draft or published) gets ``withdraw_by`` = changed_on + 3 working
    days. Revoked or void: they are withdrawn now when ``PORTAL_AUTO_WITHDRAW`` (the default),
    else left in the "to withdraw" queue. Changed: a new version with the new content is
    queued (publish by the same deadline) and the old ones are withdrawn.
    """
    withdraw_by = _working_days_after(event.changed_on, rules.WITHDRAW_WITHIN_WORKING_DAYS)
    reason = _reason_for(event.change)
    open_versions = list(
        Publication.objects.select_for_update(no_key=True)
        .filter(decision_public_id=event.decision_public_id, status__in=OPEN_STATUSES)
        .order_by("pk")
    )
    written: list[Publication] = []
    replacement: Publication | None = None
    if event.change == DecisionChange.CHANGED and rules.is_publishable(event.publication):
        latest = Publication.objects.filter(decision_public_id=event.decision_public_id).aggregate(
            Max("version")
        )["version__max"]
        replacement = _new_publication(
            event.publication,
            version=(latest or 0) + 1,
            replaces=open_versions[-1] if open_versions else None,
            publish_by=withdraw_by,
        )
        if replacement is not None:
            written.append(replacement)
    for old in open_versions:
        old.withdraw_by = withdraw_by
        if replacement is not None:
            old.reason = gettext("Replaced by version %(version)s after the decision changed.") % {
                "version": replacement.version
            }
        else:
            old.reason = reason
        old.save(update_fields=["withdraw_by", "reason", "updated_at"])
        if (
            rules.auto_withdraw()
            or replacement is not None
            or old.status == PublicationStatus.DRAFT
        ):
            do_withdraw(actor, old, old.reason)
            if event.change in (DecisionChange.REVOKED, DecisionChange.VOID):
                unpublish_cases_of(actor, old, reason)
        else:
            record(
                actor=actor,
                action="portal.publication_withdrawal_due",
                obj=old,
                changes={"withdraw_by": withdraw_by.isoformat() if withdraw_by else None},
                reason=reason,
                department=old.department,
            )
        written.append(old)
    return written
