"""Department heads see the escalated notices: highlighted at the top of the inbox, with the
department that owes the answer, how late it is and who in it has opened it; and a count
on the header badge."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from yaojian.accounts.choices import Role
from yaojian.notices import selectors, services
from yaojian.notices.choices import NoticeState
from yaojian.notices.models import Notice

SENT = dt.datetime(2026, 4, 16, 9, tzinfo=dt.UTC)  # Thursday; 10 working days → 30 April
LEVEL_1 = dt.datetime(2026, 5, 6, 9, tzinfo=dt.UTC)  # 1 working day late (1–5 May off)
LEVEL_2 = dt.datetime(2026, 5, 9, 9, tzinfo=dt.UTC)  # Saturday, a make-up working day


def _send(world, subject="请核查医保结算"):
    with time_machine.travel(SENT):
        return services.send_notice(
            actor=world.inspector,
            sender_department=world.drug,
            recipient_departments=[world.insurance],
            subject=subject,
            body="正文",
            due_working_days=10,
        )[0]


def _panel_rows(client) -> str:
    client.cookies["django_language"] = "en"
    page = client.get("/notices/")
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def escalated(world):
    """One notice the county insurance bureau opened but never answered, escalated (level 1)."""
    notice = _send(world)
    with time_machine.travel(SENT + dt.timedelta(days=1)):
        services.view_notice(actor=world.insurance_officer, notice=notice)
    assert services.escalate_overdue_notices(today=LEVEL_1.date()) == 1
    notice.refresh_from_db()
    return notice


def test_head_sees_level_1_on_top_with_who_is_overdue(client, world, escalated):
    _send(world, subject="未超期的通报")  # on time: not in the panel
    rows = selectors.escalated_to_heads(world.insurance_head, today=LEVEL_1.date())
    assert [(r.notice, r.level, r.overdue_department, r.working_days_overdue) for r in rows] == [
        (escalated, 1, world.insurance, 1)
    ]
    assert rows[0].seen_by == [str(world.insurance_officer)]
    assert rows[0].due_on == dt.date(2026, 4, 30)

    client.force_login(world.insurance_head)
    with time_machine.travel(LEVEL_1):
        html = _panel_rows(client)
    panel = html.split('data-testid="escalated-panel"')[1].split("</section>")[0]
    assert panel.count('data-testid="escalated-row"') == 1
    assert 'data-level="1"' in panel
    assert world.insurance.name in panel
    assert str(world.insurance_officer) in panel
    assert "1 working day overdue" in panel
    assert "未超期的通报" not in panel
    # the panel comes before the inbox table
    assert html.index('data-testid="escalated-panel"') < html.index('data-testid="inbox-table"')


def test_nobody_opened_it_is_said(client, world):
    _send(world)
    services.escalate_overdue_notices(today=LEVEL_1.date())
    client.force_login(world.insurance_head)
    with time_machine.travel(LEVEL_1):
        assert "Nobody in the department has opened it." in _panel_rows(client)


def test_officers_leaders_and_other_departments_see_no_panel(client, world, escalated):
    for user in (world.insurance_officer, world.insurance_leader, world.stranger):
        client.force_login(user)
        assert 'data-testid="escalated-panel"' not in _panel_rows(client)
        assert selectors.escalated_count(user) == 0
    other_head = world.member(world.other_insurance, Role.DEPARTMENT_HEAD)
    assert selectors.escalated_to_heads(other_head) == []


def test_answered_notice_leaves_the_panel(world, escalated):
    services.acknowledge_notice(actor=world.insurance_officer, notice=escalated)
    assert selectors.escalated_count(world.insurance_head) == 1
    services.answer_notice(actor=world.insurance_officer, notice=escalated, answer="已核查")
    assert selectors.escalated_count(world.insurance_head) == 0
    assert selectors.escalated_to_heads(world.insurance_head) == []


def test_level_2_reaches_the_head_above_naming_the_department_below(client, world, escalated):
    city_head = world.member(world.insurance_city, Role.DEPARTMENT_HEAD)
    assert selectors.escalated_count(city_head) == 0
    assert services.escalate_overdue_notices(today=LEVEL_2.date()) == 1
    copy = Notice.objects.get(escalated_from=escalated)
    rows = selectors.escalated_to_heads(city_head, today=LEVEL_2.date())
    assert [(r.notice, r.level, r.overdue_department, r.working_days_overdue) for r in rows] == [
        (copy, 2, world.insurance, 4)
    ]
    assert rows[0].seen_by == [str(world.insurance_officer)]
    # the county head still sees the original, now at level 2
    county = selectors.escalated_to_heads(world.insurance_head, today=LEVEL_2.date())
    assert [(r.notice, r.level) for r in county] == [(escalated, 2)]

    client.force_login(city_head)
    with time_machine.travel(LEVEL_2):
        html = _panel_rows(client)
    assert 'data-testid="escalated-row" data-level="2"' in html
    assert "4 working days overdue" in html
    # once the county answers, the copy leaves the city head's panel
    Notice.objects.filter(pk=escalated.pk).update(state=NoticeState.ANSWERED)
    assert selectors.escalated_count(city_head) == 0


def test_badge_shows_the_escalated_count_to_heads(client, world, escalated):
    client.force_login(world.insurance_head)
    assert b'data-testid="notices-escalated">1<' in client.get("/notices/badge/").content
    client.force_login(world.insurance_officer)
    assert b"notices-escalated" not in client.get("/notices/badge/").content


def test_htmx_tab_switch_does_not_compute_the_panel(client, world, escalated):
    client.force_login(world.insurance_head)
    partial = client.get("/notices/?state=read", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert b"escalated-panel" not in partial.content
