"""Services of inspections: grid placement, plans and draws, records and what they trigger."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from yaojian.audit.models import AuditEvent
from yaojian.enforcement.models import Case
from yaojian.inspections import services
from yaojian.inspections.models import Assignment, Draw, EntityRating, Finding, Inspection
from yaojian.notices.models import Notice
from yaojian.outbox.models import Message
from yaojian.registry.models import Entity
from yaojian.registry.tests.factories import EntityFactory


@pytest.fixture
def seen() -> Any:
    """Subscribe to the inspection events, so that publishing writes outbox rows."""
    from yaojian.core import events
    from yaojian.inspections.events import InspectionFindingRecorded, InspectionPassed, SampleFailed

    received: list[Any] = []
    kinds = (InspectionFindingRecorded, InspectionPassed, SampleFailed)
    for kind in kinds:
        events.subscribe(kind, received.append)
    yield received
    for kind in kinds:
        events.unsubscribe(kind, received.append)


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


def plan_for(county: Any, **extra: Any) -> Any:
    values = {
        "actor": county.head,
        "department": county.department,
        "year": 2026,
        "kind": "annual",
        "title": "2026年度双随机抽查",
        "items": ["ypjy_gsp"],
        "proportion": "10",
        "inspection_kind": "gsp_pharmacy",
    }
    values.update(extra)
    return services.create_plan(**values)


def test_entities_are_placed_by_address_most_specific_cell_first(county: Any) -> None:
    village = EntityFactory(address="城关区八廓街冲赛康巷5号")
    nowhere = EntityFactory(address="城关区不知名路1号")
    placed, left = services.place_entities(actor=county.head, county_code="540102")
    assert (placed, left) == (21, 1)
    village.refresh_from_db()
    nowhere.refresh_from_db()
    assert village.grid_cell == county.cells[2]
    assert nowhere.grid_cell is None
    assert Entity.objects.filter(grid_cell=county.cells[0]).count() == 20


def test_reassignment_by_hand_is_audited_with_its_reason(county: Any) -> None:
    entity = county.entities[0]
    services.assign_entity_to_cell(
        actor=county.head, entity=entity, cell=county.cells[1], reason="实地核实"
    )
    event = AuditEvent.objects.filter(action="inspections.entity_cell_assigned").get()
    assert event.changes == {"grid_cell": ["", "540102-T2"]}
    assert event.reason == "实地核实"


def test_an_inspector_may_not_reassign(county: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.assign_entity_to_cell(
            actor=county.inspectors[0], entity=county.entities[0], cell=county.cells[1], reason="x"
        )
    assert not AuditEvent.objects.filter(action="inspections.entity_cell_assigned").exists()


def test_officer_terms_follow_assignments(county: Any) -> None:
    from yaojian.territory.services import assign_officers

    cell = county.cells[0]
    assign_officers(actor=county.head, cell=cell, officers=[county.inspectors[0]])
    assign_officers(actor=county.head, cell=cell, officers=[county.inspectors[1]])
    terms = {(t.officer.username, t.ended_on is None) for t in cell.terms.select_related("officer")}
    assert terms == {("insp0", False), ("insp1", True)}


def test_ratings_are_stored_with_due_dates(county: Any) -> None:
    assert services.rate_entities([e.pk for e in county.entities]) == 20
    row = EntityRating.objects.get(entity=county.entities[0])
    assert (row.rating, row.interval_months, row.floor_months, row.floor_rule) == (
        "low",
        36,
        36,
        "distributor_other",
    )


def test_draw_is_stored_reproducible_and_verifies_after_the_pool_changed(county: Any) -> None:
    plan = plan_for(county)
    draw = services.make_draw(actor=county.head, plan=plan, seed="fixed-seed")
    assert (draw.pool_size, draw.drawn_count, draw.team_size) == (20, 2, 2)
    assert Assignment.objects.filter(drawn__draw=draw).count() == 4
    again = services.make_draw(actor=county.head, plan=plan, seed="fixed-seed")
    assert again.result_hash == draw.result_hash
    EntityFactory.create_batch(5, registered_by=county.department)  # the pool changes
    assert services.verify_draw(draw) == (True, "")
    out = io.StringIO()
    call_command("verify_draw", "--all", stdout=out)
    assert "2 verified, 0 failed" in out.getvalue()


def test_verify_draw_fails_when_the_stored_result_was_tampered(county: Any) -> None:
    draw = services.make_draw(actor=county.head, plan=plan_for(county), seed="s")
    assignment = Assignment.objects.filter(drawn__draw=draw).first()
    other = next(u for u in county.inspectors if u.pk != assignment.inspector_id)
    Assignment.objects.filter(pk=assignment.pk).update(inspector=other)
    ok, _why = services.verify_draw(draw)
    assert not ok
    with pytest.raises(CommandError):
        call_command("verify_draw", str(draw.public_id), stdout=io.StringIO())


def test_draw_refuses_a_too_small_inspector_pool_with_numbers(county: Any) -> None:
    plan = plan_for(county, inspectors_per_entity=2)
    for entity in county.entities:
        for inspector in county.inspectors[:5]:
            services.declare_conflict(
                actor=county.head, inspector=inspector, entity=entity, reason="亲属"
            )
    with pytest.raises(ValidationError) as info:
        services.make_draw(actor=county.head, plan=plan, seed="x")
    assert "2" in str(info.value)
    assert "1" in str(info.value)
    assert not Draw.objects.exists()


def test_cell_officers_are_excluded_when_the_plan_says_so(county: Any) -> None:
    from yaojian.territory.services import assign_officers

    services.place_entities(actor=county.head, county_code="540102")
    assign_officers(actor=county.head, cell=county.cells[0], officers=county.inspectors[:4])
    draw = services.make_draw(actor=county.head, plan=plan_for(county, proportion="100"), seed="a")
    drawn_inspectors = set(
        Assignment.objects.filter(drawn__draw=draw).values_list("inspector_id", flat=True)
    )
    assert drawn_inspectors == {county.inspectors[4].pk, county.inspectors[5].pk}


def test_joint_plan_teams_have_members_of_both_departments(county: Any) -> None:
    from yaojian.accounts.choices import Role
    from yaojian.accounts.tests.factories import MembershipFactory, UserFactory

    for n in range(3):
        MembershipFactory(
            user=UserFactory(username=f"market{n}"), department=county.market, role=Role.INSPECTOR
        )
    plan = plan_for(county, joint_departments=[county.market], proportion="50")
    draw = services.make_draw(actor=county.head, plan=plan, seed="joint")
    for drawn in draw.entities.prefetch_related("team"):
        assert sorted(a.department_id for a in drawn.team.all()) == sorted(
            [county.department.pk, county.market.pk]
        )


def test_plan_outside_the_jurisdiction_is_refused(county: Any) -> None:
    with pytest.raises(ValidationError) as info:
        plan_for(county, scope={"region": "540121"})
    assert "scope" in info.value.message_dict


def test_inspector_may_not_make_plans_or_draws(county: Any) -> None:
    with pytest.raises(PermissionDenied):
        plan_for(county, actor=county.inspectors[0])
    plan = plan_for(county)
    with pytest.raises(PermissionDenied):
        services.make_draw(actor=county.inspectors[0], plan=plan)


def scheduled(county: Any, entity: Any = None) -> Inspection:
    return services.start_inspection(
        actor=county.head,
        entity=entity or county.entities[0],
        department=county.department,
        kind="gsp_pharmacy",
        scheduled_on=dt.date(2026, 11, 2),
        inspectors=county.inspectors[:2],
    )


ALL_YES = dict.fromkeys(("P01", "P02", "P03", "P04", "P05"), "yes")


def test_unanswered_mandatory_items_are_refused_and_nothing_is_written(county: Any) -> None:
    inspection = scheduled(county)
    with pytest.raises(ValidationError) as info:
        services.record_inspection(
            actor=county.inspectors[0],
            inspection=inspection,
            answers={"P01": "yes"},
            conclusion="passed",
            signed_by="张三",
        )
    assert "answers" in info.value.message_dict
    inspection.refresh_from_db()
    assert inspection.state == "planned"


def test_a_critical_finding_opens_a_clue_and_a_major_schedules_a_follow_up(
    county: Any, seen: Any
) -> None:
    inspection = scheduled(county)
    recorded = services.record_inspection(
        actor=county.inspectors[0],
        inspection=inspection,
        answers={**ALL_YES, "P05": "no"},
        findings=[
            {"severity": "critical", "clause": "药品管理法 第98条", "description": "销售过期药品"},
            {"severity": "major", "clause": "GSP 第143条", "description": "温湿度记录缺失"},
            {
                "severity": "other",
                "clause": "GSP 第160条",
                "description": "拆零记录不全",
                "remit": "medical_insurance",
            },
        ],
        conclusion="failed",
        refused=True,
        refusal_note="负责人拒绝签字，两名检查员在场见证",
        inspected_on=dt.date(2026, 11, 2),
        attachments=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")],
    )
    case = Case.objects.get()
    assert (case.source, case.entity_id, case.department_id) == (
        "inspection",
        county.entities[0].pk,
        county.department.pk,
    )
    assert Finding.objects.get(severity="critical").case == case
    follow = Inspection.objects.get(follow_up_of=recorded)
    assert follow.scheduled_on == dt.date(2026, 12, 2)
    assert recorded.attachments.get().sha256 == __import__("hashlib").sha256(PNG).hexdigest()
    assert recorded.publish_due_on is not None
    types = set(Message.objects.values_list("event_type", flat=True))
    assert "yaojian.inspections.events.InspectionFindingRecorded" in types


def test_a_finding_in_another_remit_sends_a_notice(county: Any) -> None:
    from yaojian.accounts.choices import DepartmentKind
    from yaojian.accounts.tests.factories import DepartmentFactory

    insurance = DepartmentFactory(region_id="540102", kind=DepartmentKind.MEDICAL_INSURANCE)
    services.record_inspection(
        actor=county.inspectors[0],
        inspection=scheduled(county),
        answers=ALL_YES,
        findings=[
            {
                "severity": "other",
                "clause": "医保协议",
                "description": "串换药品",
                "remit": "medical_insurance",
            }
        ],
        conclusion="findings",
        signed_by="李四",
    )
    assert Notice.objects.get().recipient == insurance


def test_photos_that_are_not_images_are_refused(county: Any) -> None:
    inspection = scheduled(county)
    with pytest.raises(ValidationError) as info:
        services.record_inspection(
            actor=county.inspectors[0],
            inspection=inspection,
            answers=ALL_YES,
            conclusion="passed",
            signed_by="张三",
            attachments=[SimpleUploadedFile("x.png", b"MZ not an image", content_type="image/png")],
        )
    assert "attachments" in info.value.message_dict
    assert not inspection.attachments.exists()


def test_oversized_files_are_refused(county: Any) -> None:
    big = SimpleUploadedFile("big.png", PNG + b"0" * services.MAX_UPLOAD, content_type="image/png")
    with pytest.raises(ValidationError):
        services.check_upload(big)


def test_only_the_team_records(county: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            actor=county.inspectors[3],
            inspection=scheduled(county),
            answers=ALL_YES,
            conclusion="passed",
            signed_by="张三",
        )


def test_publication_clock_is_twenty_working_days(county: Any) -> None:
    from yaojian.clocks.calendar import add_working_days

    recorded = services.record_inspection(
        actor=county.inspectors[0],
        inspection=scheduled(county),
        answers=ALL_YES,
        conclusion="passed",
        signed_by="张三",
        inspected_on=dt.date(2026, 9, 28),
    )
    # 2026-10-01..07 is the National Day holiday: 20 working days run past it.
    assert recorded.publish_due_on == add_working_days(dt.date(2026, 9, 28), 20)
    assert recorded.publish_due_on > dt.date(2026, 10, 26)
    published = services.publish_inspection(actor=county.head, inspection=recorded)
    assert published.state == "published"
    from yaojian.inspections.selectors import published_results

    assert list(published_results()) == [published]


def test_a_failed_sample_opens_a_clue_notifies_and_signals(county: Any, seen: Any) -> None:
    sample = services.record_sample(
        actor=county.inspectors[0],
        department=county.department,
        entity=county.entities[0],
        number="CJ2026-0001",
        product_name="阿莫西林胶囊",
        sampled_on=dt.date(2026, 10, 9),
        risk_class="ordinary",
    )
    result = services.record_lab_result(
        actor=county.inspectors[0],
        sample=sample,
        passed=False,
        result_on=dt.date(2026, 11, 1),
        report_number="LAB-1",
        failed_items="含量测定",
    )
    assert result.state == "failed"
    assert result.case.source == "sampling"
    assert Notice.objects.filter(recipient=county.market).exists()
    assert Message.objects.filter(event_type="yaojian.inspections.events.SampleFailed").exists()


def test_proportion_must_be_sane(county: Any) -> None:
    with pytest.raises(ValidationError):
        plan_for(county, proportion="0")
    with pytest.raises(ValidationError):
        plan_for(county, proportion="abc")
    assert plan_for(county, proportion="3").proportion == Decimal("3.00")


def test_imported_entities_are_placed_by_the_batch_hand_off(county: Any) -> None:
    from yaojian.exchange.events import BatchApplied
    from yaojian.inspections.handlers import place_imported_entities

    fresh = EntityFactory(address="城关区吉日巷2号")
    place_imported_entities(
        BatchApplied(
            batch_id=1,
            public_id="x",
            department_id=county.department.pk,
            source_kind="entity_register",
            entity_ids=(fresh.pk,),
            accepted=1,
            rejected=0,
            unchanged=0,
            held=0,
        )
    )
    fresh.refresh_from_db()
    assert fresh.grid_cell == county.cells[1]


def test_an_entity_registered_by_hand_is_placed_through_the_outbox(
    county: Any, deliver_outbox: Any
) -> None:
    from yaojian.accounts.choices import Role
    from yaojian.accounts.tests.factories import MembershipFactory, UserFactory
    from yaojian.registry.services import create_entity

    # given a data steward of the county
    steward = UserFactory(username="steward1")
    MembershipFactory(user=steward, department=county.department, role=Role.DATA_STEWARD)
    # when they register an entity by hand, with an address in the 吉日 cell
    entity = create_entity(
        actor=steward,
        name="吉日大药房",
        kind="single_pharmacy",
        region_code="540102",
        address="城关区吉日巷9号",
    )
    assert Entity.objects.get(pk=entity.pk).grid_cell is None  # placed after commit
    message = Message.objects.get(
        event_type="yaojian.registry.events.EntityRegisteredByHand",
        handler="yaojian.inspections.handlers.place_registered_entity",
    )
    deliver_outbox()
    # then the hand-off placed it like an imported one, audited as the system's placing
    entity.refresh_from_db()
    assert entity.grid_cell == county.cells[1]
    message.refresh_from_db()
    assert message.status == "delivered"
    assert AuditEvent.objects.filter(action="inspections.entities_placed").count() == 1


def test_placing_a_registered_entity_again_changes_nothing(county: Any) -> None:
    from yaojian.inspections.handlers import place_registered_entity
    from yaojian.registry.events import EntityRegisteredByHand

    # given an entity already put by hand into another cell than its address names
    entity = EntityFactory(address="城关区吉日巷3号", grid_cell=county.cells[0])
    event = EntityRegisteredByHand(entity_id=entity.pk, region_code="540102", actor_id=None)
    # when the hand-off is delivered (twice)
    place_registered_entity(event)
    place_registered_entity(event)
    # then the cell chosen by hand stays, and nothing was recorded
    entity.refresh_from_db()
    assert entity.grid_cell == county.cells[0]
    assert not AuditEvent.objects.filter(action="inspections.entities_placed").exists()


def test_an_unplaceable_registered_entity_waits_for_review(county: Any) -> None:
    from yaojian.inspections.handlers import place_registered_entity
    from yaojian.registry.events import EntityRegisteredByHand

    entity = EntityFactory(address="城关区某路1号")
    place_registered_entity(
        EntityRegisteredByHand(entity_id=entity.pk, region_code="540102", actor_id=None)
    )
    entity.refresh_from_db()
    assert entity.grid_cell is None


def test_a_joint_team_member_of_the_other_department_records_the_inspection(
    county: Any,
) -> None:
    from yaojian.accounts.choices import Role
    from yaojian.accounts.tests.factories import MembershipFactory, UserFactory

    # given a joint plan with the market regulator, drawn
    for n in range(3):
        MembershipFactory(
            user=UserFactory(username=f"market{n}"), department=county.market, role=Role.INSPECTOR
        )
    plan = plan_for(county, joint_departments=[county.market], proportion="10")
    draw = services.make_draw(actor=county.head, plan=plan, seed="joint")
    drawn = draw.entities.order_by("position").first()
    member = drawn.team.get(department=county.market).inspector
    # when the market inspector opens the assignment and records it
    inspection = services.start_from_assignment(actor=member, drawn=drawn)
    services.record_inspection(
        actor=member,
        inspection=inspection,
        answers=ALL_YES,
        conclusion="passed",
        signed_by="店长",
    )
    # then the lead department's inspection is recorded by them
    inspection.refresh_from_db()
    assert inspection.department == county.department
    assert (inspection.state, inspection.recorded_by) == ("recorded", member)
    # and a market inspector who is not on the team may not record it
    stranger = UserFactory(username="market9")
    MembershipFactory(user=stranger, department=county.market, role=Role.INSPECTOR)
    assert not Inspection.objects.visible_to(stranger, "change").filter(pk=inspection.pk).exists()
