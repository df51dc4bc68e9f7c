"""Region browser and grid-cell pages, with the authorization matrix."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.audit.models import AuditEvent
from yaojian.registry.models import Entity
from yaojian.territory.models import GridCell, Region
from yaojian.territory.services import create_grid_cell

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def county(regions):
    return DepartmentFactory(code="MPA-540102", region_id="540102")


@pytest.fixture
def other_county(regions):
    return DepartmentFactory(code="MPA-540202", region_id="540202")


def _cell(code: str, region: str, name: str = "网格") -> GridCell:
    return GridCell.objects.create(code=code, name=name, region_id=region)


def _main(response) -> str:
    """The page's <main> element (the rest holds per-request tokens)."""
    match = re.search(r"<main.*?</main>", response.text, re.S)
    assert match is not None
    return match.group(0)


# --- region browser -------------------------------------------------------------------------


def test_region_browser_starts_with_the_provinces(client, county, user_in_department):
    client.force_login(user_in_department(department=county))
    response = client.get(reverse("territory:region_list"))
    assert response.status_code == 200
    codes = [r.code for r in response.context["regions"]]
    assert len(codes) == 34
    assert "540000" in codes
    assert 'href="/territory/regions/?parent=540000"' in response.text


def test_drilling_down_returns_the_children_partial_with_abolished_codes(
    client, county, user_in_department
):
    client.force_login(user_in_department(department=county))
    response = client.get(reverse("territory:region_list"), {"parent": "540000"}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="region-table"')
    codes = re.findall(r'<tr data-testid="region-row" data-code="(\d{6})">', response.text)
    assert codes[:2] == ["540100", "540200"]
    assert "542300" in codes  # 日喀则地区, abolished
    abolished = re.search(r'data-code="542300">.*?</tr>', response.text, re.S).group(0)
    assert "2014-06-26" in abolished
    assert "540200" in abolished  # its successor, 日喀则市


def test_counties_of_a_prefecture_on_a_full_page(client, county, user_in_department):
    client.force_login(user_in_department(department=county))
    response = client.get(reverse("territory:region_list"), {"parent": "540100"})
    assert "<html" in response.text
    assert [r.code for r in response.context["path"]] == ["540000", "540100"]
    assert "540102" in [r.code for r in response.context["regions"]]
    assert "城关区" in response.text


def test_unknown_region_is_404(client, county, user_in_department):
    client.force_login(user_in_department(department=county))
    assert client.get(reverse("territory:region_list"), {"parent": "999999"}).status_code == 404


# --- grid cell list and detail ------------------------------------------------------------


def test_grid_cell_list_is_scoped_to_the_jurisdiction(
    client, county, other_county, user_in_department
):
    mine = _cell("540102-01", "540102")
    _cell("540202-01", "540202")
    client.force_login(user_in_department(department=county))
    response = client.get(reverse("territory:gridcell_list"))
    assert response.status_code == 200
    assert list(response.context["cells"]) == [mine]
    assert [r.code for r in response.context["counties"]] == ["540102"]


def test_grid_cell_list_filters_by_county_and_renders_a_partial(
    client, regions, user_in_department
):
    city = DepartmentFactory(region_id="540100", level="city")
    _cell("540102-01", "540102")
    wanted = _cell("540103-01", "540103")
    client.force_login(user_in_department(department=city))
    response = client.get(reverse("territory:gridcell_list"), {"county": "540103"}, headers=HTMX)
    assert "<html" not in response.text
    assert re.findall(r"/territory/grid/([0-9a-f-]{36})/", response.text) == [str(wanted.public_id)]
    assert response.text.lstrip().startswith('<div id="gridcell-table">')


def test_grid_cell_list_query_count(
    client, county, user_in_department, django_assert_max_num_queries
):
    officer = user_in_department(department=county)
    for n in range(20):
        _cell(f"540102-{n:02d}", "540102").officers.add(officer)
    client.force_login(officer)
    # 9, and the shell's two (the top bar's memberships, the menu's case-list check)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("territory:gridcell_list"))
    assert len(response.context["cells"]) == 20


def test_grid_cell_detail_shows_officers_and_the_number_of_entities(
    client, county, user_in_department
):
    cell = _cell("540102-01", "540102", name="八廓街网格")
    officer = user_in_department(department=county, full_name="扎西")
    cell.officers.add(officer)
    for n in range(3):
        Entity.objects.create(
            name=f"药房{n}",
            search_key=f"药房{n}",
            kind="single_pharmacy",
            region_id="540102",
            registered_by=county,
            grid_cell=cell,
        )
    client.force_login(officer)
    response = client.get(reverse("territory:gridcell_detail", args=[cell.public_id]))
    assert response.status_code == 200
    assert response.context["cell"].entity_count == 3
    assert list(response.context["officers"]) == [officer]
    assert '<dd data-testid="entity-count">3</dd>' in response.text
    assert "扎西" in response.text
    assert response.context["can_change"] is False


def test_a_forbidden_grid_cell_looks_exactly_like_a_missing_one(client, county, user_in_department):
    hidden = _cell("540202-01", "540202")
    client.force_login(user_in_department(department=county))
    forbidden = client.get(reverse("territory:gridcell_detail", args=[hidden.public_id]))
    missing = client.get(reverse("territory:gridcell_detail", args=[uuid.uuid4()]))
    assert forbidden.status_code == missing.status_code == 404
    assert _main(forbidden) == _main(missing)
    with translation.override("zh-hans"):  # the default language
        expected = gettext("The page does not exist, or you may not see it.")
    assert expected in _main(missing)


# --- authorization matrix for the writing pages -------------------------------------------

ACTORS = ["anonymous", "other_county", "same_department_without_permission", "with_permission"]
EXPECTED = {
    "anonymous": 302,
    "other_county": 404,
    "same_department_without_permission": 403,
    "with_permission": 302,
}


@pytest.fixture
def actor_for(county, other_county, user_in_department):
    def make(kind: str):
        if kind == "anonymous":
            return None
        if kind == "other_county":
            return user_in_department(role=Role.DEPARTMENT_HEAD, department=other_county)
        if kind == "same_department_without_permission":
            return user_in_department(role=Role.INSPECTOR, department=county)
        return user_in_department(role=Role.DEPARTMENT_HEAD, department=county)

    return make


@pytest.fixture
def target(system_user):
    return create_grid_cell(
        actor=system_user,
        code="540102-01",
        name="八廓街网格",
        region=Region.objects.get(code="540102"),
    )


def _post_as(client, actor, url, data):
    if actor is not None:
        client.force_login(actor)
    return client.post(url, data)


@pytest.mark.parametrize("kind", ACTORS)
def test_editing_a_grid_cell(client, actor_for, target, kind):
    # given
    actor = actor_for(kind)
    events_before = AuditEvent.objects.count()
    url = reverse("territory:gridcell_update", args=[target.public_id])
    # when
    response = _post_as(client, actor, url, {"name": "新名称", "description": ""})
    # then
    assert response.status_code == EXPECTED[kind]
    name = GridCell.objects.get(pk=target.pk).name
    if kind == "with_permission":
        assert response.url == reverse("territory:gridcell_detail", args=[target.public_id])
        assert name == "新名称"
        assert AuditEvent.objects.count() == events_before + 1
    else:
        assert name == "八廓街网格"
        assert AuditEvent.objects.count() == events_before
    if kind == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("kind", ACTORS)
def test_assigning_officers(client, county, actor_for, target, user_in_department, kind):
    # given
    actor = actor_for(kind)
    officer = user_in_department(role=Role.INSPECTOR, department=county)
    events_before = AuditEvent.objects.count()
    url = reverse("territory:gridcell_officers", args=[target.public_id])
    # when
    response = _post_as(client, actor, url, {"officers": [officer.pk]})
    # then
    assert response.status_code == EXPECTED[kind]
    officers = list(GridCell.objects.get(pk=target.pk).officers.all())
    if kind == "with_permission":
        assert officers == [officer]
        assert AuditEvent.objects.filter(action="territory.officers_assigned").count() == 1
    else:
        assert officers == []
        assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("anonymous", 302),
        ("same_department_without_permission", 403),
        ("with_permission", 302),
    ],
)
def test_creating_a_grid_cell(client, actor_for, kind, status):
    actor = actor_for(kind)
    response = _post_as(
        client,
        actor,
        reverse("territory:gridcell_create"),
        {"code": "540102-09", "name": "新网格", "region": "540102", "description": ""},
    )
    assert response.status_code == status
    created = GridCell.objects.filter(code="540102-09").count()
    assert created == (1 if kind == "with_permission" else 0)


