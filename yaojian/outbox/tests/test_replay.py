"""Replay (service, pages, API): who may, what it changes, audited, never a delivered one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.outbox import services
from yaojian.outbox.choices import MessageStatus
from yaojian.outbox.models import Message
from yaojian.outbox.tests.factories import MessageFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def admin(user_in_department):
    return user_in_department(role=Role.ADMINISTRATOR)


@pytest.fixture
def department(admin):
    return admin.memberships.get().department


@pytest.fixture
def dead(department):
    return MessageFactory(department=department)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    return client


def replays() -> int:
    return AuditEvent.objects.filter(action="outbox.message_replayed").count()


def test_replay_puts_a_dead_hand_off_back_to_pending_and_audits_it(
    admin, dead, django_capture_on_commit_callbacks
):
    # the handler is not subscribed here: the replayed delivery fails again, visibly
    with django_capture_on_commit_callbacks(execute=True):
        services.replay_message(actor=admin, message=dead)
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (MessageStatus.FAILED, 1)
    event = AuditEvent.objects.get(action="outbox.message_replayed")
    assert (event.actor_id, event.object_id) == (admin.pk, str(dead.public_id))
    assert event.changes["status"] == [MessageStatus.DEAD, MessageStatus.PENDING]


def test_replay_runs_the_handler_again_with_the_same_key(admin, department, deliver_outbox):
    from yaojian.core import events
    from yaojian.outbox.tests import handoffs

    events.subscribe(handoffs.ThingHandedOff, handoffs.remember)
    try:
        message = MessageFactory(
            department=department, handler="yaojian.outbox.tests.handoffs.remember"
        )
        services.replay_message(actor=admin, message=message)
        assert deliver_outbox() == 1
    finally:
        events.unsubscribe(handoffs.ThingHandedOff, handoffs.remember)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 1)
    assert handoffs.SEEN[-1] == handoffs.ThingHandedOff(thing=message.payload["thing"])
    handoffs.SEEN.clear()


def test_a_delivered_hand_off_is_not_replayed(admin, department):
    delivered = MessageFactory(department=department, status=MessageStatus.DELIVERED, attempts=1)
    with pytest.raises(ValidationError) as error:
        services.replay_message(actor=admin, message=delivered)
    assert error.value.code == "not_replayable"
    delivered.refresh_from_db()
    assert (delivered.status, replays()) == (MessageStatus.DELIVERED, 0)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.DEPARTMENT_HEAD, False),
        (Role.INSPECTOR, False),
        (Role.AUDITOR, False),
    ],
)
def test_who_may_replay(user_in_department, department, role, allowed):
    user = user_in_department(role=role, department=department)
    message = MessageFactory(department=department)
    if allowed:
        services.replay_message(actor=user, message=message)
        assert Message.objects.get(pk=message.pk).status == MessageStatus.PENDING
        return
    expected = PermissionDenied if role == Role.DEPARTMENT_HEAD else Message.DoesNotExist
    with pytest.raises(expected):
        services.replay_message(actor=user, message=message)
    assert (Message.objects.get(pk=message.pk).status, replays()) == (MessageStatus.DEAD, 0)


def test_another_departments_hand_off_is_not_found(admin):
    theirs = MessageFactory()  # no department: superusers only
    with pytest.raises(Message.DoesNotExist):
        services.replay_message(actor=admin, message=theirs)
    assert replays() == 0


def test_list_filters_by_status_and_shows_my_department_only(
    admin_client, department, dead, django_assert_max_num_queries
):
    MessageFactory(department=department, status=MessageStatus.DELIVERED, attempts=1)
    MessageFactory(status=MessageStatus.DEAD)  # another department's: not shown
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("outbox:message_list"), {"status": "dead"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="handoff-row"') == 1
    assert 'data-status="dead"' in page
    assert '<strong data-testid="count-dead">1</strong>' in page
    assert '<strong data-testid="count-delivered">1</strong>' in page
    partial = admin_client.get(reverse("outbox:message_list"), {"status": "delivered"}, **HTMX)
    assert partial.content.decode().startswith('\n<div id="handoff-table">')
    assert partial.content.decode().count('data-status="delivered"') == 1


def test_detail_shows_the_error_and_replay_button(admin_client, dead):
    response = admin_client.get(reverse("outbox:message_detail", args=[dead.public_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "RuntimeError: receiving system refused" in page
    assert 'data-testid="handoff-replay"' in page


def test_replay_page_post_redirects_and_audits(admin_client, dead):
    response = admin_client.post(reverse("outbox:message_replay", args=[dead.public_id]))
    assert response.status_code == 302
    assert replays() == 1


def test_replay_page_refuses_a_delivered_hand_off_with_422(admin_client, department):
    delivered = MessageFactory(department=department, status=MessageStatus.DELIVERED, attempts=1)
    response = admin_client.post(
        reverse("outbox:message_replay", args=[delivered.public_id]), **HTMX
    )
    assert response.status_code == 422
    assert "Only a failed or dead hand-off can be replayed" in response.content.decode()
    assert replays() == 0


def test_replay_page_needs_post_and_csrf(admin, dead):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    url = reverse("outbox:message_replay", args=[dead.public_id])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert replays() == 0


def test_pages_are_404_for_another_department_and_403_without_permission(
    admin_client, client, user_in_department
):
    theirs = MessageFactory()
    assert (
        admin_client.get(reverse("outbox:message_detail", args=[theirs.public_id])).status_code
        == 404
    )
    assert (
        admin_client.post(reverse("outbox:message_replay", args=[theirs.public_id])).status_code
        == 404
    )
    inspector = user_in_department(role=Role.INSPECTOR)
    client.force_login(inspector)
    assert client.get(reverse("outbox:message_list")).status_code == 403
    assert replays() == 0


def test_api_lists_my_hand_offs_by_status_and_replays(admin, department, dead, api_client_for):
    MessageFactory(department=department, status=MessageStatus.DELIVERED, attempts=1)
    MessageFactory(status=MessageStatus.DEAD)  # another department's
    api = api_client_for(admin)
    listed = api.get("/api/v1/handoffs/", {"status": "dead"})
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [str(dead.public_id)]
    assert listed.json()["results"][0]["last_error"] == "RuntimeError: receiving system refused"
    detail = api.get(f"/api/v1/handoffs/{dead.public_id}/")
    assert detail.json()["payload"] == dead.payload
    replayed = api.post(f"/api/v1/handoffs/{dead.public_id}/replay/")
    assert (replayed.status_code, replayed.json()["status"]) == (202, MessageStatus.PENDING)
    assert replays() == 1


def test_api_refuses_inspectors_and_hides_other_departments(
    admin, user_in_department, department, api_client_for
):
    theirs = MessageFactory()
    mine = MessageFactory(department=department)
    assert api_client_for(admin).get(f"/api/v1/handoffs/{theirs.public_id}/").status_code == 404
    inspector = user_in_department(role=Role.INSPECTOR, department=department)
    api = api_client_for(inspector)
    assert api.get("/api/v1/handoffs/").status_code == 403
    assert api.post(f"/api/v1/handoffs/{mine.public_id}/replay/").status_code == 403
    assert replays() == 0


def test_the_list_names_events_and_steps_in_words(admin_client, department):
    MessageFactory(
        department=department,
        event_type="yaojian.referrals.events.ReferralMade",
        handler="yaojian.referrals.handlers.notify_police",
    )
    admin_client.cookies["django_language"] = "zh-hans"

    page = admin_client.get(reverse("outbox:message_list")).content.decode()

    assert "通知公安机关" in page
    assert "案件移送公安机关" in page
    assert ">referrals.handlers.notify_police<" not in page
    assert ">ReferralMade<" not in page
