"""Query counts of the inbox (with the head's escalated panel) and of the sent page: bounded
and flat, however many notices, senders, entities, attachments and viewers there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.clocks.calendar import working_days_between
from yaojian.notices.choices import NoticeEventKind
from yaojian.notices.models import Attachment, Notice, NoticeEvent
from yaojian.notices.tests.factories import NoticeFactory, ProblemFactory, category
from yaojian.registry.tests.factories import EntityFactory

STATES = ["unread", "read", "acknowledged", "answered", "closed"]


def _notices(world, n: int) -> None:
    """``n`` notices from the drug regulator (and other senders) to the county insurance
    bureau and others, in every state, a third escalated, some with level-2 copies above."""
    problem = ProblemFactory(department=world.drug, entity=world.pharmacy)
    viewers = [world.insurance_officer, world.insurance_head]
    for i in range(n):
        state = STATES[i % 5]
        notice: Notice = NoticeFactory(  # type: ignore[assignment]
            problem=problem,
            sender=world.drug if i % 4 else DepartmentFactory(kind="market_regulator"),
            recipient=world.insurance if i % 3 else world.health,
            category=category(),
            entity=EntityFactory(region_id="540102") if i % 2 else world.pharmacy,
            due_on=dt.date(2026, 3, 2) + dt.timedelta(days=i % 20),
            escalation_level=i % 3,
            escalated_on=dt.date(2026, 4, 1) if i % 3 else None,
            state=state,
            answer="已核查" if state in ("answered", "closed") else "",
        )
        NoticeEvent.objects.create(
            notice=notice,
            kind=NoticeEventKind.VIEWED,
            actor=viewers[i % 2],
            department=notice.recipient,
            occurred_at=timezone.now(),
        )
        if i % 3 == 2:
            NoticeFactory(
                sender=world.drug, recipient=world.insurance, escalated_from=notice, subject="上报"
            )
        if state in ("answered", "closed"):
            Attachment.objects.create(
                notice=notice, name=f"{i}.txt", size=2, file=ContentFile(b"ok", name=f"{i}.txt")
            )


def _count(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


# session, user, memberships, share grants | the page's own queries; a full page also runs the
# shell's two (the top bar's memberships, the menu's case-list check), a partial does not
CASES = [
    # inbox: rows, counts by state, overdue count, escalated count
    ("officer", "/notices/", {}, 10),
    ("officer", "/notices/?overdue=1", {}, 10),
    ("officer", "/notices/?state=unread", {"HTTP_HX_REQUEST": "true"}, 8),
    # the head's inbox adds the escalated panel: notices, their events, the originals' events,
    # and the departments the head oversees (accounts.scoping.overseen_department_ids)
    ("head", "/notices/", {}, 15),
    ("head", "/notices/?escalated=1", {}, 15),
    # sent: rows, attachments
    ("inspector", "/notices/sent/", {}, 8),
    ("inspector", "/notices/sent/?state=answered", {"HTTP_HX_REQUEST": "true"}, 6),
    # the badge: unread, the latest unread (when there are), escalated (heads only; with the
    # departments the head oversees)
    ("head", "/notices/badge/", {}, 8),
    ("officer", "/notices/badge/", {}, 6),
]


@pytest.mark.parametrize(("who", "url", "headers", "limit"), CASES)
def test_query_count_is_bounded_and_flat(
    client, world, who, url, headers, limit, django_assert_max_num_queries
):
    user = {
        "officer": world.insurance_officer,
        "head": world.insurance_head,
        "inspector": world.inspector,
    }[who]
    client.force_login(user)
    _notices(world, 6)  # every state, escalations and copies present
    working_days_between(dt.date(2026, 1, 5), dt.date(2026, 1, 6))  # calendar: once a process
    client.get(url, **headers)
    few = _count(client, url, **headers)
    _notices(world, 60)
    with django_assert_max_num_queries(limit):
        page = client.get(url, **headers)
    assert page.status_code == 200
    assert _count(client, url, **headers) == few
    assert page.content.count(b"data-testid=") > 0
