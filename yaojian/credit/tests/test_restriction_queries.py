"""The restriction check stays cheap: a fixed, small number of queries whatever the subject,
and a new rule set is seen at once (its parsed form is cached per version)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from yaojian.credit import grades, services
from yaojian.credit.choices import RecordKind, RecordOrigin
from yaojian.credit.models import CreditRecord, RuleSet
from yaojian.credit.rules import DEFAULT_RULES
from yaojian.registry.decisions import DecisionSubject

pytestmark = pytest.mark.django_db


def listed(world: Any) -> None:
    CreditRecord.objects.create(
        entity=world.entity,
        region_id="540102",
        kind=RecordKind.SERIOUS_DISHONESTY,
        origin=RecordOrigin.UI,
        source_department=world.department,
        legal_basis="第15条",
        occurred_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2029, 1, 5),
    )


def test_query_counts(world: Any, django_assert_num_queries: Any) -> None:
    listed(world)
    code = world.entity.unified_social_credit_code
    with django_assert_num_queries(2):  # current rule sets, the records by credit code
        assert len(services.check_restrictions(code, "licence.issue")) == 1
    with django_assert_num_queries(3):  # … by identity card number, and the listings
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
