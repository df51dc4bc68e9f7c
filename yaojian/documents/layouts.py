"""The layouts of the generated documents: which context keys go where, with the fixed wording.

The wording is data: the document forms (文书格式) are prescribed in Chinese whatever the
language of the user's screen, so it is written here in Chinese and not translated. Every
context key is optional; a missing or empty key prints a blank line to fill in by hand.

Context keys common to every kind:

``number``              文书号, e.g. 城市监罚〔2026〕12号
``department_name``     the issuing department, printed in the seal area
``date``                the document's date (date or ISO string); kinds below name their own
                        date key, which wins when present

Kind ``case_filing_approval`` (立案审批表): ``case_title``, ``case_source``, ``party_name``,
``party_credit_code``, ``party_address``, ``legal_representative``, ``party_phone``,
``clue_received_on``, ``facts``, ``legal_basis``, ``officers`` (list of names),
``officer_opinion``, ``unit_opinion``, ``head_opinion``, ``approver``, ``approved_on``.

Kind ``penalty_notice`` (行政处罚告知书): ``party_name``, ``party_credit_code``,
``party_address``, ``legal_representative``, ``facts``, ``evidence_summary``, ``legal_basis``,
``penalties`` (list of strings), ``fine_amount`` (Decimal or string, yuan), ``rights``
(the rights text; a standard text about 陈述、申辩 within ``statement_days`` (default 5)
working days is printed when missing), ``hearing_right`` (bool: adds the hearing sentence),
``statement_deadline`` (date), ``contact_person``, ``contact_phone``, ``notified_on``.

Kind ``penalty_decision`` (行政处罚决定书): ``party_name``, ``party_credit_code``,
``party_address``, ``legal_representative``, ``facts``, ``evidence_summary``, ``statement``
(the party's statement and the department's view of it), ``legal_basis``, ``reasons``
(discretion), ``penalties`` (list of strings), ``fine_amount``, ``payment`` (how and where to
pay; a standard 15-day text when missing), ``remedies`` (review and lawsuit; a standard text
naming ``review_body`` and ``court`` when missing), ``decided_on``.

Kind ``referral_letter`` (涉嫌犯罪案件移送书): ``police_department_name``, ``case_title``,
``party_name``, ``party_credit_code``, ``party_address``, ``legal_representative``,
``suspected_crime``, ``facts``, ``evidence_summary``, ``legal_basis``, ``attachments``
(list of strings: 移送材料), ``officers`` (list of names), ``contact_person``,
``contact_phone``, ``referred_on``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yaojian.documents.choices import DocumentKind


@dataclass(frozen=True)
class Table:
    """Label/value rows; ``span`` rows take the full width below their label."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: a lead in bold, then the value of ``key`` (or ``default`` when missing)."""

    lead: str
    key: str
    default: str = ""


@dataclass(frozen=True)
class Enumerated:
    """A numbered list from a list-valued key."""

    lead: str
    key: str


@dataclass(frozen=True)
class Fixed:
    """Fixed wording; ``{key}`` placeholders take formatted context values."""

    text: str


@dataclass(frozen=True)
class Addressee:
    """The addressee line: value of ``key`` followed by a full-width colon."""

    key: str


@dataclass(frozen=True)
class Layout:
    """One kind of document: title, blocks in order, and the key holding its date."""

    title: str
    blocks: tuple[Any, ...]
    date_key: str = "date"
    seal_label: str = "（印章）"
    extra: dict[str, str] = field(default_factory=dict)


PARTY_ROWS: tuple[tuple[str, str], ...] = (
    ("当事人", "party_name"),
    ("统一社会信用代码", "party_credit_code"),
    ("住所（住址）", "party_address"),
    ("法定代表人（负责人）", "legal_representative"),
)

