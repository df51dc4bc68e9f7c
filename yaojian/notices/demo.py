"""Demo data for the notices app: problems and notices in varied states (province 54).

The demo app calls :func:`seed_demo_notices` after the departments and entities exist.
"""

from __future__ import annotations

import random
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from yaojian.accounts.models import Department
from yaojian.notices import services
from yaojian.notices.choices import NoticeState
from yaojian.notices.models import Notice, ProblemCategory
from yaojian.registry.models import Entity

DESCRIPTIONS = {
    "counterfeit_drug": "群众举报该单位销售的阿莫西林胶囊无批准文号，现场抽检疑为假药。",
    "substandard_drug": "抽检发现该单位在售的复方丹参片含量不合格。",
    "insurance_fraud": "追溯码比对发现同一盒药品在两家定点机构重复结算，疑为回流药倒卖。",
    "prescription_violation": "检查发现该药店无处方销售处方药抗生素。",
    "expired_drug": "检查发现货架上有过期药品。",
    "tibetan_medicine_circulation": "景区商铺销售无批准文号的“藏药”产品。",
    "unlicensed_operation": "发现无药品经营许可证售药的摊点。",
}
ANSWERS = [
    "已核查，涉事批次药品已全部封存，未发现患者使用。",
    "已对相关医保结算拒付并追回基金 3,678 元。",
    "已约谈负责人并责令整改。",
]


def seed_demo_notices(rng: random.Random, *, province: str = "54", count: int = 36) -> int:
    """Record ``count`` problems in province ``province`` and move their notices through
    the inbox (some unread, read, acknowledged, answered, closed). Returns problems made."""
    reporters = list(
        Department.objects.filter(
            kind="drug_regulator", is_active=True, region__code__startswith=province
        ).order_by("code")
    )
    entities = list(
        Entity.objects.filter(region__code__startswith=province).order_by("id")[: count * 3]
    )
    categories = list(ProblemCategory.objects.filter(code__in=DESCRIPTIONS).order_by("code"))
    if not reporters or not entities or not categories:
        return 0
    # Every third problem concerns an entity of the demo ``insurance`` account's county, so
    # that account receives the pushes its bureau's routing rules send.
    from yaojian.accounts.models import Membership

    home = (
        Membership.objects.filter(user__username="insurance", is_active=True)
        .values_list("department__region_id", flat=True)
        .first()
    )
    # Pharmacies: the kinds the insurance and health rules name (a county's first entities by
    # id are often manufacturers or wholesalers, which no insurance rule routes).
    local = (
        list(
            Entity.objects.filter(
                region_id=home, kind__in=["single_pharmacy", "chain_store"]
            ).order_by("id")[:count]
        )
        if home
        else []
    ) or entities
    made = 0
    for index in range(count):
        entity = rng.choice(local if index % 3 == 0 else entities)
        covering = [d for d in reporters if entity.region_id.startswith(d.region_id.rstrip("0"))]
        department = max(covering, key=lambda d: len(d.region_id.rstrip("0"))) if covering else None
        if department is None:
            continue
        category = rng.choice(categories)
        try:
            problem = services.record_problem(
                actor=None,
                department=department,
                category=category.code,
                description=DESCRIPTIONS[category.code],
                entity=entity,
                personal_data=[{"role": "complainant", "name": "次仁", "phone": "13900001111"}]
                if rng.random() < 0.3
                else [],
            )
        except (ValidationError, PermissionDenied):
            continue
        made += 1
        for notice in problem.notices.all():
            _advance(rng, notice)
    return made


def _advance(rng: random.Random, notice: Notice) -> Any:
    target = rng.choice(list(NoticeState.values))
    order = [NoticeState.READ, NoticeState.ACKNOWLEDGED, NoticeState.ANSWERED, NoticeState.CLOSED]
    for state in order:
        if NoticeState.values.index(target) < NoticeState.values.index(state):
            break
        if state == NoticeState.READ:
            notice = services.view_notice(actor=None, notice=notice)
            notice = services.transition_notice(actor=None, notice=notice, to_state=state)
        elif state == NoticeState.ANSWERED:
            notice = services.answer_notice(actor=None, notice=notice, answer=rng.choice(ANSWERS))
        else:
            notice = services.transition_notice(actor=None, notice=notice, to_state=state)
    return notice
