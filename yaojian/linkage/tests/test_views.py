"""Pages: the review queue (full and partial), one review, confirm / reject, link two files."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook

from yaojian.accounts.choices import Role
from yaojian.jobs.models import Job
from yaojian.linkage.choices import ReviewState
from yaojian.linkage.tests.factories import LinkReviewFactory


@pytest.fixture
def steward_client(client, user_in_department):
    def make(review):
        user = user_in_department(role=Role.DATA_STEWARD, department=review.department)
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client, user

    return make


@pytest.mark.django_db
def test_queue_full_page_and_partial(steward_client, django_assert_max_num_queries):
    review = LinkReviewFactory()
    LinkReviewFactory(department=review.department)
    client, _user = steward_client(review)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("linkage:review_list"))
    assert page.status_code == 200
    assert page.content.count(b'data-testid="review-row"') == 2
    partial = client.get(reverse("linkage:review_list"), {"q": "康仁"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert partial.content.count(b'data-testid="review-row"') == 2


@pytest.mark.django_db
def test_queue_hides_other_departments(client, user_in_department):
    LinkReviewFactory()
    outsider = user_in_department(role=Role.DATA_STEWARD, region="540102")
    client.force_login(outsider)
    page = client.get(reverse("linkage:review_list"))
    assert page.content.count(b'data-testid="review-row"') == 0


@pytest.mark.django_db
def test_detail_shows_side_by_side_and_weights(steward_client):
    review = LinkReviewFactory()
    client, _user = steward_client(review)
    page = client.get(reverse("linkage:review_detail", args=[review.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="comparison-row"') == 5
    assert html.count('data-testid="weight-row"') == 3
    assert 'data-field="address" class="same"' in html
    assert 'data-testid="review-confirm"' in html


@pytest.mark.django_db
def test_detail_of_another_department_is_404(client, user_in_department):
    review = LinkReviewFactory()
    client.force_login(user_in_department(role=Role.DATA_STEWARD, region="540102"))
    assert client.get(reverse("linkage:review_detail", args=[review.public_id])).status_code == 404


@pytest.mark.django_db
def test_confirm_and_reject_through_the_page(steward_client):
    review = LinkReviewFactory()
    other = LinkReviewFactory(department=review.department)
    client, _user = steward_client(review)
    response = client.post(reverse("linkage:review_confirm", args=[review.public_id]))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.CONFIRMED
    empty = client.post(reverse("linkage:review_reject", args=[other.public_id]), {"reason": ""})
    assert empty.status_code == 422
    other.refresh_from_db()
    assert other.state == ReviewState.PENDING
    done = client.post(
        reverse("linkage:review_reject", args=[other.public_id]), {"reason": "两家店"}
    )
    assert done.status_code == 302
    other.refresh_from_db()
    assert (other.state, other.reason) == (ReviewState.REJECTED, "两家店")


@pytest.mark.django_db
def test_inspector_cannot_decide(client, user_in_department):
    review = LinkReviewFactory()
    client.force_login(user_in_department(role=Role.INSPECTOR, department=review.department))
    assert client.get(reverse("linkage:review_list")).status_code == 403
    assert (
        client.post(reverse("linkage:review_confirm", args=[review.public_id])).status_code == 404
    )
    review.refresh_from_db()
    assert review.state == ReviewState.PENDING


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "right.xlsx"
    return buffer


@pytest.mark.django_db(transaction=True)
def test_link_files_page_runs_the_job_and_offers_pairs(
    client, user_in_department, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    user = user_in_department(role=Role.DATA_STEWARD)
    client.force_login(user)
    left = io.BytesIO(
        "编号,名称,地址\nA1,拉萨市康仁大药房有限公司,拉萨市城关区北京中路12号\nA2,=HYPERLINK(1),某路\n".encode(
            "gb18030"
        )
    )
    left.name = "left.csv"
    right = _xlsx(
        [
            ["id", "名称", "地址"],
            ["B1", "康仁藥店", "城关区北京中路１２号"],
            ["B2", "雪域诊所", "江苏路3号"],
        ]
    )
    response = client.post(reverse("linkage:link_files"), {"left": left, "right": right})
    assert response.status_code == 302
    job = Job.objects.get(kind="linkage.link_files")
    assert job.status == "succeeded"
    assert (job.result["left_rows"], job.result["right_rows"]) == (2, 2)
    content = (tmp_path / job.result_file).read_text(encoding="utf-8-sig").splitlines()
    assert content[0].startswith("左侧编号,右侧编号,结果")
    assert content[1].startswith("A1,B1,")
    download = client.get(reverse("jobs:job_download", args=[job.public_id]))
    assert download.status_code == 200


@pytest.mark.django_db
def test_link_files_page_refuses_a_file_without_names(
    client, user_in_department, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(user_in_department(role=Role.DATA_STEWARD))
    client.cookies["django_language"] = "en"
    left = io.BytesIO(b"a,b\n1,2\n")
    left.name = "left.csv"
    right = io.BytesIO("名称\n康仁\n".encode())
    right.name = "right.csv"
    response = client.post(reverse("linkage:link_files"), {"left": left, "right": right})
    assert response.status_code == 422
    assert b'data-testid="error-left"' in response.content
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "label"),
    [
        (ReviewState.PENDING, "待审核"),
        (ReviewState.CONFIRMED, "已确认关联"),
        (ReviewState.REJECTED, "已驳回关联"),
    ],
)
def test_states_and_weights_are_labelled_in_chinese(steward_client, state, label):
    # given: the outbox's "Pending" (待发送) and "Rejected" (已拒收) are other words
    review = LinkReviewFactory(state=state)
    client, _user = steward_client(review)
    client.cookies["django_language"] = "zh-hans"
    # when
    listing = client.get(reverse("linkage:review_list"), {"state": state}).content.decode()
    detail = client.get(reverse("linkage:review_detail", args=[review.public_id])).content.decode()
    # then
    assert re.search(rf"<td>(<span[^>]*>)?{label}(</span>)?</td>", listing)
    assert re.search(rf'<span class="[^"]*status-tag" data-state="{state}">{label}</span>', detail)
    assert "待发送" not in listing + detail
    assert "已拒收" not in listing + detail
    assert '<th scope="row">名称</th>' in detail  # the weight of "name", translated
    assert '<th scope="row">行政区划</th>' in detail


@pytest.mark.django_db
def test_the_source_of_a_review_is_shown_in_words(steward_client):
    review = LinkReviewFactory(source_app="exchange", source_ref="0f3a-batch:7")
    other = LinkReviewFactory(department=review.department, source_app="mytool", source_ref="A-1")
    client, _user = steward_client(review)
    client.cookies["django_language"] = "zh-hans"

    listing = client.get(reverse("linkage:review_list")).content.decode()
    detail = client.get(reverse("linkage:review_detail", args=[review.public_id])).content.decode()

    sources = re.findall(r'data-testid="review-source"[^>]*>([^<]*)<', listing)
    assert sorted(sources) == ["mytool · A-1", "数据导入 · 第 7 行"]
    assert "数据导入 · 第 7 行" in detail
    assert "0f3a-batch" not in listing + detail
    assert other.source_display == "mytool · A-1"