STANDARD_RIGHTS = (
    "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。"
    "请于收到本告知书之日起{statement_days}个工作日内提出陈述、申辩意见；逾期未提出的，"
    "视为放弃此权利。"
)
HEARING_RIGHT = (
    "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证。"
    "如要求听证，请于收到本告知书之日起五个工作日内提出；逾期未提出的，视为放弃此权利。"
)
STANDARD_PAYMENT = (
    "当事人应当自收到本决定书之日起十五日内缴纳罚没款。逾期不缴纳罚款的，"
    "每日按罚款数额的百分之三加处罚款，加处罚款的数额不超过罚款本数。"
)
STANDARD_REMEDIES = (
    "当事人对本处罚决定不服的，可以在收到本决定书之日起六十日内向{review_body}申请行政复议，"
    "或者在六个月内向{court}提起行政诉讼。申请行政复议或者提起行政诉讼期间，本处罚决定不停止执行。"
)

LAYOUTS: dict[str, Layout] = {
    DocumentKind.CASE_FILING_APPROVAL: Layout(
        title="立案审批表",
        date_key="approved_on",
        blocks=(
            Table(
                (
                    ("案件名称", "case_title"),
                    ("案件来源", "case_source"),
                    ("线索收到日期", "clue_received_on"),
                    *PARTY_ROWS,
                    ("联系电话", "party_phone"),
                    ("简要案情", "facts"),
                    ("立案依据", "legal_basis"),
                    ("办案人员", "officers"),
                    ("承办人意见", "officer_opinion"),
                    ("承办机构负责人意见", "unit_opinion"),
                    ("负责人审批意见", "head_opinion"),
                    ("审批人", "approver"),
                    ("审批日期", "approved_on"),
                )
            ),
        ),
    ),
    DocumentKind.PENALTY_NOTICE: Layout(
        title="行政处罚告知书",
        date_key="notified_on",
        blocks=(
            Addressee("party_name"),
            Table(PARTY_ROWS),
            Paragraph("经查：", "facts"),
            Paragraph("上述事实，有以下证据证明：", "evidence_summary"),
            Paragraph("依据：", "legal_basis"),
            Enumerated("本机关拟对你（单位）作出如下行政处罚：", "penalties"),
            Paragraph("拟罚款金额：", "fine_amount"),
            Paragraph("", "rights", STANDARD_RIGHTS),
            Paragraph("陈述、申辩期限：", "statement_deadline"),
            Paragraph("联系人：", "contact_person"),
            Paragraph("联系电话：", "contact_phone"),
        ),
    ),
    DocumentKind.PENALTY_DECISION: Layout(
        title="行政处罚决定书",
        date_key="decided_on",
        blocks=(
            Table(PARTY_ROWS),
            Paragraph("经查明：", "facts"),
            Paragraph("上述事实，有以下证据证明：", "evidence_summary"),
            Paragraph("当事人陈述、申辩及采纳情况：", "statement"),
            Paragraph("处罚依据：", "legal_basis"),
            Paragraph("裁量理由：", "reasons"),
            Enumerated("本机关决定对当事人作出如下行政处罚：", "penalties"),
            Paragraph("罚款金额：", "fine_amount"),
            Paragraph("", "payment", STANDARD_PAYMENT),
            Paragraph("", "remedies", STANDARD_REMEDIES),
        ),
    ),
    DocumentKind.REFERRAL_LETTER: Layout(
        title="涉嫌犯罪案件移送书",
        date_key="referred_on",
        blocks=(
            Addressee("police_department_name"),
            Fixed(
                "我单位在查处{party_name}涉嫌违法一案中，发现其行为涉嫌{suspected_crime}。"
                "根据《中华人民共和国药品管理法》第一百一十三条和《行政执法机关移送涉嫌犯罪案件的规定》"
                "第三条、第六条的规定，现将该案移送你单位，请依法审查并于三日内书面告知是否立案。"
            ),
            Table(
                (
                    ("案件名称", "case_title"),
                    *PARTY_ROWS,
                    ("涉嫌罪名", "suspected_crime"),
                    ("办案人员", "officers"),
                )
            ),
            Paragraph("主要违法事实：", "facts"),
            Paragraph("证据情况：", "evidence_summary"),
            Paragraph("法律依据：", "legal_basis"),
            Enumerated("移送材料：", "attachments"),
            Paragraph("联系人：", "contact_person"),
            Paragraph("联系电话：", "contact_phone"),
        ),
    ),
}


def layout_for(kind: str) -> Layout:
    """The layout of ``kind``; ``KeyError`` for an unknown kind."""
    return LAYOUTS[kind]
