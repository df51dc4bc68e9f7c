"""The notices pages: inbox (full and partial), notice actions, problem form, rules, panel."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yaojian.notices import services
from yaojian.notices.models import Notice, Problem


@pytest.fixture
def sent(world):
    problem = services.record_problem(
        actor=world.inspector,
        department=world.drug,
        category="counterfeit_drug",
        description="假药",
        entity=world.pharmacy,
        personal_data=[{"role": "patient", "name": "卓玛", "phone": "13812345678"}],
    )
    return problem, Notice.objects.get(problem=problem, recipient=world.insurance)


def test_inbox_full_and_partial(client, world, sent):
    client.force_login(world.insurance_officer)
    page = client.get("/notices/")
    assert page.status_code == 200
    assert b"<html" in page.content
    assert page.content.count(b'data-testid="inbox-row"') == 1
    partial = client.get("/notices/?state=unread", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content
    assert partial.content.count(b'data-testid="inbox-row"') == 1
    assert client.get("/notices/?state=closed").content.count(b'data-testid="inbox-row"') == 0


def test_badge_counts_unread(client, world, sent):
    client.force_login(world.insurance_officer)
    assert b'data-testid="notices-unread">1<' in client.get("/notices/badge/").content


def test_open_acknowledge_answer_close(client, world, sent):
    _, notice = sent
    client.force_login(world.insurance_officer)
    assert client.get(f"/notices/{notice.public_id}/").status_code == 200
    notice.refresh_from_db()
    assert notice.state == "read"
    assert client.post(f"/notices/{notice.public_id}/acknowledge/").status_code == 302
    bad = client.post(f"/notices/{notice.public_id}/answer/", {"answer": ""})
    assert bad.status_code == 422
    upload = SimpleUploadedFile("结果.txt", b"ok")
    done = client.post(
        f"/notices/{notice.public_id}/answer/", {"answer": "已核查", "attachments": [upload]}
    )
    assert done.status_code == 302
    client.force_login(world.inspector)
    sent_page = client.get("/notices/sent/")
    assert "已核查" in sent_page.content.decode()
    assert client.post(f"/notices/{notice.public_id}/close/").status_code == 302
    notice.refresh_from_db()
    assert notice.state == "closed"
    attachment = notice.attachments.get()
    assert client.get(f"/notices/attachments/{attachment.public_id}/").status_code == 200


def test_illegal_action_is_422_with_message(client, world, sent):
    _, notice = sent
    client.force_login(world.insurance_officer)
    client.cookies["django_language"] = "en"
    response = client.post(f"/notices/{notice.public_id}/acknowledge/")
    assert response.status_code == 422
    assert "cannot become" in response.content.decode()


def test_stranger_gets_404(client, world, sent):
    problem, notice = sent
    client.force_login(world.stranger)
    assert client.get(f"/notices/{notice.public_id}/").status_code == 404
    assert client.get(f"/notices/problems/{problem.public_id}/").status_code == 404
    assert client.post(f"/notices/problems/{problem.public_id}/personal-data/").status_code == 404


def test_problem_page_masks_personal_data_for_recipients(client, world, sent):
    problem, _ = sent
    client.force_login(world.insurance_officer)
    page = client.get(f"/notices/problems/{problem.public_id}/").content.decode()
    assert "卓*" in page
    assert "卓玛" not in page
    assert client.post(f"/notices/problems/{problem.public_id}/personal-data/").status_code == 403
    client.force_login(world.inspector)
    revealed = client.post(
        f"/notices/problems/{problem.public_id}/personal-data/", HTTP_HX_REQUEST="true"
    )
    assert "卓玛" in revealed.content.decode()


def test_record_problem_through_the_form(client, world):
    client.force_login(world.inspector)
    assert client.get("/notices/problems/new/").status_code == 200
    preview = client.get(
        "/notices/problems/preview/",
        {
            "department": str(world.drug.public_id),
            "category": "counterfeit_drug",
            "entity": str(world.pharmacy.public_id),
        },
    )
    assert preview.content.count(b'data-testid="preview-recipient"') == 3
    response = client.post(
        "/notices/problems/new/",
        {
            "department": str(world.drug.public_id),
            "category": "counterfeit_drug",
            "entity": str(world.pharmacy.public_id),
            "description": "假药",
            "person-0-role": "patient",
            "person-0-name": "卓玛",
        },
    )
    assert response.status_code == 302
    assert Problem.objects.get().notices.count() == 3
    invalid = client.post("/notices/problems/new/", {"department": str(world.drug.public_id)})
    assert invalid.status_code == 422


def test_the_problem_form_keeps_what_was_typed_with_errors_beside_the_fields(client, world):
    client.force_login(world.inspector)
    before = Problem.objects.count()

    response = client.post(
        "/notices/problems/new/",
        {
            "department": str(world.drug.public_id),
            "category": "counterfeit_drug",
            "entity": str(world.pharmacy.public_id),
            "description": "",
            "person-1-role": "patient",
            "person-1-name": "卓玛",
            "person-1-id_number": "540102199001011234",
            "person-1-phone": "13900000000",
        },
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert Problem.objects.count() == before
    assert 'data-testid="error-description"' in body
    assert 'name="person-1-name" value="卓玛"' in body
    assert 'name="person-1-phone" value="13900000000"' in body
    assert '<option value="patient" selected>' in body

    # A person's own error is shown in that person's row, beside the field it concerns.
    response = client.post(
        "/notices/problems/new/",
        {
            "department": str(world.drug.public_id),
            "category": "counterfeit_drug",
            "entity": str(world.pharmacy.public_id),
            "description": "假药",
            "person-1-role": "patient",
            "person-1-name": "卓玛",
            "person-1-id_number": "540102199001011230",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert body.count('data-testid="error-person-1-id_number"') == 1
    assert body.count('data-testid="error-') == 1  # no other row, field or form error
    row = body[body.index('data-testid="person-row-1"') :]
    row = row[: row.index('data-testid="person-row-2"')]
    assert 'data-testid="error-person-1-id_number"' in row
    assert 'name="person-1-id_number" value="540102199001011230"' in body


def test_leader_cannot_open_the_problem_form(client, world):
    client.force_login(world.insurance_leader)
    assert client.get("/notices/problems/new/").status_code == 403


def test_rules_page_edit_only_for_administrators(client, world):
    from yaojian.notices.models import RoutingRule

    rule = RoutingRule.objects.first()
    client.force_login(world.inspector)
    assert client.get("/notices/rules/").status_code == 200
    assert client.get(f"/notices/rules/{rule.public_id}/").status_code == 403
    client.force_login(world.admin)
    response = client.post(
        f"/notices/rules/{rule.public_id}/",
        {
            "category": rule.category.code,
            "entity_kind": rule.entity_kind,
            "target_kind": rule.target_kind,
            "target_level": rule.target_level,
            "due_working_days": 7,
            "expected_answer": "x",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.due_working_days == 7


def test_entity_panel(client, world, sent):
    client.force_login(world.insurance_officer)
    page = client.get(f"/notices/entity/{world.pharmacy.public_id}/panel/")
    assert page.content.count(b'data-testid="panel-notice"') == 1
    assert b"<html" not in page.content


def test_from_and_to_of_a_notice_are_the_sender_and_the_recipient(client, world, sent):
    from django.urls import reverse
    from django.utils import translation

    _problem, notice = sent
    client.force_login(world.insurance_officer)
    with translation.override("zh-hans"):
        body = client.get(reverse("notices:notice_detail", args=[notice.public_id])).content
    body = body.decode()

    assert "发送部门" in body
    assert "接收部门" in body
    assert "起始日期" not in body
    assert "截止日期" not in body


def test_a_notices_problem_category_is_in_the_readers_language(client, world, sent):
    from django.urls import reverse

    _problem, notice = sent
    category = notice.category
    client.force_login(world.insurance_officer)
    url = reverse("notices:notice_detail", args=[notice.public_id])

    chinese = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()

    assert f"<dd>{category.name_zh}</dd>" in chinese
    assert f"<dd>{category.name_en}</dd>" in english
    assert f"<dd>{category.name_zh}</dd>" not in english


def _rule_days(html: str) -> list[int]:
    rows = re.findall(r'<tr data-testid="rule-row">(.*?)</tr>', html, re.S)
    return [int(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[4]) for row in rows]


def test_the_routing_rules_sort_by_the_column_heads_and_page(client, world, monkeypatch):
    from yaojian.notices.models import RoutingRule
    from yaojian.notices.views import rules as rule_views

    # given: the seeded rules with distinct deadlines, three a page
    for days, rule in enumerate(RoutingRule.objects.order_by("id"), start=1):
        RoutingRule.objects.filter(pk=rule.pk).update(due_working_days=days)
    total = RoutingRule.objects.count()
    monkeypatch.setattr(rule_views, "PAGE_SIZE", 3)
    client.force_login(world.inspector)
    # when
    ascending = client.get("/notices/rules/", {"sort": "due"}).content.decode()
    descending = client.get("/notices/rules/", {"sort": "-due"}).content.decode()
    last = client.get("/notices/rules/", {"sort": "-due", "page": 2}).content.decode()
    # then
    assert _rule_days(ascending) == [1, 2, 3]
    assert _rule_days(descending) == [total, total - 1, total - 2]
    assert _rule_days(last) == [total - 3, total - 4, total - 5]
    assert 'aria-sort="descending"' in descending
    assert "sort=-due" in re.search(r'href="(\?[^"]*page=2[^"]*)"', descending).group(1)


def test_an_unknown_rule_sort_is_ignored(client, world):
    client.force_login(world.inspector)
    default = client.get("/notices/rules/").content.decode()
    for bad in ("category__code; --", "public_id", "-expected_answer", "x" * 500):
        response = client.get("/notices/rules/", {"sort": bad, "page": "-1"})
        assert response.status_code == 200
        assert _rule_days(response.content.decode()) == _rule_days(default)
