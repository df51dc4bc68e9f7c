"""Endpoint services: permission, validation, SSRF guard, audit without the secret."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.webhooks.models import Endpoint
from yaojian.webhooks.services import create_endpoint, rotate_endpoint_secret, update_endpoint
from yaojian.webhooks.tests.factories import EndpointFactory


def _create(actor, **overrides):
    values = {
        "name": "省局系统",
        "url": "http://127.0.0.1:8080/hook",
        "event_types": ["notice.created"],
    }
    values.update(overrides)
    return create_endpoint(actor=actor, **values)


def test_create_endpoint_generates_a_secret_kept_out_of_the_audit(admin, department):
    endpoint = _create(admin)
    assert endpoint.department == department
    assert endpoint.secret.startswith("whsec_")
    assert len(endpoint.secret) > 40
    event = AuditEvent.objects.get(action="webhooks.endpoint_created")
    assert endpoint.secret not in str(event.changes)
    assert "secret" not in event.changes


def test_rotate_replaces_the_secret(admin, department):
    endpoint = _create(admin)
    old = endpoint.secret
    rotated = rotate_endpoint_secret(actor=admin, endpoint=endpoint)
    assert rotated.secret != old
    event = AuditEvent.objects.get(action="webhooks.endpoint_secret_rotated")
    assert old not in str(event.changes)
    assert rotated.secret not in str(event.changes)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link_local"),
        ("http://[::ffff:169.254.169.254]/", "link_local"),
        ("ftp://example.org/", "invalid_scheme"),
        ("http://user:pw@127.0.0.1/", "credentials"),
    ],
)
def test_forbidden_urls_are_refused(admin, url, code):
    with pytest.raises(ValidationError) as error:
        _create(admin, url=url)
    assert [e.code for e in error.value.error_dict["url"]] == [code]
    assert Endpoint.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="webhooks.").exists()


def test_private_addresses_need_the_setting(admin, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    for url in ("http://127.0.0.1/hook", "http://10.1.2.3/hook", "http://localhost/hook"):
        with pytest.raises(ValidationError) as error:
            _create(admin, url=url)
        assert [e.code for e in error.value.error_dict["url"]] == ["private"]


def test_bad_event_types_and_blank_name(admin):
    with pytest.raises(ValidationError) as error:
        _create(admin, name="  ", event_types=["Not An Event"])
    assert set(error.value.message_dict) == {"name", "event_types"}


@pytest.mark.parametrize("role", [Role.DEPARTMENT_HEAD, Role.INSPECTOR, Role.DATA_STEWARD])
def test_only_administrators_add_endpoints(user_in_department, role):
    with pytest.raises(PermissionDenied):
        _create(user_in_department(role=role))
    assert Endpoint.objects.count() == 0


def test_department_head_sees_but_may_not_change(user_in_department, department):
    head = user_in_department(role=Role.DEPARTMENT_HEAD, department=department)
    endpoint = EndpointFactory(department=department)
    assert list(Endpoint.objects.visible_to(head)) == [endpoint]
    with pytest.raises(PermissionDenied):
        update_endpoint(actor=head, endpoint=endpoint, name="x")


def test_another_departments_admin_cannot_see_or_change(user_in_department, department):
    endpoint = EndpointFactory(department=department)
    other = user_in_department(role=Role.ADMINISTRATOR)
    assert not Endpoint.objects.visible_to(other).exists()
    with pytest.raises(Endpoint.DoesNotExist):
        update_endpoint(actor=other, endpoint=endpoint, name="x")
    with pytest.raises(Endpoint.DoesNotExist):
        rotate_endpoint_secret(actor=other, endpoint=endpoint)


def test_update_noop_writes_nothing(admin):
    endpoint = _create(admin)
    update_endpoint(actor=admin, endpoint=endpoint, name=endpoint.name)
    assert not AuditEvent.objects.filter(action="webhooks.endpoint_changed").exists()
    update_endpoint(actor=admin, endpoint=endpoint, event_types=["*"], is_active=False)
    event = AuditEvent.objects.get(action="webhooks.endpoint_changed")
    assert event.changes["event_types"] == [["notice.created"], ["*"]]
