"""XLSX files the exchange app writes: the published templates and the error reports.

No cell ever carries a live formula: text starting with =, +, -, @ (or a tab or carriage
return) is written with a leading apostrophe.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from yaojian.core.spreadsheets import neutralise
from yaojian.exchange.sources import allowed_values, columns_for

REPORT_DIR = "exchange/reports"


def template_xlsx(kind: str) -> bytes:
    """The published template: Chinese headers (required ones marked *), a sample row that
    passes the template's own validation, the header row frozen, a dropdown of Chinese labels
    on every coded column, a sheet with each column's rule and a sheet with every allowed
    value (code and Chinese label) of the coded columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = columns_for(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append([c.header + ("*" if c.required else "") for c in columns])
    sheet.append([neutralise(c.sample) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        for row in (2,):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    values_sheet = workbook.create_sheet("可选值")
    values_sheet.append(["列", "代码", "名称"])
    lists: dict[str, str] = {}
    for column in columns:
        if not column.choices or column.choices in lists:
            continue
        start = values_sheet.max_row + 1
        for code, label in allowed_values(column.choices):
            values_sheet.append([column.header, code, label])
        lists[column.choices] = f"'可选值'!$C${start}:$C${values_sheet.max_row}"
    for index, column in enumerate(columns, start=1):
        if not column.choices:
            continue
        letter = sheet.cell(row=1, column=index).column_letter
        dropdown = DataValidation(
            type="list",
            formula1=lists[column.choices],
            allow_blank=not column.required,
            showErrorMessage=False,  # codes and English names are accepted too
        )
        dropdown.prompt = "请从下拉列表选择（也可填写代码）"
        dropdown.showInputMessage = True
        sheet.add_data_validation(dropdown)
        dropdown.add(f"{letter}2:{letter}10000")
    values_sheet.freeze_panes = "A2"
    for letter, width in (("A", 20), ("B", 26), ("C", 30)):
        values_sheet.column_dimensions[letter].width = width
    rules = workbook.create_sheet("填写说明")
    with translation.override(settings.LANGUAGE_CODE):
        rules.append([gettext("Column"), gettext("Required"), gettext("Rule"), gettext("Example")])
        for column in columns:
            rules.append(
                [
                    column.header,
                    gettext("Yes") if column.required else gettext("No"),
                    neutralise(str(column.rule)),
                    neutralise(column.sample),
                ]
            )
    rules.freeze_panes = "A2"
    for letter, width in (("A", 26), ("B", 8), ("C", 80), ("D", 26)):
        rules.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_error_report(
    relative: str, headers: list[str], keys: list[str | None], rows: Iterable[Any]
) -> str:
    """Write the rejected rows (line, original values, reasons) to ``MEDIA_ROOT/relative``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误报告")
    with translation.override(settings.LANGUAGE_CODE):
        sheet.append([gettext("Line"), *[neutralise(h) for h in headers], gettext("Reasons")])
        for rejected in rows:
            sheet.append(
                [
                    rejected.line_number,
                    *[neutralise(rejected.values.get(key, "")) if key else "" for key in keys],
                    neutralise("；".join(r.get("message", "") for r in rejected.reasons)),
                ]
            )
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    workbook.save(partial)
    partial.replace(path)
    return relative


def report_path(relative: str) -> Path | None:
    """The absolute path of a stored report inside ``MEDIA_ROOT`` (``None`` if missing/outside)."""
    if not relative:
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate
