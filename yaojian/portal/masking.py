"""Masking of personal data before penalty information goes public (DOMAIN.md §2.4).

* A natural person's name becomes the surname followed by 某某 (张三 → 张某某, 欧阳娜娜 →
  欧阳某某); the same masked form hides the length of the given name.
* Identity-card numbers and telephone numbers are never shown: they are replaced by ``***``
  wherever they appear in the published text.
* A natural person's address is trimmed to the county (区/县).
* Organisations' names and unified social credit codes are public and shown in full.

Pure functions, no database access: the services compute the masked fields once, when they
publish, and the public pages read only those.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

MASK = "***"
GIVEN_NAME_MASK = "某某"

# 复姓: compound surnames, longest first where one is a prefix of another.
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "令狐", "夏侯", "轩辕", "端木", "西门", "南宫", "独孤", "澹台",
        "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "仲孙", "钟离", "闻人",
        "万俟", "赫连", "百里", "东郭", "呼延", "羊舌", "第五", "梁丘", "左丘", "拓跋",
        "司空", "亓官", "司寇", "巫马", "公西", "漆雕", "乐正", "壤驷", "公良", "谷梁",
        "段干", "子车", "颛孙", "鲜于", "闾丘", "东门", "公羊", "微生", "呼衍",
    }
)  # fmt: skip

# Separators inside transliterated names (阿卜杜·热合曼): the first part is shown.
_NAME_SEPARATORS = re.compile(r"[·•・．.\s]+")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# 18-digit identity-card numbers (GB 11643) and the old 15-digit ones.
_ID_18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID_15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
# Mobile numbers (with an optional +86) and landlines with an area code.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}-?)\d{7,8}(?:-\d{1,5})?(?!\d)")


def mask_person_name(name: str) -> str:
    """张三 → 张某某; 欧阳娜娜 → 欧阳某某; 阿卜杜·热合曼 → 阿某某; empty stays empty.

    A two-character name is never read as a compound surname alone (欧阳 → 欧某某), so the
    whole name is never shown.
    """
    name = name.strip()
    if not name:
        return ""
    first = _NAME_SEPARATORS.split(name)[0] or name
    if len(first) > 2 and first[:2] in COMPOUND_SURNAMES:
        return first[:2] + GIVEN_NAME_MASK
    return first[0] + GIVEN_NAME_MASK


def _valid_id_18(number: str) -> bool:
    digits = number.upper()
    try:
        dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17]


def _valid_id_15(number: str) -> bool:
    try:
        dt.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


def looks_like_id_number(value: str) -> bool:
    """True for a well-formed identity-card number (checksum and birth date checked)."""
    value = value.strip()
    if _ID_18.fullmatch(value):
        return _valid_id_18(value)
    return bool(_ID_15.fullmatch(value)) and _valid_id_15(value)


def scrub_text(text: str, *, names: Iterable[tuple[str, str]] = ()) -> str:
    """``text`` without identity-card and telephone numbers; each ``(name, masked)`` replaced.

    An 18-character run of digits is taken for an identity-card number only when its birth
    date and check digit are right, so that credit codes made only of digits survive.
    """
    text = _ID_18.sub(lambda m: MASK if _valid_id_18(m.group()) else m.group(), text)
    text = _ID_15.sub(lambda m: MASK if _valid_id_15(m.group()) else m.group(), text)
    text = _MOBILE.sub(MASK, text)
    text = _LANDLINE.sub(MASK, text)
    for name, masked in sorted(names, key=lambda pair: -len(pair[0])):
        name = name.strip()
        if len(name) >= 2:
            text = text.replace(name, masked)
    return text


# The published record's own word for the party (the prescribed wording of 公示 texts: data,
# not a UI string). The party's name is shown once, in its own field; the texts say 当事人.
PARTY_WORD = "当事人"


def without_party_name(text: str, party_names: Iterable[str]) -> str:
    """``text`` with the party's name (and its masked form) replaced by 当事人, never doubled
    (“当事人张三” → “当事人”)."""
    for name in sorted({n.strip() for n in party_names if n and len(n.strip()) >= 2}, key=len)[
        ::-1
    ]:
        text = text.replace(PARTY_WORD + name, PARTY_WORD).replace(name, PARTY_WORD)
    return text


def contains_personal_numbers(text: str) -> bool:
    """True if ``text`` holds an identity-card or a telephone number."""
    return scrub_text(text) != text


def mask_address(address: str, region_names: list[str]) -> str:
    """A natural person's address trimmed to the county.

    ``region_names`` are the names of the party's regions from the province down to the
    county (西藏自治区, 拉萨市, 城关区). The address is cut after the last of them it contains;
    an address that names none of them is replaced by the names joined.
    """
    address = address.strip()
    best = -1
    for name in region_names:
        if name:
            index = address.rfind(name)
            if index >= 0:
                best = max(best, index + len(name))
    if best > 0:
        return address[:best]
    return "".join(region_names)


_ADDRESS_CHAR = r"[^\s，。；、,.;:：（）()〔〕《》“”\"']"
_ADDRESS_END = r"\d+(?:[-－]\d+)*(?:号|室|栋|幢|单元|弄|组)"


def trim_addresses(text: str, region_names: list[str]) -> str:
    """Street-level details after a region's name cut off: 拉萨市城关区北京中路12号 → 拉萨市城关区.

    Only a run that ends in a house number (12号, 3单元, 5组 …) is cut, so prose that merely
    names the county is left alone; the cut starts after the last region name of the run.
    """
    names = sorted({name for name in region_names if name}, key=len, reverse=True)
    if not names:
        return text
    any_name = "|".join(re.escape(name) for name in names)
    tail = f"(?:(?!{any_name}){_ADDRESS_CHAR}){{0,30}}?{_ADDRESS_END}"
    pattern = re.compile(f"({any_name}){tail}")
    return pattern.sub(lambda m: m.group(1), text)
