"""The first page (工作台), provincial oversight (issue 9) and list exports (issue 10 item 6)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from yaojian.accounts.choices import Role
from yaojian.dashboard.exports import start_list_export
from yaojian.dashboard.tests.conftest import member
from yaojian.enforcement import selectors as case_selectors
from yaojian.exchange.choices import AlertKind
from yaojian.exchange.models import DataQualityAlert
from yaojian.exchange.selectors import alerts_visible_to
from yaojian.jobs.choices import JobStatus
from yaojian.jobs.models import Job
from yaojian.notices import selectors as notice_selectors

pytestmark = pytest.mark.django_db


def test_a_head_sees_filings_waiting_with_counts(province: Any, client: Any) -> None:
    client.force_login(province.head_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="section-approvals"' in html
    section = html.split('data-testid="section-approvals"')[1].split("</section>")[0]
    assert section.count('data-detail="filing"') == 2
    assert "待立案 2</span>" in section
    assert "延期申请 0</span>" in section
    assert "处罚决定 0</span>" in section
    assert 'data-testid="section-count">2<' in section
    first = province.cases["a"][0]
    assert f"/enforcement/cases/{first.public_id}/" in section
    # The overdue filing is first.
    assert section.index(str(first.public_id)) < section.index(
        str(province.cases["a"][1].public_id)
    )


def test_a_legal_reviewer_sees_the_cases_waiting_for_review_with_counts(
    province: Any, client: Any
) -> None:
    reviewer = member(province.samr_b, Role.LEGAL_REVIEWER, username="reviewer_b")
    client.force_login(reviewer)
    html = client.get(reverse("home")).content.decode()
    section = html.split('data-testid="section-reviews"')[1].split("</section>")[0]
    assert 'data-testid="section-count">1<' in section
    waiting = province.cases["b"][1]
    assert f"/enforcement/cases/{waiting.public_id}/" in section
    # a reviewer of the other county sees the section, empty, not the neighbour's case
    client.force_login(member(province.samr_a, Role.LEGAL_REVIEWER, username="reviewer_a"))
    other = client.get(reverse("home")).content.decode()
    section = other.split('data-testid="section-reviews"')[1].split("</section>")[0]
    assert 'data-testid="section-count">0<' in section
    assert str(waiting.public_id) not in other


def test_an_officer_sees_overdue_notices_first(province: Any, client: Any) -> None:
    client.force_login(province.inspector_a)
    html = client.get(reverse("home")).content.decode()
    section = html.split('data-testid="section-notices"')[1].split("</section>")[0]
    assert section.count('data-testid="work-item"') == 2
    assert section.count('data-level="overdue"') == 2
    assert "逾期通报一" in section
    assert "已答复" not in section
    assert 'data-testid="workbench-urgent"' in html
    assert 'data-testid="section-approvals"' not in html


def test_home_query_count_is_bounded(
    province: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    # One statement per section (the first rows with their counts), the shell's memberships
    # with the scope (the budget was 40 for all three).
    for user, budget in ((province.head_a, 22), (province.inspector_a, 13), (province.leader, 11)):
        client.force_login(user)
        client.get(reverse("home"))  # the holiday calendar is read once per process
        with django_assert_max_num_queries(budget):
            assert client.get(reverse("home")).status_code == 200


def test_a_user_without_membership_gets_an_empty_workbench(db: Any, client: Any) -> None:
    from yaojian.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'data-testid="workbench-empty"' in response.content.decode()


# --- issue 9: provincial roles see their province ------------------------------------------


def test_provincial_leader_and_head_see_the_province(province: Any) -> None:
    provincial_head = member(province.mpa, Role.DEPARTMENT_HEAD)
    for user in (province.leader, provincial_head):
        assert case_selectors.cases_visible_to(user).count() == 6
        assert notice_selectors.inbox(user).count() == 4
        assert notice_selectors.inbox(user, overdue=True).count() == 2
    alert = DataQualityAlert.objects.create(
        entity=province.cases["a"][0].entity
        or __import__("yaojian.registry.models", fromlist=["Entity"]).Entity.objects.first(),
        kind=AlertKind.values[0],
        detected_at="2026-03-01T00:00:00Z",
    )
    alert.departments.add(province.samr_a)
    assert alerts_visible_to(province.leader).count() == 1
    # The county inspector still sees only their county.
    assert case_selectors.cases_visible_to(province.inspector_a).count() == 4


def test_oversight_is_view_only(province: Any) -> None:
    assert case_selectors.Case.objects.visible_to(province.leader, "change").count() == 0
    from yaojian.notices.tests.factories import NoticeFactory

    notice = NoticeFactory(sender=province.hc_a, recipient=province.samr_b)
    assert notice_selectors.Notice.objects.visible_to(province.leader).filter(pk=notice.pk).exists()
    changeable = notice_selectors.Notice.objects.visible_to(province.leader, "change")
    assert not changeable.filter(pk=notice.pk).exists()


# --- exports ---------------------------------------------------------------------------------


def _file(job: Job) -> Path:
    return Path(settings.MEDIA_ROOT) / job.result_file


def test_case_list_exports_as_gb18030_csv_with_its_filters(
    province: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(province.head_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:export_list"),
            {"list": "cases", "format": "csv", "encoding": "gb18030", "stage": "verification"},
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:job_detail", args=[job.public_id])
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"rows": 2, "format": "csv", "encoding": "gb18030"}
    rows = list(csv.reader(io.StringIO(_file(job).read_bytes().decode("gb18030"))))
    assert rows[0][0] == "案件编号" or rows[0][0] == "Case number"
    assert sorted(r[0] for r in rows[1:]) == sorted(c.number for c in province.cases["a"][:2])
    assert {r[2] for r in rows[1:]} == {"核查"} or len({r[2] for r in rows[1:]}) == 1


def test_inbox_exports_as_xlsx_with_the_overdue_filter(
    province: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from openpyxl import load_workbook

    with django_capture_on_commit_callbacks(execute=True):
        job = start_list_export(
            actor=province.inspector_a,
            list_name="inbox",
            filters={"overdue": "1"},
            file_format="xlsx",
        )
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    sheet = load_workbook(_file(job)).active
    subjects = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert subjects == ["逾期通报一", "逾期通报二"]


def test_an_export_refuses_an_unknown_list_format_or_encoding(province: Any) -> None:
    with pytest.raises(ValidationError) as error:
        start_list_export(
            actor=province.leader,
            list_name="everything",
            filters={},
            file_format="ods",
            encoding="latin-1",
        )
    assert set(error.value.message_dict) == {"list", "format", "encoding"}
    assert not Job.objects.exists()


def test_export_view_answers_422_on_bad_input(province: Any, client: Any) -> None:
    client.force_login(province.leader)
    response = client.post(reverse("dashboard:export_list"), {"list": "x", "format": "xlsx"})
    assert response.status_code == 422
    assert not Job.objects.exists()


def test_cells_that_look_like_formulas_are_neutralised(
    province: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = province.cases["a"][0]
    case.title = "=HYPERLINK(1)"
    case.save(update_fields=["title"])
    with django_capture_on_commit_callbacks(execute=True):
        job = start_list_export(
            actor=province.head_a, list_name="cases", filters={}, file_format="csv"
        )
    job.refresh_from_db()
    text = _file(job).read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_a_sections_first_rows_and_its_numbers_come_in_one_statement(
    province: Any, django_assert_num_queries: Any
) -> None:
    from django.db.models import Q

    from yaojian.accounts.models import Department
    from yaojian.core.workbench import first_rows

    departments = Department.objects.order_by("code")
    expected = list(departments.values("code", "kind")[:3])
    with django_assert_num_queries(1):
        rows, total, numbers = first_rows(
            departments.values("code", "kind"), 3, drug=Q(kind="drug_regulator")
        )
    assert rows == expected  # the counts are not left on the rows
    assert total == departments.count() > 3
    assert numbers == {"drug": departments.filter(kind="drug_regulator").count()}
    with django_assert_num_queries(1):
        objects, total, _numbers = first_rows(departments.select_related("region"), 2)
    assert [d.pk for d in objects] == [d.pk for d in departments[:2]]
    assert total == departments.count()
    assert first_rows(departments.filter(pk__in=[]), 5, drug=Q(kind="x")) == ([], 0, {"drug": 0})
