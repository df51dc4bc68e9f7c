"""Auditor pages: who sees which events, filters, pagination, object history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.audit.models import AuditEvent
from yaojian.audit.selectors import events_visible_to
from yaojian.audit.services import record

pytestmark = pytest.mark.django_db

EVENT_LIST = reverse("audit:event_list")
HISTORY = reverse("audit:object_history")


@pytest.fixture
def county(regions):
    return DepartmentFactory(code="MPA-540102", region_id="540102")


@pytest.fixture
def other_county(regions):
    return DepartmentFactory(code="MPA-540202", region_id="540202")


def _event(department, action="test.done", object_id="1", actor=None):
    return record(
        actor=actor,
        action=action,
        department=department,
        object_type="test.thing",
        object_id=object_id,
        object_repr=f"thing {object_id}",
    )


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.DEPARTMENT_HEAD, Role.ADMINISTRATOR])
def test_auditing_roles_see_only_their_departments_events(
    role, county, other_county, user_in_department
):
    mine = _event(county)
    _event(other_county)
    user = user_in_department(role=role, department=county)
    assert list(events_visible_to(user)) == [mine]


def test_superuser_sees_every_event(county, other_county, system_user):
    _event(county)
    _event(other_county)
    assert events_visible_to(system_user).count() == AuditEvent.objects.count()


def test_inspector_may_not_open_the_audit_trail(client, county, user_in_department):
    client.force_login(user_in_department(role=Role.INSPECTOR, department=county))
    assert client.get(EVENT_LIST).status_code == 403
    assert client.get(HISTORY, {"object_type": "test.thing", "object_id": "1"}).status_code == 403


def test_event_list_shows_the_departments_events_newest_first(
    client, county, other_county, user_in_department
):
    first = _event(county, object_id="1")
    second = _event(county, object_id="2")
    _event(other_county, object_id="3")
    client.force_login(user_in_department(role=Role.AUDITOR, department=county))
    response = client.get(EVENT_LIST)
    assert response.status_code == 200
    assert list(response.context["events"]) == [second, first]
    assert "<html" in response.text


def test_event_list_partial_for_htmx(client, county, user_in_department):
    _event(county)
    client.force_login(user_in_department(role=Role.AUDITOR, department=county))
    response = client.get(EVENT_LIST, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="event-table">')


def test_event_list_filters(client, county, user_in_department):
    # given
    auditor = user_in_department(role=Role.AUDITOR, department=county)
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)):
        old = _event(county, action="test.old", object_id="9")
    wanted = _event(county, action="test.wanted", actor=auditor)
    _event(county, action="test.other")
    client.force_login(auditor)
    today = timezone.localdate().isoformat()
    # when / then
    cases = [
        ({"action": "test.wanted"}, [wanted]),
        ({"actor": auditor.username}, [wanted]),
        ({"date_to": "2026-03-01"}, [old]),
        ({"date_from": today, "action": "test.old"}, []),
    ]
    for params, expected in cases:
        response = client.get(EVENT_LIST, params)
        events = [e for e in response.context["events"] if e.department_id == county.pk]
        assert events == expected, params


def test_event_list_paginates(client, county, user_in_department):
    auditor = user_in_department(role=Role.AUDITOR, department=county)
    for n in range(51):
        _event(county, object_id=str(n))
    client.force_login(auditor)
    first = client.get(EVENT_LIST)
    second = client.get(EVENT_LIST, {"page": 2})
    assert first.context["page_obj"].paginator.count == 51
    assert len(first.context["events"]) == 50
    assert len(second.context["events"]) == 1
    assert 'href="?page=2"' in first.text


def test_event_list_query_count_does_not_grow_with_rows(
    client, county, user_in_department, django_assert_max_num_queries
):
    auditor = user_in_department(role=Role.AUDITOR, department=county)
    for n in range(30):
        _event(county, object_id=str(n), actor=auditor)
    client.force_login(auditor)
    with django_assert_max_num_queries(10):
        client.get(EVENT_LIST)


def test_object_history_page_and_partial(client, county, other_county, user_in_department):
    # given
    created = _event(county, action="test.created", object_id="42")
    changed = _event(county, action="test.changed", object_id="42")
    _event(other_county, action="test.elsewhere", object_id="42")
    _event(county, action="test.other_object", object_id="43")
    client.force_login(user_in_department(role=Role.AUDITOR, department=county))
    params = {"object_type": "test.thing", "object_id": "42"}
    # when
    page = client.get(HISTORY, params)
    partial = client.get(HISTORY, params, headers={"HX-Request": "true"})
    # then
    assert list(page.context["events"]) == [created, changed]
    assert "<html" in page.text
    assert "<html" not in partial.text
    assert partial.text.lstrip().startswith('<section id="history"')
    assert "test.changed" in partial.text
    assert "test.elsewhere" not in partial.text


def test_changes_naming_a_field_items_are_shown_not_a_server_error(
    client, county, user_in_department
):
    # A measure's seized "items": ``changes.items`` in a template looked up that key (a 500).
    record(
        actor=None,
        action="test.measure",
        department=county,
        object_type="test.thing",
        object_id="9",
        object_repr="thing 9",
        changes={"items": ["假药 12 盒", "账册 1 本"], "kind": ["", "seizure"]},
    )
    client.force_login(user_in_department(role=Role.DEPARTMENT_HEAD, department=county))

    listing = client.get(EVENT_LIST)
    history = client.get(HISTORY, {"object_type": "test.thing", "object_id": "9"})

    assert (listing.status_code, history.status_code) == (200, 200)
    assert "假药 12 盒" in listing.text
    assert "假药 12 盒" in history.text
