"""The lab_results import source: failed results trigger, unknown samples are rejected rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TestCase

from yaojian.accounts.choices import Role
from yaojian.accounts.tests.factories import MembershipFactory, UserFactory
from yaojian.enforcement.models import Case
from yaojian.exchange import services as exchange
from yaojian.exchange.choices import BatchStatus
from yaojian.exchange.models import RejectedRow
from yaojian.exchange.tests.factories import xlsx_bytes
from yaojian.inspections import services

HEADERS = ["抽样编号", "检验结论", "报告日期", "检验报告编号", "不合格项目"]


def test_lab_results_file_applies_known_samples_and_keeps_unknown_ones(county: Any) -> None:
    steward = UserFactory(username="steward1")
    MembershipFactory(user=steward, department=county.department, role=Role.DATA_STEWARD)
    for n, entity in enumerate(county.entities[:2], start=1):
        services.record_sample(
            actor=county.inspectors[0],
            department=county.department,
            entity=entity,
            number=f"CJ-{n}",
            product_name="阿莫西林胶囊",
            sampled_on=dt.date(2026, 10, 1),
        )
    rows = [
        ["CJ-1", "合格", "2026-11-01", "LAB-1", ""],
        ["CJ-2", "不合格", "2026-11-01", "LAB-2", "含量测定"],
        ["CJ-999", "不合格", "2026-11-01", "LAB-3", "含量测定"],
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = exchange.start_import(
            actor=steward, kind="lab_results", data=xlsx_bytes(HEADERS, rows), file_name="lab.xlsx"
        )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED
    assert (batch.accepted_count, batch.rejected_count) == (2, 1)
    reasons = [r["code"] for r in RejectedRow.objects.get(batch=batch).reasons]
    assert reasons == ["unknown_sample"]
    case = Case.objects.get()
    assert (case.source, case.entity_id) == ("sampling", county.entities[1].pk)
