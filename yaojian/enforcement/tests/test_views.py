"""Pages: full and partial, actions through the UI, and who sees what (404 for outsiders)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.enforcement import services
from yaojian.enforcement.choices import CaseStage
from yaojian.enforcement.models import Case
from yaojian.enforcement.tests.conftest import filed_case, member

pytestmark = pytest.mark.django_db


def _client(client: Any, user: Any) -> Any:
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_my_work_full_and_partial(client: Any, office: Any, frozen: Any) -> None:
    case = filed_case(office)
    _client(client, office.officer)

    full = client.get(reverse("enforcement:my_work"))
    partial = client.get(reverse("enforcement:my_work"), HTTP_HX_REQUEST="true")

    assert full.status_code == 200
    assert case.number in full.content.decode()
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert case.number.encode() in partial.content


def test_case_list_counts_and_filters(
    client: Any, office: Any, frozen: Any, django_assert_max_num_queries: Any
) -> None:
    filed_case(office)
    _client(client, office.head)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("enforcement:case_list"), {"stage": CaseStage.INVESTIGATION})
    assert response.status_code == 200
    assert response.context["counts"][3] == (
        CaseStage.INVESTIGATION,
        CaseStage.INVESTIGATION.label,
        1,
    )
    assert len(response.context["cases"]) == 1
    empty = client.get(reverse("enforcement:case_list"), {"due": "overdue"})
    assert len(empty.context["cases"]) == 0
    city = client.get(reverse("enforcement:case_list"), {"region": "540100"})
    assert len(city.context["cases"]) == 1
    other_city = client.get(reverse("enforcement:case_list"), {"region": "540200"})
    assert len(other_city.context["cases"]) == 0
    mine = client.get(reverse("enforcement:case_list"), {"officer": office.officer.username})
    assert len(mine.context["cases"]) == 1


def test_clue_recorded_through_the_page(client: Any, office: Any, frozen: Any) -> None:
    _client(client, office.inspector)
    response = client.post(
        reverse("enforcement:clue_create"),
        {"source": "complaint", "title": "投诉线索", "entity": str(office.entity.public_id)},
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.entity == office.entity
    bad = client.post(reverse("enforcement:clue_create"), {"source": "nope", "title": ""})
    assert bad.status_code == 422
    assert Case.objects.count() == 1


def test_action_through_the_page_and_illegal_one_refused(
    client: Any, office: Any, frozen: Any
) -> None:
    case = filed_case(office)
    _client(client, office.officer)
    url = reverse("enforcement:case_action", args=[case.public_id, "evidence"])
    response = client.post(url, {"evidence-kind": "physical", "evidence-description": "样品"})
    assert response.status_code == 302
    assert case.evidence.count() == 1
    # Submitting for review without a proposed penalty: 422 with the message in place.
    response = client.post(
        reverse("enforcement:case_action", args=[case.public_id, "submit_review"])
    )
    assert response.status_code == 422
    assert "Propose the penalty" in response.content.decode()
    # An action the stage does not allow: 403.
    assert (
        client.post(reverse("enforcement:case_action", args=[case.public_id, "serve"])).status_code
        == 403
    )


def test_outsider_and_police_see_nothing(
    client: Any, office: Any, frozen: Any, api_client_for: Any
) -> None:
    case = filed_case(office)
    other = DepartmentFactory(kind=DepartmentKind.MARKET_REGULATOR, region_id="540102")
    outsider = member(other, Role.CASE_OFFICER)
    police_dept = DepartmentFactory(kind=DepartmentKind.PUBLIC_SECURITY, region_id="540102")
    police = member(police_dept, Role.CASE_OFFICER)
    services.add_participant(actor=office.officer, case=case, department=police_dept)

    for user in (outsider, police):
        _client(client, user)
        assert (
            client.get(reverse("enforcement:case_detail", args=[case.public_id])).status_code == 404
        )
        assert (
            client.post(
                reverse("enforcement:case_action", args=[case.public_id, "evidence"])
            ).status_code
            == 404
        )
        assert case.number not in client.get(reverse("enforcement:my_work")).content.decode()
        assert api_client_for(user).get(f"/api/v1/cases/{case.public_id}/").status_code == 404


def test_participant_sees_header_and_own_tasks_not_evidence(
    client: Any, office: Any, frozen: Any
) -> None:
    case = filed_case(office)
    services.add_evidence(actor=office.officer, case=case, kind="physical", description="机密证据")
    insurance = DepartmentFactory(
        kind=DepartmentKind.MEDICAL_INSURANCE, region_id="540100", level="city"
    )
    insurance_officer = member(insurance, Role.CASE_OFFICER)
    services.add_participant(actor=office.officer, case=case, department=insurance)
    task = services.create_task(
        actor=office.officer, case=case, department=insurance, description="核查医保结算记录"
    )
    services.create_task(
        actor=office.officer, case=case, department=office.department, description="内部任务"
    )

    _client(client, insurance_officer)
    response = client.get(reverse("enforcement:case_detail", args=[case.public_id]))
    body = response.content.decode()

    assert response.status_code == 200
    assert case.number in body
    assert "核查医保结算记录" in body
    assert "内部任务" not in body
    assert "机密证据" not in body
    assert response.context["actions"] == []
    done = client.post(
        reverse("enforcement:task_complete", args=[task.public_id]),
        {"text": "已核查，存在串换药品"},
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.state == "done"


def test_my_work_lists_are_capped_with_a_link_to_all(
    client: Any, office: Any, frozen: Any, django_assert_max_num_queries: Any
) -> None:
    from yaojian.enforcement.views.pages import WORK_LIST_CAP

    case = filed_case(office)
    for n in range(WORK_LIST_CAP + 1):
        services.create_task(
            actor=office.officer, case=case, department=office.department, description=f"任务{n}"
        )
    _client(client, office.officer)

    with django_assert_max_num_queries(20):
        first = client.get(reverse("enforcement:my_work"))
    every = client.get(reverse("enforcement:my_work"), {"more": "tasks"})

    assert len(first.context["tasks"]) == WORK_LIST_CAP
    assert first.context["more_tasks"] is True
    assert b'data-testid="more-tasks"' in first.content
    assert len(every.context["tasks"]) == WORK_LIST_CAP + 1
    assert every.context["more_tasks"] is False
    task = every.context["tasks"][0]
    assert task.detail_url == reverse("enforcement:case_detail", args=[case.public_id])
    assert task.action_url == reverse("enforcement:task_complete", args=[task.public_id])


def test_list_clock_levels_match_the_clock_rules(office: Any, frozen: Any) -> None:
    """The list's one-pass levels agree with ``status_of`` day by day around the due date."""
    import datetime as dt

    from yaojian.enforcement import selectors
    from yaojian.enforcement.clocks import status_of
    from yaojian.enforcement.models import CaseClock

    case = filed_case(office)
    clocks = list(CaseClock.objects.filter(case=case).exclude(state="stopped"))
    assert clocks
    for clock in clocks:
        start = clock.due_on - dt.timedelta(days=20)
        for offset in range(25):
            today = start + dt.timedelta(days=offset)
            badges = selectors.running_clocks([case.pk], today)[case.pk]
            (badge,) = [b for b in badges if (b.kind, b.due_on) == (clock.kind, clock.due_on)]
            assert badge.level == status_of(clock, today).level, today


