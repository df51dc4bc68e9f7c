"""API writes of products and persons, and an entity's product and person links.

``POST``/``PATCH /products/``, ``POST /persons/``, and ``POST /entities/{id}/link-product/``,
``…/link-person/``, ``…/end-person-link/``: authorization matrix with side effects, the error
envelope, bad input, references resolved among what the caller sees.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import UserFactory
from yaojian.api.tests.conftest import registry_events
from yaojian.audit.models import AuditEvent
from yaojian.registry.choices import EntityKind, PersonRole
from yaojian.registry.models import EntityPerson, EntityProduct, Person, Product
from yaojian.registry.tests.factories import (
    EntityFactory,
    EntityPersonFactory,
    EntityProductFactory,
    PersonFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/products/"
PERSONS = "/api/v1/persons/"
ENTITIES = "/api/v1/entities/"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
NOT_VISIBLE = "The object does not exist or you may not see it."
ID_NUMBER = "54010219800101005X"
WHO = [
    "anonymous",
    "other_county",
    "same_department_without_permission",
    "other_department_without_permission",
    "data_steward",
]


@pytest.fixture
def client_for(county_a, county_b, health_a, user_in_department, api_client_for):
    """``client_for(who)``: an API client for one row of the authorization matrix."""
    users = {
        "anonymous": lambda: None,
        "other_county": lambda: user_in_department(department=county_b, role=Role.DATA_STEWARD),
        "same_department_without_permission": lambda: user_in_department(department=county_a),
        "other_department_without_permission": lambda: user_in_department(department=health_a),
        "data_steward": lambda: user_in_department(department=county_a, role=Role.DATA_STEWARD),
    }
    return lambda who: api_client_for(users[who]())


@pytest.fixture
def steward(county_a, user_in_department):
    return user_in_department(department=county_a, role=Role.DATA_STEWARD)


@pytest.fixture
def steward_client(steward, api_client_for):
    return api_client_for(steward)


@pytest.fixture
def entity_a(county_a):
    return EntityFactory(name="拉萨奇正大药房", registered_by=county_a, region_id="540102")


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    return body


# --- POST /products/ --------------------------------------------------------------------

PRODUCT = {
    "kind": "drug",
    "name": "二十五味珍珠丸",
    "approval_number": "国药准字 z5402 0051",
    "dosage_form": "丸剂",
    "ethnic_medicine": "tibetan",
    "risk_class": "ordinary",
}
STATUS_FOR_PRODUCTS = {
    "anonymous": (401, "not_authenticated"),
    "other_county": (201, None),  # products are national reference data
    "same_department_without_permission": (403, "permission_denied"),
    "other_department_without_permission": (403, "permission_denied"),
    "data_steward": (201, None),
}


@pytest.mark.parametrize("who", WHO)
def test_create_product_authorization(who, client_for):
    # when
    response = client_for(who).post(PRODUCTS, PRODUCT, format="json")
    # then
    status, code = STATUS_FOR_PRODUCTS[who]
    if code is not None:
        _error(response, status, code)
        assert Product.objects.count() == 0
        assert registry_events() == []
        return
    assert response.status_code == 201, response.content
    product = Product.objects.get()
    assert response.json() == {
        "public_id": str(product.public_id),
        "kind": "drug",
        "name": "二十五味珍珠丸",
        "generic_name": "",
        "approval_number": "国药准字Z54020051",
        "approval_scheme": "legacy_2002",
        "origin": "",
        "category": "Z",
        "dosage_form": "丸剂",
        "strength": "",
        "ethnic_medicine": "tibetan",
        "risk_class": "ordinary",
        "holder": None,
    }
    assert registry_events() == ["registry.product_created"]


def test_create_product_with_a_holder_in_my_jurisdiction(entity_a, steward_client):
    response = steward_client.post(
        PRODUCTS,
        {**PRODUCT, "holder": str(entity_a.public_id), "risk_class": "vaccine"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["holder"] == {
        "public_id": str(entity_a.public_id),
        "name": "拉萨奇正大药房",
    }
    assert Product.objects.get().risk_class == "vaccine"


def test_create_product_holder_must_be_visible(county_b, steward_client):
    far = EntityFactory(kind=EntityKind.MANUFACTURER, region_id="540202", registered_by=county_b)
    response = steward_client.post(
        PRODUCTS, {**PRODUCT, "holder": str(far.public_id)}, format="json", **ENGLISH
    )
    assert _error(response, 400, "invalid")["errors"] == {"holder": [NOT_VISIBLE]}
    assert Product.objects.count() == 0
    assert registry_events() == []


def test_create_product_rejects_an_invalid_approval_number(steward_client):
    response = steward_client.post(
        PRODUCTS, {**PRODUCT, "approval_number": "国药准字X123"}, format="json", **ENGLISH
    )
    body = _error(response, 400, "invalid")
    assert list(body["errors"]) == ["approval_number"]
    assert body["errors"]["approval_number"][0].endswith("“国药准字X123” does not fit.")
    assert body["message"] == "The request contains invalid values."
    assert Product.objects.count() == 0
    assert registry_events() == []


def test_create_product_names_the_product_holding_the_approval_number(steward_client):
    ProductFactory(name="已有的珍珠丸", approval_number="国药准字Z54020051")
    response = steward_client.post(PRODUCTS, PRODUCT, format="json", **ENGLISH)
    assert _error(response, 400, "invalid")["errors"] == {
        "approval_number": [
            "The approval number 国药准字Z54020051 is already registered to “已有的珍珠丸”."
        ]
    }
    assert Product.objects.count() == 1
    assert registry_events() == []


def test_create_product_keeps_markup_in_names_as_typed(steward_client):
    name = "<script>alert(1)</script>"
    response = steward_client.post(PRODUCTS, {**PRODUCT, "name": name}, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == name
    assert response["Content-Type"] == "application/json"
    assert Product.objects.get().name == name


def test_create_product_field_errors_come_together(steward_client):
    response = steward_client.post(
        PRODUCTS,
        {"kind": "food", "name": "", "approval_number": "", "risk_class": "deadly"},
        format="json",
        **ENGLISH,
    )
    assert sorted(_error(response, 400, "invalid")["errors"]) == [
        "approval_number",
        "kind",
        "name",
        "risk_class",
    ]
    assert Product.objects.count() == 0


# --- PATCH /products/{id}/ --------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_update_product_authorization(who, client_for):
    # given
    product = ProductFactory(name="旧名片")
    # when
    response = client_for(who).patch(
        f"{PRODUCTS}{product.public_id}/", {"name": "新名片", "reason": "更正"}, format="json"
    )
    # then
    product.refresh_from_db()
    status, code = STATUS_FOR_PRODUCTS[who]
    if code is not None:
        _error(response, status, code)
        assert product.name == "旧名片"
        assert registry_events() == []
        return
    assert response.status_code == 200, response.content
    assert response.json()["name"] == product.name == "新名片"
    event = AuditEvent.objects.get(action__startswith="registry.")
    assert (event.action, event.reason, event.changes) == (
        "registry.product_updated",
        "更正",
        {"name": ["旧名片", "新名片"]},
    )


def test_update_product_by_a_user_without_department_is_not_found(api_client_for):
    product = ProductFactory()
    response = api_client_for(UserFactory()).patch(
        f"{PRODUCTS}{product.public_id}/", {"name": "x"}, format="json"
    )
    _error(response, 404, "not_found")


def test_update_product_refuses_to_change_the_kind(steward_client):
    product = ProductFactory()
    response = steward_client.patch(
        f"{PRODUCTS}{product.public_id}/",
        {"kind": "device", "name": "改"},
        format="json",
        **ENGLISH,
    )
    assert _error(response, 400, "invalid")["errors"] == {
        "kind": ["The kind of a product cannot change; add a new product instead."]
    }
    product.refresh_from_db()
    assert (product.kind, product.name) == ("drug", product.name)
    assert registry_events() == []


def test_update_product_duplicate_approval_number(steward_client):
    ProductFactory(name="已有的珍珠丸", approval_number="国药准字Z54020051")
    product = ProductFactory()
    response = steward_client.patch(
        f"{PRODUCTS}{product.public_id}/",
        {"approval_number": "国药准字Z54020051"},
        format="json",
        **ENGLISH,
    )
    assert _error(response, 400, "invalid")["errors"] == {
        "approval_number": [
            "The approval number 国药准字Z54020051 is already registered to “已有的珍珠丸”."
        ]
    }
    assert registry_events() == []


def test_update_product_removes_the_holder(entity_a, steward_client):
    product = ProductFactory(holder=entity_a)
    response = steward_client.patch(
        f"{PRODUCTS}{product.public_id}/", {"holder": None}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["holder"] is None
    product.refresh_from_db()
    assert product.holder is None


def test_put_and_delete_of_products_are_not_allowed(steward_client):
    product = ProductFactory()
    assert steward_client.put(f"{PRODUCTS}{product.public_id}/", PRODUCT).status_code == 405
    assert steward_client.delete(f"{PRODUCTS}{product.public_id}/").status_code == 405
    assert Product.objects.count() == 1


# --- POST /persons/ ---------------------------------------------------------------------

PERSON = {
    "name": "卓玛",
    "region": "540102",
    "id_number": "540102 19800101 005x",
    "phone": "13908900001",
    "qualification": "执业药师",
    "certificate_number": "ZYYS-54-0001",
}


@pytest.mark.parametrize("who", WHO)
def test_create_person_authorization(who, client_for, county_a):
    # when
    response = client_for(who).post(PERSONS, PERSON, format="json", **ENGLISH)
    # then
    expected = {
        "anonymous": (401, "not_authenticated"),
        # no object to hide: the region is refused as outside the caller's jurisdiction
        "other_county": (400, "invalid"),
        "same_department_without_permission": (403, "permission_denied"),
        "other_department_without_permission": (403, "permission_denied"),
        "data_steward": (201, None),
    }[who]
    if expected[1] is not None:
        body = _error(response, *expected)
        if who == "other_county":
            assert body["errors"] == {"region": ["城关区 lies outside your jurisdiction."]}
        assert Person.objects.count() == 0
        assert registry_events() == []
        return
    assert response.status_code == 201, response.content
    person = Person.objects.get()
    body = response.json()
    assert body["public_id"] == str(person.public_id)
    assert (body["id_number"], body["phone"], body["department"]["code"]) == (
        "540102********005X",
        "139****0001",
        "MPA-540102",
    )
    assert (person.id_number, person.department) == (ID_NUMBER, county_a)
    event = AuditEvent.objects.get(action__startswith="registry.")
    assert (event.action, event.department) == ("registry.person_created", county_a)
    assert ID_NUMBER not in str(event.changes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": "540102198001010021"}, "id_number"),
        ({"phone": "call me"}, "phone"),
        ({"region": "5401"}, "region"),
        ({"name": ""}, "name"),
    ],
)
def test_create_person_bad_input(changes, field, steward_client):
    response = steward_client.post(PERSONS, {**PERSON, **changes}, format="json")
    assert list(_error(response, 400, "invalid")["errors"]) == [field]
    assert Person.objects.count() == 0
    assert registry_events() == []


def test_create_person_refuses_a_registered_id_number_without_naming_anyone(
    county_a, steward_client
):
    PersonFactory(name="次仁", id_number=ID_NUMBER, department=county_a)
    response = steward_client.post(PERSONS, PERSON, format="json", **ENGLISH)
    assert _error(response, 400, "invalid")["errors"] == {
        "id_number": ["A person with this identity card number is already registered."]
    }
    assert "次仁" not in response.content.decode()
    assert Person.objects.count() == 1
    assert registry_events() == []


# --- POST /entities/{id}/link-product/ ------------------------------------------------------

STATUS_FOR_ENTITY_ACTIONS = {
    "anonymous": (401, "not_authenticated"),
    "other_county": (404, "not_found"),
    "same_department_without_permission": (403, "permission_denied"),
    "other_department_without_permission": (403, "permission_denied"),
}


@pytest.mark.parametrize("who", WHO)
def test_link_product_authorization(who, client_for, entity_a):
    # given
    product = ProductFactory(name="坐珠达西")
    # when
    response = client_for(who).post(
        f"{ENTITIES}{entity_a.public_id}/link-product/",
        {"product": str(product.public_id), "relation": "sells"},
        format="json",
    )
    # then
    if who in STATUS_FOR_ENTITY_ACTIONS:
        _error(response, *STATUS_FOR_ENTITY_ACTIONS[who])
        assert EntityProduct.objects.count() == 0
        assert registry_events() == []
        return
    assert response.status_code == 201, response.content
    link = EntityProduct.objects.get()
    assert response.json() == {
        "entity": {"public_id": str(entity_a.public_id), "name": "拉萨奇正大药房"},
        "product": {
            "public_id": str(product.public_id),
            "kind": "drug",
            "name": "坐珠达西",
            "approval_number": product.approval_number,
        },
        "relation": "sells",
        "created_at": response.json()["created_at"],
    }
    assert dt.datetime.fromisoformat(response.json()["created_at"]) == link.created_at
    event = AuditEvent.objects.get(action__startswith="registry.")
    assert (event.action, event.object_id) == (
        "registry.entity_product_linked",
        str(entity_a.public_id),
    )


def test_link_product_bad_input(entity_a, steward_client):
    product = ProductFactory()
    EntityProductFactory(entity=entity_a, product=product, relation="sells")
    url = f"{ENTITIES}{entity_a.public_id}/link-product/"
    unknown = steward_client.post(
        url,
        {"product": "00000000-0000-0000-0000-000000000000", "relation": "sells"},
        format="json",
        **ENGLISH,
    )
    duplicate = steward_client.post(
        url, {"product": str(product.public_id), "relation": "sells"}, format="json", **ENGLISH
    )
    bad_relation = steward_client.post(
        url, {"product": str(product.public_id), "relation": "eats"}, format="json"
    )
    assert _error(unknown, 400, "invalid")["errors"] == {"product": [NOT_VISIBLE]}
    assert _error(duplicate, 400, "invalid")["errors"] == {
        "product": [f"“{product.name}” is already linked to this entity in this way."]
    }
    assert list(_error(bad_relation, 400, "invalid")["errors"]) == ["relation"]
    assert EntityProduct.objects.count() == 1
    assert registry_events() == []


# --- POST /entities/{id}/link-person/ -------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_link_person_authorization(who, client_for, entity_a, county_a):
    # given
    person = PersonFactory(name="卓玛", department=county_a)
    # when
    response = client_for(who).post(
        f"{ENTITIES}{entity_a.public_id}/link-person/",
        {"person": str(person.public_id), "role": "quality_manager", "started_on": "2024-03-01"},
        format="json",
    )
    # then
    if who in STATUS_FOR_ENTITY_ACTIONS:
        _error(response, *STATUS_FOR_ENTITY_ACTIONS[who])
        assert EntityPerson.objects.count() == 0
        assert registry_events() == []
        return
    assert response.status_code == 201, response.content
    assert response.json() == {
        "entity": {"public_id": str(entity_a.public_id), "name": "拉萨奇正大药房"},
        "person": {"public_id": str(person.public_id), "name": "卓玛"},
        "role": "quality_manager",
        "started_on": "2024-03-01",
        "ended_on": None,
    }
    link = EntityPerson.objects.get()
    assert (link.entity, link.person, link.role) == (entity_a, person, "quality_manager")
    assert registry_events() == ["registry.entity_person_linked"]


def test_link_person_bad_input(entity_a, county_a, county_b, steward_client):
    far = PersonFactory(region_id="540202", department=county_b)
    holder = PersonFactory(name="卓玛", department=county_a)
    EntityPersonFactory(entity=entity_a, person=holder, role=PersonRole.PRINCIPAL)
    url = f"{ENTITIES}{entity_a.public_id}/link-person/"
    invisible = steward_client.post(
        url, {"person": str(far.public_id), "role": "principal"}, format="json", **ENGLISH
    )
    duplicate = steward_client.post(
        url, {"person": str(holder.public_id), "role": "principal"}, format="json", **ENGLISH
    )
    bad_date = steward_client.post(
        url,
        {"person": str(holder.public_id), "role": "quality_manager", "started_on": "yesterday"},
        format="json",
    )
    assert _error(invisible, 400, "invalid")["errors"] == {"person": [NOT_VISIBLE]}
    assert _error(duplicate, 400, "invalid")["errors"] == {
        "person": ["卓玛 already holds this role at this entity."]
    }
    assert list(_error(bad_date, 400, "invalid")["errors"]) == ["started_on"]
    assert EntityPerson.objects.count() == 1
    assert registry_events() == []


# --- POST /entities/{id}/end-person-link/ ---------------------------------------------------


@pytest.fixture
def pharmacist_link(entity_a, county_a):
    return EntityPersonFactory(
        entity=entity_a,
        person__name="卓玛",
        person__department=county_a,
        role=PersonRole.LICENSED_PHARMACIST,
        started_on=dt.date(2024, 1, 1),
    )


@pytest.mark.parametrize("who", WHO)
def test_end_person_link_authorization(who, client_for, pharmacist_link):
    # when
    response = client_for(who).post(
        f"{ENTITIES}{pharmacist_link.entity.public_id}/end-person-link/",
        {
            "person": str(pharmacist_link.person.public_id),
            "role": "licensed_pharmacist",
            "ended_on": "2025-06-30",
            "reason": "离职",
        },
        format="json",
    )
    # then
    pharmacist_link.refresh_from_db()
    if who in STATUS_FOR_ENTITY_ACTIONS:
        _error(response, *STATUS_FOR_ENTITY_ACTIONS[who])
        assert pharmacist_link.ended_on is None
        assert registry_events() == []
        return
    assert response.status_code == 200, response.content
    assert response.json() == {
        "entity": {"public_id": str(pharmacist_link.entity.public_id), "name": "拉萨奇正大药房"},
        "person": {"public_id": str(pharmacist_link.person.public_id), "name": "卓玛"},
        "role": "licensed_pharmacist",
        "started_on": "2024-01-01",
        "ended_on": "2025-06-30",
    }
    assert pharmacist_link.ended_on == dt.date(2025, 6, 30)
    event = AuditEvent.objects.get(action__startswith="registry.")
    assert (event.action, event.reason) == ("registry.entity_person_link_ended", "离职")


def test_end_person_link_bad_input(pharmacist_link, steward_client):
    url = f"{ENTITIES}{pharmacist_link.entity.public_id}/end-person-link/"
    person = str(pharmacist_link.person.public_id)
    not_held = steward_client.post(
        url, {"person": person, "role": "principal"}, format="json", **ENGLISH
    )
    too_early = steward_client.post(
        url,
        {"person": person, "role": "licensed_pharmacist", "ended_on": "2023-12-31"},
        format="json",
        **ENGLISH,
    )
    assert _error(not_held, 400, "invalid")["errors"] == {
        "role": ["The person does not currently hold this role at this entity."]
    }
    assert _error(too_early, 400, "invalid")["errors"] == {
        "ended_on": ["A role cannot end before it started (2024-01-01)."]
    }
    pharmacist_link.refresh_from_db()
    assert pharmacist_link.ended_on is None
    assert registry_events() == []


def test_end_person_link_of_a_person_registered_in_another_county(
    entity_a, county_b, steward_client
):
    # the profile lists every person linked to the entity, wherever they are registered
    link = EntityPersonFactory(
        entity=entity_a,
        person__region_id="540202",
        person__department=county_b,
        role=PersonRole.PRINCIPAL,
    )
    response = steward_client.post(
        f"{ENTITIES}{entity_a.public_id}/end-person-link/",
        {"person": str(link.person.public_id), "role": "principal", "ended_on": "2025-02-01"},
        format="json",
    )
    assert response.status_code == 200, response.content
    link.refresh_from_db()
    assert link.ended_on == dt.date(2025, 2, 1)
    assert registry_events() == ["registry.entity_person_link_ended"]


def test_end_person_link_of_another_entity_is_refused(pharmacist_link, county_a, steward_client):
    other = EntityFactory(registered_by=county_a)
    response = steward_client.post(
        f"{ENTITIES}{other.public_id}/end-person-link/",
        {"person": str(pharmacist_link.person.public_id), "role": "licensed_pharmacist"},
        format="json",
    )
    assert list(_error(response, 400, "invalid")["errors"]) == ["role"]
    pharmacist_link.refresh_from_db()
    assert pharmacist_link.ended_on is None


# --- whatever a client sends ----------------------------------------------------------------

FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=80),
    st.lists(st.text(max_size=5), max_size=2),
)


FIELDS = {
    PRODUCTS: ["kind", "name", "approval_number", "ethnic_medicine", "risk_class", "holder"],
    PERSONS: ["name", "region", "id_number", "phone", "department"],
}


@FUZZ
@given(
    data=st.sampled_from([PRODUCTS, PERSONS]).flatmap(
        lambda url: st.tuples(
            st.just(url), st.dictionaries(st.sampled_from(FIELDS[url]), JSON_VALUES)
        )
    )
)
def test_writes_never_fail(data, steward_client):
    url, payload = data
    before = (Product.objects.count(), Person.objects.count())
    response = steward_client.post(url, payload, format="json")
    assert response.status_code in {201, 400}, response.content
    if response.status_code == 400:
        assert set(response.json()) == {"code", "message", "errors"}
        assert (Product.objects.count(), Person.objects.count()) == before
