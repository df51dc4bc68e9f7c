"""Apps above enforcement add cards to the case page (the referral card), for the lead only."""

from django.urls import reverse

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.enforcement.panels import case_panels_for
from yaojian.enforcement.tests.conftest import filed_case, member


def test_the_referral_card_is_registered():
    keys = [item["panel"].key for item in case_panels_for(type("Obj", (), {"public_id": "x"}))]
    assert "referrals" in keys


def test_lead_department_sees_the_referral_card(client, office, frozen):
    case = filed_case(office)
    client.force_login(office.officer)
    page = client.get(reverse("enforcement:case_detail", args=[case.public_id]))
    assert page.status_code == 200
    assert 'data-testid="panel-referrals"' in page.text
    assert reverse("referrals:case_panel", args=[case.public_id]) in page.text


def test_a_participant_does_not_see_the_referral_card(client, office, frozen):
    from yaojian.enforcement import services

    case = filed_case(office)
    insurance = DepartmentFactory(kind=DepartmentKind.MEDICAL_INSURANCE, region_id="540102")
    officer = member(insurance, Role.INSPECTOR, username="nhsa1")
    services.add_participant(actor=office.officer, case=case, department=insurance)
    client.force_login(officer)
    page = client.get(reverse("enforcement:case_detail", args=[case.public_id]))
    assert page.status_code == 200
    assert 'data-testid="panel-referrals"' not in page.text
