"""The columns of each data source: Chinese headers, which are required, and their rules.

The template (``templates_xlsx``), the reader (header matching) and the row validator all read
these definitions, so a column is defined once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from yaojian.exchange.choices import SourceKind


@dataclass(frozen=True)
class Column:
    """One column of a source file."""

    key: str  # the field name (also the JSON key in the API)
    header: str  # the Chinese header in the template (data, not a UI string)
    required: bool
    rule: Any  # a lazy translation describing what is accepted
    sample: str
    aliases: tuple[str, ...] = ()
    # A coded column: the name of its list of allowed values (``allowed_values``); the template
    # offers them as a dropdown of Chinese labels and lists them all on a sheet.
    choices: str = ""


DATE_RULE = _(
    "A date: 2026-01-05, 2026/1/5, 2026.01.05, 20260105, 2026年1月5日 or a spreadsheet date."
)
USCC_RULE = _("18 characters with valid check characters (GB 32100); empty to match by name.")
REGION_RULE = _("The 6-digit administrative division code (GB/T 2260) of the entity.")

_ENTITY_NAME = Column("entity_name", "企业名称", True, _("The registered name."), "拉萨康达大药房")
_USCC = Column(
    "unified_social_credit_code", "统一社会信用代码", False, USCC_RULE, "91540102MA6T1X2Y0N"
)
_REGION = Column("region_code", "行政区划代码", True, REGION_RULE, "540102")
_ADDRESS = Column("address", "地址", False, _("The address."), "城关区北京中路1号")
_LEGAL_REP = Column(
    "legal_representative",
    "法定代表人",
    False,
    _("The legal representative or principal."),
    "扎西",
    aliases=("主要负责人", "法定代表人/主要负责人"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    SourceKind.LICENCE_REGISTER: (
        _ENTITY_NAME,
        _USCC,
        Column(
            "entity_kind",
            "企业类型",
            True,
            _("A kind of entity from the list (its Chinese name or its code)."),
            "单体药店",
            choices="entity_kind",
        ),
        _REGION,
        _ADDRESS,
        _LEGAL_REP,
        Column(
            "licence_kind",
            "许可证类型",
            True,
            _("A kind of licence from the list (its Chinese name or its code)."),
            "药品经营许可证",
            choices="register_licence_kind",
        ),
        Column(
            "licence_number",
            "许可证编号",
            True,
            _("The licence number in its official format (DOMAIN.md §1.3)."),
            "藏DA8910001",
        ),
        Column("valid_from", "有效期起", True, DATE_RULE, "2025-01-05"),
        Column("valid_until", "有效期至", False, DATE_RULE, "2030-01-04"),
        Column(
            "licence_status",
            "许可状态",
            False,
            _("A status from the list (its Chinese name or its code; empty: valid)."),
            "有效",
            choices="licence_status",
        ),
    ),
    SourceKind.MEDICAL_INSTITUTIONS: (
        Column("entity_name", "机构名称", True, _("The registered name."), "拉萨市城关区人民医院"),
        _USCC,
        Column(
            "registration_number",
            "医疗机构执业许可证登记号",
            True,
            _("The registration number of the practice licence."),
            "PDY00001X54010212A1001",
        ),
        Column(
            "level", "级别类别", False, _("Level and class, e.g. 二级甲等 综合医院."), "二级甲等"
        ),
        _REGION,
        _ADDRESS,
        _LEGAL_REP,
        Column("valid_from", "有效期起", True, DATE_RULE, "2024-03-01"),
        Column("valid_until", "有效期至", False, DATE_RULE, "2029-02-28"),
        Column(
            "licence_status",
            "执业状态",
            False,
            _("A status from the list (its Chinese name or its code; empty: valid)."),
            "有效",
            choices="licence_status",
        ),
    ),
    SourceKind.INSURANCE_DESIGNATIONS: (
        Column("entity_name", "机构名称", True, _("The registered name."), "拉萨康达大药房"),
        _USCC,
        Column(
            "agreement_number",
            "定点协议编号",
            True,
            _("The number of the designation agreement."),
            "YB540102-2025-001",
        ),
        Column(
            "agreement_status",
            "协议状态",
            True,
            _("A status from the list: 有效, 中止 or 解除 (or active, suspended, terminated)."),
            "有效",
            choices="agreement_status",
        ),
        Column("start_date", "协议开始日期", True, DATE_RULE, "2025-01-01"),
        Column("end_date", "协议结束日期", False, DATE_RULE, "2027-12-31"),
        _REGION,
        Column(
            "entity_kind",
            "机构类型",
            False,
            _("Used only when the institution is new: a kind of entity from the list."),
            "单体药店",
            choices="entity_kind",
        ),
    ),
    SourceKind.SUPERVISION_PROBLEMS: (
        _ENTITY_NAME,
        _USCC,
        Column("region_code", "行政区划代码", False, REGION_RULE, "540102"),
        Column("category", "问题类别", True, _("The category of the problem."), "药品储存不规范"),
        Column("description", "问题描述", True, _("What was found."), "阴凉柜温度超标"),
        Column("found_on", "发现日期", True, DATE_RULE, "2026-01-05"),
    ),
}


def allowed_values(name: str) -> list[tuple[str, str]]:
    """(code, Chinese label) of every value a coded column accepts, in the platform's order."""
    from django.utils import translation

    from yaojian.exchange.plugins import plugin_sources
    from yaojian.registry.choices import EntityKind, LicenceKind, LicenceStatus

    for source in plugin_sources():
        if name in source.choice_lists:
            return list(source.choice_lists[name]())
    if name == "agreement_status":
        return [("active", "有效"), ("suspended", "中止"), ("terminated", "解除")]
    choices = {
        "entity_kind": EntityKind.choices,
        "register_licence_kind": [
            (value, label)
            for value, label in LicenceKind.choices
            if value not in (LicenceKind.MEDICAL_PRACTICE, LicenceKind.INSURANCE_AGREEMENT)
        ],
        "licence_status": LicenceStatus.choices,
    }[name]
    with translation.override("zh-hans"):
        return [(str(value), str(label)) for value, label in choices]


def columns_for(kind: str) -> tuple[Column, ...]:
    """The columns of a source kind (``KeyError`` for an unknown kind)."""
    from yaojian.exchange.plugins import plugin_source

    source = plugin_source(kind)
    if source is not None:
        return source.columns
    return COLUMNS[kind]


def header_index(kind: str) -> dict[str, str]:
    """Accepted header text (Chinese header, aliases, field key) → field key."""
    index: dict[str, str] = {}
    for column in columns_for(kind):
        for text in (column.header, column.key, *column.aliases):
            index[normalise_header(text)] = column.key
    return index


def normalise_header(text: Any) -> str:
    """A header cell compared loosely: no spaces, no required marker, no full-width brackets."""
    value = "" if text is None else str(text)
    for char in (" ", "\u3000", "*", "＊", "\n", "\r", "\t"):
        value = value.replace(char, "")
    return value.strip().lower()
