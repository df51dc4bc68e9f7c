"""Rendering a document's PDF with fpdf2 and an embedded CJK font (pure: bytes in, bytes out).

The same kind, context and ``created_at`` give the same bytes (the creation date is the only
varying input fpdf2 writes), so a stored document's SHA-256 can be recomputed.

Speed: a document is first laid out with the *common subset* of the font faces
(:mod:`yaojian.documents.fontcache`, GB 2312 and the usual symbols, built once per machine);
only when that leaves a character without a glyph is it laid out again with the full faces.
Both give the same bytes (fontTools keeps the CIDs, so the embedded font program is the same).
fpdf2 (and fontTools) are imported on the first render, not when Django starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from yaojian.documents import fontcache, formatting
from yaojian.documents.fonts import FontFace, find_fonts
from yaojian.documents.layouts import (
    HEARING_RIGHT,
    Addressee,
    Enumerated,
    Fixed,
    Layout,
    Paragraph,
    Table,
    layout_for,
)

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "cjk"
BODY_SIZE = 12
TITLE_SIZE = 20
LINE = 7.5
INDENT = "　　"  # two full-width spaces open a paragraph in Chinese documents
KEEP_WITH_SEAL = 2  # the last rows of a form (approver, date) stay on the seal's page
TABLE_WIDTHS = (46, 114)
TABLE_PADDING = 1.5
MAX_CELL_CHARS = 500  # about 20 lines of the value column: a row always fits on a page
CONTINUED = "（续）"
SEAL_HEIGHT = LINE * 1.5 + 3 * (LINE + 1)  # see _seal

COMMON = "common"
FULL = "full"


class _Blanks(dict[str, str]):
    """format_map helper: a missing key prints a blank line."""

    def __missing__(self, key: str) -> str:
        return formatting.BLANK


@cache
def _document_pdf_class() -> type[FPDF]:
    """The FPDF subclass with the page footer (defined on first use: fpdf2 loads lazily)."""
    from fpdf import FPDF
    from fpdf.enums import Align

    class DocumentPDF(FPDF):
        number = ""

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font(FONT, size=9)
            self.cell(0, 8, f"{self.number}    第 {self.page_no()} 页 共 {{nb}} 页", align=Align.C)

    return DocumentPDF


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF and which faces it embeds (:data:`COMMON` subset or :data:`FULL` font)."""

    content: bytes
    fonts: str


def render_pdf(kind: str, context: Mapping[str, Any], *, created_at: dt.datetime) -> bytes:
    """The PDF of ``kind`` filled from ``context`` (unknown kind: ``KeyError``)."""
    return render(kind, context, created_at=created_at).content


def render(kind: str, context: Mapping[str, Any], *, created_at: dt.datetime) -> Rendered:
    """:func:`render_pdf` telling which faces were embedded."""
    return render_layout(layout_for(kind), context, created_at=created_at)


def render_layout(
    layout: Layout, context: Mapping[str, Any], *, created_at: dt.datetime
) -> Rendered:
    """The PDF of a layout an upper app owns (its own kinds of notice, stored by that app),
    with the same fonts, heading, seal and blanks as the documents' own kinds."""
    regular, bold = find_fonts()
    common = fontcache.common_face(regular), fontcache.common_face(bold)
    if common[0] is not None and common[1] is not None:
        pdf = _layout(layout, context, created_at, common[0], common[1])
        if not _missing_glyphs(pdf):
            content = bytes(pdf.output())
            if not _missing_glyphs(pdf):  # the footer is laid out at output
                return Rendered(content, COMMON)
        else:
            _discard(pdf)
    pdf = _layout(layout, context, created_at, regular, bold)
    return Rendered(bytes(pdf.output()), FULL)


def _layout(
    layout: Layout,
    context: Mapping[str, Any],
    created_at: dt.datetime,
    regular: FontFace,
    bold: FontFace,
) -> FPDF:
    pdf = _document_pdf_class()(format="A4")
    pdf.number = str(context.get("number") or "")  # type: ignore[attr-defined]
    pdf.set_creation_date(created_at)
    pdf.set_producer("Yaojian")
    pdf.set_title(layout.title)
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_font(FONT, "", str(regular.path), collection_font_number=regular.index)
    pdf.add_font(FONT, "B", str(bold.path), collection_font_number=bold.index)
    pdf.add_page()
    _heading(pdf, layout, context)
    values = _Blanks({key: formatting.text(value) for key, value in context.items()})
    values.setdefault("statement_days", "5")
    *body, last = layout.blocks
    for block in body:
        _block(pdf, block, context, values)
    if isinstance(last, Table):
        # A form's seal never stands alone on a page either: its last rows (the approver
        # and the date) go to the next page with it when it does not fit.
        # (fpdf2 cannot hold a table in ``unbreakable``: the height is measured instead.)
        head, tail = last.rows[:-KEEP_WITH_SEAL], last.rows[-KEEP_WITH_SEAL:]
        if head:
            _table(pdf, Table(head), values, space_after=False)
        if pdf.will_page_break(_rows_height(pdf, tail, values) + 3 + SEAL_HEIGHT):
            pdf.add_page()
        _table(pdf, Table(tail), values)
        _seal(pdf, layout, context, check_break=False)
    else:
        # The seal never stands alone on a page: when it does not fit, the last paragraph
        # goes to the next page with it (no page holding only the seal and the date).
        with pdf.unbreakable() as keep_together:
            recorder: Any = keep_together  # records FPDF calls, replays them on one page
            _block(recorder, last, context, values)
            _seal(recorder, layout, context, check_break=False)
    return pdf


