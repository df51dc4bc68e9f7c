"""Pages that write products, and an entity's products and persons.

Authorization matrix with side effects (rows and audit events), bad input answered with 422
in the user's language and nothing written, htmx full page and partial, escaping, query
counts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from yaojian.accounts.choices import Role
from yaojian.audit.models import AuditEvent
from yaojian.registry.choices import EntityKind, EthnicMedicine, PersonRole, RiskClass
from yaojian.registry.identifiers import parse_drug_approval_number, validate_id_card_number
from yaojian.registry.models import EntityPerson, EntityProduct, Person, Product
from yaojian.registry.tests.factories import (
    EntityFactory,
    EntityPersonFactory,
    EntityProductFactory,
    PersonFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WHO = [
    "anonymous",
    "other_county",
    "same_department_without_permission",
    "other_department_without_permission",
    "data_steward",
]
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ID_NUMBER = "54010219800101005X"


def english(client):
    """Switch ``client`` to English the way the language switch does (cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def registry_actions():
    return list(
        AuditEvent.objects.filter(action__startswith="registry.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def registry_event():
    """The one audit event of the registry written so far."""
    return AuditEvent.objects.get(action__startswith="registry.")


def url(name, obj=None):
    return reverse(f"registry:{name}", kwargs={"public_id": obj.public_id} if obj else None)


def message_of(error_factory, language):
    """The message of the ``ValidationError`` that ``error_factory`` raises, in ``language``."""
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            error_factory()
        return caught.value.messages[0]


@pytest.fixture
def login_as(client, user_in_department, drug_regulator, health_commission):
    """``login_as(who)``: the test client signed in as one row of the matrix."""
    users = {
        "anonymous": lambda: None,
        "other_county": lambda: user_in_department(role=Role.DATA_STEWARD, region="540202"),
        "same_department_without_permission": lambda: user_in_department(
            role=Role.INSPECTOR, department=drug_regulator
        ),
        "other_department_without_permission": lambda: user_in_department(
            role=Role.INSPECTOR, department=health_commission
        ),
        "data_steward": lambda: user_in_department(
            role=Role.DATA_STEWARD, department=drug_regulator
        ),
    }

    def login(who):
        user = users[who]()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def steward_client(client, steward):
    client.force_login(steward)
    return client


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


# --- products: create -------------------------------------------------------------------

PRODUCT = {
    "kind": "drug",
    "name": "二十五味珍珠丸",
    "generic_name": "二十五味珍珠丸",
    "approval_number": "国药准字 z5402 0051",
    "dosage_form": "丸剂",
    "strength": "1g",
    "ethnic_medicine": EthnicMedicine.TIBETAN,
    "risk_class": RiskClass.ORDINARY,
}


@pytest.mark.parametrize("who", WHO)
def test_product_create_authorization(who, login_as):
    # given
    client = login_as(who)
    # when
    page = client.get(url("product_create"))
    response = client.post(url("product_create"), PRODUCT)
    # then (products are national reference data: any county's data steward adds them)
    if who == "anonymous":
        assert_login_redirect(page)
        assert_login_redirect(response)
    elif who in {"other_county", "data_steward"}:
        product = Product.objects.get()
        assert page.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == url("product_detail", product)
        assert (product.name, product.approval_number, product.category) == (
            "二十五味珍珠丸",
            "国药准字Z54020051",
            "Z",
        )
        assert product.is_tibetan_medicine
        assert registry_actions() == ["registry.product_created"]
        return
    else:
        assert page.status_code == response.status_code == 403
    assert Product.objects.count() == 0
    assert registry_actions() == []


def test_product_create_sets_the_holder_and_risk_class(steward_client, drug_regulator):
    holder = EntityFactory(kind=EntityKind.MANUFACTURER, registered_by=drug_regulator)
    page = steward_client.get(url("product_create")).content.decode()
    assert f'<option value="{holder.public_id}">{holder.name} (城关区)</option>' in page
    assert '<option value="vaccine">' in page
    assert '<option value="tibetan">' in page
    response = steward_client.post(
        url("product_create"),
        {**PRODUCT, "risk_class": RiskClass.VACCINE, "holder": str(holder.public_id)},
    )
    assert response.status_code == 302
    product = Product.objects.get()
    assert (product.holder, product.risk_class) == (holder, RiskClass.VACCINE)


def test_product_create_refuses_a_holder_outside_my_jurisdiction(steward_client):
    far = EntityFactory(kind=EntityKind.MANUFACTURER, region_id="540202")
    response = steward_client.post(url("product_create"), {**PRODUCT, "holder": far.public_id})
    assert response.status_code == 422
    assert Product.objects.count() == 0
    assert registry_actions() == []


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_product_create_rejects_an_invalid_approval_number_in_my_language(language, steward_client):
    if language == "en":
        english(steward_client)
    response = steward_client.post(
        url("product_create"), {**PRODUCT, "approval_number": "国药准字X123"}
    )
    expected = message_of(lambda: parse_drug_approval_number("国药准字X123"), language)
    assert response.status_code == 422
    assert expected in response.content.decode()
    assert Product.objects.count() == 0
    assert registry_actions() == []


def test_product_create_names_the_product_holding_the_approval_number(steward_client):
    ProductFactory(name="已有的珍珠丸", approval_number="国药准字Z54020051")
    response = english(steward_client).post(url("product_create"), PRODUCT)
    assert response.status_code == 422
    assert (
        "The approval number 国药准字Z54020051 is already registered to “已有的珍珠丸”."
        in response.content.decode()
    )
    assert Product.objects.count() == 1
    assert registry_actions() == []


def test_product_names_are_escaped(steward_client, entity):
    steward_client.post(url("product_create"), {**PRODUCT, "name": SCRIPT})
    product = Product.objects.get()
    EntityProductFactory(entity=entity, product=product)
    pages = [
        steward_client.get(url("product_list")),
        steward_client.get(url("product_detail", product)),
        steward_client.get(url("product_update", product)),
        steward_client.get(url("entity_detail", entity)),
    ]
    for page in pages:
        html = page.content.decode()
        assert SCRIPT not in html
        assert ESCAPED in html


def test_product_pages_offer_writing_only_to_those_allowed(client, user_in_department, steward):
    product = ProductFactory()
    for user, allowed in [(user_in_department(role=Role.INSPECTOR), False), (steward, True)]:
        client.force_login(user)
        listing = client.get(url("product_list")).content.decode()
        detail = client.get(url("product_detail", product)).content.decode()
        assert ('data-testid="product-create"' in listing) is allowed
        assert ('data-testid="product-edit"' in detail) is allowed


def test_product_form_query_count_does_not_grow_with_holders(
    steward_client, drug_regulator, django_assert_num_queries
):
    EntityFactory.create_batch(2, kind=EntityKind.MANUFACTURER, registered_by=drug_regulator)
    with CaptureQueriesContext(connection) as few:
        steward_client.get(url("product_create"))
    # session, the user with their scope (memberships, grants), holders; the shell reads the
    # scope (the top bar's departments, the menu's case-list check): no query of its own
    assert len(few) == 3
    EntityFactory.create_batch(20, kind=EntityKind.TIBETAN_MEDICINE, registered_by=drug_regulator)
    with django_assert_num_queries(len(few)):
        page = steward_client.get(url("product_create"))
    assert page.content.decode().count("(城关区)</option>") == 22


# --- products: change -------------------------------------------------------------------


def _product_form(product, **changes):
    data = {
        "name": product.name,
        "generic_name": product.generic_name,
        "approval_number": product.approval_number,
        "dosage_form": product.dosage_form,
        "strength": product.strength,
        "ethnic_medicine": product.ethnic_medicine,
        "risk_class": product.risk_class,
        "holder": product.holder.public_id if product.holder else "",
        "reason": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", WHO)
def test_product_update_authorization(who, login_as):
    # given
    product = ProductFactory(name="旧名片")
    client = login_as(who)
    # when
    page = client.get(url("product_update", product))
    response = client.post(
        url("product_update", product), _product_form(product, name="新名片", reason="更正")
    )
    # then
    product.refresh_from_db()
    if who == "anonymous":
        assert_login_redirect(page)
        assert_login_redirect(response)
    elif who in {"other_county", "data_steward"}:
        assert page.status_code == 200
        assert response.status_code == 302
        assert product.name == "新名片"
        event = registry_event()
        assert (event.action, event.reason, event.changes) == (
            "registry.product_updated",
            "更正",
            {"name": ["旧名片", "新名片"]},
        )
        return
    else:
        assert page.status_code == response.status_code == 403
    assert product.name == "旧名片"
    assert registry_actions() == []


def test_product_update_keeps_a_holder_outside_my_jurisdiction(steward_client):
    far = EntityFactory(kind=EntityKind.MANUFACTURER, region_id="540202")
    product = ProductFactory(holder=far, risk_class=RiskClass.ORDINARY)
    page = steward_client.get(url("product_update", product)).content.decode()
    assert f'<option value="{far.public_id}" selected>' in page
    assert 'name="kind"' not in page
    response = steward_client.post(
        url("product_update", product), _product_form(product, risk_class=RiskClass.COLD_CHAIN)
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.holder, product.risk_class) == (far, RiskClass.COLD_CHAIN)
    assert registry_event().changes == {"risk_class": ["ordinary", "cold_chain"]}


def test_product_update_refuses_a_duplicate_approval_number(steward_client):
    ProductFactory(name="已有的珍珠丸", approval_number="国药准字Z54020051")
    product = ProductFactory(name="另一药品")
    before = product.approval_number
    response = english(steward_client).post(
        url("product_update", product), _product_form(product, approval_number="国药准字Z54020051")
    )
    assert response.status_code == 422
    assert "is already registered to “已有的珍珠丸”." in response.content.decode()
    product.refresh_from_db()
    assert product.approval_number == before
    assert registry_actions() == []


def test_product_update_without_a_change_writes_nothing(steward_client):
    product = ProductFactory()
    response = steward_client.post(url("product_update", product), _product_form(product))
    assert response.status_code == 302
    assert registry_actions() == []


def test_product_update_of_a_missing_product_is_not_found(steward_client):
    missing = reverse(
        "registry:product_update", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert steward_client.get(missing).status_code == 404


# --- the profile: forms for those who may change the entity ------------------------------


def test_profile_shows_the_forms_to_a_data_steward_only(
    client, steward, user_in_department, entity, drug_regulator
):
    EntityPersonFactory.create_batch(2, entity=entity, person__department=drug_regulator)
    client.force_login(steward)
    html = client.get(url("entity_detail", entity)).content.decode()
    assert html.count('data-testid="product-link-form"') == 1
    assert html.count('data-testid="person-add-form"') == 1
    assert html.count('data-testid="person-end-form"') == 2
    assert "registry-profile-changed from:body" in html
    client.force_login(user_in_department(role=Role.INSPECTOR, department=drug_regulator))
    html = client.get(url("entity_detail", entity)).content.decode()
    for testid in ("product-link-form", "person-add-form", "person-end-form"):
        assert f'data-testid="{testid}"' not in html


def test_profile_query_count_does_not_grow_with_persons(
    steward_client, entity, drug_regulator, django_assert_num_queries
):
    EntityPersonFactory(entity=entity, person__department=drug_regulator)
    with CaptureQueriesContext(connection) as few:
        steward_client.get(url("entity_detail", entity))
    assert len(few) <= 12  # the limit of the profile without the forms (test_views.py)
    EntityPersonFactory.create_batch(8, entity=entity, person__department=drug_regulator)
    EntityProductFactory.create_batch(5, entity=entity)
    with django_assert_num_queries(len(few)):
        html = steward_client.get(url("entity_detail", entity)).content.decode()
    assert html.count('data-testid="person-end-form"') == 9


# --- link a product ---------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_link_product_authorization(who, login_as, entity):
    # given
    product = ProductFactory(approval_number="国药准字Z54020113")
    client = login_as(who)
    data = {"kind": "drug", "approval_number": "国药准字 z5402 0113", "relation": "sells"}
    # when
    response = client.post(url("entity_product_link", entity), data, **HTMX)
    # then
    expected = {
        "anonymous": 302,
        "other_county": 404,
        "same_department_without_permission": 403,
        "other_department_without_permission": 403,
        "data_steward": 200,
    }[who]
    assert response.status_code == expected
    if who == "data_steward":
        link = EntityProduct.objects.get()
        assert (link.entity, link.product, link.relation) == (entity, product, "sells")
        event = registry_event()
        assert (event.action, event.object_id, event.changes["product"]) == (
            "registry.entity_product_linked",
            str(entity.public_id),
            [None, str(product.public_id)],
        )
    else:
        assert EntityProduct.objects.count() == 0
        assert registry_actions() == []


def test_link_product_with_htmx_answers_the_products_partial(steward_client, entity):
    product = ProductFactory(name="坐珠达西")
    response = steward_client.post(
        url("entity_product_link", entity),
        {"kind": "drug", "approval_number": product.approval_number, "relation": "holder"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="entity-products"')
    assert html.count('data-testid="product-link-row"') == 1
    assert "坐珠达西" in html
    assert response["HX-Trigger"] == '{"registry-profile-changed": {}}'


def test_link_product_errors_answer_422_in_place(steward_client, entity):
    product = ProductFactory()
    EntityProductFactory(entity=entity, product=product, relation="sells")
    english(steward_client)
    unknown = steward_client.post(
        url("entity_product_link", entity),
        {"kind": "device", "approval_number": product.approval_number, "relation": "sells"},
        **HTMX,
    )
    duplicate = steward_client.post(
        url("entity_product_link", entity),
        {"kind": "drug", "approval_number": product.approval_number, "relation": "sells"},
        **HTMX,
    )
    for response in (unknown, duplicate):
        assert response.status_code == 422
        assert response.content.decode().lstrip().startswith('<section id="entity-products"')
        assert "HX-Trigger" not in response
    assert (
        f"No product of this kind with the approval number {product.approval_number} is "
        "registered; add it to the product list first." in unknown.content.decode()
    )
    assert f"“{product.name}” is already linked to this entity in this way." in (
        duplicate.content.decode()
    )
    assert EntityProduct.objects.count() == 1
    assert registry_actions() == []


def test_link_product_without_htmx(steward_client, entity):
    product = ProductFactory()
    page = steward_client.get(url("entity_product_link", entity))
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    bad = steward_client.post(
        url("entity_product_link", entity), {"kind": "drug", "approval_number": "", "relation": ""}
    )
    assert bad.status_code == 422
    assert "<html" in bad.content.decode()
    good = steward_client.post(
        url("entity_product_link", entity),
        {"kind": "drug", "approval_number": product.approval_number, "relation": "distributes"},
    )
    assert good.status_code == 302
    assert good["Location"] == url("entity_detail", entity)
    assert EntityProduct.objects.get().relation == "distributes"


# --- add a person -----------------------------------------------------------------------

PERSON = {
    "name": "卓玛",
    "id_number": "540102 19800101 005x",
    "phone": "13908900001",
    "qualification": "执业药师",
    "certificate_number": "ZYYS-54-0001",
    "role": PersonRole.LICENSED_PHARMACIST,
    "started_on": "2024-03-01",
}


@pytest.mark.parametrize("who", WHO)
def test_add_person_authorization(who, login_as, entity, drug_regulator):
    # given
    client = login_as(who)
    # when
    response = client.post(url("entity_person_add", entity), PERSON, **HTMX)
    # then
    expected = {
        "anonymous": 302,
        "other_county": 404,
        "same_department_without_permission": 403,
        "other_department_without_permission": 403,
        "data_steward": 200,
    }[who]
    assert response.status_code == expected
    if who == "data_steward":
        person = Person.objects.get()
        assert (person.name, person.id_number, person.region_id, person.department) == (
            "卓玛",
            ID_NUMBER,
            "540102",
            drug_regulator,
        )
        link = EntityPerson.objects.get()
        assert (link.entity, link.person, link.role, link.started_on) == (
            entity,
            person,
            PersonRole.LICENSED_PHARMACIST,
            dt.date(2024, 3, 1),
        )
        assert registry_actions() == ["registry.person_created", "registry.entity_person_linked"]
        assert ID_NUMBER not in str(list(AuditEvent.objects.values_list("changes", flat=True)))
    else:
        assert Person.objects.count() == EntityPerson.objects.count() == 0
        assert registry_actions() == []


def test_add_person_with_htmx_answers_the_persons_partial(steward_client, entity):
    response = steward_client.post(url("entity_person_add", entity), PERSON, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="entity-persons"')
    assert html.count('data-testid="person-row"') == 1
    assert "540102********005X" in html
    assert ID_NUMBER not in html
    assert 'data-testid="person-notice"' not in html
    assert response["HX-Trigger"] == '{"registry-profile-changed": {}}'


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_add_person_rejects_an_invalid_id_number_in_my_language(language, steward_client, entity):
    if language == "en":
        english(steward_client)
    bad = "540102198001010021"
    response = steward_client.post(
        url("entity_person_add", entity), {**PERSON, "id_number": bad}, **HTMX
    )
    expected = message_of(lambda: validate_id_card_number(bad), language)
    assert response.status_code == 422
    assert response.content.decode().lstrip().startswith('<section id="entity-persons"')
    assert expected in response.content.decode()
    assert Person.objects.count() == EntityPerson.objects.count() == 0
    assert registry_actions() == []


def test_add_person_links_the_person_registered_with_the_id_number(
    steward_client, entity, drug_regulator
):
    # given a registered pharmacist, already at another entity
    existing = PersonFactory(
        name="卓玛", id_number=ID_NUMBER, phone="13900000000", department=drug_regulator
    )
    EntityPersonFactory(person=existing, entity=EntityFactory(registered_by=drug_regulator))
    # when the same person is added with other details
    response = english(steward_client).post(
        url("entity_person_add", entity), {**PERSON, "name": " 卓 玛 "}, **HTMX
    )
    # then the existing person is linked and their record left as it was
    html = response.content.decode()
    assert response.status_code == 200
    assert Person.objects.get() == existing
    existing.refresh_from_db()
    assert existing.phone == "13900000000"
    link = EntityPerson.objects.get(entity=entity)
    assert (link.person, link.role) == (existing, PersonRole.LICENSED_PHARMACIST)
    assert registry_actions() == ["registry.entity_person_linked"]
    assert (
        "卓玛 was already registered with this identity card number: that record was linked "
        "and its details were not changed." in html
    )


def test_add_person_refuses_an_id_number_registered_under_another_name(
    steward_client, entity, drug_regulator
):
    PersonFactory(name="次仁", id_number=ID_NUMBER, department=drug_regulator)
    response = english(steward_client).post(url("entity_person_add", entity), PERSON, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert (
        "This identity card number is registered to a person with another name; check the "
        "number and the name." in html
    )
    assert "次仁" not in html
    assert Person.objects.count() == 1
    assert EntityPerson.objects.count() == 0
    assert registry_actions() == []


def test_add_person_refuses_an_id_number_registered_outside_my_jurisdiction(steward_client, entity):
    PersonFactory(name="卓玛", id_number=ID_NUMBER, region_id="540202")
    response = english(steward_client).post(url("entity_person_add", entity), PERSON, **HTMX)
    assert response.status_code == 422
    assert (
        "A person with this identity card number is already registered."
        in response.content.decode()
    )
    assert Person.objects.count() == 1
    assert EntityPerson.objects.count() == 0
    assert registry_actions() == []


def test_add_person_who_already_holds_the_role_writes_nothing(
    steward_client, entity, drug_regulator
):
    existing = PersonFactory(name="卓玛", id_number=ID_NUMBER, department=drug_regulator)
    EntityPersonFactory(entity=entity, person=existing, role=PersonRole.LICENSED_PHARMACIST)
    response = english(steward_client).post(url("entity_person_add", entity), PERSON, **HTMX)
    assert response.status_code == 422
    assert "卓玛 already holds this role at this entity." in response.content.decode()
    assert EntityPerson.objects.count() == 1
    assert registry_actions() == []


def test_add_person_without_htmx_reports_the_linked_person_on_the_profile(
    steward_client, entity, drug_regulator
):
    PersonFactory(name="卓玛", id_number=ID_NUMBER, department=drug_regulator)
    page = steward_client.get(url("entity_person_add", entity))
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    bad = steward_client.post(url("entity_person_add", entity), {**PERSON, "role": "boss"})
    assert bad.status_code == 422
    response = english(steward_client).post(url("entity_person_add", entity), PERSON, follow=True)
    assert response.redirect_chain == [(url("entity_detail", entity), 302)]
    assert "that record was linked and its details were not changed." in (response.content.decode())
    assert EntityPerson.objects.get().entity == entity


def test_person_names_are_escaped(steward_client, entity):
    steward_client.post(
        url("entity_person_add", entity), {**PERSON, "name": SCRIPT, "id_number": ""}, **HTMX
    )
    assert Person.objects.get().name == SCRIPT
    html = steward_client.get(url("entity_detail", entity)).content.decode()
    assert SCRIPT not in html
    assert ESCAPED in html


# --- end a person's role ----------------------------------------------------------------


@pytest.fixture
def pharmacist_link(entity, drug_regulator):
    return EntityPersonFactory(
        entity=entity,
        person__department=drug_regulator,
        role=PersonRole.LICENSED_PHARMACIST,
        started_on=dt.date(2024, 1, 1),
    )


def _end(link, **changes):
    return {"person": str(link.person.public_id), "role": link.role, **changes}


@pytest.mark.parametrize("who", WHO)
def test_end_person_link_authorization(who, login_as, pharmacist_link):
    # given
    client = login_as(who)
    # when
    response = client.post(
        url("entity_person_end", pharmacist_link.entity),
        _end(pharmacist_link, ended_on="2025-06-30", reason="离职"),
        **HTMX,
    )
    # then
    expected = {
        "anonymous": 302,
        "other_county": 404,
        "same_department_without_permission": 403,
        "other_department_without_permission": 403,
        "data_steward": 200,
    }[who]
    assert response.status_code == expected
    pharmacist_link.refresh_from_db()
    if who == "data_steward":
        assert pharmacist_link.ended_on == dt.date(2025, 6, 30)
        event = registry_event()
        assert (event.action, event.reason, event.changes["ended_on"]) == (
            "registry.entity_person_link_ended",
            "离职",
            [None, "2025-06-30"],
        )
    else:
        assert pharmacist_link.ended_on is None
        assert registry_actions() == []


def test_end_person_link_with_htmx_moves_the_person_to_the_former(steward_client, pharmacist_link):
    response = steward_client.post(
        url("entity_person_end", pharmacist_link.entity), _end(pharmacist_link), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="entity-persons"')
    assert "<html" not in html
    assert 'data-testid="person-row"' not in html
    assert html.count('data-testid="past-person-row"') == 1
    assert response["HX-Trigger"] == '{"registry-profile-changed": {}}'
    pharmacist_link.refresh_from_db()
    assert pharmacist_link.ended_on == timezone.localdate()


def test_end_person_link_before_it_started_answers_422_in_its_row(steward_client, pharmacist_link):
    response = english(steward_client).post(
        url("entity_person_end", pharmacist_link.entity),
        _end(pharmacist_link, ended_on="2023-12-31"),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "A role cannot end before it started (2024-01-01)." in html
    assert f'id="id_end_ended_on_{pharmacist_link.person.public_id.hex[:8]}_' in html
    pharmacist_link.refresh_from_db()
    assert pharmacist_link.ended_on is None
    assert registry_actions() == []


def test_end_person_link_that_already_ended_answers_422(steward_client, pharmacist_link):
    pharmacist_link.ended_on = dt.date(2025, 1, 1)
    pharmacist_link.save(update_fields=["ended_on"])
    response = english(steward_client).post(
        url("entity_person_end", pharmacist_link.entity), _end(pharmacist_link), **HTMX
    )
    assert response.status_code == 422
    assert (
        "This person no longer holds this role at the entity; reload the page."
        in response.content.decode()
    )
    pharmacist_link.refresh_from_db()
    assert pharmacist_link.ended_on == dt.date(2025, 1, 1)
    assert registry_actions() == []


def test_end_person_link_of_another_entity_is_refused(steward_client, pharmacist_link, entity):
    other = EntityFactory(registered_by=entity.registered_by)
    response = steward_client.post(url("entity_person_end", other), _end(pharmacist_link))
    assert response.status_code == 422
    assert "<html" in response.content.decode()
    pharmacist_link.refresh_from_db()
    assert pharmacist_link.ended_on is None
    assert registry_actions() == []


def test_end_person_link_of_a_person_registered_in_another_county(steward_client, entity):
    link = EntityPersonFactory(entity=entity, person__region_id="540202")
    response = steward_client.post(url("entity_person_end", entity), _end(link), **HTMX)
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.ended_on == timezone.localdate()


def test_end_person_link_without_htmx(steward_client, pharmacist_link):
    end_url = url("entity_person_end", pharmacist_link.entity)
    assert steward_client.get(end_url).status_code == 405
    response = steward_client.post(end_url, _end(pharmacist_link, ended_on="2025-01-31"))
    assert response.status_code == 302
    assert response["Location"] == url("entity_detail", pharmacist_link.entity)
    pharmacist_link.refresh_from_db()
    assert pharmacist_link.ended_on == dt.date(2025, 1, 31)
