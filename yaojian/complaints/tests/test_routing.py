"""Routing by jurisdiction (DOMAIN.md §2.3) with exact outcomes."""

from __future__ import annotations

from typing import Any

from yaojian.complaints import routing
from yaojian.complaints.choices import Kind, State, Topic
from yaojian.complaints.tests.conftest import receive


def test_complaint_goes_to_the_county_office_of_the_place_of_business(world: Any) -> None:
    route = routing.route(kind=Kind.COMPLAINT, topic=Topic.DRUG_QUALITY, region_code="540102")
    assert route is not None
    assert route.department == world.county
    assert route.region_code == "540102"
    assert route.basis == "被投诉人经营地"
    assert route.other_remit is None


def test_report_goes_to_where_the_conduct_occurred(world: Any) -> None:
    route = routing.route(kind=Kind.REPORT, topic=Topic.UNLICENSED, region_code="540121")
    assert route is not None
    assert route.department == world.other
    assert route.basis == "违法行为发生地"


def test_county_without_an_office_goes_to_the_city_office(world: Any) -> None:
    route = routing.route(kind=Kind.REPORT, topic=Topic.UNLICENSED, region_code="540103")
    assert route is not None
    assert route.department == world.city


def test_drug_regulator_comes_before_market_regulator_at_the_same_level(world: Any) -> None:
    from yaojian.complaints.tests.conftest import dept

    drug = dept("MPA-540102", "城关区药监", "540102", "drug_regulator", "county")
    route = routing.route(kind=Kind.REPORT, topic=Topic.UNLICENSED, region_code="540102")
    assert route is not None
    assert route.department == drug


def test_complaint_against_a_platform_goes_to_the_platform_domicile(world: Any) -> None:
    route = routing.route(
        kind=Kind.COMPLAINT,
        topic=Topic.DRUG_QUALITY,
        region_code="540102",
        is_ecommerce=True,
        platform_region_code="540202",
        against_platform=True,
    )
    assert route is not None
    assert route.department == world.remote
    assert route.basis == "电子商务平台住所地"


def test_seller_on_a_platform_goes_to_the_seller_place_of_business(world: Any) -> None:
    route = routing.route(
        kind=Kind.COMPLAINT,
        topic=Topic.DRUG_QUALITY,
        region_code="540121",
        is_ecommerce=True,
        platform_region_code="540202",
    )
    assert route is not None
    assert route.department == world.other
    assert route.basis == "平台内经营者经营地"


def test_seller_without_known_place_goes_to_the_platform_domicile(world: Any) -> None:
    route = routing.route(
        kind=Kind.COMPLAINT,
        topic=Topic.DRUG_QUALITY,
        region_code="",
        is_ecommerce=True,
        platform_region_code="540202",
    )
    assert route is not None
    assert route.department == world.remote


def test_insurance_fraud_is_pushed_to_the_insurance_bureau(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yaojian.notices.models import Notice

    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive(topic=Topic.INSURANCE_FRAUD)
    complaint = receipt.complaint
    assert complaint.state == State.TRANSFERRED
    assert complaint.transferred_to == world.insurance
    assert complaint.department == world.county
    notice = Notice.objects.get(source_app="complaints", recipient=world.insurance)
    assert notice.sender == world.county
    assert complaint.number in notice.subject


def test_recycled_drugs_stay_here_and_the_insurance_bureau_is_told(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from yaojian.notices.models import Notice

    with django_capture_on_commit_callbacks(execute=True):
        receipt = receive()
    assert receipt.complaint.state == State.RECEIVED
    assert receipt.complaint.department == world.county
    assert Notice.objects.filter(source_app="complaints", recipient=world.insurance).count() == 1


def test_medical_service_goes_to_the_health_commission(world: Any) -> None:
    route = routing.route(kind=Kind.COMPLAINT, topic=Topic.MEDICAL_SERVICE, region_code="540102")
    assert route is not None
    assert route.other_remit == world.health


def test_common_superior_of_two_counties_is_the_city_office(world: Any) -> None:
    assert routing.common_superior(world.county, world.other) == world.city
    assert routing.common_superior(world.county, world.remote) == world.province
