"""Co-recipients of a problem see the other departments and whether they answered, never the
other notices (their ids, states, due dates or answers); the reporting department sees all."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from yaojian.accounts.scoping import scope_for
from yaojian.notices import services
from yaojian.notices.models import Notice
from yaojian.notices.selectors import problem_recipients

pytestmark = pytest.mark.django_db


@pytest.fixture
def problem(world, api_client_for):
    """The inspector's problem notified to HC-540102, MI-540102 and PS-540100; MI answered."""
    response = api_client_for(world.inspector).post(
        "/api/v1/problems/",
        {
            "category": "counterfeit_drug",
            "description": "假药",
            "entity": str(world.pharmacy.public_id),
        },
        format="json",
    )
    assert response.status_code == 201
    insurance_notice = Notice.objects.get(recipient=world.insurance)
    services.view_notice(actor=world.insurance_officer, notice=insurance_notice)
    services.acknowledge_notice(actor=world.insurance_officer, notice=insurance_notice)
    services.answer_notice(
        actor=world.insurance_officer, notice=insurance_notice, answer="已拒付。"
    )
    return insurance_notice.problem


def _ids(recipient_codes):
    return {
        code: str(Notice.objects.get(recipient__code=code).public_id) for code in recipient_codes
    }


def test_co_recipient_sees_departments_and_answers_but_no_other_notice(
    world, problem, api_client_for
):
    ids = _ids(["HC-540102", "MI-540102", "PS-540100"])
    response = api_client_for(world.health_officer).get(f"/api/v1/problems/{problem.public_id}/")
    assert response.status_code == 200
    notices = response.json()["notices"]
    own = Notice.objects.get(recipient=world.health)
    assert notices == [
        {
            "id": ids["HC-540102"],
            "recipient": "HC-540102",
            "recipient_name": world.health.name,
            "answered": False,
            "state": "unread",
            "due_on": own.due_on.isoformat(),
        },
        {
            "id": None,
            "recipient": "MI-540102",
            "recipient_name": world.insurance.name,
            "answered": True,
            "state": None,
            "due_on": None,
        },
        {
            "id": None,
            "recipient": "PS-540100",
            "recipient_name": world.police.name,
            "answered": False,
            "state": None,
            "due_on": None,
        },
    ]
    body = response.content.decode()
    assert ids["MI-540102"] not in body
    assert ids["PS-540100"] not in body
    listed = api_client_for(world.health_officer).get("/api/v1/problems/").content.decode()
    assert ids["MI-540102"] not in listed
    assert ids["PS-540100"] not in listed


def test_reporting_department_sees_every_notice(world, problem, api_client_for):
    ids = _ids(["HC-540102", "MI-540102", "PS-540100"])
    notices = (
        api_client_for(world.inspector)
        .get(f"/api/v1/problems/{problem.public_id}/")
        .json()["notices"]
    )
    assert [(n["recipient"], n["id"], n["answered"], n["state"]) for n in notices] == [
        ("HC-540102", ids["HC-540102"], False, "unread"),
        ("MI-540102", ids["MI-540102"], True, "answered"),
        ("PS-540100", ids["PS-540100"], False, "unread"),
    ]


def test_problem_page_of_a_co_recipient(client, world, problem):
    ids = _ids(["HC-540102", "MI-540102", "PS-540100"])
    client.force_login(world.health_officer)
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get(f"/notices/problems/{problem.public_id}/").content.decode()
    assert page.count('data-testid="problem-notice"') == 1
    assert f"/notices/{ids['HC-540102']}/" in page
    rows = re.findall(r'<tr data-testid="problem-co-recipient">(.*?)</tr>', page)
    assert rows == [
        f'<td>{world.insurance}</td><td colspan="3">Answered</td>',
        f'<td>{world.police}</td><td colspan="3">Not answered yet</td>',
    ]
    assert ids["MI-540102"] not in page
    assert ids["PS-540100"] not in page
    assert "已拒付。" not in page  # another department's answer stays with its notice


def test_problem_page_of_the_reporting_department_links_every_notice(client, world, problem):
    client.force_login(world.inspector)
    page = client.get(f"/notices/problems/{problem.public_id}/").content.decode()
    assert page.count('data-testid="problem-notice"') == 3
    assert 'data-testid="problem-co-recipient"' not in page
    assert "已拒付。" in page


def test_problem_recipients_uses_the_prefetched_notices(world, problem, django_assert_num_queries):
    from django.db.models import Prefetch

    from yaojian.notices.models import Problem

    loaded = Problem.objects.prefetch_related(
        Prefetch("notices", queryset=Notice.objects.select_related("recipient"))
    ).get(pk=problem.pk)
    scope_for(world.health_officer)  # the user's memberships, loaded once per request
    with django_assert_num_queries(0):
        rows = problem_recipients(world.health_officer, loaded)
    assert [(r.recipient.code, r.answered, r.notice is not None) for r in rows] == [
        ("HC-540102", False, True),
        ("MI-540102", True, False),
        ("PS-540100", False, False),
    ]
