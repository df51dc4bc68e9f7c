"""12345/12315 hand-off files through the exchange import source ``complaints_12315``."""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from yaojian.accounts.choices import Role
from yaojian.complaints.choices import Channel, State
from yaojian.complaints.models import Complaint, ReporterIdentity
from yaojian.complaints.tests.conftest import member
from yaojian.exchange import services as exchange
from yaojian.exchange.choices import BatchStatus
from yaojian.exchange.models import RejectedRow
from yaojian.exchange.tests.factories import xlsx_bytes

HEADERS = [
    "工单编号",
    "来源",
    "类别",
    "事项类别",
    "被投诉举报对象",
    "对象地址",
    "行政区划代码",
    "诉求内容",
    "发生日期",
    "涉及产品",
    "是否匿名",
    "姓名",
    "联系电话",
    "登记日期",
]


def _row(ticket: str, **over: str) -> list[str]:
    data = {
        "工单编号": ticket,
        "来源": "12315",
        "类别": "举报",
        "事项类别": "回流药",
        "被投诉举报对象": "康宁药店",
        "对象地址": "",
        "行政区划代码": "540102",
        "诉求内容": f"工单{ticket}：回收医保药品再销售",
        "发生日期": "2026-11-20",
        "涉及产品": "",
        "是否匿名": "否",
        "姓名": "张三",
        "联系电话": f"1380000{ticket[-4:]}",
        "登记日期": "2026-11-21",
    }
    data.update(over)
    return [data[h] for h in HEADERS]


def _import(actor: Any, rows: list[list[str]]) -> Any:
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = exchange.start_import(
            actor=actor,
            kind="complaints_12315",
            data=xlsx_bytes(HEADERS, rows),
            file_name="12315.xlsx",
        )
    batch.refresh_from_db()
    return batch


def test_hand_off_file_is_received_routed_and_rejects_kept(world: Any) -> None:
    steward = member(world.county, Role.DATA_STEWARD)
    rows = [
        _row("T-0001"),
        _row("T-0002", 类别="投诉", 事项类别="价格服务纠纷", 来源="12345"),
        _row("T-0003", 行政区划代码="999999"),
        _row("T-0004", 诉求内容=""),
        _row("T-0005", 姓名="", 是否匿名="否"),  # a report needs a name unless anonymous
    ]
    batch = _import(steward, rows)
    assert batch.status == BatchStatus.APPLIED
    assert (batch.accepted_count, batch.rejected_count) == (2, 3)
    first = Complaint.objects.get(external_reference="T-0001")
    assert (first.channel, first.state, first.department) == (
        Channel.HOTLINE_12315,
        State.RECEIVED,
        world.county,
    )
    assert str(first.received_on) == "2026-11-21"
    assert Complaint.objects.get(external_reference="T-0002").channel == Channel.HOTLINE_12345
    assert ReporterIdentity.objects.get(complaint=first).name == "张三"
    assert RejectedRow.objects.filter(batch=batch).count() == 3
    again = _import(steward, [_row("T-0001")])
    assert again.accepted_count == 0
    assert Complaint.objects.filter(external_reference="T-0001").count() == 1
