"""/api/v1/products/: the national reference list of drugs, devices and cosmetics."""

from __future__ import annotations

import pytest

from yaojian.registry.choices import EthnicMedicine, ProductKind, RiskClass
from yaojian.registry.tests.factories import EntityFactory, ProductFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/products/"


@pytest.fixture
def member(county_a, user_in_department):
    return user_in_department(department=county_a)


@pytest.fixture
def products(county_b):
    holder = EntityFactory(
        name="西藏奇正藏药股份有限公司", region_id="540202", registered_by=county_b
    )
    tibetan = ProductFactory(
        name="消痛贴膏",
        generic_name="消痛贴膏",
        approval_number="国药准字Z54020113",
        ethnic_medicine=EthnicMedicine.TIBETAN,
        holder=holder,
    )
    vaccine = ProductFactory(
        name="乙型肝炎疫苗",
        generic_name="重组乙型肝炎疫苗",
        approval_number="国药准字S10960041",
        category="S",
        risk_class=RiskClass.VACCINE,
    )
    device = ProductFactory(
        kind=ProductKind.DEVICE,
        name="一次性使用无菌注射器",
        generic_name="",
        approval_number="国械注准20153140001",
        approval_scheme="",
        category="",
        dosage_form="",
        strength="",
    )
    return {"tibetan": tibetan, "vaccine": vaccine, "device": device}


def test_products_are_seen_by_every_member_with_exact_fields(products, member, api_client_for):
    response = api_client_for(member).get(f"{URL}{products['tibetan'].public_id}/")
    assert response.status_code == 200
    product = products["tibetan"]
    assert response.json() == {
        "public_id": str(product.public_id),
        "kind": "drug",
        "name": "消痛贴膏",
        "generic_name": "消痛贴膏",
        "approval_number": "国药准字Z54020113",
        "approval_scheme": "legacy_2002",
        "origin": "",
        "category": "Z",
        "dosage_form": "片剂",
        "strength": "0.5g",
        "ethnic_medicine": "tibetan",
        "risk_class": "ordinary",
        "holder": {"public_id": str(product.holder.public_id), "name": "西藏奇正藏药股份有限公司"},
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["device", "vaccine", "tibetan"]),
        ("kind=device", ["device"]),
        ("risk_class=vaccine", ["vaccine"]),
        ("ethnic_medicine=tibetan", ["tibetan"]),
        ("ethnic_medicine=mongolian", []),
        ("approval_number=国药准字Z54020113", ["tibetan"]),
        ("approval_number=国药准字 z54020113", ["tibetan"]),
        ("approval_number=Z54020113", []),
        ("q=疫苗", ["vaccine"]),
        ("q=s10960041", ["vaccine"]),
        ("q=%27--", []),
    ],
)
def test_filters(query, expected, products, member, api_client_for):
    response = api_client_for(member).get(f"{URL}?{query}")
    assert response.status_code == 200
    assert [row["public_id"] for row in response.json()["results"]] == [
        str(products[key].public_id) for key in expected
    ]


def test_bad_filter(member, api_client_for):
    response = api_client_for(member).get(f"{URL}?risk_class=deadly&kind=food")
    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["kind", "risk_class"]


def test_user_without_department_sees_no_product(products, api_client_for):
    from yaojian.accounts.tests.factories import UserFactory

    assert api_client_for(UserFactory()).get(URL).json()["count"] == 0


def test_list_query_count_does_not_grow(
    products, member, count_queries, api_client_for, django_assert_max_num_queries
):
    few = count_queries(member, URL)
    ProductFactory.create_batch(5, holder=products["tibetan"].holder)
    assert count_queries(member, URL) == few
    client = api_client_for(member)
    with django_assert_max_num_queries(5):
        client.get(URL)
