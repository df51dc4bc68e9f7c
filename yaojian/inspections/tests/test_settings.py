"""The per-province settings page and service: who may, validation (zh/en), audit, effects."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.accounts.choices import DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.audit.models import AuditEvent
from yaojian.core import menu
from yaojian.inspections import configuration, services
from yaojian.inspections.models import EntityRating, RiskConfig
from yaojian.inspections.tests.test_services import plan_for

URL = "/inspections/settings/"


@pytest.fixture
def admin(county: Any) -> Any:
    """An administrator of the provincial drug regulator (西藏, 540000)."""
    province = DepartmentFactory(region_id="540000", level=DepartmentLevel.PROVINCE)
    user = UserFactory(username="provadmin")
    MembershipFactory(user=user, department=province, role=Role.ADMINISTRATOR)
    return user


def form_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {s.key: s.default for s in configuration.SETTINGS}
    data.update({"province": "540000", "reason": "省局2026年第3号文调整检查频次"})
    data.update(changes)
    return data


def test_the_administrator_sees_the_defaults_and_the_menu_item(client: Any, admin: Any) -> None:
    client.force_login(admin)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="setting-floors.distributor_other"' in body
    assert 'name="floors.distributor_other" value="36"' in body
    keys = [row["item"].key for group in menu.menu_for(admin) for row in group["items"]]
    assert "inspections.settings" in keys


def test_saving_stores_only_what_differs_audits_and_rerates(
    client: Any, admin: Any, county: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given ratings computed with the defaults
    services.rate_all(prefix="54")
    entity = county.entities[0]
    before = EntityRating.objects.get(entity=entity)
    assert before.interval_months == 36
    client.force_login(admin)
    # when the administrator shortens the low-risk interval and the "other distributors" floor
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, form_data(**{"interval_months.low": 30, "floors.distributor_other": 24})
        )
    # then
    assert response.status_code == 302
    config = RiskConfig.objects.get(province_id="540000")
    assert config.values == {"interval_months": {"low": 30}, "floors": {"distributor_other": 24}}
    event = AuditEvent.objects.get(action="inspections.riskconfig_changed")
    assert event.changes == {"interval_months.low": [36, 30], "floors.distributor_other": [36, 24]}
    assert event.reason == "省局2026年第3号文调整检查频次"
    after = EntityRating.objects.get(entity=entity)  # re-rated after commit
    assert (after.floor_rule, after.floor_months) == ("distributor_other", 24)
    assert after.interval_months == 24
    assert 'name="floors.distributor_other" value="24"' in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"floors.manufacturer_controlled": 4},
            "floors.manufacturer_controlled",
            "最多 3 个月：法定最低频次只能缩短。",
        ),
        ({"interval_months.high": 0}, "interval_months.high", "请填写 1 至 60 之间的数。"),
        ({"draw_min_proportion": 101}, "draw_min_proportion", "请填写 1 至 100 之间的数。"),
        ({"reason": ""}, "reason", None),
    ],
)
def test_bad_settings_are_refused_beside_their_field(
    client: Any, admin: Any, changes: dict[str, Any], field: str, message: str | None
) -> None:
    client.force_login(admin)
    response = client.post(URL, form_data(**changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert not RiskConfig.objects.exists()
    assert not AuditEvent.objects.filter(action="inspections.riskconfig_changed").exists()


def test_the_errors_are_in_english_for_an_english_user(client: Any, admin: Any) -> None:
    client.force_login(admin)
    client.cookies["django_language"] = "en"  # the language switch's choice
    response = client.post(URL, form_data(**{"floors.other": 48}))
    assert response.context["form"].errors["floors.other"] == [
        "At most 36 months: a statutory floor may only be made shorter."
    ]


@pytest.mark.parametrize("who", ["head", "inspector"])
def test_county_staff_may_not_configure(client: Any, county: Any, who: str) -> None:
    user = county.head if who == "head" else county.inspectors[0]
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403
    assert not RiskConfig.objects.exists()
    keys = [row["item"].key for group in menu.menu_for(user) for row in group["items"]]
    assert "inspections.settings" not in keys


def test_a_province_outside_the_membership_is_refused(admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.configure_province(actor=admin, province_code="630000", overrides={}, reason="x")
    assert services.configurable_provinces(admin) == ["540000"]


def test_the_service_refuses_unknown_and_non_numeric_settings(admin: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.configure_province(
            actor=admin,
            province_code="540000",
            overrides={"nonsense": 1, "floors": {"other": "abc"}},
            reason="x",
        )
    assert set(caught.value.error_dict) == {"__all__", "floors.other"}


def test_annual_plans_draw_at_least_the_province_s_proportion(county: Any, admin: Any) -> None:
    # given the province asks annual draws of at least 5 %
    services.configure_province(
        actor=admin, province_code="540000", overrides={"draw_min_proportion": 5}, reason="x"
    )
    # then an annual plan of 4 % is refused, an ad-hoc one is not
    with pytest.raises(ValidationError) as caught:
        plan_for(county, proportion="4")
    assert caught.value.error_dict["proportion"][0].messages == [
        "年度计划在本省至少抽取名录库的 5 %。"
    ]
    assert plan_for(county, proportion="4", kind="ad_hoc").proportion == 4
    assert plan_for(county, proportion="5").proportion == 5
