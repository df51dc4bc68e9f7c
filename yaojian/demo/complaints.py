"""Demo complaints and reports of the demo county office (the ``caseofficer``'s): one in every
state, one report that became a case with a fine and an approved reward, published outcomes.
Through the services, so clocks, steps, audit, notices and events are real.

The documented example (README, "投诉举报"): tracking number :data:`DEMO_NUMBER`, query code
:data:`DEMO_CODE` on /public/complaints/track/.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yaojian.accounts.models import Membership
from yaojian.complaints import services
from yaojian.complaints.choices import Channel, Kind, RefusalGround, Topic
from yaojian.complaints.models import Complaint
from yaojian.registry.models import Entity

DEMO_NUMBER = "J20261120000001"
DEMO_CODE = "DEMO2026QC"


def _sub(entity: Entity, **over: Any) -> services.Submission:
    data: dict[str, Any] = {
        "kind": Kind.REPORT,
        "topic": Topic.RECYCLED_DRUGS,
        "summary": "该药店长期回收患者用医保购买的药品，再以原价销售，店内有回收登记本。",
        "entity_public_id": str(entity.public_id),
        "products": "阿托伐他汀钙片、硫酸氢氯吡格雷片",
        "name": "示例举报人",
        "phone": "13800000000",
    }
    data.update(over)
    return services.Submission(**data)


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def seed_demo_complaints() -> int:
    """Returns how many complaints were made (0 when they exist or the accounts are missing)."""
    from yaojian.enforcement import demo as case_demo
    from yaojian.enforcement import services as enforcement
    from yaojian.enforcement.choices import DefenceKind, PenaltyKind, ReviewConclusion
    from yaojian.enforcement.services import ItemInput
    from yaojian.outbox.delivery import deliver_due

    if Complaint.objects.exists():
        return 0
    membership = (
        Membership.objects.filter(user__username="caseofficer", is_active=True)
        .select_related("department")
        .first()
    )
    if membership is None:
        return 0
    staff = case_demo._staff(membership.department.code)
    if staff is None:
        return 0
    county = staff.department.region_id
    entities = list(Entity.objects.filter(region_id=county).order_by("id")[:8])
    if len(entities) < 6:
        return 0
    officer, head = staff.officer, staff.head

    def receive(sub: services.Submission, days: int, **kw: Any) -> Complaint:
        return services.receive(
            sub, actor=None, channel=kw.pop("channel", Channel.WEB), received_at=_ago(days), **kw
        ).complaint

    # 1. The documented report: clue → case → fine → closed → reward approved.
    report = receive(_sub(entities[0]), 40, number=DEMO_NUMBER, query_code=DEMO_CODE)
    report = services.make_clue(actor=officer, complaint=report)
    case = report.case
    assert case is not None  # noqa: S101 (make_clue links the case)
    enforcement.begin_verification(actor=officer, case=case, officers=[officer, staff.officer2])
    enforcement.file_case(actor=head, case=case, opinion="同意立案")
    enforcement.add_evidence(
        actor=officer, case=case, kind="record", description="现场检查笔录及回收登记本复印件"
    )
    enforcement.propose_penalty(
        actor=officer,
        case=case,
        violation="当事人回收医保药品后再次销售，违反了《中华人民共和国药品管理法》的规定。",
        legal_basis="《中华人民共和国药品管理法》第一百二十九条",
        items=[ItemInput(kind=PenaltyKind.FINE, amount=Decimal("200000"))],
    )
    enforcement.submit_for_review(actor=officer, case=case)
    enforcement.review_case(
        actor=staff.reviewer,
        case=case,
        opinion="事实清楚，证据确凿。",
        conclusion=ReviewConclusion.APPROVE,
    )
    enforcement.issue_notice(actor=officer, case=case)
    enforcement.record_defence(actor=officer, case=case, kind=DefenceKind.WAIVER)
    decision = enforcement.decide_case(actor=head, case=case)
    enforcement.serve_decision(actor=officer, case=case)
    enforcement.record_payment(actor=officer, decision=decision, amount=Decimal("200000"))
    enforcement.close_case(actor=head, case=case, note="罚款已缴清，执行完毕。")
    deliver_due()  # the case's events flow back to the report now, not when the worker runs
    report.refresh_from_db()
    reward = services.propose_reward(actor=officer, complaint=report, tier="1")
    services.decide_reward(actor=head, reward=reward, approve=True)
    services.publish_outcome(
        actor=head,
        complaint=report,
        summary="群众举报某药店回收医保药品再销售，经查属实，依法处以罚款20万元，并对举报人给予奖励。",
    )
    made = 1

    # 2. Complaints in each state.
    def c(entity: Entity, **over: Any) -> services.Submission:
        data: dict[str, Any] = {
            "kind": Kind.COMPLAINT,
            "topic": Topic.DRUG_QUALITY,
            "summary": "购买的药品包装破损且已过期，要求退货赔偿，商家拒绝。",
        }
        data.update(over)
        return _sub(entity, **data)

    receive(c(entities[1], phone="13800000001"), 2)  # received, on time
    receive(c(entities[2], phone="13800000002"), 12)  # received, overdue
    accepted = receive(c(entities[3], phone="13800000003"), 6)
    services.accept_complaint(actor=officer, complaint=accepted)
    refused = receive(
        _sub(
            entities[4],
            kind=Kind.COMPLAINT,
            topic=Topic.PRICE_SERVICE,
            phone="13800000004",
            summary="药店药品价格比别家贵，要求退差价。",
        ),
        5,
    )
    refused = services.refuse_complaint(
        actor=officer,
        complaint=refused,
        ground=RefusalGround.OUTSIDE_REMIT,
        reasons="价格争议不属于药品监督管理部门职责，请向发展改革部门反映。",
    )
    services.publish_outcome(
        actor=head,
        complaint=refused,
        summary="消费者反映药品价格问题，不属于本部门职责，已告知向价格主管部门反映。",
    )
    mediated = receive(c(entities[5], phone="13800000005"), 30)
    services.accept_complaint(actor=officer, complaint=mediated)
    mediated = services.end_mediation(
        actor=officer, complaint=mediated, agreed=True, reasons="经调解，商家同意退货并赔偿。"
    )
    services.publish_outcome(
        actor=head, complaint=mediated, summary="消费者购买过期药品投诉，经调解商家退货并赔偿。"
    )
    failed = receive(c(entities[1], phone="13800000006", summary="药品服用后不适，要求赔偿。"), 25)
    services.accept_complaint(actor=officer, complaint=failed)
    services.end_mediation(
        actor=officer,
        complaint=failed,
        agreed=False,
        reasons="双方对赔偿金额分歧较大，调解不成，告知可依法提起诉讼。",
    )
    made += 6
    # 3. Reports in each state.
    receive(
        _sub(
            entities[2],
            is_anonymous=True,
            topic=Topic.PRESCRIPTION,
            summary="该店不凭处方销售处方药。",
        ),
        3,
    )
    clue = receive(
        _sub(
            entities[3],
            topic=Topic.UNLICENSED,
            phone="13800000007",
            summary="该店超范围经营，销售二类精神药品。",
        ),
        8,
    )
    services.make_clue(actor=officer, complaint=clue)
    not_opened = receive(
        _sub(
            entities[4],
            topic=Topic.ADVERTISING,
            phone="13800000008",
            summary="店门口广告宣称药品包治百病。",
        ),
        14,
    )
    not_opened = services.close_without_case(
        actor=officer, complaint=not_opened, reasons="经现场核查，未发现所述广告，不予立案。"
    )
    services.publish_outcome(
        actor=head, complaint=not_opened, summary="群众举报药店虚假广告，经现场核查未发现所述情况。"
    )
    receive(
        _sub(
            entities[5],
            topic=Topic.INSURANCE_FRAUD,
            phone="13800000009",
            summary="该店为参保人刷医保卡购买日用品。",
        ),
        4,
    )  # transferred to the bureau
    receive(
        _sub(entities[0], phone="13800000010", summary="药店收购医保药品再卖出，有回收登记。"), 20
    )
    receive(
        _sub(entities[0], phone="13800000010", summary="药店收购医保药品再卖出，有回收登记！"), 19
    )
    made += 6
    deliver_due()
    return made
