"""Every audit action and every periodic task is shown to a person in words (issue 9 item 2)."""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from yaojian.audit.services import record
from yaojian.audit.tests import actionscan
from yaojian.clocks import schedule
from yaojian.core.labels import AUDIT_ACTIONS, PERIODIC_TASKS

scan = functools.cache(actionscan.scan)
CODE = re.compile(r"\b[a-z]+\.[a-z]+_[a-z_]+\b|\b[a-z]+_[a-z_]+\b")


def _visible(html: str, start: str, end: str) -> str:
    part = html.split(start, 1)[1].split(end, 1)[0]
    return re.sub(r"<[^>]+>", " ", part)


def test_the_scan_finds_actions_written_through_wrappers() -> None:
    result = scan()

    assert result.unresolved == []
    assert len(result.actions) > 150
    # an f-string over an enum member, a pass-through two calls up, a conditional, a local list
    assert {
        "notices.notice_answered",
        "enforcement.case_filed",
        "complaints.reward_rejected",
        "registry.entity_person_link_ended",
        "linkage.review_queued",
    } <= result.actions


def test_every_audit_action_written_in_the_code_has_a_label() -> None:
    assert sorted(scan().actions - AUDIT_ACTIONS.codes()) == []


def test_every_label_names_an_action_the_code_writes() -> None:
    # a label for nothing means the scan missed a way of writing actions (or a label rotted)
    assert sorted(AUDIT_ACTIONS.codes() - scan().actions) == []


def test_every_action_label_is_translated() -> None:
    with translation.override("zh-hans"):
        untranslated = [
            code
            for code in AUDIT_ACTIONS.codes()
            if not re.search(r"[\u4e00-\u9fff]", AUDIT_ACTIONS.label(code))
        ]
    assert untranslated == []


def test_every_periodic_task_has_a_translated_label() -> None:
    tasks = schedule.registered()
    assert len(tasks) >= 10
    with translation.override("zh-hans"):
        missing = [
            p.name
            for p in tasks
            if not PERIODIC_TASKS.has(p.name) or not re.search(r"[\u4e00-\u9fff]", p.label)
        ]
    assert missing == []


def test_a_periodic_task_cannot_be_registered_without_a_label() -> None:
    with pytest.raises(TypeError):
        schedule.register_periodic("x.y", object(), every=None)  # type: ignore[call-arg,arg-type]
    with pytest.raises(ValueError, match="empty"):
        PERIODIC_TASKS.register({"x.y": " "})


@pytest.mark.django_db
def test_the_audit_pages_show_labels_not_codes(
    client: Any, user_in_department: Any, system_user: Any
) -> None:
    from yaojian.accounts.choices import Role

    auditor = user_in_department(role=Role.AUDITOR)
    department = auditor.memberships.get().department
    for action in ("enforcement.case_filed", "notices.notice_answered", "credit.listing_removed"):
        record(
            actor=auditor,
            action=action,
            department=department,
            object_type="enforcement.case",
            object_id="c-1",
            object_repr="case 1",
        )
    client.force_login(auditor)

    with translation.override("zh-hans"):
        listing = client.get(reverse("audit:event_list")).content.decode()
        history = client.get(
            reverse("audit:object_history"), {"object_type": "enforcement.case", "object_id": "c-1"}
        ).content.decode()

    table = _visible(listing, 'data-testid="audit-events"', "</table>")
    assert "已立案" in table
    assert 'data-action="notices.notice_answered"' in listing
    assert not CODE.search(table), table
    timeline = _visible(history, 'data-testid="history"', "</section>")
    assert "已立案" in timeline
    assert not CODE.search(timeline), timeline
    # the action filter offers the labels too
    options = re.findall(r'<option value="([a-z._]+)"[^>]*>([^<]+)</option>', listing)
    assert any(v == "enforcement.case_filed" and "已立案" in t for v, t in options), options


@pytest.mark.django_db
def test_the_scheduler_page_shows_labels_not_codes(admin_client: Any) -> None:
    with translation.override("zh-hans"):
        page = admin_client.get(reverse("clocks:scheduler")).content.decode()

    table = _visible(page, 'data-testid="periodic-table"', "</table>")
    assert 'data-task="notices.escalate_overdue"' in page
    assert "升级超期通知" in table
    assert not CODE.search(table), table
