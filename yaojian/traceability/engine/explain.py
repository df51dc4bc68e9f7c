"""Flags in the published output format, with the one-line Chinese explanation per row.

The explanation is data of the exchange format (the format requires Chinese), written from the
columns every engine returns, so DuckDB and Spark produce byte-identical CSVs.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
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


def _place(code: Any, regions: Mapping[str, str]) -> str:
    """A region as the explanation names it: its name and code, or the code alone."""
    name = regions.get(str(code)) if code is not None else None
    return f"{name}（{code}）" if name else str(code)


def detail(flag: dict[str, Any], regions: Mapping[str, str] | None = None) -> str:
    """The one-line Chinese explanation of a flag; ``regions`` names region codes (R4)."""
    regions = regions or {}
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
            f"本机构位于{_place(flag['region2'], regions)}，于{when(flag['ts1'])}发药结算；"
            f"该盒此前最后一次入库是{when(flag['ts2'])}在{_place(flag['region1'], regions)}，"
            "其间无出库记录，疑似跨地市流转。"
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


def output_row(flag: dict[str, Any], regions: Mapping[str, str] | None = None) -> dict[str, str]:
    return {
        "rule": flag["rule"],
        "trace_code": flag["code"] or "",
        "insured_id": flag["insured"] or "",
        "party_uscc": flag["party"] or "",
        "detail": detail(flag, regions),
    }


def flag_regions(flags: Iterable[dict[str, Any]]) -> set[str]:
    """The region codes the flags' explanations mention."""
    return {str(f[k]) for f in flags for k in ("region1", "region2") if f.get(k) is not None}


def write_flags(
    flags: Iterable[dict[str, Any]], path: Path, regions: Mapping[str, str] | None = None
) -> int:
    """The flags as the published CSV; ``regions`` names the region codes (the platform's
    register: ``manage.py trace_scan``; without it, as the Spark job on a cluster writes them,
    the codes alone)."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS)
        writer.writeheader()
        for flag in flags:
            writer.writerow(output_row(flag, regions))
            count += 1
    return count
