import datetime as dt

import pytest
from django.db import transaction

from yaojian.core import events
from yaojian.portal.choices import PublicationStatus
from yaojian.portal.models import Publication
from yaojian.portal.tests.factories import case_decided, decision_changed, penalty

pytestmark = pytest.mark.django_db


def test_case_decided_queues_the_publication(department, today, django_capture_on_commit_callbacks):
    payload = penalty(department)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.publish(case_decided(payload, department))
    publication = Publication.objects.get()
    assert publication.decision_public_id == payload.decision_public_id
    assert publication.status == PublicationStatus.DRAFT


def test_a_decision_without_publication_is_ignored(
    department, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.publish(case_decided(None, department))
    assert Publication.objects.count() == 0


def test_decision_changed_withdraws_within_three_working_days(
    published, today, django_capture_on_commit_callbacks
):
    payload = penalty(published.department, decision_public_id=published.decision_public_id)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.publish(decision_changed(payload, "revoked", dt.date(2025, 10, 9)))
    published.refresh_from_db()
    assert published.status == PublicationStatus.WITHDRAWN
    assert published.withdraw_by == dt.date(2025, 10, 13)
    assert published.withdrawn_at is not None
