"""Who sees the reporter's identity (第33条): the officer the complaint is assigned to, while a
member of the handling department, and that department's head — nobody else (other officers of
the same office, overseers, other offices, superusers). Every view audited; everyone else sees
a mask."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from yaojian.accounts.tests.factories import UserFactory
from yaojian.audit.models import AuditEvent
from yaojian.complaints import selectors, services
from yaojian.complaints.choices import Kind, Topic
from yaojian.complaints.tests.conftest import SECRET_NAME, SECRET_PHONE, receive

# (user attribute of ``world``, sees the identity of a complaint assigned to ``world.officer``)
MATRIX = [
    ("officer", True),  # case officer, handling department, assigned
    ("officer2", False),  # case officer, handling department, not assigned
    ("head", True),  # head of the handling department (assigns the officers)
    ("inspector", False),  # handling department, no handling role
    ("reviewer", False),  # legal reviewer of the handling department
    ("auditor", False),  # auditor of the handling department
    ("city_head", False),  # head of the office above (oversight)
    ("city_officer", False),  # case officer of the office above
    ("leader", False),  # leader overseeing the city
    ("other_officer", False),  # case officer of another county
    ("insurance_officer", False),  # another kind of department
]


@pytest.fixture
def assigned(world: Any) -> Any:
    receipt = receive(kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE)
    return services.accept_complaint(actor=world.officer, complaint=receipt.complaint)


@pytest.mark.parametrize(("who", "sees"), MATRIX)
def test_identity_matrix(world: Any, assigned: Any, who: str, sees: bool) -> None:
    user = getattr(world, who)
    assert selectors.can_see_reporter(user, assigned) is sees
    client = Client()
    client.force_login(user)
    response = client.get(reverse("complaints:reporter", args=[assigned.public_id]))
    body = response.content.decode()
    views = AuditEvent.objects.filter(action="complaints.reporter_viewed", actor_id=user.pk)
    if sees:
        assert response.status_code == 200
        assert SECRET_NAME in body
        assert SECRET_PHONE in body
        assert views.count() == 1
    else:
        assert response.status_code in (403, 404)
        assert SECRET_NAME not in body
        assert views.count() == 0
    detail = client.get(reverse("complaints:detail", args=[assigned.public_id]))
    if detail.status_code == 200:
        page = detail.content.decode()
        assert SECRET_NAME not in page
        assert ('data-testid="reveal-reporter"' in page) is sees
        assert ('data-testid="reporter-masked"' in page) is not sees


def test_superuser_does_not_see_the_identity(world: Any, assigned: Any) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert selectors.can_see_reporter(admin, assigned) is False
    assert selectors.reveal_reporter(admin, assigned) is None
    assert not AuditEvent.objects.filter(action="complaints.reporter_viewed").exists()


def test_unassigned_complaint_only_the_head_sees(world: Any) -> None:
    complaint = receive(kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE).complaint
    assert complaint.assigned_to is None
    assert [
        u
        for u in (world.officer, world.officer2, world.head)
        if selectors.can_see_reporter(u, complaint)
    ] == [world.head]


def test_head_reassigns_and_the_identity_follows(world: Any, assigned: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.assign_complaint(actor=world.officer, complaint=assigned, officer=world.officer2)
    with pytest.raises(ValidationError):
        services.assign_complaint(actor=world.head, complaint=assigned, officer=world.inspector)
    with pytest.raises(ValidationError):
        services.assign_complaint(actor=world.head, complaint=assigned, officer=world.other_officer)
    complaint = services.assign_complaint(
        actor=world.head, complaint=assigned, officer=world.officer2
    )
    assert selectors.can_see_reporter(world.officer2, complaint)
    assert not selectors.can_see_reporter(world.officer, complaint)
    assert AuditEvent.objects.filter(action="complaints.complaint_assign").count() == 1
    step = complaint.steps.get(action="assign")
    assert step.is_public is False


def test_head_assigns_from_the_page(world: Any) -> None:
    complaint = receive(kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE).complaint
    head = Client()
    head.force_login(world.head)
    url = reverse("complaints:detail", args=[complaint.public_id])
    assert 'data-testid="step-assign"' in head.get(url).content.decode()
    officer = Client()
    officer.force_login(world.officer)
    assert 'data-testid="step-assign"' not in officer.get(url).content.decode()
    step = reverse("complaints:step", args=[complaint.public_id, "assign"])
    assert officer.post(step, {"officer": world.officer.pk}).status_code == 403
    assert head.post(step, {"officer": world.officer2.pk}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.assigned_to == world.officer2


def test_officer_loses_sight_when_the_other_office_takes_it_over(world: Any) -> None:
    complaint = receive(kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE).complaint
    complaint = services.assign_complaint(
        actor=world.head, complaint=complaint, officer=world.officer
    )
    complaint = services.raise_dispute(
        actor=world.officer, complaint=complaint, department=world.other, reason="经营地在林周县"
    )
    complaint = services.resolve_dispute(
        actor=world.other_officer, complaint=complaint, department=world.other
    )
    assert complaint.assigned_to is None
    assert not selectors.can_see_reporter(world.officer, complaint)
    assert not selectors.can_see_reporter(world.head, complaint)
