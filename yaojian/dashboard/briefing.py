"""The dashboard's figures as a workbook (XLSX) and a printable one-page briefing (PDF).

Both are written from the stored snapshot, so they show the figures the page shows, with the
time they were computed. The PDF uses the documents app's fonts (Noto CJK, with the common
subset when every character is in it).
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, pgettext

from yaojian.core.spreadsheets import neutralise
from yaojian.dashboard.models import Snapshot


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    keys = ["label", "value"]
    for row in rows:
        for key in row:
            if key not in keys and key not in ("key", "url", "all_url"):
                keys.append(key)
    return keys


def _heading(key: str) -> str:
    names = {
        "label": gettext("Item"),
        "value": gettext("Value"),
        "amount": gettext("Amount (yuan)"),
        "met": gettext("Stopped in time"),
        "late": gettext("Stopped late"),
        "overdue": gettext("Overdue"),
        "received": pgettext("count", "Received"),
        "answered": gettext("Answered"),
        "on_time": gettext("Answered in time"),
        "on_time_rate": gettext("Answered in time (%)"),
        "mean_days": gettext("Mean days to answer"),
    }
    return names.get(key, key)


def workbook(snapshot: Snapshot, figures: list[dict[str, Any]], region_name: str) -> bytes:
    """One sheet per figure, plus a cover sheet with the region and the time of computation."""
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = gettext("Briefing")[:31]
    cover.append([gettext("Region"), neutralise(region_name)])
    cover.append(
        [
            gettext("Figures computed at"),
            timezone.localtime(snapshot.computed_at).strftime("%Y-%m-%d %H:%M"),
        ]
    )
    for index, entry in enumerate(figures, start=1):
        figure, data = entry["figure"], entry["data"]
        sheet = book.create_sheet(title=f"{index}")
        sheet.append([neutralise(str(figure.title))])
        rows = data.get("rows", [])
        columns = _columns(rows)
        sheet.append([_heading(c) for c in columns])
        for row in rows:
            sheet.append([_value(row.get(c)) for c in columns])
        sheet.append([gettext("Total"), data.get("total", 0)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _value(value: Any) -> Any:
    if value is None:
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return neutralise(value)


def briefing_pdf(snapshot: Snapshot, figures: list[dict[str, Any]], region_name: str) -> bytes:
    """An A4 page: the region, when the figures were computed, each figure's top rows."""
    from fpdf import FPDF

    from yaojian.documents.fonts import find_fonts

    regular, bold = find_fonts()
    pdf = FPDF(format="A4")
    pdf.set_creation_date(snapshot.computed_at)
    pdf.set_producer("Yaojian")
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("cjk", "", str(regular.path), collection_font_number=regular.index)
    pdf.add_font("cjk", "B", str(bold.path), collection_font_number=bold.index)
    pdf.add_page()
    pdf.set_font("cjk", "B", 16)
    pdf.cell(
        0,
        9,
        gettext("Briefing: %(region)s") % {"region": region_name},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("cjk", "", 9)
    pdf.cell(
        0,
        6,
        gettext("Figures computed at %(time)s.")
        % {"time": timezone.localtime(snapshot.computed_at).strftime("%Y-%m-%d %H:%M")},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    width = (pdf.w - 30 - 6) / 2
    column = 0
    top = pdf.get_y() + 2
    heights = [top, top]
    for entry in figures:
        figure, data = entry["figure"], entry["data"]
        x = 15 + column * (width + 6)
        pdf.set_xy(x, heights[column])
        pdf.set_font("cjk", "B", 10)
        pdf.multi_cell(
            width, 5, f"{figure.title}（{data.get('total', 0)}）", new_x="LEFT", new_y="NEXT"
        )
        pdf.set_font("cjk", "", 8)
        rows = sorted(data.get("rows", []), key=lambda r: -(r.get("value") or 0))[:6]
        if not rows:
            pdf.set_x(x)
            pdf.cell(width, 4.5, gettext("No data for this region."), new_x="LEFT", new_y="NEXT")
        for row in rows:
            pdf.set_x(x)
            value = row.get("value")
            shown = "—" if value is None else f"{value}{figure.unit}"
            pdf.cell(width * 0.72, 4.5, str(row.get("label", ""))[:28])
            pdf.cell(width * 0.28, 4.5, shown, align="R", new_x="LEFT", new_y="NEXT")
        heights[column] = pdf.get_y() + 3
        column = 0 if heights[0] <= heights[1] else 1
    return bytes(pdf.output())
