"""Grid-cell services: creation, edits and officer assignment, with permissions and audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.accounts.choices import DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from yaojian.audit.models import AuditEvent
from yaojian.territory.models import GridCell, Region
from yaojian.territory.services import assign_officers, create_grid_cell, update_grid_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(regions):
    return DepartmentFactory(code="MPA-540102", region_id="540102")


@pytest.fixture
def other_county(regions):
    return DepartmentFactory(code="MPA-540202", region_id="540202")


@pytest.fixture
def head(county, user_in_department):
    return user_in_department(role=Role.DEPARTMENT_HEAD, department=county)


@pytest.fixture
def cell(head):
    return create_grid_cell(
        actor=head, code="540102-01", name="八廓街网格", region=Region.objects.get(code="540102")
    )


def _audit(action: str):
    return AuditEvent.objects.filter(action=action)


def test_department_head_creates_a_grid_cell_in_their_county(head):
    cell = create_grid_cell(
        actor=head,
        code=" 540102-07 ",
        name="吉崩岗网格",
        region=Region.objects.get(code="540102"),
        description="吉崩岗街道",
    )
    assert (cell.code, cell.name, cell.region_id) == ("540102-07", "吉崩岗网格", "540102")
    event = _audit("territory.gridcell_created").get()
    assert event.actor_id == head.pk
    assert event.changes == {"code": "540102-07", "name": "吉崩岗网格", "region": "540102"}


def test_city_department_head_creates_cells_in_its_counties(regions, user_in_department):
    city = DepartmentFactory(region_id="540100", level=DepartmentLevel.CITY)
    head = user_in_department(role=Role.DEPARTMENT_HEAD, department=city)
    cell = create_grid_cell(
        actor=head, code="540103-01", name="东嘎网格", region=Region.objects.get(code="540103")
    )
    assert cell.region_id == "540103"


@pytest.mark.parametrize(
    ("who", "region"), [("head", "540202"), ("inspector", "540102")], ids=["other", "no-perm"]
)
def test_creation_outside_ones_rights_is_refused(county, head, user_in_department, who, region):
    actor = head if who == "head" else user_in_department(role=Role.INSPECTOR, department=county)
    with pytest.raises(PermissionDenied):
        create_grid_cell(
            actor=actor, code="X-1", name="网格", region=Region.objects.get(code=region)
        )
    assert GridCell.objects.count() == 0
    assert _audit("territory.gridcell_created").count() == 0


@pytest.mark.parametrize("code", ["540000", "540100", "542100"], ids=["province", "city", "gone"])
def test_grid_cells_belong_to_a_current_county(system_user, code):
    with pytest.raises(ValidationError) as error:
        create_grid_cell(
            actor=system_user, code="X-1", name="网格", region=Region.objects.get(code=code)
        )
    assert list(error.value.error_dict) == ["region"]
    assert GridCell.objects.count() == 0


def test_grid_codes_are_unique(head, cell):
    with pytest.raises(ValidationError) as error:
        create_grid_cell(actor=head, code=cell.code, name="重复", region=cell.region)
    assert list(error.value.error_dict) == ["code"]
    assert GridCell.objects.count() == 1


def test_update_records_only_the_differences(head, cell):
    update_grid_cell(actor=head, cell=cell, name="八廓街北网格", description="")
    update_grid_cell(actor=head, cell=cell, name="八廓街北网格", description="")
    assert GridCell.objects.get(pk=cell.pk).name == "八廓街北网格"
    event = _audit("territory.gridcell_changed").get()
    assert event.changes == {"name": ["八廓街网格", "八廓街北网格"]}


def test_update_needs_the_permission(county, cell, user_in_department):
    inspector = user_in_department(role=Role.INSPECTOR, department=county)
    with pytest.raises(PermissionDenied):
        update_grid_cell(actor=inspector, cell=cell, name="改名")
    assert GridCell.objects.get(pk=cell.pk).name == "八廓街网格"
    assert _audit("territory.gridcell_changed").count() == 0


def test_officers_from_departments_covering_the_county_are_assigned(
    regions, county, head, cell, user_in_department
):
    # given: one officer of the county, one of the city above it
    city = DepartmentFactory(region_id="540100", level=DepartmentLevel.CITY)
    local = user_in_department(role=Role.INSPECTOR, department=county, username="zhaxi")
    from_city = user_in_department(role=Role.INSPECTOR, department=city, username="dawa")
    # when
    assign_officers(actor=head, cell=cell, officers=[local, from_city])
    # then
    assert set(cell.officers.all()) == {local, from_city}
    event = _audit("territory.officers_assigned").get()
    assert event.changes == {"officers": [[], ["dawa", "zhaxi"]]}


def test_officers_outside_the_county_are_refused(other_county, head, cell, user_in_department):
    # given
    elsewhere = user_in_department(role=Role.INSPECTOR, department=other_county)
    no_department = UserFactory()
    former = MembershipFactory(department=head.memberships.get().department, is_active=False).user
    # when / then
    for officer in (elsewhere, no_department, former):
        with pytest.raises(ValidationError) as error:
            assign_officers(actor=head, cell=cell, officers=[officer])
        assert list(error.value.error_dict) == ["officers"]
    assert cell.officers.count() == 0
    assert _audit("territory.officers_assigned").count() == 0


def test_assigning_officers_needs_the_permission(county, cell, user_in_department):
    inspector = user_in_department(role=Role.INSPECTOR, department=county)
    with pytest.raises(PermissionDenied):
        assign_officers(actor=inspector, cell=cell, officers=[inspector])
    assert cell.officers.count() == 0
    assert _audit("territory.officers_assigned").count() == 0
