"""How values are written in Chinese official documents: dates, amounts, blanks.

Pure functions; the layouts call them so every document writes a date or an amount the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

BLANK = "＿" * 12  # a line to fill in by hand, for a value the context lacks

_DIGITS_LOWER = "〇一二三四五六七八九"
_DIGITS_CAPITAL = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")


def is_blank(value: Any) -> bool:
    """True for None, empty strings and empty lists."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not value
    return False


def text(value: Any) -> str:
    """``value`` as document text; dates and amounts formatted; blank line when missing."""
    if is_blank(value):
        return BLANK
    if isinstance(value, dt.datetime):
        return chinese_date(value.date())
    if isinstance(value, dt.date):
        return chinese_date(value)
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, list | tuple):
        return "、".join(str(item) for item in value if not is_blank(item)) or BLANK
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def as_date(value: Any) -> dt.date | None:
    """A date from a date, datetime or ISO string; None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def chinese_date(value: Any) -> str:
    """二〇二六年十一月二十二日 (the style of official documents); a blank line when missing."""
    day = as_date(value)
    if day is None:
        return "    年  月  日" if is_blank(value) else str(value)
    year = "".join(_DIGITS_LOWER[int(d)] for d in str(day.year))
    return f"{year}年{_small_number(day.month)}月{_small_number(day.day)}日"


def _small_number(number: int) -> str:
    """1–31 in Chinese numerals: 十一, 二十二, 三十一."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _DIGITS_LOWER[ones]
    prefix = "" if tens == 1 else _DIGITS_LOWER[tens]
    return f"{prefix}十{_DIGITS_LOWER[ones] if ones else ''}"


def as_decimal(value: Any) -> Decimal | None:
    """A Decimal from a Decimal, int or numeric string; None otherwise (floats are refused)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str) and value.strip():
        try:
            return Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            return None
    return None


def amount(value: Any) -> str:
    """人民币1,500,000.00元（大写：壹佰伍拾万元整）; a blank line when missing."""
    number = as_decimal(value)
    if number is None:
        return BLANK if is_blank(value) else str(value)
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"人民币{number:,.2f}元（大写：{capital_amount(number)}）"


def capital_amount(value: Decimal) -> str:
    """The amount in capital numerals as written on financial documents: 壹佰伍拾万元整."""
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "负" if value < 0 else ""
    value = abs(value)
    yuan = int(value)
    cents = int((value - yuan) * 100)
    jiao, fen = divmod(cents, 10)
    words = _capital_integer(yuan) + "元" if yuan else ""
    if not jiao and not fen:
        return sign + (words or "零元") + "整"
    if jiao:
        words += _DIGITS_CAPITAL[jiao] + "角"
    elif yuan:
        words += "零"
    if fen:
        words += _DIGITS_CAPITAL[fen] + "分"
    else:
        words += "整"
    return sign + words


def _capital_integer(number: int) -> str:
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    out = ""
    need_zero = False
    for position in range(len(groups) - 1, -1, -1):
        group = groups[position]
        if group == 0:
            need_zero = bool(out)
            continue
        if out and (need_zero or group < 1000):
            out += "零"
        out += _capital_group(group) + _SECTIONS[position]
        need_zero = False
    return out


def _capital_group(group: int) -> str:
    digits = [int(d) for d in f"{group:04d}"]
    out = ""
    zero = False
    started = False
    for i, digit in enumerate(digits):
        unit = _UNITS[3 - i]
        if digit == 0:
            zero = started
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS_CAPITAL[digit] + unit
        started = True
    return out
