"""Demo credit files: graded entities, positive and negative records, two serious-dishonesty
listings (one published), a banned legal representative, a repair in progress and ledger
entries, and the decisions checked at the other decision points (an insurance designation,
a licence-holder change, an honour and a 告知承诺制 approval, one honour with a head's
override). Called by the demo generator after the cases exist; through the services, so audit,
notices and grades are real."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from yaojian.accounts.choices import DepartmentKind, Role
from yaojian.accounts.models import Membership
from yaojian.credit import grades, services
from yaojian.credit.choices import LedgerState, RecordKind
from yaojian.credit.models import CreditRecord, LedgerEntry, Listing
from yaojian.credit.rules import DEFAULT_RULES
from yaojian.registry.choices import LicenceKind
from yaojian.registry.models import Entity, EntityPerson, Licence

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
    decisions = seed_demo_decisions(officer, head, department, entities)
    grades.recompute()
    return {
        **decisions,
        "credit_records": CreditRecord.objects.count(),
        "listings": listed,
        "banned_persons": banned,
        "repairs": repairs,
        "records_made": made,
        "heads": 1 if head else 0,
    }


def _steward(kind: str, region_ids: list[str]) -> Any:
    """A data steward of a ``kind`` department at one of ``region_ids`` (most local first)."""
    for region_id in region_ids:
        membership = (
            Membership.objects.filter(
                is_active=True,
                role=Role.DATA_STEWARD,
                department__kind=kind,
                department__region_id=region_id,
            )
            .select_related("user")
            .order_by("id")
            .first()
        )
        if membership is not None:
            return membership.user
    return None


def seed_demo_decisions(
    officer: Any, head: Any, department: Any, entities: list[Entity]
) -> dict[str, int]:
    """One decision at each of the newer decision points, taken through the services (so the
    restriction check runs and everything is audited): the insurance bureau designates a
    pharmacy, the regulator files a licence-holder change, the case officer records an honour
    and a 告知承诺制 approval, and the head grants an honour to a listed pharmacy with a
    recorded override (shown as "Restriction overridden")."""
    from yaojian.credit.checked_decisions import record_checked_decision
    from yaojian.registry.services import add_licence, change_licence_holder

    today = timezone.localdate()
    county = department.region_id
    regions = [county, department.region.parent_id or county, county[:2] + "0000"]
    made = dict.fromkeys(("designations", "holder_changes", "honours", "commitments"), 0)
    clear = list(
        Entity.objects.filter(region_id=county, unified_social_credit_code__isnull=False)
        .exclude(
            pk__in=CreditRecord.objects.filter(
                entity__isnull=False, kind__in=sorted(DEFAULT_RULES["restrictions"])
            ).values("entity_id")
        )
        .exclude(pk__in=[e.pk for e in entities[:4]])
        .order_by("-id")[:4]
    )
    if len(clear) < 4:
        return made
    bureau = _steward(DepartmentKind.MEDICAL_INSURANCE, regions)
    if bureau is not None:
        try:
            add_licence(
                actor=bureau,
                entity=clear[0],
                kind=LicenceKind.INSURANCE_AGREEMENT,
                number=f"P{county}9{today:%y}01",
                valid_from=today - dt.timedelta(days=7),
                valid_until=today + dt.timedelta(days=3 * 365),
            )
            made["designations"] = 1
        except ValidationError:  # the number is taken (a re-run): nothing to add
            pass
    licence = (
        Licence.objects.filter(entity__in=clear[1:], issued_by__kind=department.kind)
        .exclude(kind=LicenceKind.INSURANCE_AGREEMENT)
        .select_related("issued_by")
        .order_by("id")
        .first()
    )
    steward = (
        Membership.objects.filter(
            department_id=licence.issued_by_id, role=Role.DATA_STEWARD, is_active=True
        )
        .select_related("user")
        .order_by("id")
        .first()
        if licence is not None
        else None
    )
    holder = next((e for e in clear[1:] if licence and e.pk != licence.entity_id), None)
    if licence is not None and steward is not None and holder is not None:
        change_licence_holder(
            actor=steward.user,
            licence=licence,
            credit_code=holder.unified_social_credit_code or "",
            reason="企业吸收合并，许可证持有人由原企业变更为合并后企业。",
        )
        made["holder_changes"] = 1
    for entity, action, title in (
        (clear[3], "honour", f"{today.year}年度药品安全诚信经营示范单位"),
        (clear[1], "commitment", "药品经营许可证延续（告知承诺制）"),
    ):
        if entity.unified_social_credit_code:
            record_checked_decision(
                actor=officer,
                action=action,
                credit_code=entity.unified_social_credit_code,
                title=title,
                decided_on=today - dt.timedelta(days=3),
            )
            made["honours" if action == "honour" else "commitments"] += 1
    listed = entities[0]
    if listed.unified_social_credit_code:
        try:
            record_checked_decision(
                actor=head,
                action="honour",
                credit_code=listed.unified_social_credit_code,
                title="抗震救灾药品保供先进单位",
                override_reason="保供任务在列入名单前完成，经局务会研究予以表彰。",
            )
            made["honours"] += 1
        except ValidationError:  # the head may not override here: leave it out
            pass
    return made
