"""Province-level abbreviations (简称) used as the first character of licence and 制字 numbers."""

from __future__ import annotations

import unicodedata

# GB/T 2260 two-digit province codes → the official one-character abbreviation (data).
PROVINCE_ABBREVIATIONS: dict[str, str] = {
    "11": "京",
    "12": "津",
    "13": "冀",
    "14": "晋",
    "15": "蒙",
    "21": "辽",
    "22": "吉",
    "23": "黑",
    "31": "沪",
    "32": "苏",
    "33": "浙",
    "34": "皖",
    "35": "闽",
    "36": "赣",
    "37": "鲁",
    "41": "豫",
    "42": "鄂",
    "43": "湘",
    "44": "粤",
    "45": "桂",
    "46": "琼",
    "50": "渝",
    "51": "川",
    "52": "黔",
    "53": "滇",
    "54": "藏",
    "61": "陕",
    "62": "甘",
    "63": "青",
    "64": "宁",
    "65": "新",
    "71": "台",
    "81": "港",
    "82": "澳",
}

# Taiwan, Hong Kong and Macao: no mainland drug regulator issues licences under these.
HMT_PROVINCE_CODES = frozenset({"71", "81", "82"})
MAINLAND_PROVINCE_CODES = frozenset(PROVINCE_ABBREVIATIONS) - HMT_PROVINCE_CODES

_CODE_BY_ABBREVIATION = {abbr: code for code, abbr in PROVINCE_ABBREVIATIONS.items()}


def province_code_for_abbreviation(abbr: str) -> str | None:
    """``"藏"`` → ``"54"``; ``None`` for anything that is not an official abbreviation.

    Only the official abbreviations are known (黔 not 贵, 滇 not 云, 川 not 蜀, 甘 not 陇).
    """
    return _CODE_BY_ABBREVIATION.get(unicodedata.normalize("NFKC", abbr or "").strip())


def mainland_province_code(abbr: str) -> str | None:
    """Like ``province_code_for_abbreviation``, but ``None`` for 港, 澳 and 台."""
    code = province_code_for_abbreviation(abbr)
    return code if code in MAINLAND_PROVINCE_CODES else None


def abbreviation_for_province_code(code: str) -> str:
    """``"54"`` or ``"540102"`` → ``"藏"``; ``ValueError`` for an unknown province."""
    try:
        return PROVINCE_ABBREVIATIONS[str(code)[:2]]
    except KeyError:
        raise ValueError(f"unknown province code {code!r}") from None
