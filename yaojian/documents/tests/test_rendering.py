"""Rendering: Chinese text with an embedded CJK font, stable bytes, blanks for missing keys."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from yaojian.documents.choices import DocumentKind
from yaojian.documents.fonts import FontNotFoundError, find_fonts, parse_face
from yaojian.documents.formatting import BLANK, amount, capital_amount, chinese_date
from yaojian.documents.rendering import render_pdf
from yaojian.documents.tests.conftest import DECISION_CONTEXT, pdf_text

AT = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def decision_pdf():
    return render_pdf(DocumentKind.PENALTY_DECISION, DECISION_CONTEXT, created_at=AT)


def test_decision_renders_chinese_text_that_can_be_extracted(decision_pdf, tmp_path):
    content = decision_pdf

    text = re.sub(r"\s+", "", pdf_text(content, tmp_path))
    assert "行政处罚决定书" in text
    assert "城市监罚〔2026〕12号" in text
    assert "拉萨奇正大药房有限公司" in text
    assert "91540100MA6T12345X" in text
    assert "1.没收违法销售的药品" in text
    assert "人民币200,000.00元（大写：贰拾万元整）" in text
    assert "二〇二六年十一月二十日" in text
    assert "十五日内缴纳罚没款" in text  # the standard payment text


def test_the_font_is_embedded_as_a_subset(decision_pdf):
    content = decision_pdf

    assert content.startswith(b"%PDF-")
    assert b"/FontFile" in content  # the font program is inside the file
    assert re.search(rb"/BaseFont /[A-Z]{6}\+", content)  # a subset


def test_missing_keys_print_blank_lines(tmp_path):
    content = render_pdf(DocumentKind.PENALTY_NOTICE, {"party_name": ""}, created_at=AT)

    text = pdf_text(content, tmp_path)
    assert "行政处罚告知书" in text
    assert BLANK in text
    assert "本机关拟对你（单位）作出如下行政处罚" in text
    assert "5个工作日内提出陈述" in re.sub(r"\s+", "", text)  # the standard rights text


def test_same_input_gives_the_same_bytes():
    first = render_pdf(DocumentKind.CASE_FILING_APPROVAL, {"case_title": "甲"}, created_at=AT)
    second = render_pdf(DocumentKind.CASE_FILING_APPROVAL, {"case_title": "甲"}, created_at=AT)
    other = render_pdf(DocumentKind.CASE_FILING_APPROVAL, {"case_title": "乙"}, created_at=AT)

    assert first == second
    assert first != other


def test_unknown_kind_raises_key_error():
    with pytest.raises(KeyError):
        render_pdf("memo", {}, created_at=AT)


def test_configured_font_that_does_not_exist_is_a_clear_error(settings):
    settings.DOCUMENT_FONT = "/nonexistent/font.ttf"

    with pytest.raises(FontNotFoundError, match="DOCUMENT_FONT"):
        find_fonts()


def test_configured_font_with_a_face_index(settings):
    regular, _bold = find_fonts()
    settings.DOCUMENT_FONT = f"{regular.path}#{regular.index}"

    assert find_fonts()[0] == regular


def test_face_index_must_be_a_number():
    with pytest.raises(FontNotFoundError):
        parse_face("/x.ttc#SC")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("0", "零元整"),
        ("1500000", "壹佰伍拾万元整"),
        ("1010", "壹仟零壹拾元整"),
        ("100010000", "壹亿零壹万元整"),
        ("105000", "壹拾万伍仟元整"),
        ("12.34", "壹拾贰元叁角肆分"),
        ("10.05", "壹拾元零伍分"),
        ("0.5", "伍角整"),
    ],
)
def test_capital_amounts(value, words):
    assert capital_amount(Decimal(value)) == words


def test_dates_and_amounts_in_document_style():
    assert chinese_date(dt.date(2026, 1, 10)) == "二〇二六年一月十日"
    assert chinese_date("2027-12-31") == "二〇二七年十二月三十一日"
    assert amount("1,500") == "人民币1,500.00元（大写：壹仟伍佰元整）"
    assert amount(None) == BLANK


@pytest.mark.parametrize("facts", [40, 120, 240, 320])
def test_the_seal_of_a_form_never_stands_alone_on_a_page(facts):
    """立案审批表 of growing length: whatever page the seal falls on also holds the form's last
    rows (approver and date), never the seal and date alone (issue 9)."""
    import io

    from pypdf import PdfReader

    context = {
        "case_title": "甲",
        "facts": "案情" * facts,
        "department_name": "城关区市场监督管理局",
        "approved_on": dt.date(2026, 11, 20),
    }
    content = render_pdf(DocumentKind.CASE_FILING_APPROVAL, context, created_at=AT)

    pages = [
        re.sub(r"\s+", "", (page.extract_text() or "").replace("\x00", ""))
        for page in PdfReader(io.BytesIO(content)).pages
    ]
    sealed = [text for text in pages if "（印章）" in text]
    assert len(sealed) == 1
    assert "审批人" in sealed[0]
    assert sealed[0].index("审批日期") < sealed[0].index("（印章）")


def test_a_form_with_a_long_value_is_rendered_across_pages():
    """A 简要案情 longer than a page goes on in continuation rows (a table row cannot cross a
    page: fpdf2 refused the whole document)."""
    import io

    from pypdf import PdfReader

    facts = "".join(f"第{i}段案情。" for i in range(400))
    content = render_pdf(
        DocumentKind.CASE_FILING_APPROVAL, {"case_title": "甲", "facts": facts}, created_at=AT
    )

    reader = PdfReader(io.BytesIO(content))
    text = "".join(p.extract_text() or "" for p in reader.pages)
    text = re.sub(r"\s+", "", text.replace("\x00", ""))
    assert len(reader.pages) >= 3
    assert "第0段案情" in text
    assert "第399段案情" in text
    assert "（续）" in text
