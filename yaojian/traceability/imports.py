"""Trace events as an exchange import source (``trace_events``, ADR 0025).

The exchange app reads the file (XLSX, or CSV in UTF-8 or GB18030), matches the headers (the
format's column names of ../shared/formats/trace-events.md, or the Chinese headers of the
template), refuses duplicates inside the file and keeps rejected rows with their reasons; each
row is checked here exactly as ``trace_ingest`` checks it (``engine/normalise.py``, reasons in
``reasons.py``). The clean rows are written as one CSV in the exchange format and ingested into
the trace store as one batch (``services.ingest_folder``, idempotent by the import batch), so
the rules, the incremental check and the alerts run as for any other ingest.

An event the store already holds is answered ``unchanged``. The store is files, not the
database: if the import fails after the ingest, its events stay stored and a new import of the
same file finds them (``unchanged``), nothing twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import duckdb
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentKind
from yaojian.exchange.applying import Outcome
from yaojian.exchange.choices import RowOutcome
from yaojian.exchange.plugins import ImportSource, register_source
from yaojian.exchange.rows import raw_text, reason
from yaojian.exchange.sources import Column
from yaojian.traceability import reasons as why
from yaojian.traceability.engine.codes import parse_trace_code
from yaojian.traceability.engine.normalise import COLUMNS as FORMAT_COLUMNS
from yaojian.traceability.engine.normalise import EVENT_TYPES

KIND = "trace_events"
EVENT_TYPE_LABELS = [
    ("produce", "生产赋码"),
    ("ship", "出库"),
    ("receive", "入库"),
    ("dispense", "发药/销售"),
    ("reverse", "冲正/退货"),
]
_TYPES = {v: v for v in EVENT_TYPES} | {z: v for v, z in EVENT_TYPE_LABELS}

COLUMNS = (
    Column("event_id", "事件编号", True, _("The event's own identifier, unique."), "E-000001"),
    Column(
        "trace_code",
        "药品追溯码",
        True,
        _("The pack's trace code as scanned: 20 digits, or a GS1 element string."),
        "81234567890123456789",
    ),
    Column(
        "event_type",
        "事件类型",
        True,
        _("produce, ship, receive, dispense or reverse."),
        "发药/销售",
        choices="trace_event_type",
    ),
    Column(
        "occurred_at",
        "发生时间",
        True,
        _("ISO 8601 with a UTC offset, e.g. 2026-03-05T14:21:09+08:00."),
        "2026-03-05T14:21:09+08:00",
    ),
    Column(
        "party_uscc",
        "发生单位统一社会信用代码",
        True,
        _("Where the event happens (18 characters, GB 32100)."),
        "91540102MA6T1X2Y0N",
    ),
    Column("party_region", "发生单位行政区划代码", True, _("Its 6-digit region code."), "540102"),
    Column(
        "counterparty_uscc",
        "对方单位统一社会信用代码",
        False,
        _("ship: the receiver; receive: the sender."),
        "",
    ),
    Column(
        "product_code", "批准文号", False, _("The drug's approval number."), "国药准字H20051234"
    ),
    Column("pack_units", "每包装最小单位数", False, _("Smallest units in one pack."), "10"),
    Column("units", "本次数量", False, _("Units this event concerns."), "10"),
    Column("unit_price_yuan", "单价（元）", False, _("Price of one unit."), "2.5"),
    Column(
        "insured_id",
        "参保人标识",
        False,
        _("dispense/reverse: the insured person's pseudonymous identifier."),
        "P-7f3a",
    ),
    Column("settlement_id", "结算编号", False, _("dispense/reverse: the settlement."), "S-1"),
    Column(
        "reverses_event_id",
        "冲正的事件编号",
        False,
        _("reverse: the event_id of the dispense it cancels."),
        "",
    ),
)


def _why(field: str, code: str) -> dict[str, str]:
    return reason(field, code, why.row_reason(code))


def _positive(v: Any, raw: dict[str, Any], key: str, reasons: list[Any]) -> int | None:
    text = raw_text(raw.get(key)).strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = 0
    if number <= 0 or number != int(number):
        reasons.append(_why(key, f"{key}_invalid"))
        return None
    return int(number)


def clean_row(v: Any, raw: dict[str, Any], out: dict[str, Any], reasons: list[Any]) -> None:
    """Check one event as ``trace_ingest`` does; the values are kept as sent."""
    from yaojian.traceability.services import region_ok, uscc_ok

    out["event_id"] = v._text(raw, "event_id", reasons, limit=100)
    if not out["event_id"]:
        reasons.append(_why("event_id", "event_id_missing"))
    code = raw_text(raw.get("trace_code")).strip()  # a GS1 code holds the GS control character
    parsed = parse_trace_code(code)
    if parsed.reason:
        reasons.append(_why("trace_code", parsed.reason))
    out["trace_code"] = code
    kind = _TYPES.get(v._text(raw, "event_type", reasons, limit=20).lower(), "")
    if not kind:
        reasons.append(_why("event_type", "event_type_invalid"))
    out["event_type"] = kind
    out["occurred_at"] = _instant(raw_text(raw.get("occurred_at")).strip(), reasons)
    for key in ("party_uscc", "counterparty_uscc"):
        value = v._text(raw, key, reasons, limit=18).upper()
        out[key] = value
        if key == "party_uscc" and not value:
            reasons.append(_why(key, "party_uscc_missing"))
        elif value and not uscc_ok(value):
            reasons.append(_why(key, f"{key}_invalid"))
    if kind in ("ship", "receive") and not out["counterparty_uscc"]:
        reasons.append(_why("counterparty_uscc", "counterparty_missing"))
    out["party_region"] = v._text(raw, "party_region", reasons, limit=6)
    if not region_ok(out["party_region"]):
        reasons.append(_why("party_region", "party_region_invalid"))
    out["product_code"] = v._text(raw, "product_code", reasons, limit=64)
    out["pack_units"] = _positive(v, raw, "pack_units", reasons)
    out["units"] = _positive(v, raw, "units", reasons)
    out["unit_price_yuan"] = v._text(raw, "unit_price_yuan", reasons, limit=20)
    for key in ("insured_id", "settlement_id", "reverses_event_id"):
        out[key] = v._text(raw, key, reasons, limit=100)
    if kind in ("dispense", "reverse") and not out["insured_id"]:
        reasons.append(_why("insured_id", "insured_id_missing"))
    if kind == "reverse" and not out["reverses_event_id"]:
        reasons.append(_why("reverses_event_id", "reverses_event_id_missing"))


def _instant(text: str, reasons: list[Any]) -> str:
    """The instant as sent, if it is ISO 8601 with an offset (a spreadsheet date is not)."""
    try:
        value = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        reasons.append(_why("occurred_at", "occurred_at_invalid"))
        return text
    if value.tzinfo is None:
        reasons.append(_why("occurred_at", "occurred_at_without_offset"))
    return text


def apply_rows(*, batch: Any, rows: list[Any], actor: Any) -> list[Outcome]:
    """Ingest the clean rows into the trace store as one batch; one outcome per row."""
    from yaojian.traceability import services

    store = services.store()
    ids = [row.record_key for row in rows]
    known = _known_ids(store, ids)
    with tempfile.TemporaryDirectory(prefix="trace-exchange-") as tmp:
        folder = Path(tmp)
        with (folder / "events.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=FORMAT_COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {c: "" if row.payload[c] is None else row.payload[c] for c in FORMAT_COLUMNS}
                )
        ingest, _created = services.ingest_folder(
            actor=actor,
            folder=folder,
            idempotency_key=f"exchange-{batch.public_id}",
            source="exchange",
        )
    refused = _refused_by_store(ingest.rejected_file)
    outcomes = []
    for row in rows:
        if row.record_key in refused:
            codes = refused[row.record_key]
            outcomes.append(
                Outcome(
                    row.line,
                    RowOutcome.REJECTED,
                    row.record_key,
                    reasons=[_why("event_id", c) for c in codes],
                )
            )
        elif row.record_key in known:
            outcomes.append(Outcome(row.line, RowOutcome.UNCHANGED, row.record_key))
        else:
            outcomes.append(Outcome(row.line, RowOutcome.ACCEPTED, row.record_key))
    return outcomes


def _known_ids(store: Any, ids: list[str]) -> set[str]:
    if not ids or not store.has_events():
        return set()
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE wanted AS SELECT unnest(?::VARCHAR[]) AS event_id", [ids])
    rows = con.execute(
        f"SELECT DISTINCT h.event_id FROM {store.history_source()} h "  # noqa: S608
        "SEMI JOIN wanted w ON w.event_id = h.event_id"
    ).fetchall()
    return {r[0] for r in rows}


def _refused_by_store(path: str) -> dict[str, list[str]]:
    if not path or not Path(path).is_file():
        return {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return {
            r["event_id"]: r["reason_codes"].split(";")
            for r in csv.DictReader(handle)
            if r.get("event_id")
        }


SOURCE = ImportSource(
    kind=KIND,
    label=_("Drug trace events"),
    columns=COLUMNS,
    uploaders=frozenset({DepartmentKind.MEDICAL_INSURANCE, DepartmentKind.DRUG_REGULATOR}),
    clean=clean_row,
    record_key=lambda payload: payload["event_id"],
    apply=apply_rows,
    choice_lists={"trace_event_type": lambda: EVENT_TYPE_LABELS},
)


def register() -> None:
    register_source(SOURCE)
