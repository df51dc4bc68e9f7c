"""Builders for the portal tests: enforcement's event payloads and typical cases."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from decimal import Decimal
from typing import Any

from yaojian.enforcement.events import CaseDecided, DecisionChanged, PenaltyPublication

_numbers = itertools.count(1)


def penalty(department: Any, **overrides: Any) -> PenaltyPublication:
    """A ``PenaltyPublication`` of ``department``: an organisation fined 50,000 yuan."""
    number = next(_numbers)
    values: dict[str, Any] = {
        "decision_public_id": uuid.uuid4(),
        "decision_number": f"城市监药罚〔2025〕{number}号",
        "decided_on": dt.date(2025, 9, 26),
        "department_id": department.pk,
        "department_name": department.name,
        "region_code": department.region_id,
        "party_name": f"拉萨市康宁大药房有限公司{number}",
        "party_credit_code": "91540100MA6T3XYZ0A",
        "party_is_person": False,
        "legal_representative": "王建国",
        "violation": "销售劣药。",
        "legal_basis": "《中华人民共和国药品管理法》第一百一十七条",
        "penalty_summary": "罚款人民币50000元，没收违法所得。",
        "penalty_kinds": ("fine", "confiscation"),
        "fine_amount": Decimal("50000"),
        "confiscated_amount": Decimal("1200"),
        "simple_procedure": False,
        "restriction_years": None,
        "entity_public_id": uuid.uuid4(),
    }
    values.update(overrides)
    return PenaltyPublication(**values)


def person_penalty(department: Any, **overrides: Any) -> PenaltyPublication:
    """A natural person's penalty, with personal data in the text."""
    values: dict[str, Any] = {
        "party_name": "张三丰",
        "party_credit_code": "",
        "party_is_person": True,
        "legal_representative": "",
        "violation": (
            "张三丰（身份证号540102199001011233，电话13912345678）在拉萨市城关区北京中路"
            "12号无证销售药品。"
        ),
        "penalty_summary": "对张三丰罚款人民币5000元。",
        "penalty_kinds": ("fine",),
        "fine_amount": Decimal("5000"),
        "confiscated_amount": None,
    }
    values.update(overrides)
    return penalty(department, **values)


def case_decided(payload: PenaltyPublication | None, department: Any) -> CaseDecided:
    return CaseDecided(
        case_id=1,
        case_public_id=uuid.uuid4(),
        number="城市监药立〔2025〕1号",
        department_id=department.pk,
        region_code=department.region_id,
        entity_id=None,
        decision_id=1,
        publication=payload,
    )


def decision_changed(
    payload: PenaltyPublication,
    change: str,
    changed_on: dt.date,
    new: PenaltyPublication | None = None,
) -> DecisionChanged:
    return DecisionChanged(
        decision_public_id=payload.decision_public_id,
        change=change,
        changed_on=changed_on,
        department_id=payload.department_id,
        publication=new,
    )
