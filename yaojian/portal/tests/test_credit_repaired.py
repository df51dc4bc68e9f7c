"""Credit's ``CreditRepaired`` reaches the portal through the outbox: the repaired decision's
penalty information stops being displayed (第14条), once, whatever the deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.credit import services as credit
from yaojian.credit.choices import RecordKind, RecordOrigin
from yaojian.credit.events import CreditRepaired
from yaojian.credit.models import CreditRecord
from yaojian.portal import handlers, services
from yaojian.portal.choices import EarlyStopCondition, PublicationStatus
from yaojian.portal.models import Publication
from yaojian.portal.tests.factories import penalty
from yaojian.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def record_of(publication: Publication, entity: Any, department: Any) -> CreditRecord:
    return CreditRecord.objects.create(
        entity=entity,
        region_id="540102",
        kind=RecordKind.PENALTY,
        origin=RecordOrigin.EVENT,
        origin_ref=str(publication.decision_public_id),
        source_department=department,
        legal_basis=publication.legal_basis,
        occurred_on=publication.decided_on,
        expires_on=dt.date(2028, 9, 26),
    )


def test_repair_stops_the_publication_through_the_outbox_once(
    published: Publication,
    department: Any,
    member_of: Any,
    officer: Any,
    deliver_outbox: Any,
    client: Any,
) -> None:
    entity = EntityFactory(region_id="540102", registered_by=department)
    item = record_of(published, entity, department)
    head = member_of(department, Role.DEPARTMENT_HEAD)
    page = reverse("portal:credit_entity", args=[entity.public_id])
    assert "《中华人民共和国药品管理法》第一百一十七条" in client.get(page).content.decode()
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        application = credit.apply_for_repair(
            actor=officer, item=item, penalty_complied=True, harm_remedied=True
        )
        credit.decide_repair(actor=head, application=application, grant=True, reasons="符合条件")
        assert deliver_outbox() >= 1
        published.refresh_from_db()
        assert published.status == PublicationStatus.STOPPED
        assert published.early_stop_conditions == sorted(EarlyStopCondition.values)
        assert "2026-10-09" in published.reason
        stopped = AuditEvent.objects.filter(action="portal.publication_stopped")
        assert stopped.count() == 1
        assert stopped.get().changes["credit_record"] == item.pk
        # The public pages change: the penalty is off the list, the credit page says repaired.
        penalties = client.get(reverse("portal:penalty_list")).content.decode()
        assert published.decision_number not in penalties
        text = client.get(page).content.decode()
        assert "《中华人民共和国药品管理法》第一百一十七条" not in text
        assert 'data-testid="public-credit-repairs"' in text
        # Delivered again (a replay): nothing more happens.
        event = CreditRepaired(
            record_id=item.pk,
            entity_id=entity.pk,
            origin_ref=item.origin_ref,
            repaired_on=dt.date(2026, 10, 9),
        )
        handlers.on_credit_repaired(event)
        assert AuditEvent.objects.filter(action="portal.publication_stopped").count() == 1


def test_a_draft_is_withdrawn_and_a_never_stopped_penalty_stays(
    department: Any, today: Any
) -> None:
    draft = services.ingest_decision(payload=penalty(department))
    revoked = services.ingest_decision(
        payload=penalty(department, penalty_kinds=("fine", "revoke_licence"))
    )
    assert draft is not None
    assert revoked is not None
    revoked = services.publish_publication(actor=None, publication=revoked)
    for publication in (draft, revoked):
        changed = services.stop_for_credit_repair(
            event=CreditRepaired(
                record_id=1,
                entity_id=None,
                origin_ref=str(publication.decision_public_id),
                repaired_on=dt.date(2025, 10, 9),
            )
        )
        assert changed == ([draft] if publication is draft else [])
    draft.refresh_from_db()
    revoked.refresh_from_db()
    assert (draft.status, revoked.status) == (
        PublicationStatus.WITHDRAWN,
        PublicationStatus.PUBLISHED,
    )
    # A record not from a decision (entered by hand) names no publication.
    assert (
        services.stop_for_credit_repair(
            event=CreditRepaired(
                record_id=1, entity_id=None, origin_ref="", repaired_on=dt.date(2025, 10, 9)
            )
        )
        == []
    )