def test_creation_form_offers_only_counties_of_ones_jurisdiction(client, actor_for):
    client.force_login(actor_for("with_permission"))
    response = client.get(reverse("territory:gridcell_create"))
    assert [r.code for r in response.context["form"].fields["region"].queryset] == ["540102"]
    outside = client.post(
        reverse("territory:gridcell_create"),
        {"code": "540202-09", "name": "越界", "region": "540202"},
    )
    assert outside.status_code == 422
    assert GridCell.objects.filter(code="540202-09").count() == 0


def test_officer_form_refuses_an_officer_of_another_county(
    client, other_county, actor_for, target, user_in_department
):
    client.force_login(actor_for("with_permission"))
    stranger = user_in_department(role=Role.INSPECTOR, department=other_county)
    response = client.post(
        reverse("territory:gridcell_officers", args=[target.public_id]),
        {"officers": [stranger.pk]},
    )
    assert response.status_code == 422
    assert "officers" in response.context["form"].errors
    assert target.officers.count() == 0


def test_grid_cell_detail_loads_the_history_for_those_who_may_audit(
    client, county, actor_for, target
):
    history = f'hx-get="{reverse("audit:object_history")}?object_type=territory.gridcell'
    client.force_login(actor_for("with_permission"))  # a department head may read the audit
    assert history in client.get(reverse("territory:gridcell_detail", args=[target.public_id])).text
    client.force_login(actor_for("same_department_without_permission"))
    assert (
        history
        not in client.get(reverse("territory:gridcell_detail", args=[target.public_id])).text
    )


