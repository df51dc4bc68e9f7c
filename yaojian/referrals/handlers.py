"""Reactions: notices to the police and back, the no-substitution warning, document access."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from yaojian.accounts.models import Department
from yaojian.referrals import selectors, services
from yaojian.referrals.events import ReferralAnswered, ReferralMade
from yaojian.referrals.models import Referral

logger = logging.getLogger(__name__)

FINE_ONLY = frozenset({"fine", "warning", "confiscate_gains", "confiscate_goods"})


def can_read_referral_document(user: Any, document: Any) -> bool:
    """Documents of a referral: whoever may see the referral (agency and police addressed)."""
    public_id = document.subject.partition(":")[2]
    try:
        selectors.get_referral_for_user(user, public_id)
    except Referral.DoesNotExist:
        return False
    return True


def _sent_before(
    sender: Department, recipient: Department, ref: str, subject: str, body: str
) -> bool:
    """The same notice was sent already (a hand-off delivered again): idempotent in effect."""
    from yaojian.notices.models import Notice

    return Notice.objects.filter(
        source_app="referrals",
        source_ref=ref,
        sender=sender,
        recipient=recipient,
        subject=subject.strip(),
        body=body.strip(),
    ).exists()


def notify_police(event: ReferralMade) -> None:
    """A notice to the police department the case was transferred to."""
    from yaojian.notices.services import send_notice

    sender = Department.objects.get(pk=event.department_id)
    police = Department.objects.get(pk=event.police_department_id)
    params = {
        "number": event.case_number,
        "department": sender.name,
        "crime": event.suspected_crime,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Suspected crime transferred: case %(number)s") % params
        body = (
            _(
                "%(department)s transferred case %(number)s (suspected %(crime)s). Please sign "
                "the receipt and answer in writing within 3 days whether you open a case."
            )
            % params
        )
    if _sent_before(sender, police, str(event.referral_public_id), subject, body):
        return
    send_notice(
        actor=None,
        sender_department=sender,
        recipient_departments=[police],
        subject=subject,
        body=body,
        source_app="referrals",
        source_ref=str(event.referral_public_id),
        url=reverse("referrals:referral_detail", args=[event.referral_public_id]),
    )


def notify_referring_department(event: ReferralAnswered) -> None:
    """A notice to the referring department with the police answer."""
    from yaojian.notices.services import send_notice

    police = Department.objects.get(pk=event.police_department_id)
    agency = Department.objects.get(pk=event.department_id)
    from yaojian.referrals.choices import ReferralState

    labels = {**dict(ReferralState.choices), "forwarded": _("Forwarded")}
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "number": event.case_number,
            "police": police.name,
            "answer": str(labels.get(event.answer, event.answer)),
            "reasons": event.reasons,
        }
        subject = _("Police answer on transferred case %(number)s") % params
        body = _("%(police)s: %(answer)s. %(reasons)s") % params
    if _sent_before(police, agency, str(event.referral_public_id), subject, body):
        return
    send_notice(
        actor=None,
        sender_department=police,
        recipient_departments=[agency],
        subject=subject,
        body=body,
        source_app="referrals",
        source_ref=str(event.referral_public_id),
        url=reverse("referrals:referral_detail", args=[event.referral_public_id]),
    )


def warn_on_penalty_instead_of_transfer(event: Any) -> None:
    """A case with an open referral decided with a fine only: log the 第11条 warning."""
    referral = selectors.open_referral_of_case(event.case_id)
    publication = getattr(event, "publication", None)
    if referral is None or publication is None:
        return
    kinds = set(getattr(publication, "penalty_kinds", ()) or ())
    if kinds and kinds <= FINE_ONLY:
        services.record_substitution_warning(
            referral=referral,
            decision_note=str(getattr(publication, "decision_number", "")),
        )
