"""Draws with proportions by credit grade (DOMAIN.md §2.8: A reduced, B normal, C increased,
D sharply increased): the plan's scope, the stratified draw (``draw-v2``), its verification,
the refusals, the pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from yaojian.audit.models import AuditEvent
from yaojian.credit.models import CreditGrade
from yaojian.inspections import drawing, services
from yaojian.inspections.models import Draw, DrawnEntity, Plan

SHARES = {"A": "0", "C": "50", "D": "100"}


def grade(county: Any) -> dict[int, str]:
    """The county's 20 entities: 4 each of A, B, C, D and 4 without a grade."""
    grades: dict[int, str] = {}
    for n, entity in enumerate(county.entities):
        letter = "ABCD "[n % 5].strip()
        if letter:
            CreditGrade.objects.create(
                entity=entity, grade=letter, score=80, computed_at=timezone.now()
            )
        grades[entity.pk] = letter
    return grades


def plan_for(county: Any, **extra: Any) -> Plan:
    values: dict[str, Any] = {
        "actor": county.head,
        "department": county.department,
        "year": 2026,
        "kind": "ad_hoc",
        "title": "按信用等级抽查",
        "items": ["ypjy_gsp"],
        "proportion": "10",
        "inspection_kind": "gsp_pharmacy",
        "scope": {"grade_proportions": SHARES},
    }
    values.update(extra)
    return services.create_plan(**values)


def test_the_plan_keeps_the_proportions_by_grade(county: Any) -> None:
    plan = plan_for(county)
    assert plan.scope == {"grade_proportions": {"A": "0.00", "C": "50.00", "D": "100.00"}}
    event = AuditEvent.objects.get(action="inspections.plan_created")
    assert event.changes["scope"] == plan.scope


def test_a_draw_by_grade_takes_each_grade_s_proportion_exactly(county: Any) -> None:
    grades = grade(county)
    draw = services.make_draw(actor=county.head, plan=plan_for(county), seed="grades")
    assert draw.algorithm == drawing.ALGORITHM_BY_GRADE
    drawn = list(DrawnEntity.objects.filter(draw=draw).order_by("position"))
    letters = [grades[d.entity_id] for d in drawn]
    # A 0 % → 0, B the plan's 10 % of 4 → 1, C 50 % → 2, D 100 % → 4, ungraded 10 % → 1
    assert letters == ["B", "C", "C", "D", "D", "D", "D", ""]
    assert draw.strata == [
        {"grade": "A", "proportion": "0.00", "pool": 4, "drawn": 0},
        {"grade": "B", "proportion": "10.00", "pool": 4, "drawn": 1},
        {"grade": "C", "proportion": "50.00", "pool": 4, "drawn": 2},
        {"grade": "D", "proportion": "100.00", "pool": 4, "drawn": 4},
        {"grade": "", "proportion": "10.00", "pool": 4, "drawn": 1},
    ]
    audit = AuditEvent.objects.get(action="inspections.draw_made")
    assert audit.changes["algorithm"] == "draw-v2"
    assert audit.changes["strata"] == draw.strata


def test_a_draw_by_grade_reproduces_and_verifies_after_the_grades_change(county: Any) -> None:
    grade(county)
    plan = plan_for(county)
    draw = services.make_draw(actor=county.head, plan=plan, seed="same")
    again = services.make_draw(actor=county.head, plan=plan, seed="same")
    other = services.make_draw(actor=county.head, plan=plan, seed="other")
    assert again.result_hash == draw.result_hash
    assert other.result_hash != draw.result_hash
    CreditGrade.objects.filter(grade="D").update(grade="A")  # the grades change afterwards
    assert services.verify_draw(draw) == (True, "")
    changed = services.make_draw(actor=county.head, plan=plan, seed="same")
    assert changed.pool_hash != draw.pool_hash


def test_a_plan_without_grade_proportions_still_draws_with_draw_v1(county: Any) -> None:
    grade(county)
    draw = services.make_draw(actor=county.head, plan=plan_for(county, scope={}), seed="plain")
    assert (draw.algorithm, draw.strata, draw.drawn_count) == ("draw-v1", [], 2)
    assert services.verify_draw(draw) == (True, "")


def test_a_targeted_draw_by_credit_grade_pools_only_those_grades(county: Any) -> None:
    grades = grade(county)
    plan = plan_for(county, proportion="100", scope={"credit_grades": ["C", "D"]})
    draw = services.make_draw(actor=county.head, plan=plan, seed="t")
    assert draw.pool_size == 8
    assert {grades[d.entity_id] for d in draw.entities.all()} == {"C", "D"}


