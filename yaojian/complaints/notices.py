"""The layouts of the complainant's notices (受理告知书, 不予受理告知书), rendered with the documents
app's renderer (fonts, heading, seal, blanks). The wording is data and prescribed in Chinese
whatever the screen language, like the documents' own layouts. No identity of the complainant:
the addressee is the complaint's number."""

from __future__ import annotations

from yaojian.complaints.choices import NoticeKind
from yaojian.documents.layouts import Addressee, Fixed, Layout, Paragraph, Table

RULES = "《市场监督管理投诉举报处理暂行办法》"

ROWS: tuple[tuple[str, str], ...] = (
    ("投诉编号", "complaint_number"),
    ("被投诉人", "subject_name"),
    ("投诉事项", "topic"),
    ("收到日期", "received_on"),
    ("决定日期", "decided_on"),
    ("承办单位", "department_name"),
)

TRACKING = "你可凭投诉编号和查询码在本机关网站“投诉举报”栏目查询办理进度和结果，并下载本告知书。"

LAYOUTS: dict[str, Layout] = {
    NoticeKind.ACCEPTANCE: Layout(
        title="投诉受理告知书",
        date_key="decided_on",
        blocks=(
            Addressee("addressee"),
            Fixed(
                "你于{received_on}提出的对{subject_name}的投诉，经审查，符合"
                + RULES
                + "第十四条规定的受理条件，本机关决定予以受理，并依法组织调解。"
            ),
            Table(ROWS),
            Paragraph(
                "调解期限：",
                "mediation",
                "本机关自受理之日起{mediation_days}个工作日内终结调解；检验、检测、鉴定所需时间不计入。"
                "调解终结后{notify_days}个工作日内将结果告知双方。",
            ),
            Paragraph("依据：", "legal_basis", RULES + "第十四条、第十九条、第二十一条。"),
            Paragraph("", "tracking", TRACKING),
        ),
    ),
    NoticeKind.REFUSAL: Layout(
        title="投诉不予受理告知书",
        date_key="decided_on",
        blocks=(
            Addressee("addressee"),
            Fixed("你于{received_on}提出的对{subject_name}的投诉，经审查，本机关决定不予受理。"),
            Table(ROWS),
            Paragraph("不予受理的理由：", "ground"),
            Paragraph("说明：", "reasons"),
            Paragraph("依据：", "legal_basis", RULES + "第十五条。"),
            Paragraph("", "tracking", TRACKING),
        ),
    ),
}
