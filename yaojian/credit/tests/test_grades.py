"""Grades: exact points per rule, inclusive boundaries, caps, history, rule sets."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from yaojian.credit import grades, selectors, services
from yaojian.credit.choices import RecordKind, RecordOrigin
from yaojian.credit.models import CreditGrade, CreditRecord, GradeChange, RuleSet
from yaojian.credit.rules import DEFAULT_RULES, parse_rules
from yaojian.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 9, 1)


def _record(entity: Any, kind: str, department: Any, *, on: dt.date = DAY, **extra: Any) -> Any:
    return CreditRecord.objects.create(
        entity=entity,
        region_id=entity.region_id,
        kind=kind,
        origin=RecordOrigin.UI,
        source_department=department,
        legal_basis="《药品管理法》第一百一十六条",
        occurred_on=on,
        **extra,
    )


def _grade(entity: Any, today: dt.date = dt.date(2026, 9, 24)) -> tuple[str, int]:
    grades.recompute(entity_ids=[entity.pk], today=today)
    row = CreditGrade.objects.get(entity=entity)
    return row.grade, row.score


@pytest.mark.parametrize(
    ("kinds", "score", "grade"),
    [
        ([], 100, "A"),
        ([RecordKind.TRAINING], 102, "A"),
        ([RecordKind.PENALTY], 90, "B"),
        ([RecordKind.PENALTY, RecordKind.CLEAN_YEAR], 95, "A"),  # 95 inclusive → A
        ([RecordKind.PENALTY, RecordKind.INSPECTION_PASSED, RecordKind.TRAINING], 95, "A"),
        ([RecordKind.PENALTY, RecordKind.INSPECTION_PASSED], 93, "B"),
        ([RecordKind.PENALTY, RecordKind.PENALTY], 80, "B"),  # 80 inclusive → B
        ([RecordKind.PENALTY, RecordKind.PENALTY, RecordKind.PERSONNEL_POINTS], 75, "C"),
        ([RecordKind.INSURANCE_MEASURE, RecordKind.INSURANCE_MEASURE, RecordKind.PENALTY], 60, "C"),
        (
            [
                RecordKind.INSURANCE_MEASURE,
                RecordKind.INSURANCE_MEASURE,
                RecordKind.PENALTY,
                RecordKind.PERSONNEL_POINTS,
            ],
            55,
            "D",
        ),
        ([RecordKind.HEAVY_PENALTY], 70, "C"),
        ([RecordKind.CRIMINAL_OUTCOME, RecordKind.CLEAN_YEAR, RecordKind.CLEAN_YEAR], 70, "C"),
        ([RecordKind.SERIOUS_DISHONESTY], 50, "D"),
        ([RecordKind.COMMITMENT], 100, "A"),
        ([RecordKind.COMMITMENT_BREACH], 80, "B"),
    ],
)
def test_grade_points_exactly_per_rule(
    world: Any, kinds: list[str], score: int, grade: str
) -> None:
    for kind in kinds:
        _record(world.entity, kind, world.department)
    assert _grade(world.entity) == (grade, score)
    explained = selectors.explain_grade(world.entity, day=dt.date(2026, 9, 24))
    assert (explained.grade, explained.score) == (grade, score)
    assert sorted(c.points for c in explained.contributions) == sorted(
        DEFAULT_RULES["points"][k] for k in kinds
    )


def test_positive_records_are_capped(world: Any) -> None:
    for _i in range(4):
        _record(world.entity, RecordKind.CLEAN_YEAR, world.department)
    _record(world.entity, RecordKind.HEAVY_PENALTY, world.department)  # -30, cap C
    assert _grade(world.entity) == ("C", 80)  # 100 - 30 + min(20, 10); capped at C


def test_caps_keep_a_high_score_down(world: Any) -> None:
    _record(world.entity, RecordKind.CRIMINAL_OUTCOME, world.department)
    text = json.dumps({"points": {"criminal_outcome": 0}})
    RuleSet.objects.create(province_code="540000", version=1, text=text, valid_from=DAY)
    assert _grade(world.entity) == ("C", 100)


def test_expired_withdrawn_and_future_records_do_not_count(world: Any) -> None:
    _record(world.entity, RecordKind.PENALTY, world.department, expires_on=dt.date(2026, 9, 24))
    _record(world.entity, RecordKind.PENALTY, world.department, status="withdrawn")
    _record(world.entity, RecordKind.PENALTY, world.department, on=dt.date(2026, 9, 25))
    assert _grade(world.entity) == ("A", 100)
    assert _grade(world.entity, dt.date(2026, 9, 23)) == ("B", 90)


def test_recompute_is_set_based_and_keeps_history(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    many = EntityFactory.create_batch(30, region_id="540102", registered_by=world.department)
    for entity in many[:10]:
        _record(entity, RecordKind.PENALTY, world.department)
    with django_assert_max_num_queries(8):
        changed = grades.recompute_province("540000", today=dt.date(2026, 9, 24))
    assert changed == 32  # every entity's first grade (30 + the world's two in 54…)
    assert CreditGrade.objects.filter(grade="B").count() == 10
    _record(many[0], RecordKind.PENALTY, world.department)
    _record(many[0], RecordKind.PENALTY, world.department)
    assert grades.recompute_province("540000", today=dt.date(2026, 9, 24)) == 1
    history = list(GradeChange.objects.filter(entity=many[0]).order_by("id"))
    assert [(h.from_grade, h.to_grade, h.score) for h in history] == [("", "B", 90), ("B", "C", 70)]


def test_create_record_recomputes_and_audits(world: Any) -> None:
    from yaojian.audit.models import AuditEvent

    item = services.create_record(
        actor=world.officer,
        entity=world.entity,
        kind=RecordKind.HEALTH_FINDING,
        legal_basis="《处方管理办法》第五十四条",
        occurred_on=DAY,
    )
    assert item.expires_on == dt.date(2029, 9, 1)
    assert CreditGrade.objects.get(entity=world.entity).score == 90
    assert AuditEvent.objects.filter(action="credit.record_added").count() == 1


def test_record_outside_rule_set_validity_is_refused(world: Any) -> None:
    RuleSet.objects.create(
        province_code="540000", version=1, text="{}", valid_from=dt.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as exc:
        services.create_record(
            actor=world.officer,
            entity=world.entity,
            kind=RecordKind.PENALTY,
            legal_basis="x",
            occurred_on=dt.date(2025, 12, 31),
        )
    assert exc.value.error_dict["occurred_on"][0].code == "outside_rule_set"
    assert not CreditRecord.objects.exists()


@translation.override("en")
def test_rule_set_that_does_not_parse_names_the_line_and_keeps_the_old(world: Any) -> None:
    first = services.save_rule_set(
        actor=world.province_head, province_code="540000", text='{"base": 100}'
    )
    bad = '{\n  "base": 100,\n  "points": {\n    "penalty": -10,\n    "speeding": -5\n  }\n}'
    with pytest.raises(ValidationError) as exc:
        services.save_rule_set(actor=world.province_head, province_code="540000", text=bad)
    assert "Line 5" in str(exc.value.error_dict["text"][0].message)
    with pytest.raises(ValidationError) as exc:
        services.save_rule_set(
            actor=world.province_head, province_code="540000", text='{\n  "base": 100,\n}'
        )
    assert "Line 3" in str(exc.value.error_dict["text"][0].message)
    assert list(RuleSet.objects.values_list("version", "is_current")) == [(first.version, True)]


def test_grades_must_fall_from_a_to_c() -> None:
    with pytest.raises(ValidationError):
        parse_rules('{"grades": {"A": 80, "B": 90, "C": 60}}')


def test_only_a_province_department_changes_rules(world: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_rule_set(actor=world.head, province_code="540000", text="{}")
    with pytest.raises(PermissionDenied):
        services.save_rule_set(actor=world.officer, province_code="540000", text="{}")


def test_grades_for_selector(world: Any) -> None:
    _record(world.entity, RecordKind.HEAVY_PENALTY, world.department)
    grades.recompute(entity_ids=[world.entity.pk, world.other_entity.pk], today=DAY)
    assert selectors.grades_for([world.entity.pk, world.other_entity.pk]) == {
        world.entity.pk: "C",
        world.other_entity.pk: "A",
    }
