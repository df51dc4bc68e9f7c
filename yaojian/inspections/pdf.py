"""The inspection record (现场检查笔录) as a PDF in Chinese (fpdf2 with the documents app's
CJK font, like :mod:`yaojian.documents.rendering`; rendered on request, same bytes for the same
record)."""

from __future__ import annotations

from typing import Any

from yaojian.documents.fonts import find_fonts
from yaojian.inspections import checklists
from yaojian.inspections.models import Inspection

ANSWERS = {"yes": "符合", "no": "不符合", "na": "不适用", "": "未检查"}
SEVERITY = {"critical": "严重缺陷", "major": "主要缺陷", "other": "一般缺陷"}
CONCLUSION = {"passed": "符合要求", "findings": "基本符合，限期整改", "failed": "不符合要求"}
KINDS = {
    "gsp_pharmacy": "药品零售企业GSP检查",
    "gsp_wholesale": "药品批发企业GSP检查",
    "medical_use": "医疗机构药品使用质量检查",
    "cold_chain": "冷链药品检查",
    "tibetan_preparation": "藏药制剂检查",
}


def render_record(inspection: Inspection) -> bytes:
    """The PDF of one recorded inspection."""
    from fpdf import FPDF

    regular, _bold = find_fonts()
    face = regular
    pdf = FPDF(format="A4")
    pdf.set_creation_date(inspection.recorded_at or inspection.created_at)
    pdf.set_producer("Yaojian")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("cjk", "", str(face.path), collection_font_number=face.index)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, "现场检查笔录", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    entity = inspection.entity
    lines = [
        f"检查单位：{inspection.department.name}",
        f"被检查单位：{entity.name}",
        f"统一社会信用代码：{entity.unified_social_credit_code or '—'}",
        f"地址：{entity.address or '—'}",
        f"检查类别：{KINDS.get(inspection.kind, inspection.kind)}",
        f"检查日期：{inspection.inspected_on or '—'}",
        "检查人员：" + "、".join(u.full_name or u.username for u in inspection.inspectors.all()),
    ]
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 8, "一、检查项目", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    for item in checklists.checklist(inspection.kind):
        answer = ANSWERS.get(inspection.answers.get(item.code, ""), "")
        mark = "＊" if item.mandatory else ""
        pdf.multi_cell(
            0,
            6,
            f"{item.code}{mark} {item.text}（{item.clause}）：{answer}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(2)
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 8, "二、发现的问题", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    findings = list(inspection.findings.all())
    if not findings:
        pdf.multi_cell(0, 6, "未发现问题。", new_x="LMARGIN", new_y="NEXT")
    for n, finding in enumerate(findings, start=1):
        pdf.multi_cell(
            0,
            6,
            f"{n}. 【{SEVERITY.get(finding.severity, finding.severity)}】{finding.clause}：{finding.description}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(2)
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 8, "三、检查结论", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.multi_cell(
        0,
        6,
        CONCLUSION.get(inspection.conclusion, "")
        + (f"。{inspection.summary}" if inspection.summary else ""),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    files = list(inspection.attachments.all())
    if files:
        pdf.ln(2)
        pdf.multi_cell(0, 6, "附件（SHA-256）：", new_x="LMARGIN", new_y="NEXT")
        for attachment in files:
            pdf.multi_cell(
                0, 5, f"{attachment.name}  {attachment.sha256}", new_x="LMARGIN", new_y="NEXT"
            )
    pdf.ln(6)
    if inspection.refused:
        signature = f"被检查单位拒绝签字（{inspection.refusal_note}），由检查人员注明。"
    else:
        signature = f"被检查单位签字：{inspection.signed_by}"
    pdf.multi_cell(0, 7, signature, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, "检查人员签字：", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


__all__: list[Any] = ["render_record"]
