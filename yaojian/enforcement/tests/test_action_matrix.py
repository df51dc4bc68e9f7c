"""The authorization matrix of every case action: kinds of actor × "nothing written".

Each action runs on a case in the first stage it applies to. Anonymous users are sent to the
sign-in page, members of unrelated departments get 404, members of the lead or a participating
department without the action's role get 403 — and for all of them no row, step or audit event
is written. The one actor kind that holds the role reaches the form (302 or 422).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.accounts.tests.factories import DepartmentFactory
from yaojian.audit.models import AuditEvent
from yaojian.enforcement import services
from yaojian.enforcement.choices import CaseStage, DefenceKind, PenaltyKind, ReviewConclusion
from yaojian.enforcement.services import ItemInput
from yaojian.enforcement.tests.conftest import filed_case, member, new_clue
from yaojian.enforcement.views.actions import ACTIONS

pytestmark = pytest.mark.django_db

ACTOR_KINDS = (
    "anonymous",
    "other_department",
    "inspector",  # same department, view only
    "leader",  # same department, view only
    "officer",  # case officer on the case
    "head",
    "reviewer",
    "participant_officer",
    "participant_head",
)
# Which actor kinds hold each role of ``Action.role``: the head may also give a 案件审核, and
# the head of any department of the case (lead or participant) changes its own decisions.
ROLE_HOLDERS = {
    "change": ("officer",),
    "approve": ("head",),
    "review": ("reviewer", "head"),
    "participant_head": ("participant_head",),
    "decider": ("head", "participant_head"),
}


def _case_at(office: Any, stage: str) -> Any:
    """A case of the office in ``stage``, through the services."""
    if stage == CaseStage.CLUE:
        return new_clue(office)
    if stage == CaseStage.VERIFICATION:
        case = new_clue(office)
        services.begin_verification(
            actor=office.officer, case=case, officers=[office.officer, office.officer2]
        )
        return case
    case = filed_case(office)
    if stage == CaseStage.INVESTIGATION:
        return case
    services.add_evidence(actor=office.officer, case=case, kind="physical", description="样品")
    services.propose_penalty(
        actor=office.officer,
        case=case,
        violation="销售劣药",
        legal_basis="药品管理法第117条",
        items=[ItemInput(kind=PenaltyKind.SUSPEND_BUSINESS)],
    )
    services.submit_for_review(actor=office.officer, case=case)
    if stage == CaseStage.REVIEW:
        return case
    services.review_case(
        actor=office.reviewer, case=case, opinion="同意", conclusion=ReviewConclusion.APPROVE
    )
    services.issue_notice(actor=office.officer, case=case)
    if stage == CaseStage.NOTICE:
        return case
    if stage == CaseStage.HEARING:
        services.record_defence(
            actor=office.officer,
            case=case,
            kind=DefenceKind.STATEMENT,
            text="要求听证",
            hearing_requested=True,
        )
        return case
    services.record_defence(actor=office.officer, case=case, kind=DefenceKind.WAIVER)
    services.decide_case(actor=office.head, case=case)
    if stage == CaseStage.DECIDED:
        return case
    services.serve_decision(actor=office.officer, case=case)
    assert stage == CaseStage.EXECUTION
    return case


def _snapshot(case: Any) -> tuple[Any, ...]:
    """Every enforcement row count, the case's stage and the audit chain's length."""
    counts = tuple(m.objects.count() for m in apps.get_app_config("enforcement").get_models())
    case.refresh_from_db()
    return (counts, case.stage, case.updated_at, AuditEvent.objects.count())


@pytest.fixture
def actors(office: Any) -> dict[str, Any]:
    other = DepartmentFactory(
        kind=DepartmentKind.MARKET_REGULATOR, region_id="540103", code="SAMR-540103"
    )
    insurance = DepartmentFactory(
        kind=DepartmentKind.MEDICAL_INSURANCE, region_id="540100", level="city"
    )
    return {
        "anonymous": None,
        "other_department": member(other, Role.DEPARTMENT_HEAD),
        "inspector": office.inspector,
        "leader": office.leader,
        "officer": office.officer,
        "head": office.head,
        "reviewer": office.reviewer,
        "participant_officer": member(insurance, Role.CASE_OFFICER),
        "participant_head": member(insurance, Role.DEPARTMENT_HEAD),
        "_insurance": insurance,
    }


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_action_matrix(client: Any, office: Any, frozen: Any, actors: dict[str, Any], name: str):
    action = ACTIONS[name]
    case = _case_at(office, action.stages[0])
    services.add_participant(actor=office.officer, case=case, department=actors["_insurance"])
    url = reverse("enforcement:case_action", args=[case.public_id, name])
    holders = ROLE_HOLDERS[action.role]
    results = {}
    for kind in ACTOR_KINDS:
        if kind in holders:
            continue
        client.logout()
        if actors[kind] is not None:
            client.force_login(actors[kind])
        before = _snapshot(case)
        response = client.post(url, {})
        results[kind] = response.status_code
        assert _snapshot(case) == before, kind

    expected = {kind: 403 for kind in ACTOR_KINDS if kind not in holders}
    expected["anonymous"] = 302
    expected["other_department"] = 404
    assert results == expected
    client.logout()
    assert client.post(url, {}).url.startswith(reverse("accounts:login"))

    for holder in holders:
        client.force_login(actors[holder])
        response = client.post(url, {})
        assert response.status_code in (302, 422), holder
        if response.status_code == 302:
            assert response.url == reverse("enforcement:case_detail", args=[case.public_id])


def _offered(client: Any, user: Any, case: Any) -> set[str]:
    import re

    client.force_login(user)
    body = client.get(reverse("enforcement:case_detail", args=[case.public_id])).content.decode()
    return set(re.findall(r'data-testid="action-([a-z_]+)"', body))


def test_actions_the_user_cannot_take_are_not_offered(
    client: Any, office: Any, frozen: Any
) -> None:
    case = _case_at(office, CaseStage.REVIEW)
    # In review, before the review: no decision, no notice; the reviewer may review.
    assert {"decide", "notice"} & _offered(client, office.head, case) == set()
    assert "notice" not in _offered(client, office.officer, case)
    assert "review" in _offered(client, office.reviewer, case)

    services.review_case(
        actor=office.reviewer, case=case, opinion="同意", conclusion=ReviewConclusion.APPROVE
    )
    # The review is given: not offered again; a penalty needs the notice, not a decision.
    assert "review" not in _offered(client, office.reviewer, case)
    assert {"review", "decide"} & _offered(client, office.head, case) == set()
    assert "notice" in _offered(client, office.officer, case)

    # A filed case without a decision is dropped (撤销立案), never "closed".
    filed = filed_case(office)
    head_actions = _offered(client, office.head, filed)
    assert "drop" in head_actions
    assert "close" not in head_actions
    assert "change_decision" not in head_actions
    # Nothing to approve until an extension is requested.
    assert "decide_extension" not in head_actions
    clock = filed.clocks.get(kind="decision")
    services.request_extension(
        actor=office.officer, clock=clock, days=30, reason="需补充检验。", is_collective=False
    )
    assert "decide_extension" in _offered(client, office.head, filed)


def test_a_second_review_is_refused_and_nothing_written(office: Any, frozen: Any) -> None:
    from django.core.exceptions import ValidationError

    case = _case_at(office, CaseStage.REVIEW)
    services.review_case(
        actor=office.reviewer, case=case, opinion="同意", conclusion=ReviewConclusion.APPROVE
    )
    before = _snapshot(case)

    with pytest.raises(ValidationError) as excinfo:
        services.review_case(
            actor=office.reviewer, case=case, opinion="再次同意", conclusion="approve"
        )

    assert excinfo.value.error_dict["__all__"][0].code == "review_given"
    assert _snapshot(case) == before
