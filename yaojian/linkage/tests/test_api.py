"""API: /api/v1/link-reviews/ (+confirm/reject) and /api/v1/linkage/link-files/."""

from __future__ import annotations

import io

import pytest

from yaojian.accounts.choices import Role
from yaojian.jobs.models import Job
from yaojian.linkage.choices import ReviewState
from yaojian.linkage.tests.factories import LinkReviewFactory


@pytest.mark.django_db
def test_list_and_retrieve(api_client_for, user_in_department, django_assert_max_num_queries):
    review = LinkReviewFactory()
    LinkReviewFactory(department=review.department, state=ReviewState.CONFIRMED)
    api = api_client_for(user_in_department(role=Role.DATA_STEWARD, department=review.department))
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/link-reviews/", {"state": "pending"})
    assert response.status_code == 200
    body = response.json()
    results = body["results"] if isinstance(body, dict) else body
    assert [r["id"] for r in results] == [str(review.public_id)]
    one = api.get(f"/api/v1/link-reviews/{review.public_id}/").json()
    assert one["explanation"][0] == {"comparison": "name", "weight": 6.5}
    assert one["candidate"]["id"] == str(review.candidate.public_id)


@pytest.mark.django_db
def test_confirm_and_reject(api_client_for, user_in_department):
    review = LinkReviewFactory()
    other = LinkReviewFactory(department=review.department)
    api = api_client_for(user_in_department(role=Role.DATA_STEWARD, department=review.department))
    response = api.post(f"/api/v1/link-reviews/{review.public_id}/confirm/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "confirmed"
    bad = api.post(f"/api/v1/link-reviews/{other.public_id}/reject/", {}, format="json")
    assert bad.status_code == 400
    assert "reason" in bad.json()["errors"]
    done = api.post(
        f"/api/v1/link-reviews/{other.public_id}/reject/", {"reason": "x"}, format="json"
    )
    assert done.json()["state"] == "rejected"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "same", "expected"),
    [
        (None, False, 401),
        (Role.DATA_STEWARD, False, 404),
        (Role.INSPECTOR, True, 404),
        (Role.DEPARTMENT_HEAD, True, 403),
        (Role.ADMINISTRATOR, True, 200),
    ],
)
def test_confirm_authorization_matrix(api_client_for, user_in_department, role, same, expected):
    review = LinkReviewFactory()
    user = None
    if role is not None:
        user = (
            user_in_department(role=role, department=review.department)
            if same
            else (user_in_department(role=role, region="540102"))
        )
    response = api_client_for(user).post(f"/api/v1/link-reviews/{review.public_id}/confirm/")
    assert response.status_code in ({401, 403} if expected == 401 else {expected})
    review.refresh_from_db()
    assert review.state == (ReviewState.CONFIRMED if expected == 200 else ReviewState.PENDING)


@pytest.mark.django_db(transaction=True)
def test_link_files_starts_a_job(api_client_for, user_in_department, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api = api_client_for(user_in_department(role=Role.DATA_STEWARD))
    left = io.BytesIO("名称,地址\n康仁大药房,人民路1号\n".encode("utf-8-sig"))
    left.name = "a.csv"
    right = io.BytesIO("名称,地址\n康仁药店,人民路1号\n".encode())
    right.name = "b.csv"
    response = api.post(
        "/api/v1/linkage/link-files/", {"left": left, "right": right}, format="multipart"
    )
    assert response.status_code == 202
    job = Job.objects.get(public_id=response.json()["job"])
    assert job.status == "succeeded"
    assert job.result["auto"] == 1


@pytest.mark.django_db
def test_link_files_error_envelope(api_client_for, user_in_department, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api = api_client_for(user_in_department(role=Role.DATA_STEWARD))
    left = io.BytesIO(b"\xff\xfe\x00bad")
    left.name = "a.csv"
    right = io.BytesIO("名称\n康仁\n".encode())
    right.name = "b.csv"
    response = api.post(
        "/api/v1/linkage/link-files/", {"left": left, "right": right}, format="multipart"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"code", "message", "errors"}
    assert "left" in response.json()["errors"]
    assert not Job.objects.exists()
