"""The global search: each kind of hit, scoping, escaping, metacharacters — never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.notices.tests.factories import NoticeFactory
from yaojian.registry.tests.factories import EntityFactory, LicenceFactory, uscc_for


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _titles(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 200
    return {
        section["provider"].key: [hit.title for hit in section["hits"]]
        for section in response.context["sections"]
    }


@pytest.fixture
def inspector(user_in_department: Any) -> Any:
    return user_in_department(role=Role.INSPECTOR, region="540102")


def test_an_entity_is_found_by_a_name_fragment_and_by_its_credit_code(inspector: Any) -> None:
    entity = EntityFactory(
        name="拉萨奇正藏药大药房", region_id="540102", unified_social_credit_code=uscc_for(7)
    )
    client = _client(inspector)
    assert _titles(client.get("/search/", {"q": "奇正藏药"}))["registry.entities"] == [entity.name]
    assert _titles(client.get("/search/", {"q": uscc_for(7)}))["registry.entities"] == [entity.name]


def test_a_licence_is_found_by_its_number(inspector: Any) -> None:
    entity = EntityFactory(name="城关药店", region_id="540102")
    licence = LicenceFactory(entity=entity)
    hits = _titles(_client(inspector).get("/search/", {"q": licence.number}))
    assert hits["registry.licences"] == [licence.number]


def test_a_county_user_does_not_find_another_countys_entity(inspector: Any) -> None:
    EntityFactory(
        name="堆龙德庆区康宁药店",
        region_id="540103",
        unified_social_credit_code=uscc_for(8, "540103"),
    )
    client = _client(inspector)
    assert _titles(client.get("/search/", {"q": "康宁药店"})) == {}
    assert _titles(client.get("/search/", {"q": uscc_for(8, "540103")})) == {}


def test_a_case_is_found_by_its_number(user_in_department: Any) -> None:
    from yaojian.enforcement import services
    from yaojian.enforcement.choices import ClueSource

    officer = user_in_department(role=Role.CASE_OFFICER, kind=DepartmentKind.MARKET_REGULATOR)
    case = services.record_clue(
        actor=officer, source=ClueSource.INSPECTION, title="销售假药", party_name="某药店"
    )
    hits = _titles(_client(officer).get("/search/", {"q": case.number}))
    assert hits["enforcement.cases"] == [case.number]
    stranger = user_in_department(
        role=Role.CASE_OFFICER, region="540202", kind=DepartmentKind.MARKET_REGULATOR
    )
    assert "enforcement.cases" not in _titles(_client(stranger).get("/search/", {"q": case.number}))


def test_a_notice_is_found_by_subject_and_by_number(user_in_department: Any) -> None:
    user = user_in_department(role=Role.INSPECTOR)
    department = user.memberships.get().department
    notice = NoticeFactory(recipient=department, subject="关于核查某药店的通报")
    client = _client(user)
    assert _titles(client.get("/search/", {"q": "核查某药店"}))["notices.notices"] == [
        notice.subject
    ]
    assert _titles(client.get("/search/", {"q": str(notice.public_id)}))["notices.notices"] == [
        notice.subject
    ]
    outsider = user_in_department(role=Role.INSPECTOR, region="540202")
    assert _titles(_client(outsider).get("/search/", {"q": "核查某药店"})) == {}


@pytest.mark.parametrize(
    "q",
    [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        '"; DROP TABLE registry_entity; --',
        "%",
        "_",
        "%%__\\",
        "\x00药店",
        "药" * 5000,
        "  ",
        "𠀀🙂",
    ],
)
def test_markup_and_sql_metacharacters_are_plain_text(inspector: Any, q: str) -> None:
    EntityFactory(name="城关诊所", region_id="540102")
    response = _client(inspector).get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert _titles(response) == {}


def test_a_hit_with_markup_in_its_name_is_escaped(inspector: Any) -> None:
    EntityFactory(name="<b>粗体</b>药店", region_id="540102")
    response = _client(inspector).get("/search/", {"q": "粗体"})
    html = response.content.decode()
    assert "&lt;b&gt;粗体&lt;/b&gt;药店" in html
    assert "<b>粗体</b>" not in html


def test_the_results_partial_is_served_to_htmx(inspector: Any) -> None:
    EntityFactory(name="城关药店", region_id="540102")
    response = _client(inspector).get("/search/", {"q": "城关药店"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('data-testid="search-hit"') == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, db: Any) -> None:
    response = client.get("/search/", {"q": "药店"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
