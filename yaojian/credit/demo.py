"""Demo credit files: graded entities, positive and negative records, two serious-dishonesty
listings (one published), a banned legal representative, a repair in progress and ledger
entries. Called by the demo generator after the cases exist; through the services, so audit,
notices and grades are real."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from yaojian.accounts.choices import Role
from yaojian.accounts.models import Membership
from yaojian.credit import grades, services
from yaojian.credit.choices import LedgerState, RecordKind
from yaojian.credit.models import CreditRecord, LedgerEntry, Listing
from yaojian.registry.models import Entity, EntityPerson

BASIS = {
    RecordKind.PENALTY: "《药品管理法》第一百二十六条",
    RecordKind.HEAVY_PENALTY: "《药品管理法》第一百一十六条",
    RecordKind.INSPECTION_PASSED: "《药品经营和使用质量监督管理办法》",
    RecordKind.TRAINING: "药品安全培训记录",
    RecordKind.CLEAN_YEAR: "《药品管理法》第一百零五条",
    RecordKind.HEALTH_FINDING: "《处方管理办法》第五十四条",
    RecordKind.PRACTICE_BAN: "《药品管理法》第一百一十八条",
}


def seed_demo_credit() -> dict[str, int]:
    """Returns counts; does nothing when listings exist or a demo account is missing."""
    if Listing.objects.exists():
        return {}
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=("caseofficer", "head", "insurance", "health")
        )
    }
    if len(users) < 4:
        return {}
    officer, head = users["caseofficer"], users["head"]
    membership = (
        Membership.objects.filter(user=officer, is_active=True).select_related("department").first()
    )
    if membership is None:
        return {}
    department = membership.department
    city_head = (
        Membership.objects.filter(
            is_active=True,
            role=Role.DEPARTMENT_HEAD,
            department__kind=department.kind,
            department__region_id=department.region.parent_id,
        )
        .select_related("user")
        .first()
    )
    today = timezone.localdate()
    entities = list(Entity.objects.filter(region_id=department.region_id).order_by("id")[:40])
    if len(entities) < 10 or city_head is None:
        return {}
    kinds = [
        RecordKind.INSPECTION_PASSED,
        RecordKind.TRAINING,
        RecordKind.CLEAN_YEAR,
        RecordKind.PENALTY,
        RecordKind.HEALTH_FINDING,
    ]
    made = 0
    for n, entity in enumerate(entities[4:34]):
        kind = kinds[n % len(kinds)]
        services.create_record(
            actor=officer,
            entity=entity,
            kind=kind,
            legal_basis=BASIS[kind],
            occurred_on=today - dt.timedelta(days=30 + 11 * n),
        )
        made += 1
    listed = 0
    for n, entity in enumerate(entities[:2]):
        penalty = services.create_record(
            actor=officer,
            entity=entity,
            kind=RecordKind.HEAVY_PENALTY,
            legal_basis=BASIS[RecordKind.HEAVY_PENALTY],
            occurred_on=today - dt.timedelta(days=10 + n),
            conduct="counterfeit",
            summary="销售假药，吊销药品经营许可证",
        )
        listing = services.propose_listing(
            actor=officer,
            item=penalty,
            reasons="销售假药，货值金额较大，性质恶劣、情节严重，社会危害较大。",
        )
        services.approve_listing(actor=city_head.user, listing=listing)
        if n == 0:
            services.publish_listing(actor=officer, listing=listing)
        listed += 1
    # The first listed pharmacy's legal representative is banned (处罚到人).
    link = (
        EntityPerson.objects.filter(entity=entities[0], role="legal_representative")
        .select_related("person")
        .first()
    )
    banned = 0
    if link is not None:
        services.create_record(
            actor=officer,
            person=link.person,
            kind=RecordKind.PRACTICE_BAN,
            legal_basis=BASIS[RecordKind.PRACTICE_BAN],
            occurred_on=today - dt.timedelta(days=10),
            expires_on=today - dt.timedelta(days=10) + dt.timedelta(days=3650),
            summary="十年内禁止从事药品生产经营活动",
        )
        banned = 1
    # A repair in progress: an ordinary penalty more than a year old.
    old = services.create_record(
        actor=officer,
        entity=entities[3],
        kind=RecordKind.PENALTY,
        legal_basis=BASIS[RecordKind.PENALTY],
        occurred_on=today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=700),
        conduct="no_traceability",
    )
    repairs = 0
    try:
        services.apply_for_repair(
            actor=officer,
            item=old,
            penalty_complied=True,
            harm_remedied=True,
            statement="已足额缴纳罚款，已建立追溯制度并通过复查。",
        )
        repairs = 1
    except ValidationError:  # a demo province without the conditions: no repair
        repairs = 0
    # The insurance bureau confirms one measure.
    entry = LedgerEntry.objects.filter(
        department__memberships__user=users["insurance"], state=LedgerState.PENDING
    ).first()
    if entry is not None:
        services.record_execution(
            actor=users["insurance"],
            entry=entry,
            state=LedgerState.APPLIED,
            evidence="已解除医保定点服务协议（协议编号 YB-2026-017）",
        )
    grades.recompute()
    return {
        "credit_records": CreditRecord.objects.count(),
        "listings": listed,
        "banned_persons": banned,
        "repairs": repairs,
        "records_made": made,
        "heads": 1 if head else 0,
    }
