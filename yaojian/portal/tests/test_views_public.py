import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from yaojian.portal import services
from yaojian.portal.tests.factories import penalty, person_penalty

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_published(department, officer, today):
    draft = services.ingest_decision(payload=person_penalty(department))
    return services.publish_publication(actor=officer, publication=draft)


def test_the_public_pages_need_no_login(client, published):
    for url in (
        reverse("portal:home"),
        reverse("portal:penalty_list"),
        reverse("portal:penalty_detail", args=[published.public_id]),
        reverse("portal:typical_case_list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'data-testid="public-site"' in response.content
        assert b"mainnav" in response.content
        assert reverse("registry:entity_list").encode() not in response.content


def test_only_published_information_is_listed(client, published, department, today):
    draft = services.ingest_decision(payload=penalty(department))
    response = client.get(reverse("portal:penalty_list"))
    assert published.decision_number in response.content.decode()
    assert draft.decision_number not in response.content.decode()
    assert client.get(reverse("portal:penalty_detail", args=[draft.public_id])).status_code == 404


def test_withdrawn_and_past_information_is_gone(client, published, officer):
    url = reverse("portal:penalty_detail", args=[published.public_id])
    with time_machine.travel(dt.datetime(2028, 10, 9, 10, tzinfo=dt.UTC), tick=False):
        assert client.get(url).status_code == 404  # display_until was 2028-10-08
    services.withdraw_publication(actor=officer, publication=published, reason="撤销")
    assert client.get(url).status_code == 404


def test_personal_data_is_masked_on_the_public_page(client, person_published):
    response = client.get(reverse("portal:penalty_detail", args=[person_published.public_id]))
    page = response.content.decode()
    assert "张某某" in page
    assert "张三丰" not in page
    assert "540102199001011233" not in page
    assert "13912345678" not in page


def test_search_by_party_name_finds_only_the_masked_form(client, person_published, published):
    found = client.get(reverse("portal:penalty_list"), {"party": "张某某"}).content.decode()
    assert person_published.decision_number in found
    assert published.decision_number not in found
    # Searching the real name does not re-identify the person.
    hidden = client.get(reverse("portal:penalty_list"), {"party": "张三丰"}).content.decode()
    assert person_published.decision_number not in hidden


def test_search_by_credit_code_region_and_year(client, published):
    url = reverse("portal:penalty_list")
    assert (
        published.decision_number
        in client.get(url, {"credit_code": "91540100ma6t3xyz0a"}).content.decode()
    )
    assert published.decision_number in client.get(url, {"region": "5401"}).content.decode()
    assert published.decision_number not in client.get(url, {"region": "11"}).content.decode()
    assert published.decision_number in client.get(url, {"year": "2025"}).content.decode()
    assert published.decision_number not in client.get(url, {"year": "2024"}).content.decode()


def test_bad_search_input_is_explained(client, published):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("portal:penalty_list"), {"region": "abc", "year": "2999"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a division code of 2, 4 or 6 digits." in page
    assert "Choose a year that has begun." in page
    assert published.decision_number not in page


def test_the_list_as_an_htmx_partial(client, published):
    response = client.get(reverse("portal:penalty_list"), {"party": "康宁"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="penalty-table"' in response.content


def test_party_names_are_escaped(client, department, officer, today):
    payload = penalty(department, party_name="<script>alert(1)</script>药店")
    published = services.publish_publication(
        actor=officer, publication=services.ingest_decision(payload=payload)
    )
    for url in (
        reverse("portal:penalty_list"),
        reverse("portal:penalty_detail", args=[published.public_id]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_no_internal_ids_in_links(client, published):
    page = client.get(reverse("portal:penalty_list")).content.decode()
    links = re.findall(r'href="(/public/penalties/[^"]+)"', page)
    assert links == [f"/public/penalties/{published.public_id}/"]


def test_list_query_count(client, department, officer, today, django_assert_max_num_queries):
    for _ in range(5):
        services.publish_publication(
            actor=officer, publication=services.ingest_decision(payload=penalty(department))
        )
    with django_assert_max_num_queries(4):
        response = client.get(reverse("portal:penalty_list"))
    assert response.content.decode().count('data-testid="penalty-row"') == 5


def test_unknown_ids_answer_404(client, db):
    assert client.get("/public/penalties/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert (
        client.get("/public/typical-cases/00000000-0000-0000-0000-000000000000/").status_code == 404
    )


def _decided_on(html: str) -> list[str]:
    rows = re.findall(r'<tr data-testid="penalty-row">(.*?)</tr>', html, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[5] for row in rows]


def test_the_penalty_list_sorts_by_the_column_heads_and_pages(
    client, department, officer, today, monkeypatch
):
    from yaojian.portal.views import public as public_views

    # given: three publications decided on three days, two a page
    for day in (12, 3, 25):
        services.publish_publication(
            actor=officer,
            publication=services.ingest_decision(
                payload=penalty(department, decided_on=dt.date(2025, 9, day))
            ),
        )
    monkeypatch.setattr(public_views, "PAGE_SIZE", 2)
    url = reverse("portal:penalty_list")
    # then: newest first by default; oldest first when asked; the pager keeps the sort
    assert _decided_on(client.get(url).content.decode()) == ["2025-09-25", "2025-09-12"]
    ascending = client.get(url, {"sort": "decided_on"}).content.decode()
    assert _decided_on(ascending) == ["2025-09-03", "2025-09-12"]
    assert 'aria-sort="ascending"' in ascending
    assert "sort=decided_on" in re.search(r'href="(\?[^"]*page=2[^"]*)"', ascending).group(1)
    page2 = client.get(url, {"sort": "decided_on", "page": 2}).content.decode()
    assert _decided_on(page2) == ["2025-09-25"]
    # a search keeps the sort, and the sort keeps the search
    searched = client.get(url, {"sort": "-decided_on", "year": "2025"}).content.decode()
    assert _decided_on(searched) == ["2025-09-25", "2025-09-12"]
    assert '<input type="hidden" name="sort" value="-decided_on">' in searched


@pytest.mark.parametrize("bad", ["party_name", "-party_credit_code", "violation", "id;--"])
def test_the_penalty_list_ignores_a_sort_on_unpublished_fields(client, published, bad):
    # the unmasked party name and the internal fields never order the public list
    response = client.get(reverse("portal:penalty_list"), {"sort": bad})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="penalty-row"') == 1
    assert "aria-sort" not in response.content.decode()