def _region_codes(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="region-row" data-code="(\d{6})">', html)


def test_regions_sort_by_the_column_heads_and_page(client, county, user_in_department, monkeypatch):
    from yaojian.territory import views as territory_views

    client.force_login(user_in_department(department=county))
    monkeypatch.setattr(territory_views, "PAGE_SIZE", 10)
    url = reverse("territory:region_list")
    # the provinces, ten a page, by code both ways
    first = client.get(url).content.decode()
    assert _region_codes(first)[:2] == ["110000", "120000"]
    descending = client.get(url, {"sort": "-code"}).content.decode()
    assert _region_codes(descending)[:3] == ["820000", "810000", "710000"]
    assert 'aria-sort="descending"' in descending
    last = client.get(url, {"sort": "-code", "page": 4}).content.decode()
    assert _region_codes(last) == ["140000", "130000", "120000", "110000"]  # 34 = 3 × 10 + 4
    # below Tibet, by code
    tibet = client.get(url, {"parent": "540000", "sort": "code"}).content.decode()
    assert _region_codes(tibet) == sorted(_region_codes(tibet))


@pytest.mark.parametrize("bad", ["parent__name", "-valid_from", "code)--", ""])
def test_an_unknown_region_sort_keeps_the_order_by_code(client, county, user_in_department, bad):
    client.force_login(user_in_department(department=county))
    response = client.get(reverse("territory:region_list"), {"sort": bad, "page": "999"})
    assert response.status_code == 200
    codes = _region_codes(response.content.decode())
    assert codes == sorted(codes)
    assert len(codes) == 34
