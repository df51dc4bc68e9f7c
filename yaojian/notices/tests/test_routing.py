"""Routing by the rules: exact recipients, clocks and answers expected."""

from __future__ import annotations

import datetime as dt

import time_machine

from yaojian.audit.models import AuditEvent
from yaojian.notices import services
from yaojian.notices.models import Notice, Problem


@time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC))
def test_counterfeit_sale_by_pharmacy_goes_to_health_insurance_and_police(world):
    # when
    problem = services.record_problem(
        actor=world.inspector,
        department=world.drug,
        category="counterfeit_drug",
        description="该药店销售假冒阿莫西林胶囊。",
        entity=world.pharmacy,
    )
    # then
    notices = {n.recipient.code: n for n in Notice.objects.filter(problem=problem)}
    assert sorted(notices) == ["HC-540102", "MI-540102", "PS-540100"]
    assert notices["MI-540102"].due_on == dt.date(2026, 3, 16)  # 10 working days
    assert notices["PS-540100"].due_on == dt.date(2026, 3, 9)  # 5 working days
    assert "医保结算" in notices["MI-540102"].expected_answer
    assert "供货的医疗机构" in notices["HC-540102"].expected_answer
    assert {n.sender_id for n in notices.values()} == {world.drug.pk}
    assert problem.region_id == "540102"
    actions = list(
        AuditEvent.objects.filter(action__startswith="notices.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["notices.problem_recorded"] + ["notices.notice_sent"] * 3


def test_problem_without_entity_follows_only_rules_for_any_entity(world):
    problem = services.record_problem(
        actor=world.inspector,
        department=world.drug,
        category="counterfeit_drug",
        description="街头流动摊贩销售假药。",
    )
    assert list(problem.notices.values_list("recipient__code", flat=True)) == ["PS-540100"]


def test_rule_level_same_falls_back_to_the_department_above(world):
    world.insurance.is_active = False
    world.insurance.save()
    problem = services.record_problem(
        actor=world.inspector,
        department=world.drug,
        category="insurance_fraud",
        description="回流药倒卖。",
        entity=world.pharmacy,
    )
    assert sorted(problem.notices.values_list("recipient__code", flat=True)) == [
        "MI-540100",
        "PS-540100",
    ]


def test_inactive_rule_is_ignored(world):
    from yaojian.notices.models import RoutingRule

    RoutingRule.objects.filter(
        category__code="counterfeit_drug", target_kind="public_security"
    ).update(is_active=False)
    problem = services.record_problem(
        actor=world.inspector,
        department=world.drug,
        category="counterfeit_drug",
        description="x",
        entity=world.pharmacy,
    )
    assert sorted(problem.notices.values_list("recipient__code", flat=True)) == [
        "HC-540102",
        "MI-540102",
    ]


def test_invalid_problem_writes_nothing(world):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.record_problem(
            actor=world.inspector,
            department=world.drug,
            category="nonsense",
            description="",
            personal_data=[{"role": "patient", "name": "", "id_number": "123"}],
        )
    assert set(exc.value.message_dict) == {
        "category",
        "description",
        "personal_data.0.name",
        "personal_data.0.id_number",
    }
    assert Problem.objects.count() == 0
    assert Notice.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="notices.").count() == 0
