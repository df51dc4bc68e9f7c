"""Actions beyond the main line, through the page and the API: a participant's own decision,
changing a decision (DecisionChanged), resuming a seizure after testing, and the assistance
request page of the requested department."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.core.events import subscribe, unsubscribe
from yaojian.enforcement import services
from yaojian.enforcement.choices import ClockKind, DecisionState, PauseReason
from yaojian.enforcement.events import DecisionChanged
from yaojian.enforcement.models import Decision
from yaojian.enforcement.tests.conftest import filed_case, member
from yaojian.registry.choices import LicenceKind, LicenceStatus
from yaojian.registry.tests.factories import LicenceFactory

pytestmark = pytest.mark.django_db


def _client(client: Any, user: Any) -> Any:
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def insurance(office: Any) -> Any:
    """The city's medical-insurance bureau with its head, and the party's agreement with it."""
    bureau = DepartmentFactory(
        code="YB-540100",
        name="拉萨市医疗保障局",
        kind=DepartmentKind.MEDICAL_INSURANCE,
        level=DepartmentLevel.CITY,
        region_id="540100",
    )
    head = member(bureau, Role.DEPARTMENT_HEAD, username="yb_head")
    officer = member(bureau, Role.CASE_OFFICER, username="yb_officer")
    agreement = LicenceFactory(
        entity=office.entity,
        issued_by=bureau,
        kind=LicenceKind.INSURANCE_AGREEMENT,
        number="YB-AGR-0001",
    )
    return type(
        "Insurance",
        (),
        {"bureau": bureau, "head": head, "officer": officer, "agreement": agreement},
    )


def test_participant_head_records_own_decision_and_changes_it(
    client: Any, office: Any, insurance: Any, frozen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = filed_case(office)
    services.add_participant(actor=office.officer, case=case, department=insurance.bureau)
    url = reverse("enforcement:case_action", args=[case.public_id, "department_decision"])

    # The bureau's case officer is no head: the form is not offered and the post is refused.
    _client(client, insurance.officer)
    page = client.get(reverse("enforcement:case_detail", args=[case.public_id]))
    assert "department_decision" not in [a["action"].name for a in page.context["actions"]]
    assert client.post(url, {}).status_code == 403

    _client(client, insurance.head)
    page = client.get(reverse("enforcement:case_detail", args=[case.public_id]))
    names = [a["action"].name for a in page.context["actions"]]
    # No decision of the bureau yet: nothing to change, so that form is not offered.
    assert names == ["department_decision"]
    # Missing agreement: 422, nothing written.
    bad = client.post(
        url,
        {
            "department_decision-department": insurance.bureau.pk,
            "department_decision-violation": "串换药品骗取医保基金",
            "department_decision-legal_basis": "《医疗保障基金使用监督管理条例》第三十八条",
            "department_decision-agreement": "agreement_suspension",
        },
    )
    assert bad.status_code == 422
    assert not Decision.objects.exists()
    ok = client.post(
        url,
        {
            "department_decision-department": insurance.bureau.pk,
            "department_decision-violation": "串换药品骗取医保基金",
            "department_decision-legal_basis": "《医疗保障基金使用监督管理条例》第三十八条",
            "department_decision-agreement": "agreement_suspension",
            "department_decision-agreement_licence": insurance.agreement.pk,
            "department_decision-months": "6",
            "department_decision-fund_recovery": "12800.50",
        },
    )
    assert ok.status_code == 302
    decision = Decision.objects.get()
    assert (decision.department, decision.state) == (insurance.bureau, DecisionState.EFFECTIVE)
    assert decision.number == "拉萨市医疗保障局罚〔2026〕1号"
    assert sorted(decision.items.values_list("kind", flat=True)) == [
        "agreement_suspension",
        "fund_recovery",
    ]
    insurance.agreement.refresh_from_db()
    assert insurance.agreement.status == LicenceStatus.SUSPENDED
    page = client.get(reverse("enforcement:case_detail", args=[case.public_id]))
    assert [a["action"].name for a in page.context["actions"]] == [
        "department_decision",
        "change_decision",
    ]

    # The lead's head may not change the bureau's decision: it is not in the form's choices.
    _client(client, office.head)
    change_url = reverse("enforcement:case_action", args=[case.public_id, "change_decision"])
    refused = client.post(
        change_url,
        {
            "change_decision-decision": decision.pk,
            "change_decision-change": "revoked",
            "change_decision-reason": "x",
        },
    )
    assert refused.status_code == 422
    decision.refresh_from_db()
    assert decision.state == DecisionState.EFFECTIVE

    seen: list[Any] = []
    subscribe(DecisionChanged, seen.append)
    try:
        _client(client, insurance.head)
        no_reason = client.post(
            change_url,
            {"change_decision-decision": decision.pk, "change_decision-change": "revoked"},
        )
        assert no_reason.status_code == 422
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(
                change_url,
                {
                    "change_decision-decision": decision.pk,
                    "change_decision-change": "revoked",
                    "change_decision-reason": "行政复议决定撤销",
                },
            )
    finally:
        unsubscribe(DecisionChanged, seen.append)
    assert done.status_code == 302
    decision.refresh_from_db()
    assert (decision.state, decision.change_reason) == (DecisionState.REVOKED, "行政复议决定撤销")
    assert [(e.decision_public_id, e.change) for e in seen] == [(decision.public_id, "revoked")]


def test_department_decision_and_change_through_the_api(
    api_client_for: Any, office: Any, insurance: Any, frozen: Any
) -> None:
    case = filed_case(office)
    services.add_participant(actor=office.officer, case=case, department=insurance.bureau)
    client = api_client_for(insurance.head)
    base = f"/api/v1/cases/{case.public_id}/actions"
    not_own = client.post(
        f"{base}/department_decision/",
        {
            "department": insurance.bureau.pk,
            "violation": "x",
            "legal_basis": "y",
        },
        format="json",
    )
    assert not_own.status_code == 400  # no measure at all
    ok = client.post(
        f"{base}/department_decision/",
        {
            "department": insurance.bureau.pk,
            "violation": "串换药品",
            "legal_basis": "条例第三十八条",
            "agreement": "agreement_termination",
            "agreement_licence": insurance.agreement.pk,
        },
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    insurance.agreement.refresh_from_db()
    assert insurance.agreement.status == LicenceStatus.REVOKED
    decision = Decision.objects.get()
    changed = client.post(
        f"{base}/change_decision/",
        {"decision": decision.pk, "change": "void", "reason": "确认无效"},
        format="json",
    )
    assert changed.status_code == 200
    decision.refresh_from_db()
    assert decision.state == DecisionState.REVOKED
    # An outsider head: 404, as for every case it cannot see.
    other = member(DepartmentFactory(kind=DepartmentKind.MEDICAL_INSURANCE), Role.DEPARTMENT_HEAD)
    assert (
        api_client_for(other).post(f"{base}/change_decision/", {}, format="json").status_code == 404
    )


def test_seizure_paused_for_testing_and_resumed_through_the_page(
    client: Any, office: Any, frozen: Any
) -> None:
    case = filed_case(office)
    measure = services.apply_measure(
        actor=office.officer, case=case, kind="seizure", items="阿莫西林胶囊 20 盒"
    )
    assert measure.clock.due_on == dt.date(2026, 4, 3)
    _client(client, office.officer)
    pause = client.post(
        reverse("enforcement:case_action", args=[case.public_id, "pause"]),
        {
            "pause-clock": measure.clock.pk,
            "pause-reason": PauseReason.TESTING,
            "pause-paused_on": "2026-03-04",
        },
    )
    assert pause.status_code == 302
    frozen.move_to(dt.datetime(2026, 3, 20, 1, tzinfo=dt.UTC))
    _client(client, office.officer)  # the session expired meanwhile
    resume_url = reverse("enforcement:case_action", args=[case.public_id, "resume"])
    early = client.post(
        resume_url, {"resume-clock": measure.clock.pk, "resume-resumed_on": "2026-03-01"}
    )
    assert early.status_code == 422
    assert "cannot resume before" in early.content.decode()
    resumed = client.post(
        resume_url, {"resume-clock": measure.clock.pk, "resume-resumed_on": "2026-03-14"}
    )
    assert resumed.status_code == 302
    clock = case.clocks.get(kind=ClockKind.SEIZURE)
    # 10 days of testing excluded: 2026-04-03 → 2026-04-13.
    assert (clock.state, clock.due_on) == ("running", dt.date(2026, 4, 13))


def test_assistance_request_page_for_the_requested_department(
    client: Any, office: Any, frozen: Any
) -> None:
    case = filed_case(office)
    services.add_evidence(actor=office.officer, case=case, kind="physical", description="机密证据")
    remote = DepartmentFactory(
        code="SAMR-540402",
        name="巴宜区市场监督管理局",
        kind=DepartmentKind.MARKET_REGULATOR,
        region_id="540402",
    )
    remote_officer = member(remote, Role.CASE_OFFICER, username="remote1")
    remote_leader = member(remote, Role.LEADER, username="remote_leader")
    outsider = member(DepartmentFactory(kind=DepartmentKind.MARKET_REGULATOR), Role.CASE_OFFICER)
    request = services.send_assistance_request(
        actor=office.officer,
        case=case,
        to_department=remote,
        subject="协查供货单位资质",
        questions="请核查林芝某医药公司的供货记录",
    )
    detail = reverse("enforcement:request_detail", args=[request.public_id])

    _client(client, outsider)
    assert client.get(detail).status_code == 404
    assert (
        client.post(
            reverse("enforcement:request_answer", args=[request.public_id]), {"text": "x"}
        ).status_code
        == 404
    )

    _client(client, remote_leader)  # sees it, may not answer
    page = client.get(detail)
    assert page.status_code == 200
    assert page.context["can_answer"] is False
    assert b'data-testid="answer-form"' not in page.content

    _client(client, remote_officer)
    work = client.get(reverse("enforcement:my_work")).content.decode()
    assert detail in work
    page = client.get(detail)
    body = page.content.decode()
    assert page.status_code == 200
    assert "请核查林芝某医药公司的供货记录" in body
    assert "机密证据" not in body
    assert reverse("enforcement:case_detail", args=[case.public_id]) not in body
    # The requested department still cannot open the case itself.
    assert client.get(reverse("enforcement:case_detail", args=[case.public_id])).status_code == 404
    empty = client.post(reverse("enforcement:request_answer", args=[request.public_id]), {})
    assert empty.status_code == 422
    answered = client.post(
        reverse("enforcement:request_answer", args=[request.public_id]),
        {"text": "经核查，该公司供货记录完整"},
    )
    assert answered.status_code == 302
    assert answered["Location"] == detail
    request.refresh_from_db()
    assert (request.state, request.answered_by) == ("answered", remote_officer)
    assert request.clock.state == "stopped"
    again = client.get(detail)
    assert again.context["can_answer"] is False
    assert "经核查，该公司供货记录完整" in again.content.decode()

    _client(client, office.officer)
    lead_view = client.get(detail).content.decode()
    assert reverse("enforcement:case_detail", args=[case.public_id]) in lead_view
    assert "经核查，该公司供货记录完整" in lead_view
