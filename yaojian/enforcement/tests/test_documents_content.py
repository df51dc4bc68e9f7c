"""The decision documents rendered for real (fonts, PDF) and read back with a PDF parser."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from yaojian.documents.models import Document
from yaojian.enforcement import services
from yaojian.enforcement.choices import (
    CaseDocumentKind,
    DefenceKind,
    PartyKind,
    PenaltyKind,
    ReviewConclusion,
)
from yaojian.enforcement.services import ItemInput
from yaojian.enforcement.tests.conftest import filed_case

pytestmark = pytest.mark.django_db


def pdf_text(case: Any, kind: str) -> tuple[str, int]:
    """The text of the case's document of ``kind`` (spaces and line breaks removed), pages."""
    row = case.documents.get(kind=kind)
    document = Document.objects.get(public_id=row.document_public_id)
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # fpdf2 writes two-byte glyph ids; pypdf returns the zero high bytes of ASCII as NULs.
    text = "".join(page.extract_text() or "" for page in reader.pages).replace("\x00", "")
    return "".join(text.split()), len(reader.pages)


def test_the_decision_of_a_natural_person_is_rendered_with_its_article_and_amounts(
    office: Any, frozen: Any, with_documents: None
) -> None:
    case = filed_case(office, party_name="张三", party_kind=PartyKind.NATURAL_PERSON)
    services.add_evidence(actor=office.officer, case=case, kind="physical", description="假药20盒")
    services.propose_penalty(
        actor=office.officer,
        case=case,
        violation="当事人在集市摆摊销售假药“感冒灵”20盒",
        legal_basis="《中华人民共和国药品管理法》第一百一十六条",
        items=[
            ItemInput(
                kind=PenaltyKind.FINE, amount="1500000", conduct="counterfeit", goods_value="800"
            ),
            ItemInput(kind=PenaltyKind.CONFISCATE_GOODS, amount="800"),
        ],
    )
    services.submit_for_review(actor=office.officer, case=case)
    services.review_case(
        actor=office.reviewer, case=case, opinion="同意", conclusion=ReviewConclusion.APPROVE
    )
    services.issue_notice(actor=office.officer, case=case)
    services.record_defence(actor=office.officer, case=case, kind=DefenceKind.WAIVER)
    decision = services.decide_case(actor=office.head, case=case)

    notice, _pages = pdf_text(case, CaseDocumentKind.PENALTY_NOTICE)
    text, pages = pdf_text(case, CaseDocumentKind.PENALTY_DECISION)

    assert text.startswith("城关区市场监督管理局行政处罚决定书")
    assert decision.number in text
    assert "当事人张三" in text
    assert "集市摆摊销售假药“感冒灵”20盒" in text
    assert "上述事实，有以下证据证明：假药20盒" in text
    assert "处罚依据：《中华人民共和国药品管理法》第一百一十六条" in text
    assert "1500000.00元" in text
    assert "800.00元" in text
    assert "十五日内缴纳罚没款" in text
    assert "城关区市场监督管理局" in text
    # A natural person's fine of 1,500,000 is in the hearing scope: the notice says so.
    assert "有权要求举行听证" in notice
    # The seal never stands alone on a page: the last paragraph goes with it.
    last_page = text.rsplit("第1页共", 1)[-1]
    assert pages == 2
    assert "申请行政复议" in last_page
    assert last_page.index("申请行政复议") < last_page.index("（印章）")


def test_the_filing_form_asks_for_the_basis_and_the_officers_opinion_the_form_prints(
    client: Any, office: Any, frozen: Any, with_documents: None
) -> None:
    from django.urls import reverse

    from yaojian.enforcement.tests.conftest import new_clue

    case = new_clue(office)
    services.begin_verification(
        actor=office.officer, case=case, officers=[office.officer, office.officer2]
    )
    client.force_login(office.head)
    page = client.get(reverse("enforcement:case_detail", args=[case.public_id])).content.decode()
    assert 'name="file-legal_basis"' in page
    assert 'name="file-officer_opinion"' in page

    response = client.post(
        reverse("enforcement:case_action", args=[case.public_id, "file"]),
        {
            "file-legal_basis": "《中华人民共和国药品管理法》第一百一十七条",
            "file-officer_opinion": "涉嫌销售劣药，建议立案调查",
            "file-opinion": "同意立案",
        },
    )

    assert response.status_code == 302
    text, _pages = pdf_text(case, CaseDocumentKind.FILING_APPROVAL)
    assert "立案依据《中华人民共和国药品管理法》第一百一十七条" in text
    assert "承办人意见涉嫌销售劣药，建议立案调查" in text
    assert "负责人审批意见同意立案" in text
