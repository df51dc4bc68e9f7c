"""Flags in the published output format, with the one-line Chinese explanation per row.

The explanation is data of the exchange format (the format requires Chinese), written from the
columns every engine returns, so DuckDB and Spark produce byte-identical CSVs.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from yaojian.traceability.engine.rules import FLAG_COLUMNS

OUTPUT_COLUMNS = ("rule", "trace_code", "insured_id", "party_uscc", "detail")
CST = dt.timezone(dt.timedelta(hours=8))

RULE_NAMES = {
    "R1": "重复结算",
    "R2": "先销后进",
    "R3": "无来源发药",
    "R4": "跨地市跳转",
    "R6": "超量购药",
}


def when(micros: Any) -> str:
    if micros is None:
        return "—"
    instant = dt.datetime.fromtimestamp(int(micros) / 1_000_000, tz=CST)
    return instant.strftime("%Y-%m-%d %H:%M")


def _num(value: Any) -> str:
    if value is None:
        return "?"
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:.2f}"


def detail(flag: dict[str, Any]) -> str:
    rule = flag["rule"]
    if rule == "R1":
        text = (
            f"该盒药品净结算{flag['n_settle']}次，累计{_num(flag['units'])}个最小单位"
            f"（整盒{_num(flag['pack_units'])}个），涉及{flag['n_inst']}家机构；"
            f"最后一次净结算在{when(flag['ts2'])}，疑似重复结算（回流药或串换），请核查进货票据。"
        )
    elif rule == "R2":
        text = (
            f"本机构于{when(flag['ts1'])}扫码发药结算，早于该盒在本机构首次入库扫码"
            f"（{when(flag['ts2'])}）超过10分钟，疑似先销后进。"
        )
    elif rule == "R3":
        text = (
            f"本机构于{when(flag['ts1'])}扫码发药结算，但既无该盒入库记录，也无任何企业向本机构"
            "出库该盒，来源不明，请调取随货同行单。"
        )
    elif rule == "R4":
        text = (
            f"本机构（{flag['region2']}）于{when(flag['ts1'])}发药结算，该盒此前最后一次入库在"
            f"{flag['region1']}（{when(flag['ts2'])}），其间无出库记录，疑似跨地市流转。"
        )
    else:
        text = (
            f"该参保人在30日内净结算同一药品（{flag['product']}）共{_num(flag['packs'])}盒，"
            f"超过10盒，于{when(flag['ts1'])}在本机构越过阈值，疑似超量购药或倒卖。"
        )
    return f"{RULE_NAMES[rule]}：{text}"


def as_dicts(rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(FLAG_COLUMNS, row, strict=True)) for row in rows]


def sort_key(flag: dict[str, Any]) -> tuple[str, str, str, str]:
    return (flag["rule"], flag["code"] or "", flag["insured"] or "", flag["party"] or "")


def normalise_values(flag: dict[str, Any]) -> dict[str, Any]:
    """Python types independent of the engine (DuckDB's HUGEINT sums, Spark's Decimal)."""
    out = dict(flag)
    for key in ("n_settle", "units", "pack_units", "n_inst", "ts1", "ts2"):
        if out[key] is not None:
            out[key] = int(out[key])
    if out["packs"] is not None:
        out["packs"] = round(float(out["packs"]), 3)
    return out


def output_row(flag: dict[str, Any]) -> dict[str, str]:
    return {
        "rule": flag["rule"],
        "trace_code": flag["code"] or "",
        "insured_id": flag["insured"] or "",
        "party_uscc": flag["party"] or "",
        "detail": detail(flag),
    }


def write_flags(flags: Iterable[dict[str, Any]], path: Path) -> int:
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS)
        writer.writeheader()
        for flag in flags:
            writer.writerow(output_row(flag))
            count += 1
    return count
