"""Authorization matrix of the registry's writes, through the pages: response AND side effects.

Actors: anonymous; an inspector of another county; a member of the entity's department without
the permission (a leader); a data steward of that department; a data steward of the health
commission of the same county, without and with a ShareGrant of personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import ShareGrantFactory
from yaojian.audit.models import AuditEvent
from yaojian.registry.choices import EntityKind, LicenceStatus
from yaojian.registry.models import Entity, Licence

pytestmark = pytest.mark.django_db

ACTORS = (
    "anonymous",
    "other_county",
    "same_department_leader",
    "steward",
    "health",
    "health_shared",
)


@pytest.fixture
def make_actor(user_in_department, drug_regulator, health_commission) -> Callable[[str], Any]:
    def make(name: str) -> Any:
        if name == "anonymous":
            return None
        if name == "other_county":
            return user_in_department(role=Role.INSPECTOR, region="540103")
        if name == "same_department_leader":
            return user_in_department(role=Role.LEADER, department=drug_regulator)
        if name == "steward":
            return user_in_department(role=Role.DATA_STEWARD, department=drug_regulator)
        if name == "health_shared":
            ShareGrantFactory(grantor=drug_regulator, grantee=health_commission)
        return user_in_department(role=Role.DATA_STEWARD, department=health_commission)

    return make


@dataclass(frozen=True)
class Operation:
    """A write through a page: how to send it, which registry audit action it leaves."""

    send: Callable[[Client, dict[str, Any]], Any]
    action: str
    happened: Callable[[dict[str, Any]], bool]


def _create(client: Client, objects: dict[str, Any]) -> Any:
    data = {"name": "矩阵测试药房", "kind": EntityKind.SINGLE_PHARMACY, "region_code": "540102"}
    return client.post(reverse("registry:entity_create"), data)


def _update(client: Client, objects: dict[str, Any]) -> Any:
    entity = objects["entity"]
    data = {
        "name": "改名药房",
        "kind": entity.kind,
        "status": entity.status,
        "region_code": "540102",
    }
    return client.post(reverse("registry:entity_update", args=[entity.public_id]), data)


def _add_licence(client: Client, objects: dict[str, Any]) -> Any:
    data = {"kind": "drug_distribution", "number": "藏DA891009999", "valid_from": "2024-01-01"}
    return client.post(reverse("registry:licence_create", args=[objects["entity"].public_id]), data)


def _transition(client: Client, objects: dict[str, Any]) -> Any:
    url = reverse("registry:licence_transition", args=[objects["licence"].public_id])
    return client.post(url, {"to_status": "suspended", "reason": "矩阵测试"})


def _reveal(client: Client, objects: dict[str, Any]) -> Any:
    return client.post(reverse("registry:person_reveal", args=[objects["person"].public_id]))


OPERATIONS = {
    "create_entity": Operation(
        _create,
        "registry.entity_created",
        lambda o: Entity.objects.filter(name="矩阵测试药房").exists(),
    ),
    "update_entity": Operation(
        _update,
        "registry.entity_updated",
        lambda o: Entity.objects.get(pk=o["entity"].pk).name == "改名药房",
    ),
    "add_licence": Operation(
        _add_licence,
        "registry.licence_added",
        lambda o: Licence.objects.filter(number="藏DA891009999").exists(),
    ),
    "transition_licence": Operation(
        _transition,
        "registry.licence_status_changed",
        lambda o: Licence.objects.get(pk=o["licence"].pk).status == LicenceStatus.SUSPENDED,
    ),
    "reveal_personal_data": Operation(
        _reveal,
        "registry.personal_data_read",
        lambda o: AuditEvent.objects.filter(action="registry.personal_data_read").exists(),
    ),
}

LOGIN = "login"
# Expected answer per actor and operation: a status code, or LOGIN for the sign-in redirect.
EXPECTED: dict[str, dict[str, Any]] = {
    "anonymous": dict.fromkeys(OPERATIONS, LOGIN),
    "other_county": {
        "create_entity": 403,
        "update_entity": 404,
        "add_licence": 404,
        "transition_licence": 404,
        "reveal_personal_data": 404,
    },
    "same_department_leader": dict.fromkeys(OPERATIONS, 403),
    "steward": {
        "create_entity": 302,
        "update_entity": 302,
        "add_licence": 302,
        "transition_licence": 302,
        "reveal_personal_data": 200,
    },
    "health": {
        "create_entity": 302,
        "update_entity": 302,
        "add_licence": 302,
        "transition_licence": 403,  # only the issuing department changes a licence
        "reveal_personal_data": 403,  # the personal data belong to the drug regulator
    },
    "health_shared": {
        "create_entity": 302,
        "update_entity": 302,
        "add_licence": 302,
        "transition_licence": 403,  # a ShareGrant never carries write rights
        "reveal_personal_data": 200,
    },
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("actor_name", ACTORS)
def test_authorization_matrix(client, make_actor, entity, licence, person, actor_name, operation):
    # given
    actor = make_actor(actor_name)
    if actor is not None:
        client.force_login(actor)
    objects = {"entity": entity, "licence": licence, "person": person}
    expected = EXPECTED[actor_name][operation]
    op = OPERATIONS[operation]
    # when
    response = op.send(client, objects)
    # then
    allowed = expected in (200, 302)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    else:
        assert response.status_code == expected
    if expected == 302:
        assert not response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert op.happened(objects) is allowed
    actions = list(
        AuditEvent.objects.filter(action__startswith="registry.").values_list("action", flat=True)
    )
    assert actions == ([op.action] if allowed else [])
