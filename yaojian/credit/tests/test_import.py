"""The ``credit_records`` import source: records from another department's file."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import TestCase

from yaojian.credit.choices import RecordKind, RecordOrigin
from yaojian.credit.models import CreditGrade, CreditRecord
from yaojian.exchange import services
from yaojian.exchange.models import RejectedRow
from yaojian.exchange.tests.factories import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "记录编号",
    "统一社会信用代码",
    "身份证号码",
    "记录类型",
    "法律依据",
    "日期",
    "到期日",
    "摘要",
]


def test_insurance_bureau_imports_credit_records(world: Any, user_in_department: Any) -> None:
    steward = user_in_department(role="data_steward", department=world.insurance_department)
    code = world.entity.unified_social_credit_code
    rows = [
        [
            "YB-1",
            code,
            "",
            "insurance_measure",
            "《医疗保障基金使用监督管理条例》第三十八条",
            "2026-03-01",
            "",
            "暂停结算",
        ],
        [
            "YB-2",
            "",
            world.person.id_number,
            "personnel_points",
            "医保发〔2024〕23号",
            "2026-03-02",
            "",
            "记6分",
        ],
        ["YB-3", "91540102MA0000000X", "", "penalty", "x", "2026-03-01", "", ""],  # bad code
        ["YB-4", code, "", "speeding", "x", "2026-03-01", "", ""],  # not a kind
        ["YB-5", code, "", "penalty", "x", "2099-03-01", "", ""],  # in the future
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = services.start_import(
            actor=steward,
            kind="credit_records",
            data=xlsx_bytes(HEADERS, rows),
            file_name="yb.xlsx",
        )
    batch.refresh_from_db()
    assert (batch.accepted_count, batch.rejected_count) == (2, 3)
    assert sorted(CreditRecord.objects.values_list("kind", "origin")) == [
        (RecordKind.INSURANCE_MEASURE, RecordOrigin.IMPORT),
        (RecordKind.PERSONNEL_POINTS, RecordOrigin.IMPORT),
    ]
    assert CreditGrade.objects.get(entity=world.entity).score == 85
    codes = {
        r.line_number: [x["code"] for x in r.reasons]
        for r in RejectedRow.objects.filter(batch=batch)
    }
    assert codes[6] == ["future"]
    assert "invalid_choice" in codes[5]
