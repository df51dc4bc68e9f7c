import re

import pytest
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.portal.choices import EarlyStopCondition, PublicationStatus

pytestmark = pytest.mark.django_db


def test_staff_pages_need_login(client, draft):
    response = client.get(reverse("portal:manage"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_queue_shows_the_deadline_and_working_days_left(client, officer, draft):
    client.force_login(officer)
    response = client.get(reverse("portal:manage"))
    page = response.content.decode()
    assert response.status_code == 200
    assert draft.decision_number in page
    assert "2025-10-30" in page
    # From Thursday 2025-10-09 to Thursday 2025-10-30 (Saturday 10-11 is a working day).
    assert 'data-testid="days-left">16<' in page


def test_the_queue_as_an_htmx_partial(client, officer, draft):
    client.force_login(officer)
    response = client.get(reverse("portal:manage"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b'id="queues"' in response.content


def test_overdue_drafts_are_flagged(client, officer, draft, today):
    today.move_to("2025-11-03 10:00 +0800")
    client.force_login(officer)
    page = client.get(reverse("portal:manage")).content.decode()
    assert 'class="overdue"' in page


def test_one_click_publish(client, officer, draft):
    client.force_login(officer)
    response = client.post(reverse("portal:publication_publish", args=[draft.public_id]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.PUBLISHED


def test_publish_twice_answers_422(client, officer, published):
    client.force_login(officer)
    response = client.post(reverse("portal:publication_publish", args=[published.public_id]))
    assert response.status_code == 422


def test_withdraw_needs_a_reason(client, officer, published):
    client.force_login(officer)
    url = reverse("portal:publication_withdraw", args=[published.public_id])
    assert client.post(url, {"reason": ""}).status_code == 422
    response = client.post(url, {"reason": "决定被撤销"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse(
        "portal:publication_detail", args=[published.public_id]
    )
    published.refresh_from_db()
    assert published.status == PublicationStatus.WITHDRAWN


def test_early_stop_form_records_the_checklist(client, head, published, today):
    today.move_to("2026-10-12 10:00 +0800")
    client.force_login(head)
    url = reverse("portal:publication_stop", args=[published.public_id])
    assert client.post(url, {"conditions": ["penalty_performed"]}).status_code == 422
    response = client.post(url, {"conditions": EarlyStopCondition.values})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == PublicationStatus.STOPPED


def test_another_department_gets_404(client, other_department, member_of, draft):
    stranger = member_of(other_department, Role.DEPARTMENT_HEAD)
    client.force_login(stranger)
    assert (
        client.get(reverse("portal:publication_detail", args=[draft.public_id])).status_code == 404
    )
    response = client.post(reverse("portal:publication_publish", args=[draft.public_id]))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == PublicationStatus.DRAFT


def test_a_leader_sees_but_cannot_publish(client, department, member_of, draft):
    leader = member_of(department, Role.LEADER)
    client.force_login(leader)
    page = client.get(reverse("portal:publication_detail", args=[draft.public_id]))
    assert page.status_code == 200
    assert b'data-testid="publish"' not in page.content
    response = client.post(reverse("portal:publication_publish", args=[draft.public_id]))
    assert response.status_code == 403


def test_inspectors_have_no_manage_page(client, department, member_of):
    client.force_login(member_of(department, Role.INSPECTOR))
    assert client.get(reverse("portal:manage")).status_code == 403


def test_the_preview_masks_before_publishing(client, officer, department, today):
    from yaojian.portal import services
    from yaojian.portal.tests.factories import person_penalty

    draft = services.ingest_decision(payload=person_penalty(department))
    client.force_login(officer)
    page = client.get(reverse("portal:publication_detail", args=[draft.public_id])).content.decode()
    assert 'data-testid="preview-party">张某某<' in page


def test_entity_panel(client, officer, published):
    from yaojian.registry.tests.factories import EntityFactory

    entity = EntityFactory(region_id="540102")
    published.entity_public_id = entity.public_id
    published.save()
    client.force_login(officer)
    response = client.get(reverse("portal:entity_publications", args=[entity.public_id]))
    assert response.status_code == 200
    assert published.decision_number in response.content.decode()


def test_manage_query_count(client, officer, department, today, django_assert_max_num_queries):
    from yaojian.portal import services
    from yaojian.portal.tests.factories import penalty

    for _ in range(3):
        services.ingest_decision(payload=penalty(department))
    for _ in range(3):
        services.publish_publication(
            actor=officer, publication=services.ingest_decision(payload=penalty(department))
        )
    client.force_login(officer)
    client.get(reverse("portal:manage"))  # warm the session and the calendar cache
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:manage"))
    page = response.content.decode()
    assert page.count('data-testid="to-publish-row"') == 3
    assert page.count('data-testid="on-display-row"') == 3


def _queue_numbers(html: str, testid: str) -> list[str]:
    rows = re.findall(rf'<tr data-testid="{testid}"[^>]*>(.*?)</tr>', html, re.S)
    return [re.search(r'<a href="[^"]+">([^<]+)</a>', row).group(1) for row in rows]


def test_each_queue_sorts_and_pages_by_its_own_parameters(
    client, officer, department, today, monkeypatch
):
    import datetime as dt

    from yaojian.portal import services
    from yaojian.portal.tests.factories import penalty
    from yaojian.portal.views import manage as manage_views

    # given: three drafts decided on three days and two publications on display
    drafts = {
        day: services.ingest_decision(
            payload=penalty(department, decided_on=dt.date(2025, 9, day))
        ).decision_number
        for day in (12, 3, 25)
    }
    shown = [
        services.publish_publication(
            actor=officer, publication=services.ingest_decision(payload=penalty(department))
        ).decision_number
        for _ in range(2)
    ]
    monkeypatch.setattr(manage_views, "QUEUE_PAGE", 2)
    client.force_login(officer)
    url = reverse("portal:manage")
    # when: the drafts by decision date, newest first, page 1 and 2
    page1 = client.get(url, {"publish_sort": "-decided_on"}).content.decode()
    page2 = client.get(url, {"publish_sort": "-decided_on", "publish_page": 2}).content.decode()
    # then
    assert _queue_numbers(page1, "to-publish-row") == [drafts[25], drafts[12]]
    assert _queue_numbers(page2, "to-publish-row") == [drafts[3]]
    assert 'href="?publish_sort=decided_on"' in page1  # the head toggles that queue only
    assert "publish_sort=-decided_on" in re.search(
        r'href="(\?[^"]*publish_page=2[^"]*)"', page1
    ).group(1)
    # the other queues keep their own order and page
    assert sorted(_queue_numbers(page2, "on-display-row")) == sorted(shown)
    assert page1.count('aria-sort="descending"') == 1


def test_a_bad_queue_sort_or_page_is_ignored(client, officer, draft):
    client.force_login(officer)
    response = client.get(
        reverse("portal:manage"),
        {"publish_sort": "party_credit_code", "ended_sort": "-x", "display_page": "abc"},
    )
    assert response.status_code == 200
    assert _queue_numbers(response.content.decode(), "to-publish-row") == [draft.decision_number]
