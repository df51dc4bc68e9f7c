"""Enforcement's own events turned into notices to the departments concerned (delivered by
the event outbox after commit; idempotent per reference and recipient).

* a case filed, decided or closed → its participating departments;
* a licence revoked → the health commission and the medical-insurance bureau covering the
  region (the most local of each kind), and the participants.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.accounts.models import Department
from yaojian.clocks.events import CalendarChanged
from yaojian.core.events import subscribe
from yaojian.enforcement.events import CaseClosed, CaseDecided, CaseFiled, LicenceRevoked
from yaojian.territory.selectors import most_local_departments


def _send(event: Any, recipients: list[Department], subject: str, body: str, ref: str) -> None:
    from yaojian.notices.models import Notice
    from yaojian.notices.services import send_notice

    sender = Department.objects.get(pk=event.department_id)
    # Idempotent: each reference names one occurrence (a filing, a decision, a revocation), so
    # a department that already has the notice does not get it twice.
    already = set(
        Notice.objects.filter(
            source_app="enforcement", source_ref=ref, sender=sender, recipient__in=recipients
        ).values_list("recipient_id", flat=True)
    )
    recipients = [d for d in recipients if d.pk != sender.pk and d.pk not in already]
    if not recipients:
        return
    send_notice(
        actor=None,
        sender_department=sender,
        recipient_departments=recipients,
        subject=subject[:200],
        body=body,
        source_app="enforcement",
        source_ref=ref,
        url=reverse("enforcement:case_detail", args=[event.case_public_id]),
    )


def _participants(ids: tuple[int, ...]) -> list[Department]:
    return list(Department.objects.filter(pk__in=ids))


def on_case_filed(event: CaseFiled) -> None:
    _send(
        event,
        _participants(event.participant_department_ids),
        _("Case %(number)s was filed.") % {"number": event.number},
        event.title,
        f"case.filed:{event.case_public_id}",
    )


def on_case_decided(event: CaseDecided) -> None:
    _send(
        event,
        _participants(event.participant_department_ids),
        _("A decision was taken in case %(number)s.") % {"number": event.number},
        event.publication.penalty_summary if event.publication else "",
        f"case.decided:{event.decision_id}",
    )


def on_licence_revoked(event: LicenceRevoked) -> None:
    from yaojian.registry.models import Licence

    licence = Licence.objects.select_related("entity").get(pk=event.licence_id)
    recipients = most_local_departments(
        event.region_code, (DepartmentKind.HEALTH_COMMISSION, DepartmentKind.MEDICAL_INSURANCE)
    )
    _send(
        event,
        recipients,
        _("The licence %(licence)s of %(entity)s was revoked.")
        % {"licence": licence.number, "entity": licence.entity.name},
        _("Check the designations and agreements that depend on this licence."),
        f"licence.revoked:{licence.public_id}",
    )


def on_case_closed(event: CaseClosed) -> None:
    _send(
        event,
        _participants(event.participant_department_ids),
        _("A joint case was closed."),
        "",
        f"case.closed:{event.case_public_id}",
    )


def on_calendar_changed(event: CalendarChanged) -> None:
    """An administrator loaded or changed a year's schedule: recompute the due dates that
    touch it, and every due date computed with a provisional year (DOMAIN.md §5.1)."""
    from yaojian.clocks.calendar import forget_calendar
    from yaojian.enforcement.services.clocks import recompute_provisional_clocks

    forget_calendar()
    recompute_provisional_clocks(event.years)


def connect() -> None:
    subscribe(CalendarChanged, on_calendar_changed)
    subscribe(CaseFiled, on_case_filed)
    subscribe(CaseDecided, on_case_decided)
    subscribe(LicenceRevoked, on_licence_revoked)
    subscribe(CaseClosed, on_case_closed)
