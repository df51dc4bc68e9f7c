"""The restriction check stays cheap: one statement whatever the subject (and, through the API,
with the caller's roles), and a new rule set is seen at once (its parsed form is cached per
version)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from yaojian.credit import grades, services
from yaojian.credit.models import CreditRecord, RuleSet
from yaojian.credit.rules import DEFAULT_RULES
from yaojian.credit.tests.factories import dishonesty_record
from yaojian.registry.decisions import DecisionSubject

pytestmark = pytest.mark.django_db


listed = dishonesty_record


def test_query_counts(world: Any, django_assert_num_queries: Any) -> None:
    listed(world)
    code = world.entity.unified_social_credit_code
    with django_assert_num_queries(1):  # rule-set versions and the records, by credit code
        assert len(services.check_restrictions(code, "licence.issue")) == 1
    with django_assert_num_queries(1):  # … by identity card number, with the listings
        found = services.check_restrictions(
            DecisionSubject(id_number=world.person.id_number), "person.appoint"
        )
    assert found == []  # listed by a record only, not on the list; no ban
    with django_assert_num_queries(0):
        assert services.check_restrictions(code, "no.such.action") == []


def test_a_new_rule_set_applies_at_once(world: Any) -> None:
    listed(world)
    code = world.entity.unified_social_credit_code
    assert services.check_restrictions(code, "honour") != []
    rules = json.loads(json.dumps(DEFAULT_RULES))
    rules["restrictions"]["serious_dishonesty"].remove("honour")
    RuleSet.objects.create(
        province_code="540000", version=1, text=json.dumps(rules), valid_from=dt.date(2026, 1, 1)
    )
    assert "540000" in grades.current_rules()
    assert services.check_restrictions(code, "honour") == []
    assert services.check_restrictions(code, "licence.issue") != []
    # Another province's rule set does not decide for this entity.
    RuleSet.objects.filter(province_code="540000").update(province_code="110000")
    assert services.check_restrictions(code, "honour") != []


def test_the_api_checks_the_caller_and_the_subject_in_one_statement(
    world: Any, api_client_for: Any, django_assert_num_queries: Any
) -> None:
    """Token, then one statement: the caller's roles, the rule sets and the records."""
    listed(world)
    api = api_client_for(world.insurance)
    url = "/api/v1/credit/restrictions/"
    query = {"subject": world.entity.unified_social_credit_code, "action": "licence.issue"}
    api.get(url, query)  # warm: the token client's first request
    with django_assert_num_queries(2):
        response = api.get(url, query)
    assert response.status_code == 200
    assert response.json()["restricted"] is True
    assert response.json()["reasons"][0]["until"] == "2029-01-05"
    assert response["Server-Timing"].startswith("check;dur=")


def test_a_caller_without_an_active_role_is_refused(
    world: Any, api_client_for: Any, user_in_department: Any
) -> None:
    listed(world)
    from yaojian.accounts.models import Membership
    from yaojian.accounts.tests.factories import UserFactory

    nobody = UserFactory()
    url = "/api/v1/credit/restrictions/"
    query = {"subject": world.entity.unified_social_credit_code, "action": "licence.issue"}
    response = api_client_for(nobody).get(url, query)
    assert response.status_code == 403
    assert "第15条" not in response.content.decode()
    # A role in a department that was closed does not count either.
    Membership.objects.filter(user=world.insurance).update(is_active=False)
    assert api_client_for(world.insurance).get(url, query).status_code == 403
    assert (
        api_client_for(world.officer)
        .post(url, {"id_number": world.person.id_number, "action": "person.appoint"}, format="json")
        .status_code
        == 200
    )


def test_a_legal_representative_of_a_listed_entity_is_found_in_the_same_statement(
    world: Any, django_assert_num_queries: Any
) -> None:
    from yaojian.credit.choices import ListingState
    from yaojian.credit.models import Listing

    listed(world)
    penalty = CreditRecord.objects.get()
    Listing.objects.create(
        entity=world.entity,
        department=world.department,
        penalty_record=penalty,
        reasons="x",
        state=ListingState.PUBLISHED,
        decided_on=dt.date(2026, 2, 1),
        listed_until=dt.date(2029, 2, 1),
    )
    with django_assert_num_queries(1):
        found = services.check_restrictions(
            DecisionSubject(id_number=world.person.id_number), "person.appoint"
        )
    assert [(r.legal_basis, r.until) for r in found] == [
        ("《市场监督管理严重违法失信名单管理办法》第15条", "2029-02-01")
    ]
    assert world.entity.name in found[0].measure
