"""Helpers for the exchange tests: files made with openpyxl and csv (real files, no mocks)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from yaojian.registry.identifiers import make_drug_distribution_licence_number
from yaojian.registry.tests.factories import uscc_for

LICENCE_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "企业类型",
    "行政区划代码",
    "地址",
    "法定代表人",
    "许可证类型",
    "许可证编号",
    "有效期起",
    "有效期至",
    "许可状态",
]


def licence_number(n: int) -> str:
    return make_drug_distribution_licence_number("54", "DA", "8910", n)


def licence_row(n: int, **overrides: Any) -> list[Any]:
    """A valid licence-register row for the n-th pharmacy in 城关区 (540102)."""
    values = {
        "name": f"拉萨康达大药房{n}号店",
        "uscc": uscc_for(n + 5000),
        "kind": "single_pharmacy",
        "region": "540102",
        "address": f"城关区北京中路{n}号",
        "legal": "扎西",
        "licence_kind": "drug_distribution",
        "number": licence_number(n),
        "valid_from": "2025-01-05",
        "valid_until": "2030-01-04",
        "status": "valid",
    }
    values.update(overrides)
    return list(values.values())


def xlsx_bytes(headers: Sequence[Any], rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    headers: Sequence[Any], rows: Sequence[Sequence[Any]], encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)
