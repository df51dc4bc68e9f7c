"""Pages: the public forms (challenge, 422, 429, receipt), tracking, the staff register and
detail, the authorization matrix of the steps, and escaping of markup everywhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from yaojian.complaints.choices import Kind, State, Topic
from yaojian.complaints.models import Complaint
from yaojian.complaints.tests.conftest import receive

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _solve(html: str) -> dict[str, str]:
    token = re.search(r'name="challenge_token" value="([^"]+)"', html)
    question = re.search(r'data-testid="challenge-question">([^<]+)<', html)
    assert token
    assert question
    numbers = [int(n) for n in re.findall(r"\d+", question.group(1))]
    return {"challenge_token": token.group(1), "challenge_answer": str(sum(numbers))}


def _form(**extra: str) -> dict[str, str]:
    data = {
        "topic": Topic.RECYCLED_DRUGS,
        "subject_name": "康宁药店",
        "region_code": "540102",
        "summary": "药店回收医保药品再销售。",
        "name": "张三",
        "phone": "13800001111",
    }
    data.update(extra)
    return data


def test_public_report_form_submits_without_login(world: Any) -> None:
    client = _client()
    page = client.get(reverse("portal:complaint_new", args=["report"]))
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    html = page.content.decode()
    assert "<script>" not in html.split("</head>")[1]  # no inline script in the body
    response = client.post(page.request["PATH_INFO"], {**_form(), **_solve(html)})
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    body = response.content.decode()
    assert complaint.number in body
    code = re.search(r'data-testid="receipt-code">([A-Z0-9]+)<', body)
    assert code
    track = client.post(
        reverse("portal:complaint_track"), {"number": complaint.number, "code": code.group(1)}
    )
    assert 'data-testid="track-result"' in track.content.decode()


def test_public_form_errors_answer_422_with_a_new_question(world: Any) -> None:
    client = _client()
    html = client.get(reverse("portal:complaint_new", args=["complaint"])).content.decode()
    response = client.post(
        reverse("portal:complaint_new", args=["complaint"]), {**_form(summary=""), **_solve(html)}
    )
    assert response.status_code == 422
    assert Complaint.objects.count() == 0
    wrong = client.post(
        reverse("portal:complaint_new", args=["complaint"]),
        {**_form(), "challenge_token": "x", "challenge_answer": "1"},
    )
    assert wrong.status_code == 422
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("region_code", "999999", "Choose a region from the list."),
        ("region_code", "54<b>", "Select a valid choice."),
        ("platform_region_code", "999999", "Choose a region from the list."),
    ],
)
def test_unknown_county_answers_422_under_its_field(
    world: Any, field: str, value: str, message: str
) -> None:
    client = _client()
    client.cookies["django_language"] = "en"
    url = reverse("portal:complaint_new", args=["complaint"])
    html = client.get(url).content.decode()
    data = {**_form(), **_solve(html), field: value, "is_ecommerce": "on"}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body.split(f'name="{field}"')[1]  # under the field
    assert 'value="540102"' in body  # the county list is shown again
    assert Complaint.objects.count() == 0


def test_unknown_kind_is_404(world: Any) -> None:
    assert _client().get("/public/complaints/new/other/").status_code == 404


def test_flood_answers_429_with_a_clear_message(world: Any, settings: Any) -> None:
    settings.COMPLAINTS = {"per_address_per_hour": 1}
    client = _client()
    url = reverse("portal:complaint_new", args=["report"])
    html = client.get(url).content.decode()
    assert client.post(url, {**_form(), **_solve(html)}).status_code == 200
    html = client.get(url).content.decode()
    response = client.post(url, {**_form(summary="另一件", phone="13800002222"), **_solve(html)})
    assert response.status_code == 429
    assert 'data-testid="throttled"' in response.content.decode()
    assert Complaint.objects.count() == 1


def test_wrong_code_page_is_identical_to_unknown_number(world: Any) -> None:
    complaint = receive().complaint
    client = _client()
    url = reverse("portal:complaint_track")
    a = client.post(url, {"number": complaint.number, "code": "AAAAAAAAAA"})
    b = client.post(url, {"number": "J20990101123456", "code": "AAAAAAAAAA"})
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*"')
    assert a.status_code == b.status_code == 200
    assert strip.sub("", a.content.decode()) == strip.sub("", b.content.decode())


def test_markup_is_escaped_on_every_page(world: Any) -> None:
    receipt = receive(summary=XSS, subject_name=XSS, products=XSS, name=XSS)
    complaint = receipt.complaint
    pages = [
        (_client(world.officer), reverse("complaints:detail", args=[complaint.public_id])),
        (_client(world.officer), reverse("complaints:list")),
        # Not yet assigned: the head of the handling department sees the reporter.
        (_client(world.head), reverse("complaints:reporter", args=[complaint.public_id])),
    ]
    for client, url in pages:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body, url
        assert "<img src=x" not in body, url
        assert "&lt;script&gt;" in body, url
    track = _client().post(
        reverse("portal:complaint_track"), {"number": complaint.number, "code": receipt.query_code}
    )
    assert "<script>alert" not in track.content.decode()
    csv = _client(world.officer).get(reverse("complaints:export")).content.decode()
    assert "<script>alert" in csv  # CSV is data, not markup; formulas are defused separately


def test_csv_cells_never_start_a_formula(world: Any) -> None:
    receive(subject_name='=HYPERLINK("http://x")')
    csv = _client(world.officer).get(reverse("complaints:export")).content.decode()
    assert "'=HYPERLINK" in csv


def test_list_full_page_and_partial(world: Any) -> None:
    receive()
    client = _client(world.officer)
    full = client.get(reverse("complaints:list"))
    partial = client.get(reverse("complaints:list"), headers={"HX-Request": "true"})
    assert full.status_code == partial.status_code == 200
    assert "<html" in full.content.decode()
    assert "<html" not in partial.content.decode()
    assert 'data-testid="complaint-row"' in partial.content.decode()


def test_other_county_gets_not_found(world: Any) -> None:
    complaint = receive().complaint
    url = reverse("complaints:detail", args=[complaint.public_id])
    assert _client(world.other_officer).get(url).status_code == 404
    assert _client(world.insurance_officer).get(url).status_code in (403, 404)
    assert _client(world.city_head).get(url).status_code == 200  # oversight


# action, kind, who may, who may not
MATRIX = [
    (
        "accept",
        Kind.COMPLAINT,
        ["officer", "head"],
        ["inspector", "leader", "auditor", "city_head", "other_officer"],
    ),
    (
        "make_clue",
        Kind.REPORT,
        ["officer"],
        ["inspector", "leader", "auditor", "city_head", "other_officer"],
    ),
    ("not_opened", Kind.REPORT, ["head"], ["inspector", "leader", "city_head"]),
]


@pytest.mark.parametrize(("action", "kind", "allowed", "denied"), MATRIX)
def test_authorization_matrix_of_the_steps(
    world: Any, action: str, kind: str, allowed: list[str], denied: list[str]
) -> None:
    topic = Topic.PRICE_SERVICE if kind == Kind.COMPLAINT else Topic.RECYCLED_DRUGS
    data = {"note": "", "reasons": "经核查不实"}
    for n, name in enumerate(denied):
        complaint = receive(kind=kind, topic=topic, phone=f"1380000{n:04d}").complaint
        url = reverse("complaints:step", args=[complaint.public_id, action])
        response = _client(getattr(world, name)).post(url, data)
        assert response.status_code in (403, 404), (name, response.status_code)
        complaint.refresh_from_db()
        assert complaint.state == State.RECEIVED
    for n, name in enumerate(allowed):
        complaint = receive(kind=kind, topic=topic, phone=f"1370000{n:04d}").complaint
        url = reverse("complaints:step", args=[complaint.public_id, action])
        response = _client(getattr(world, name)).post(url, data)
        assert response.status_code == 302, (name, response.status_code)
        complaint.refresh_from_db()
        assert complaint.state != State.RECEIVED


def test_step_with_missing_reasons_answers_422_beside_the_field(world: Any) -> None:
    complaint = receive(kind=Kind.COMPLAINT, topic=Topic.PRICE_SERVICE).complaint
    url = reverse("complaints:step", args=[complaint.public_id, "refuse"])
    response = _client(world.officer).post(url, {"ground": "outside_remit", "reasons": ""})
    assert response.status_code == 422
    complaint.refresh_from_db()
    assert complaint.state == State.RECEIVED


def test_staff_intake_page_records_and_shows_the_code_once(world: Any) -> None:
    client = _client(world.inspector)
    assert client.get(reverse("complaints:create")).status_code == 200
    response = client.post(
        reverse("complaints:create"),
        {
            "kind": "complaint",
            "channel": "phone",
            "topic": "price_service",
            "subject_name": "某药店",
            "region_code": "540102",
            "summary": "电话投诉价格",
            "name": "李四",
        },
    )
    assert response.status_code == 200, response.content.decode()[:500]
    assert 'data-testid="receipt-code"' in response.content.decode()
    assert _client(world.leader).get(reverse("complaints:create")).status_code == 403


def test_api_lists_only_visible_complaints(world: Any, api_client_for: Any) -> None:
    receive()
    assert len(api_client_for(world.officer).get("/api/v1/complaints/").json()["results"]) == 1
    assert api_client_for(world.other_officer).get("/api/v1/complaints/").json()["results"] == []
    assert api_client_for(None).get("/api/v1/complaints/").status_code in (401, 403)


def test_entity_search_answers_names(world: Any) -> None:
    response = _client().get(reverse("portal:complaint_entities"), {"entity_q": "康宁"})
    assert str(world.entity.public_id) in response.content.decode()


def test_public_outcomes_page(world: Any) -> None:
    receive()
    response = _client().get(reverse("portal:complaint_outcomes"))
    assert response.status_code == 200
    assert 'data-region="540102"' in response.content.decode()


def test_global_search_finds_by_number_within_scope(world: Any) -> None:
    from yaojian.complaints.search import complaint_hits

    complaint = receive().complaint
    assert [h.title for h in complaint_hits(world.officer, complaint.number, 5)] == [
        complaint.number
    ]
    assert complaint_hits(world.other_officer, complaint.number, 5) == []
