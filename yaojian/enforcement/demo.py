"""Demo data for enforcement: about fifty cases of one county market regulator, in every stage.

The demo app calls :func:`seed_demo_cases` after the departments, staff and entities exist::

    from yaojian.enforcement.demo import seed_demo_cases
    seed_demo_cases(rng)  # -> number of cases made

Every step goes through the services (so clocks, the step log, the audit chain, events and
notices are real). Only the first case renders its PDF documents (filing approval, notice,
decision); the others skip them — rendering embeds a CJK font and takes about a second each.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.accounts.models import Department, Membership, User
from yaojian.enforcement import access, services
from yaojian.enforcement.choices import (
    CaseStage,
    ClueSource,
    DefenceKind,
    MeasureKind,
    PauseReason,
    PenaltyKind,
    ReviewConclusion,
)
from yaojian.enforcement.models import Case, EnforcementCredential
from yaojian.enforcement.services import ItemInput
from yaojian.enforcement.services.outbound import documents_skipped
from yaojian.registry.choices import LicenceStatus
from yaojian.registry.models import Entity, Licence

logger = logging.getLogger(__name__)

# How many of the cases end in each stage (about fifty in all).
STAGES: tuple[tuple[str, int], ...] = (
    (CaseStage.CLUE, 7),
    (CaseStage.VERIFICATION, 8),
    (CaseStage.NOT_FILED, 3),
    (CaseStage.INVESTIGATION, 11),
    (CaseStage.REVIEW, 5),
    (CaseStage.NOTICE, 4),
    (CaseStage.HEARING, 2),
    (CaseStage.DECIDED, 3),
    (CaseStage.EXECUTION, 3),
    (CaseStage.CLOSED, 4),
)
ORDER = [stage for stage, _count in STAGES]

CLUES = (
    (ClueSource.SAMPLING, "抽检不合格：{entity}销售的阿莫西林胶囊含量不符合规定"),
    (ClueSource.COMPLAINT, "群众投诉：{entity}无处方销售处方药"),
    (ClueSource.INSPECTION, "日常检查发现{entity}货架陈列过期药品"),
    (ClueSource.TRACEABILITY, "追溯码异常：{entity}销售的药品追溯码重复扫码"),
    (ClueSource.RISK_WARNING, "风险预警：{entity}购进渠道不明的藏药制剂"),
    (ClueSource.DEPARTMENT_NOTICE, "医保局通报：{entity}串换药品结算"),
    (ClueSource.ASSISTANCE, "外省协查：{entity}涉嫌销售假冒医疗器械"),
)
EVIDENCE = (
    ("record", "现场检查笔录（2页）"),
    ("test_report", "药品检验报告书"),
    ("documentary", "购进票据及随货同行单复印件"),
    ("statement", "当事人询问笔录"),
    ("physical", "涉案药品（已先行登记保存）"),
)


@dataclass
class _Staff:
    department: Department
    inspector: User
    officer: User
    officer2: User
    head: User
    reviewer: User


def _staff(department_code: str) -> _Staff | None:
    department = Department.objects.filter(code=department_code).first()
    if department is None:
        return None
    users = {u.username: u for u in User.objects.filter(username__in=_DEMO_USERS)}
    if any(name not in users for name in _DEMO_USERS):
        return None
    second = (
        User.objects.filter(
            memberships__department=department,
            memberships__role=Role.CASE_OFFICER,
            memberships__is_active=True,
        )
        .exclude(pk=users["caseofficer"].pk)
        .order_by("username")
        .first()
    )
    if second is None:
        return None
    return _Staff(
        department=department,
        inspector=users["inspector"],
        officer=users["caseofficer"],
        officer2=second,
        head=users["head"],
        reviewer=users["reviewer"],
    )


_DEMO_USERS = ("inspector", "caseofficer", "head", "reviewer")


def grant_credentials(*, province: str = "54", today: dt.date | None = None) -> int:
    """Enforcement credentials (执法证) for every case officer of the market and drug
    regulators of ``province`` that holds none (the demo accounts can then file cases)."""
    today = today or timezone.localdate()
    holders = set(EnforcementCredential.objects.values_list("user_id", flat=True))
    user_ids = sorted(
        set(
            Membership.objects.filter(
                role=Role.CASE_OFFICER,
                is_active=True,
                department__kind__in=[
                    DepartmentKind.MARKET_REGULATOR,
                    DepartmentKind.DRUG_REGULATOR,
                ],
                department__region__code__startswith=province,
            ).values_list("user_id", flat=True)
        )
        - holders
    )
    EnforcementCredential.objects.bulk_create(
        EnforcementCredential(
            user_id=user_id,
            number=f"{province}{user_id:09d}",
            issued_on=today.replace(year=today.year - 2),
            valid_until=today.replace(year=today.year + 3),
        )
        for user_id in user_ids
    )
    return len(user_ids)


def seed_demo_cases(
    rng: random.Random,
    *,
    department_code: str = "SAMR-540102",
    province: str = "54",
    documents: bool = True,
) -> int:
    """About fifty cases of ``department_code`` in varied stages; returns the number made.

    With ``documents`` the last (closed) case renders its three PDFs; the others never do.

    Does nothing (returns 0) when the department or the demo accounts ``inspector``,
    ``caseofficer``, ``head`` and ``reviewer`` are missing, or when the department already
    has cases (running it twice adds nothing).
    """
    grant_credentials(province=province)
    staff = _staff(department_code)
    if staff is None or Case.objects.filter(department=staff.department).exists():
        return 0
    for user in (staff.inspector, staff.officer, staff.officer2, staff.head, staff.reviewer):
        access.forget(user)
    prefix = staff.department.region_id.rstrip("0") or staff.department.region_id
    entities = list(Entity.objects.filter(region__code__startswith=prefix).order_by("id")[:200])
    if not entities:
        return 0
    # The insurance bureau covering the department's own region, most local first (where the
    # demo ``insurance`` account works), else any of the province.
    from yaojian.territory.selectors import most_local_departments as covering

    local = covering(staff.department.region_id, (DepartmentKind.MEDICAL_INSURANCE,))
    partner = (
        local[0]
        if local
        else Department.objects.filter(
            kind=DepartmentKind.MEDICAL_INSURANCE, region__code__startswith=province
        )
        .order_by("code")
        .first()
    )
    remote = (
        Department.objects.filter(
            kind=DepartmentKind.MARKET_REGULATOR, region__code__startswith=province
        )
        .exclude(pk=staff.department.pk)
        .order_by("code")
        .first()
    )
    plan = [stage for stage, count in STAGES for _ in range(count)]
    made = 0
    for index, stage in enumerate(plan):
        entity = entities[index % len(entities)]
        try:
            if documents and index == len(plan) - 1:
                # The last case renders its documents (a few seconds): one of each kind.
                _make(rng, staff, entity, CaseStage.CLOSED, index, partner, remote)
            else:
                with documents_skipped():
                    _make(rng, staff, entity, stage, index, partner, remote)
        except (ValidationError, PermissionDenied, ObjectDoesNotExist) as exc:
            logger.warning("demo case %s (%s) stopped early: %s", index, stage, exc)
        made += 1
    return made


def _reached(stage: str, target: str) -> bool:
    """True if a case bound for ``target`` passes through ``stage``."""
    if target == CaseStage.NOT_FILED:
        return stage in (CaseStage.CLUE, CaseStage.VERIFICATION)
    return ORDER.index(target) >= ORDER.index(stage)


@transaction.atomic
def _make(
    rng: random.Random,
    staff: _Staff,
    entity: Entity,
    target: str,
    index: int,
    partner: Department | None,
    remote: Department | None,
) -> Case:
    today = timezone.localdate()
    source, title = CLUES[index % len(CLUES)]
    age = rng.randint(3, 25) if target in (CaseStage.CLUE, CaseStage.VERIFICATION) else 0
    case = services.record_clue(
        actor=staff.inspector if index % 2 else staff.officer,
        source=source,
        title=title.format(entity=entity.name),
        entity=entity,
        facts=title.format(entity=entity.name) + "。",
        source_reference=f"DEMO-{index + 1:03d}",
        clue_received_on=today - dt.timedelta(days=age or rng.randint(1, 80)),
        department=staff.department,
    )
    if target == CaseStage.CLUE:
        return case
    services.begin_verification(
        actor=staff.officer, case=case, officers=[staff.officer, staff.officer2]
    )
    if target == CaseStage.VERIFICATION:
        if index % 3 == 0:
            clock = case.clocks.get(kind="verification")
            extension = services.request_extension(
                actor=staff.officer, clock=clock, days="", reason="需等待检验结果"
            )
            services.decide_extension(actor=staff.head, extension=extension, approve=True)
        return case
    if target == CaseStage.NOT_FILED:
        services.decline_case(
            actor=staff.head, case=case, reason="违法事实不成立，不予立案（第20条）"
        )
        return case
    filed_on = max(case.clue_received_on, today - dt.timedelta(days=rng.randint(0, 85)))
    case = services.file_case(
        actor=staff.head,
        case=case,
        is_major=index % 9 == 0,
        filed_on=filed_on,
        opinion="同意立案",
    )
    for kind, description in rng.sample(EVIDENCE, k=rng.randint(1, 3)):
        services.add_evidence(actor=staff.officer, case=case, kind=kind, description=description)
    if index % 4 == 0:
        measure = services.apply_measure(
            actor=staff.officer,
            case=case,
            kind=MeasureKind.SEIZURE if index % 8 == 0 else MeasureKind.PRESERVATION,
            items="涉案药品 20 盒",
        )
        if index % 8 == 0:
            services.pause_clock(
                actor=staff.officer, clock=measure.clock, reason=PauseReason.TESTING
            )
    if partner is not None and index % 5 == 0:
        services.add_participant(actor=staff.officer, case=case, department=partner)
        services.create_task(
            actor=staff.officer,
            case=case,
            department=partner,
            description="核查当事人医保结算记录，涉及串换药品的予以拒付",
        )
    if remote is not None and index % 7 == 0:
        services.send_assistance_request(
            actor=staff.officer,
            case=case,
            to_department=remote,
            subject="协查供货单位资质及购销记录",
            questions="请核查涉案药品供货单位的经营资质、销售记录及随货同行单。",
        )
    if target == CaseStage.INVESTIGATION:
        return case
    items = _items(rng, case, staff, heavy=target in (CaseStage.HEARING, CaseStage.CLOSED))
    services.propose_penalty(
        actor=staff.officer,
        case=case,
        violation=f"当事人{case.party_name}{case.title.split('：')[-1]}，违反了《中华人民共和国药品管理法》的规定。",
        legal_basis="《中华人民共和国药品管理法》第一百一十七条",
        items=items,
    )
    services.submit_for_review(actor=staff.officer, case=case)
    if target == CaseStage.REVIEW:
        return case
    services.review_case(
        actor=staff.reviewer,
        case=case,
        opinion="事实清楚，证据确凿，程序合法，处罚适当。",
        conclusion=ReviewConclusion.APPROVE,
    )
    services.issue_notice(actor=staff.officer, case=case)
    if target == CaseStage.NOTICE:
        return case
    if target == CaseStage.HEARING:
        services.record_defence(
            actor=staff.officer,
            case=case,
            kind=DefenceKind.STATEMENT,
            text="当事人对处罚金额有异议，要求听证。",
            hearing_requested=True,
        )
        return case
    services.record_defence(actor=staff.officer, case=case, kind=DefenceKind.WAIVER)
    decision = services.decide_case(actor=staff.head, case=case, is_collective=case.is_major)
    if target == CaseStage.DECIDED:
        return case
    services.serve_decision(actor=staff.officer, case=case)
    if target == CaseStage.EXECUTION:
        return case
    fine = sum(
        (i.amount or Decimal(0) for i in decision.items.all() if i.kind == PenaltyKind.FINE),
        Decimal(0),
    )
    if fine:
        services.record_payment(actor=staff.officer, decision=decision, amount=fine)
    services.close_case(actor=staff.head, case=case, note="罚没款已缴清，执行完毕。")
    return case


def _items(rng: random.Random, case: Case, staff: _Staff, *, heavy: bool) -> list[ItemInput]:
    items = [ItemInput(kind=PenaltyKind.WARNING)] if rng.random() < 0.3 else []
    amount = (
        Decimal(rng.choice([150_000, 200_000])) if heavy else Decimal(rng.randint(5, 80) * 1000)
    )
    items.append(ItemInput(kind=PenaltyKind.FINE, amount=amount))
    if rng.random() < 0.4:
        items.append(
            ItemInput(kind=PenaltyKind.CONFISCATE_GAINS, amount=Decimal(rng.randint(1, 30) * 100))
        )
    if heavy and case.entity_id is not None:
        licence = (
            Licence.objects.filter(
                entity_id=case.entity_id, issued_by=staff.department, status=LicenceStatus.VALID
            )
            .order_by("id")
            .first()
        )
        if licence is not None:
            items.append(ItemInput(kind=PenaltyKind.REVOKE_LICENCE, licence=licence))
    return items