@pytest.mark.parametrize(
    ("shares", "code"),
    [({"E": "5"}, "invalid_choice"), ({"A": "150"}, "invalid"), ({"B": "x"}, "invalid")],
)
def test_bad_grade_proportions_are_refused_and_nothing_is_written(
    county: Any, shares: dict[str, str], code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        plan_for(county, scope={"grade_proportions": shares})
    assert [e.code for e in info.value.error_dict["grade_proportions"]] == [code]
    assert not Plan.objects.exists()
    assert not AuditEvent.objects.filter(action="inspections.plan_created").exists()


def test_an_annual_draw_by_grade_below_the_least_proportion_is_refused_with_numbers(
    county: Any,
) -> None:
    for entity in county.entities:
        CreditGrade.objects.create(entity=entity, grade="A", score=95, computed_at=timezone.now())
    plan = plan_for(county, kind="annual", proportion="3", scope={"grade_proportions": {"A": "0"}})
    with translation.override("en"), pytest.raises(ValidationError) as info:
        services.make_draw(actor=county.head, plan=plan, seed="low")
    message = str(info.value.message_dict["plan"][0])
    assert "3 %" in message
    assert "1 of 20" in message
    assert "give 0" in message
    assert not Draw.objects.exists()
    assert not AuditEvent.objects.filter(action="inspections.draw_made").exists()


# --- pages --------------------------------------------------------------------------------------


def test_the_plan_form_takes_proportions_by_grade_and_the_pages_show_them(
    client: Any, county: Any
) -> None:
    grade(county)
    client.force_login(county.head)
    response = client.post(
        reverse("inspections:plan_create"),
        {
            "title": "信用分级抽查",
            "department": county.department.pk,
            "year": 2026,
            "kind": "ad_hoc",
            "inspection_kind": "gsp_pharmacy",
            "items": ["ypjy_gsp"],
            "proportion": "10",
            "inspectors_per_entity": 2,
            "proportion_a": "0",
            "proportion_d": "100",
            "credit_grades": ["A", "B", "D"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get()
    assert plan.scope == {
        "credit_grades": ["A", "B", "D"],
        "grade_proportions": {"A": "0.00", "D": "100.00"},
    }
    page = client.get(reverse("inspections:plan_detail", args=[plan.public_id])).content.decode()
    assert 'data-testid="grade-proportions">A 0.00 · D 100.00' in page
    draw = services.make_draw(actor=county.head, plan=plan, seed="page")
    page = client.get(reverse("inspections:draw_detail", args=[draw.public_id])).content.decode()
    assert 'data-testid="strata-table"' in page
    assert 'data-testid="draw-algorithm">draw-v2' in page


def test_a_bad_proportion_by_grade_on_the_form_answers_422(client: Any, county: Any) -> None:
    client.force_login(county.head)
    response = client.post(
        reverse("inspections:plan_create"),
        {
            "title": "x",
            "department": county.department.pk,
            "year": 2026,
            "kind": "ad_hoc",
            "inspection_kind": "gsp_pharmacy",
            "items": ["ypjy_gsp"],
            "proportion": "10",
            "inspectors_per_entity": 2,
            "proportion_c": "120",
        },
    )
    assert response.status_code == 422
    assert not Plan.objects.exists()


# --- API ----------------------------------------------------------------------------------------


def test_the_api_creates_a_plan_by_grade_and_shows_the_draw_s_strata(
    county: Any, api_client_for: Any
) -> None:
    grade(county)
    api = api_client_for(county.head)
    response = api.post(
        "/api/v1/inspections/plans/",
        {
            "year": 2026,
            "kind": "ad_hoc",
            "title": "API 信用分级",
            "items": ["ypjy_gsp"],
            "proportion": "10",
            "inspection_kind": "gsp_pharmacy",
            "scope": {"grade_proportions": {"A": "0", "D": "100"}},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["scope"]["grade_proportions"] == {"A": "0.00", "D": "100.00"}
    plan_id = response.json()["public_id"]
    draw = api.post(f"/api/v1/inspections/plans/{plan_id}/draws/", {"seed": "api"}, format="json")
    assert draw.status_code == 201
    body = draw.json()
    assert body["algorithm"] == "draw-v2"
    assert [row["grade"] for row in body["strata"]] == ["A", "B", "C", "D", ""]
    assert body["strata"][3] == {"grade": "D", "proportion": "100.00", "pool": 4, "drawn": 4}
    verification = api.get(f"/api/v1/inspections/draws/{body['public_id']}/verification/")
    assert verification.json() == {"verified": True, "reason": ""}


def test_the_api_refuses_a_grade_proportion_over_100(county: Any, api_client_for: Any) -> None:
    response = api_client_for(county.head).post(
        "/api/v1/inspections/plans/",
        {
            "year": 2026,
            "kind": "ad_hoc",
            "title": "x",
            "items": ["ypjy_gsp"],
            "proportion": "10",
            "inspection_kind": "gsp_pharmacy",
            "scope": {"grade_proportions": {"A": "101"}},
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Plan.objects.exists()