def test_case_list_filter_form_keeps_the_chosen_values(client: Any, office: Any) -> None:
    _client(client, office.head)
    response = client.get(
        reverse("enforcement:case_list"), {"stage": CaseStage.INVESTIGATION, "officer": "o<1>"}
    )
    html = response.content.decode()
    assert f'<option value="{CaseStage.INVESTIGATION}" selected>' in html
    assert 'name="officer" id="id_officer" value="o&lt;1&gt;"' in html
    assert '<option value="overdue">' in html


def test_my_work_offers_only_the_links_the_user_may_follow(
    client: Any, office: Any, user_in_department: Any
) -> None:
    steward = user_in_department(role=Role.DATA_STEWARD, region="540000")
    client.force_login(steward)
    page = client.get(reverse("enforcement:my_work")).content.decode()
    assert 'data-testid="clue-create"' not in page
    assert 'data-testid="case-list-link"' not in page
    assert client.get(reverse("enforcement:clue_create")).status_code == 403

    client.force_login(office.officer)
    page = client.get(reverse("enforcement:my_work")).content.decode()
    assert 'data-testid="clue-create"' in page
    assert 'data-testid="case-list-link"' in page


def test_the_case_filter_bar_renders_each_filter_once(client: Any, office: Any) -> None:
    # the filter bar gets the cheap ``fields``, not the form that is also in the page's context
    _client(client, office.head)
    html = client.get(
        reverse("enforcement:case_list"), {"stage": CaseStage.INVESTIGATION, "region": "5401"}
    ).content.decode()
    bar = html[html.index('data-testid="filter-bar"') :]
    bar = bar[: bar.index("</form>")]
    assert bar.count("<select name=") == 2  # stage and clocks
    assert bar.count('<input type="text"') == 2  # officer and region
    assert f'<option value="{CaseStage.INVESTIGATION}" selected>' in bar
    assert 'name="region" id="id_region" value="5401" maxlength="12"' in bar
