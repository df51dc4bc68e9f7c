"""Registry pages: full pages and htmx partials, forms with 422, escaping, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.registry.choices import EntityKind, LicenceStatus, PersonRole, RiskClass
from yaojian.registry.models import Entity, Licence
from yaojian.registry.services import create_entity, transition_licence
from yaojian.registry.tests.factories import (
    EntityFactory,
    EntityPersonFactory,
    EntityProductFactory,
    LicenceFactory,
    LicenceStatusChangeFactory,
    PersonFactory,
    ProductFactory,
    uscc_for,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def english(client):
    """Switch ``client`` to English the way the language switch does (cookie)."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def steward_client(client, steward):
    client.force_login(steward)
    return client


def entity_url(entity, name="registry:entity_detail"):
    return reverse(name, kwargs={"public_id": entity.public_id})


# --- search -----------------------------------------------------------------------------


def test_entity_list_full_page(steward_client, entity):
    response = steward_client.get(reverse("registry:entity_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'data-testid="entity-search"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert html.count('data-testid="entity-row"') == 1
    assert entity.name in html


def test_entity_list_row_cells(steward_client, entity, licence):
    """A row (written in Python, ADR 0033): the link, the code or a dash, the labels, each
    licence with its status, and every cell labelled for the phone's cards."""
    bare = EntityFactory(registered_by=entity.registered_by, unified_social_credit_code=None)
    html = english(steward_client).get(reverse("registry:entity_list")).content.decode()
    rows = {row.split("</tr>")[0] for row in html.split('<tr data-testid="entity-row">')[1:]}
    (with_licence,) = [row for row in rows if entity.name in row]
    (without,) = [row for row in rows if bare.name in row]
    assert f'<a href="{entity_url(entity)}">{entity.name}</a>' in with_licence
    assert f"<div>{licence.number} " in with_licence
    assert 'data-state="valid"' in with_licence
    assert ">Valid<" in with_licence
    assert '<td data-label="Unified social credit code">—</td>' in without
    assert '<span class="text-secondary">—</span>' in without
    for label in ("Name", "Kind", "Region", "Status", "Licences"):
        assert f'<td data-label="{label}">' in with_licence


def test_entity_list_htmx_answers_the_table_partial(steward_client, entity, drug_regulator):
    EntityFactory(name="日喀则无关药店", registered_by=drug_regulator)
    response = steward_client.get(reverse("registry:entity_list"), {"q": "拉萨 测试"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="entity-table">')
    assert html.count('data-testid="entity-row"') == 1
    assert entity.name in html


def test_entity_list_filters_by_kind_region_and_licence_status(steward_client, entity, licence):
    EntityFactory(kind=EntityKind.HOSPITAL, registered_by=entity.registered_by)
    LicenceFactory(
        entity=EntityFactory(registered_by=entity.registered_by), status=LicenceStatus.REVOKED
    )
    url = reverse("registry:entity_list")
    params = {"kind": EntityKind.SINGLE_PHARMACY, "region": "540102", "licence_status": "valid"}
    response = steward_client.get(url, params, **HTMX)
    assert response.content.decode().count('data-testid="entity-row"') == 1
    assert entity.name in response.content.decode()


def test_entity_list_offers_regions_of_my_jurisdiction(client, user_in_department):
    client.force_login(user_in_department(role=Role.INSPECTOR, region="540100"))
    html = client.get(reverse("registry:entity_list")).content.decode()
    assert '<option value="540102">拉萨市 / 城关区</option>' in html
    assert 'value="540100"' in html
    assert 'value="540202"' not in html


def test_entity_list_rejects_region_outside_jurisdiction(steward_client, entity):
    response = steward_client.get(reverse("registry:entity_list"), {"region": "540202"}, **HTMX)
    assert response.status_code == 200
    assert 'data-testid="entity-row"' not in response.content.decode()
    assert 'class="errorlist"' in response.content.decode()


def test_entity_list_paginates_by_25(steward_client, drug_regulator):
    EntityFactory.create_batch(26, registered_by=drug_regulator)
    first = steward_client.get(reverse("registry:entity_list"), **HTMX).content.decode()
    second = steward_client.get(reverse("registry:entity_list"), {"page": 2}, **HTMX)
    assert first.count('data-testid="entity-row"') == 25
    assert second.content.decode().count('data-testid="entity-row"') == 1


def test_entity_list_query_count(steward_client, drug_regulator, django_assert_max_num_queries):
    for entity in EntityFactory.create_batch(30, registered_by=drug_regulator):
        LicenceFactory.create_batch(2, entity=entity, issued_by=drug_regulator)
    # session, user, memberships, grants, the search window's end (cached 10 minutes),
    # matches in the window (the count), region choices, page, licences; the shell: the
    # user's memberships (top bar) and the menu's case-list check
    # PostgreSQL: each planner-settings block adds a savepoint, SET, reset and release; the
    # name postings (ADR 0032) ask whether a bulk write's postings are pending; a page of a
    # known set of matches is sorted by key under its own block (bitmaps only).
    with django_assert_max_num_queries(11 if connection.vendor == "sqlite" else 24):
        response = steward_client.get(reverse("registry:entity_list"), {"q": "药房"})
    assert response.content.decode().count('data-testid="entity-row"') == 25


def test_entity_names_are_escaped(steward_client, steward):
    entity = create_entity(
        actor=steward,
        name="<script>alert(1)</script>",
        kind=EntityKind.SINGLE_PHARMACY,
        region_code="540102",
    )
    listing = steward_client.get(reverse("registry:entity_list"), {"q": "script"}).content.decode()
    profile = steward_client.get(entity_url(entity)).content.decode()
    for html in (listing, profile):
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- profile ----------------------------------------------------------------------------


@pytest.fixture
def full_entity(entity, licence, drug_regulator, grid_cell, steward):
    entity.grid_cell = grid_cell
    entity.save(update_fields=["grid_cell"])
    grid_cell.officers.add(steward)
    LicenceStatusChangeFactory(licence=licence)
    LicenceFactory(entity=entity, issued_by=drug_regulator, status=LicenceStatus.SUSPENDED)
    EntityProductFactory.create_batch(3, entity=entity)
    EntityPersonFactory.create_batch(
        2, entity=entity, person__department=drug_regulator, role=PersonRole.QUALITY_MANAGER
    )
    EntityPersonFactory(
        entity=entity, person__department=drug_regulator, ended_on=dt.date(2025, 1, 1)
    )
    return entity


def test_entity_profile_shows_every_section(steward_client, full_entity, licence, steward):
    transition_licence(actor=steward, licence=licence, to_status="suspended", reason="检查")
    response = steward_client.get(entity_url(full_entity))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="entity-name">{full_entity.name}</h1>' in html
    for section in ("identity", "licences", "products", "persons", "grid", "history"):
        assert f'data-testid="entity-{section}"' in html
    assert html.count('data-testid="licence-row"') == 2
    assert html.count('data-testid="person-row"') == 2
    assert html.count('data-testid="past-person-row"') == 1
    assert html.count('data-testid="person-reveal"') == 3
    assert html.count('data-testid="history-row"') == 1
    assert "八廓网格" in html
    assert str(steward) in html


def test_entity_profile_masks_personal_data(steward_client, entity, drug_regulator):
    person = PersonFactory(department=drug_regulator, phone="13908901234")
    EntityPersonFactory(entity=entity, person=person)
    html = steward_client.get(entity_url(entity)).content.decode()
    assert person.id_number not in html
    assert f"{person.id_number[:6]}********{person.id_number[-4:]}" in html
    assert "139****1234" in html


def test_entity_profile_query_count(steward_client, full_entity, django_assert_max_num_queries):
    # session, user, memberships, grants, entity, licences, their history, changeable
    # licences, products, persons, grid officers, audit history; the shell: the user's
    # memberships (top bar), the menu's case-list check
    with django_assert_max_num_queries(14):
        response = steward_client.get(entity_url(full_entity))
    assert response.status_code == 200


def test_entity_history_partial(steward_client, entity):
    response = steward_client.get(entity_url(entity), **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="entity-history"')


def test_entity_history_hidden_from_other_departments(client, user_in_department, entity):
    client.force_login(user_in_department(role=Role.INSPECTOR))
    html = client.get(entity_url(entity)).content.decode()
    assert 'data-testid="entity-history"' not in html


def test_entity_outside_jurisdiction_is_not_found(client, user_in_department, entity):
    client.force_login(user_in_department(role=Role.DATA_STEWARD, region="540202"))
    assert client.get(entity_url(entity)).status_code == 404


def test_unknown_entity_is_not_found(steward_client):
    url = reverse(
        "registry:entity_detail", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert steward_client.get(url).status_code == 404


# --- create and edit --------------------------------------------------------------------


def test_create_entity_page_and_post(steward_client, drug_regulator):
    form = steward_client.get(reverse("registry:entity_create"))
    assert form.status_code == 200
    assert '<option value="540102">拉萨市 / 城关区</option>' in form.content.decode()
    response = steward_client.post(
        reverse("registry:entity_create"),
        {
            "name": "城关区雪域大药房",
            "kind": EntityKind.SINGLE_PHARMACY,
            "region_code": "540102",
            "unified_social_credit_code": uscc_for(777),
        },
    )
    entity = Entity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == entity_url(entity)
    assert entity.registered_by == drug_regulator


def test_create_entity_errors_answer_422_in_the_users_language(steward_client, entity):
    response = english(steward_client).post(
        reverse("registry:entity_create"),
        {
            "name": "药" * 201,
            "kind": EntityKind.SINGLE_PHARMACY,
            "region_code": "540202",
            "unified_social_credit_code": entity.unified_social_credit_code,
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Ensure this value has at most 200 characters (it has 201)." in html
    assert "桑珠孜区 lies outside your jurisdiction." in html
    assert f"is already registered to “{entity.name}”" in html
    assert Entity.objects.count() == 1


def test_create_entity_errors_in_chinese_by_default(steward_client):
    response = steward_client.post(
        reverse("registry:entity_create"),
        {"name": "药" * 201, "kind": EntityKind.SINGLE_PHARMACY, "region_code": "540102"},
    )
    assert response.status_code == 422
    assert "Ensure this value" not in response.content.decode()


def test_edit_entity(steward_client, entity):
    url = entity_url(entity, "registry:entity_update")
    page = steward_client.get(url)
    assert page.status_code == 200
    assert f'value="{entity.name}"' in page.content.decode()
    response = steward_client.post(
        url,
        {
            "name": "新名称药房",
            "kind": entity.kind,
            "status": "suspended",
            "region_code": entity.region_id,
            "unified_social_credit_code": entity.unified_social_credit_code,
            "address": entity.address,
            "legal_representative": entity.legal_representative,
            "reason": "变更登记",
        },
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.name, entity.status) == ("新名称药房", "suspended")
    assert AuditEvent.objects.get(action="registry.entity_updated").reason == "变更登记"


def test_edit_entity_error_answers_422(steward_client, entity):
    response = steward_client.post(
        entity_url(entity, "registry:entity_update"),
        {"name": "", "kind": entity.kind, "status": "active", "region_code": "540102"},
    )
    assert response.status_code == 422


# --- licences ---------------------------------------------------------------------------


def test_add_licence_with_htmx_answers_the_licences_partial(steward_client, entity):
    response = steward_client.post(
        entity_url(entity, "registry:licence_create"),
        {"kind": "drug_distribution", "number": "藏DA891000123", "valid_from": "2024-01-01"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="entity-licences"')
    assert "藏DA891000123" in html
    assert response["HX-Trigger"] == '{"registry-licences-changed": {}}'
    assert Licence.objects.get().number == "藏DA891000123"


def test_add_licence_error_answers_422_partial(steward_client, entity):
    response = english(steward_client).post(
        entity_url(entity, "registry:licence_create"),
        {"kind": "drug_distribution", "number": "ABC", "valid_from": "2024-01-01"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "<html" not in html
    assert "does not fit." in html
    assert Licence.objects.count() == 0


def test_add_licence_without_htmx(steward_client, entity):
    url = entity_url(entity, "registry:licence_create")
    assert "<html" in steward_client.get(url).content.decode()
    bad = steward_client.post(url, {"kind": "drug_distribution", "number": "", "valid_from": ""})
    assert bad.status_code == 422
    good = steward_client.post(
        url, {"kind": "drug_distribution", "number": "藏DA891000124", "valid_from": "2024-01-01"}
    )
    assert good.status_code == 302
    assert good["Location"] == entity_url(entity)


def test_transition_licence_with_htmx(steward_client, licence):
    url = reverse("registry:licence_transition", kwargs={"public_id": licence.public_id})
    response = steward_client.post(url, {"to_status": "suspended", "reason": "飞行检查"}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUSPENDED


def test_transition_licence_without_reason_answers_422(steward_client, licence):
    url = reverse("registry:licence_transition", kwargs={"public_id": licence.public_id})
    response = steward_client.post(url, {"to_status": "suspended", "reason": ""}, **HTMX)
    assert response.status_code == 422
    assert "<html" not in response.content.decode()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID


def test_transition_licence_page(steward_client, licence):
    url = reverse("registry:licence_transition", kwargs={"public_id": licence.public_id})
    page = steward_client.get(url).content.decode()
    assert '<option value="suspended">' in page
    response = steward_client.post(url, {"to_status": "revoked", "reason": "吊销"})
    assert response.status_code == 302


# --- personal data ----------------------------------------------------------------------


def test_reveal_with_htmx_answers_the_unmasked_partial(steward_client, person, steward):
    url = reverse("registry:person_reveal", kwargs={"public_id": person.public_id})
    response = steward_client.post(url, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert person.id_number in html
    assert person.phone in html
    assert AuditEvent.objects.get(action="registry.personal_data_read").actor == steward


def test_reveal_without_htmx_is_a_page(steward_client, person):
    url = reverse("registry:person_reveal", kwargs={"public_id": person.public_id})
    html = steward_client.post(url).content.decode()
    assert "<html" in html
    assert person.id_number in html


def test_reveal_needs_post(steward_client, person):
    url = reverse("registry:person_reveal", kwargs={"public_id": person.public_id})
    assert steward_client.get(url).status_code == 405


# --- products ---------------------------------------------------------------------------


def test_product_list_search_and_filters(steward_client, entity):
    tibetan = ProductFactory(name="二十五味松石丸", ethnic_medicine="tibetan", holder=entity)
    ProductFactory(name="疫苗", risk_class=RiskClass.VACCINE)
    url = reverse("registry:product_list")
    page = steward_client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="product-row"') == 2
    partial = steward_client.get(url, {"tibetan": "true"}, **HTMX).content.decode()
    assert "<html" not in partial
    assert partial.count('data-testid="product-row"') == 1
    assert tibetan.name in partial
    by_name = steward_client.get(url, {"q": "松石"}, **HTMX).content.decode()
    assert by_name.count('data-testid="product-row"') == 1
    by_risk = steward_client.get(url, {"risk_class": "vaccine"}, **HTMX).content.decode()
    assert by_risk.count('data-testid="product-row"') == 1
    assert "疫苗" in by_risk


def test_product_list_query_count(steward_client, django_assert_max_num_queries):
    ProductFactory.create_batch(30, holder=EntityFactory())
    with django_assert_max_num_queries(8):
        response = steward_client.get(reverse("registry:product_list"))
    assert response.content.decode().count('data-testid="product-row"') == 25


def test_product_detail_lists_entities_in_my_jurisdiction(steward_client, entity):
    product = ProductFactory()
    EntityProductFactory(entity=entity, product=product)
    EntityProductFactory(product=product, entity=EntityFactory(region_id="540202"))
    response = steward_client.get(
        reverse("registry:product_detail", kwargs={"public_id": product.public_id})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="product-entity-row"') == 1
    assert entity.name in html


def test_history_shows_labelled_changes(steward_client, licence, steward):
    transition_licence(actor=steward, licence=licence, to_status="suspended", reason="飞行检查")
    html = english(steward_client).get(entity_url(licence.entity), **HTMX).content.decode()
    assert "Licence status changed" in html
    assert "status: Valid → Suspended" in html
    assert "飞行检查" in html


def test_edit_form_keeps_a_province_level_region(client, user_in_department, drug_regulator):
    provincial = user_in_department(role=Role.DATA_STEWARD, region="540000")
    entity = EntityFactory(region_id="540000", registered_by=drug_regulator)
    client.force_login(provincial)
    html = client.get(entity_url(entity, "registry:entity_update")).content.decode()
    assert '<option value="540000" selected>西藏自治区</option>' in html
