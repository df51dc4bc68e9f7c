"""Checklists per inspection kind and the 抽查事项清单 (data: Chinese text is the content).

Each item: ``(code, question, mandatory, clause)``. A mandatory item must be answered before
an inspection is recorded; a "not compliant" answer should come with a finding.
"""

from __future__ import annotations

from typing import NamedTuple


class Item(NamedTuple):
    code: str
    text: str
    mandatory: bool
    clause: str


CHECKLISTS: dict[str, tuple[Item, ...]] = {
    "gsp_pharmacy": (
        Item("P01", "《药品经营许可证》在有效期内，经营范围与实际一致", True, "GSP 第123条"),
        Item("P02", "执业药师在岗并佩戴标识，处方药凭处方销售", True, "GSP 第145条"),
        Item("P03", "购进渠道合法，随货同行单与票据一致", True, "GSP 第132条"),
        Item("P04", "储存温湿度符合要求并有监测记录", True, "GSP 第143条"),
        Item("P05", "无过期、变质药品陈列销售", True, "药品管理法 第98条"),
        Item("P06", "拆零销售记录完整", False, "GSP 第160条"),
        Item("P07", "药品追溯码扫码销售", False, "药品管理法 第12条"),
    ),
    "gsp_wholesale": (
        Item("W01", "质量管理体系文件齐全并有效运行", True, "GSP 第5条"),
        Item("W02", "质量负责人、质量管理部门负责人资质符合要求", True, "GSP 第19条"),
        Item("W03", "首营企业和首营品种审核", True, "GSP 第61条"),
        Item("W04", "仓库分区、色标管理和温湿度监测", True, "GSP 第83条"),
        Item("W05", "出库复核和运输记录完整", True, "GSP 第95条"),
        Item("W06", "计算机系统符合要求", False, "GSP 第57条"),
    ),
    "medical_use": (
        Item("M01", "药品从合法渠道购进并查验", True, "药品管理法 第70条"),
        Item("M02", "验收记录完整，保存不少于规定年限", True, "药品经营和使用质量监督管理办法"),
        Item("M03", "药房储存条件符合要求", True, "药品管理法 第71条"),
        Item("M04", "麻醉药品、精神药品专库（柜）双人双锁", True, "麻醉药品和精神药品管理条例"),
        Item("M05", "近效期药品管理", False, "药品管理法 第71条"),
    ),
    "cold_chain": (
        Item("C01", "冷库（柜）温度自动监测、记录和报警", True, "GSP 附录 冷藏冷冻药品"),
        Item("C02", "冷链运输全程温度记录可追溯", True, "GSP 附录 冷藏冷冻药品"),
        Item("C03", "验证报告在有效期内", True, "GSP 附录 验证管理"),
        Item("C04", "应急预案和停电备用设施", False, "GSP 附录 冷藏冷冻药品"),
    ),
    "tibetan_preparation": (
        Item("T01", "医疗机构制剂许可证或备案在有效期内", True, "药品管理法 第74条"),
        Item("T02", "藏药材来源合法，炮制记录完整", True, "药品管理法 第39条"),
        Item("T03", "制剂只在本机构使用或经批准调剂", True, "药品管理法 第76条"),
        Item("T04", "质量检验记录完整", True, "医疗机构制剂配制质量管理规范"),
        Item("T05", "标签说明书符合要求", False, "药品管理法 第49条"),
    ),
}

# The 抽查事项清单 of the drug regulator (items a plan may include).
SPOT_CHECK_ITEMS: tuple[tuple[str, str], ...] = (
    ("ypjy_gsp", "药品经营企业执行药品经营质量管理规范情况的检查"),
    ("ypsy_zl", "医疗机构药品使用质量管理情况的检查"),
    ("ypsc_gmp", "药品生产企业执行药品生产质量管理规范情况的检查"),
    ("ylqx_jy", "医疗器械经营企业经营活动的检查"),
    ("hzp_jy", "化妆品经营者经营活动的检查"),
    ("tsyp", "麻醉药品、精神药品等特殊管理药品的检查"),
    ("ylzj", "医疗机构制剂（含藏药制剂）配制、使用情况的检查"),
    ("cj", "药品质量抽查检验"),
)


def checklist(kind: str) -> tuple[Item, ...]:
    """The checklist of an inspection kind (empty for an unknown kind)."""
    return CHECKLISTS.get(kind, ())


def default_kind_for(entity_kind: str) -> str:
    """The usual inspection kind for an entity kind."""
    return {
        "wholesaler": "gsp_wholesale",
        "retail_chain_hq": "gsp_wholesale",
        "manufacturer": "gsp_wholesale",
        "hospital": "medical_use",
        "clinic": "medical_use",
        "tibetan_medicine": "tibetan_preparation",
    }.get(entity_kind, "gsp_pharmacy")
