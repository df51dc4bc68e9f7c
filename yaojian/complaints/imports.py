"""The 12345/12315 hand-off files as an exchange import source (``complaints_12315``, ADR 0025):
the exchange app reads, checks columns and keeps rejected rows; each clean row is received here
like any other complaint (routing, duplicates, clocks). A ticket imported twice is unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.complaints.choices import Channel, Kind, Topic
from yaojian.complaints.models import Complaint
from yaojian.complaints.services.intake import Submission, receive
from yaojian.exchange.applying import Outcome
from yaojian.exchange.choices import RowOutcome
from yaojian.exchange.plugins import ImportSource, register_source
from yaojian.exchange.rows import reason
from yaojian.exchange.sources import DATE_RULE, REGION_RULE, Column

KIND = "complaints_12315"
HOTLINES = [(Channel.HOTLINE_12315.value, "12315"), (Channel.HOTLINE_12345.value, "12345")]
KINDS = [(Kind.COMPLAINT.value, "投诉"), (Kind.REPORT.value, "举报")]
YES_NO = [("yes", "是"), ("no", "否")]
TOPICS_ZH = {
    Topic.DRUG_QUALITY: "药品质量",
    Topic.RECYCLED_DRUGS: "回流药",
    Topic.UNLICENSED: "无证经营",
    Topic.PRESCRIPTION: "处方药违规销售",
    Topic.DEVICES_COSMETICS: "医疗器械化妆品",
    Topic.ADVERTISING: "虚假广告",
    Topic.PRICE_SERVICE: "价格服务纠纷",
    Topic.INSURANCE_FRAUD: "欺诈骗保",
    Topic.MEDICAL_SERVICE: "医疗服务",
    Topic.OTHER: "其他",
}

COLUMNS = (
    Column("ticket", "工单编号", True, _("The hotline's ticket number."), "12315-2026-000123"),
    Column("hotline", "来源", True, _("12315 or 12345."), "12315", choices="hotline"),
    Column("kind", "类别", True, _("Complaint or report."), "举报", choices="kind"),
    Column("topic", "事项类别", True, _("What the matter is about."), "回流药", choices="topic"),
    Column("subject_name", "被投诉举报对象", True, _("The business or person."), "康宁药店"),
    Column("subject_address", "对象地址", False, _("Its address."), "拉萨市城关区北京中路1号"),
    Column("region_code", "行政区划代码", True, REGION_RULE, "540102"),
    Column("summary", "诉求内容", True, _("What happened, as written down."), "回收医保药品再销售"),
    Column("occurred_on", "发生日期", False, DATE_RULE, "2026-11-20"),
    Column("products", "涉及产品", False, _("Products concerned."), "阿托伐他汀钙片"),
    Column("anonymous", "是否匿名", False, _("Yes or no (reports only)."), "否", choices="yes_no"),
    Column("name", "姓名", False, _("The complainant's name (confidential)."), "张三"),
    Column("phone", "联系电话", False, _("Telephone (confidential)."), "13800000000"),
    Column("received_on", "登记日期", True, DATE_RULE, "2026-11-21"),
)


def _lookup(pairs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value, label in pairs:
        out[value.lower()] = value
        out[label.lower()] = value
    return out


def clean_row(v: Any, raw: dict[str, Any], out: dict[str, Any], reasons: list[Any]) -> None:
    out["ticket"] = v._text(raw, "ticket", reasons, limit=64)
    v._choice(raw, "hotline", _lookup(HOTLINES), out, reasons)
    v._choice(raw, "kind", _lookup(KINDS), out, reasons)
    v._choice(raw, "topic", _lookup([(k.value, z) for k, z in TOPICS_ZH.items()]), out, reasons)
    out["subject_name"] = v._text(raw, "subject_name", reasons, limit=200)
    out["subject_address"] = v._text(raw, "subject_address", reasons, limit=200)
    out["region_code"] = v._region(raw, reasons)
    out["summary"] = v._text(raw, "summary", reasons, limit=4000, multiline=True)
    occurred = v._date(raw, "occurred_on", reasons)
    out["occurred_on"] = occurred.isoformat() if occurred else ""
    out["products"] = v._text(raw, "products", reasons, limit=500)
    if str(raw.get("anonymous") or "").strip():
        v._choice(raw, "anonymous", _lookup(YES_NO), out, reasons)
    out.setdefault("anonymous", "no")
    out["name"] = v._text(raw, "name", reasons, limit=64)
    out["phone"] = v._text(raw, "phone", reasons, limit=32)
    received = v._date(raw, "received_on", reasons)
    out["received_on"] = received.isoformat() if received else ""
    for key in ("ticket", "subject_name", "summary"):
        if not out.get(key):
            reasons.append(reason(key, "required", _("This column is required.")))
    if received is None and not any(r.get("field") == "received_on" for r in reasons):
        reasons.append(reason("received_on", "required", _("This column is required.")))


def _errors(exc: ValidationError) -> list[dict[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            reason(field if field != "__all__" else "ticket", "invalid", message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [reason("ticket", "invalid", message) for message in exc.messages]


def apply_rows(*, batch: Any, rows: list[Any], actor: Any) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for row in rows:
        p = row.payload
        if Complaint.objects.filter(channel=p["hotline"], external_reference=p["ticket"]).exists():
            outcomes.append(Outcome(row.line, RowOutcome.UNCHANGED, row.record_key))
            continue
        received = dt.datetime.combine(
            dt.date.fromisoformat(p["received_on"]),
            dt.time(9),
            tzinfo=timezone.get_current_timezone(),
        )
        sub = Submission(
            kind=p["kind"],
            topic=p["topic"],
            summary=p["summary"],
            subject_name=p["subject_name"],
            subject_address=p["subject_address"],
            region_code=p["region_code"],
            occurred_on=dt.date.fromisoformat(p["occurred_on"]) if p["occurred_on"] else None,
            products=p["products"],
            is_anonymous=p["anonymous"] == "yes",
            name=p["name"],
            phone=p["phone"],
        )
        try:
            receipt = receive(
                sub,
                actor=actor,
                channel=p["hotline"],
                external_reference=p["ticket"],
                received_at=min(received, timezone.now()),
                staff=True,
            )
        except ValidationError as exc:
            outcomes.append(
                Outcome(row.line, RowOutcome.REJECTED, row.record_key, reasons=_errors(exc))
            )
            continue
        outcomes.append(
            Outcome(
                row.line, RowOutcome.ACCEPTED, row.record_key, entity_id=receipt.complaint.entity_id
            )
        )
    return outcomes


SOURCE = ImportSource(
    kind=KIND,
    label=_("12345/12315 complaint hand-offs"),
    columns=COLUMNS,
    uploaders=frozenset({DepartmentKind.DRUG_REGULATOR, DepartmentKind.MARKET_REGULATOR}),
    clean=clean_row,
    record_key=lambda payload: f"{payload['hotline']}:{payload['ticket']}",
    apply=apply_rows,
    choice_lists={
        "hotline": lambda: HOTLINES,
        "kind": lambda: KINDS,
        "topic": lambda: [(k.value, z) for k, z in TOPICS_ZH.items()],
        "yes_no": lambda: YES_NO,
    },
)


def register() -> None:
    register_source(SOURCE)