def _missing_glyphs(pdf: FPDF) -> bool:
    return any(getattr(font, "missing_glyphs", None) for font in pdf.fonts.values())


def _discard(pdf: FPDF) -> None:
    """Forget a laid-out PDF that will not be output (fpdf2 caches glyph picks per font)."""
    for font in pdf.fonts.values():
        subset = getattr(font, "subset", None)
        if subset is not None:
            subset.pick.cache_clear()
            subset.get_glyph.cache_clear()


def _heading(pdf: FPDF, layout: Layout, context: Mapping[str, Any]) -> None:
    from fpdf.enums import Align, XPos, YPos

    department = str(context.get("department_name") or "")
    if department:
        pdf.set_font(FONT, "B", TITLE_SIZE - 2)
        pdf.multi_cell(0, 11, department, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", TITLE_SIZE)
    pdf.multi_cell(0, 12, layout.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", BODY_SIZE)
    number = context.get("number")
    pdf.cell(
        0,
        LINE + 2,
        formatting.text(number) if not formatting.is_blank(number) else "〔    〕    号",
        align=Align.R,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)


def _block(pdf: FPDF, block: Any, context: Mapping[str, Any], values: _Blanks) -> None:
    from fpdf.enums import WrapMode, XPos, YPos

    pdf.set_font(FONT, "", BODY_SIZE)
    if isinstance(block, Addressee):
        pdf.multi_cell(
            0,
            LINE,
            f"{values[block.key]}：",
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    elif isinstance(block, Table):
        _table(pdf, block, values)
    elif isinstance(block, Fixed):
        _paragraph(pdf, INDENT + block.text.format_map(values))
    elif isinstance(block, Paragraph):
        value = context.get(block.key)
        if formatting.is_blank(value) and block.default:
            body = block.default.format_map(values)
        else:
            body = values[block.key]
        if block.lead:
            pdf.set_font(FONT, "B", BODY_SIZE)
            pdf.multi_cell(0, LINE, block.lead, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(FONT, "", BODY_SIZE)
        _paragraph(pdf, INDENT + body)
        if block.key == "rights" and context.get("hearing_right"):
            _paragraph(pdf, INDENT + HEARING_RIGHT)
    elif isinstance(block, Enumerated):
        pdf.set_font(FONT, "B", BODY_SIZE)
        pdf.multi_cell(0, LINE, block.lead, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", BODY_SIZE)
        items = context.get(block.key)
        if isinstance(items, str):
            items = [items] if items.strip() else []
        entries = [str(item) for item in items or [] if not formatting.is_blank(item)]
        for position, item in enumerate(entries or [formatting.BLANK], start=1):
            _paragraph(pdf, f"{INDENT}{position}. {item}")
    pdf.ln(1.5)


def _paragraph(pdf: FPDF, text: str) -> None:
    from fpdf.enums import Align, WrapMode, XPos, YPos

    pdf.multi_cell(
        0,
        LINE,
        text,
        wrapmode=WrapMode.CHAR,
        align=Align.L,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _rows_height(pdf: FPDF, rows: tuple[tuple[str, str], ...], values: _Blanks) -> float:
    """The height ``_table`` gives ``rows`` (each row as high as its longer cell, padded)."""
    from fpdf.enums import MethodReturnValue, WrapMode

    pdf.set_font(FONT, "", BODY_SIZE)
    height = 0.0
    for label, key in rows:
        lines = 1
        for width, text in zip(TABLE_WIDTHS, (label, values[key]), strict=True):
            wrapped: Any = pdf.multi_cell(
                width - 2 * TABLE_PADDING,
                LINE,
                text,
                dry_run=True,
                output=MethodReturnValue.LINES,
                wrapmode=WrapMode.CHAR,
            )
            lines = max(lines, len(wrapped))
        height += lines * LINE + 2 * TABLE_PADDING
    return height


def _table(pdf: FPDF, block: Table, values: _Blanks, *, space_after: bool = True) -> None:
    from fpdf.enums import Align, WrapMode

    with pdf.table(
        col_widths=TABLE_WIDTHS,
        first_row_as_headings=False,
        text_align=(Align.C, Align.L),
        line_height=LINE,
        wrapmode=WrapMode.CHAR,
        padding=TABLE_PADDING,
    ) as table:
        for label, key in block.rows:
            # a table row cannot cross a page: a long value goes on in rows of its own
            text = values[key]
            for start in range(0, max(len(text), 1), MAX_CELL_CHARS):
                row = table.row()
                row.cell(label if start == 0 else CONTINUED)
                row.cell(text[start : start + MAX_CELL_CHARS])
    if space_after:
        pdf.ln(3)


def _seal(
    pdf: FPDF, layout: Layout, context: Mapping[str, Any], *, check_break: bool = True
) -> None:
    from fpdf.enums import Align, XPos, YPos

    date = context.get(layout.date_key) or context.get("date")
    department = str(context.get("department_name") or formatting.BLANK)
    if check_break and pdf.will_page_break(LINE * 5):
        pdf.add_page()
    pdf.ln(LINE * 1.5)
    pdf.set_font(FONT, "", BODY_SIZE + 1)
    for line in (department, layout.seal_label, formatting.chinese_date(date)):
        pdf.cell(0, LINE + 1, line, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
