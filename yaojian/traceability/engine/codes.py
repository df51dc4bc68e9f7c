"""Trace-code parsing (DOMAIN.md §1.4): 20-digit codes, GS1 element strings, EAN-13 refused.

A pack's *key* is what the rules compare: the 20-digit code itself, or ``(01)GTIN(21)SERIAL``
for GS1 (one pack per (GTIN, serial), whatever the element order or the other AIs). The key
of a GS1 code is also its bracketed human-readable form, which the flags write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GS = "\x1d"
SYMBOLOGY_PREFIXES = ("]d2", "]C1", "]Q3", "]e0")
TWENTY_DIGITS = re.compile(r"\d{20}")
EAN13 = re.compile(r"\d{13}")
GS1_START = re.compile(r"01\d{14}")

TWENTY = "twenty"
GS1 = "gs1"

# Reason codes (stable, machine-readable; the UI translates them).
R_EMPTY = "code_empty"
R_EAN13 = "code_ean13"
R_GS1_INVALID = "code_gs1_invalid"
R_GS1_INCOMPLETE = "code_gs1_incomplete"
R_UNKNOWN = "code_unknown_family"


@dataclass(frozen=True)
class ParsedCode:
    kind: str  # TWENTY, GS1 or "" when refused
    key: str  # the pack's identity ("" when refused)
    reason: str = ""  # a reason code when refused
    message: str = ""  # English detail when refused


def _refuse(reason: str, message: str) -> ParsedCode:
    return ParsedCode(kind="", key="", reason=reason, message=message)


def strip_symbology(value: str) -> str:
    for prefix in SYMBOLOGY_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def parse_trace_code(raw: str | None) -> ParsedCode:
    """Parse one scanned trace code; never raises."""
    value = strip_symbology((raw or "").strip())
    if not value:
        return _refuse(R_EMPTY, "The trace code is empty.")
    if TWENTY_DIGITS.fullmatch(value):
        return ParsedCode(kind=TWENTY, key=value)
    if GS in value or value.startswith("(") or GS1_START.match(value):
        return _parse_gs1(value)
    if EAN13.fullmatch(value):
        return _refuse(R_EAN13, "An EAN-13 product code (商品码) identifies a product, not a pack.")
    return _refuse(R_UNKNOWN, "The code is neither a 20-digit trace code nor a GS1 string.")


# The fast path of the common GS1 spellings on drug packs: AIs 01 (GTIN), 17 and 11 (dates),
# 10 (batch) and 21 (serial), as element strings (GS-separated) or in brackets. It answers only
# what it is sure of (check digit right, dates real, plain alphanumeric batch and serial, no AI
# twice) and hands anything else to biip: it never accepts what biip would refuse, and it gives
# biip's key. ``tests/test_codes.py`` compares the two on every spelling the generator writes
# and on broken ones. biip takes ~0.3 ms a code; a province's data has millions of distinct
# GS1 codes.
_FIXED = {"01": 14, "17": 6, "11": 6}
_VARIABLE = ("10", "21")
_ALNUM20 = re.compile(r"[0-9A-Za-z]{1,20}")
_HRI_PART = re.compile(r"\((\d\d)\)([^()]*)")


def _gtin_ok(gtin: str) -> bool:
    if len(gtin) != 14 or not gtin.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(gtin[:13]))
    return (10 - total % 10) % 10 == int(gtin[13])


def _date_ok(text: str) -> bool:
    import datetime as dt

    if len(text) != 6 or not text.isdigit() or text.endswith("00"):
        return False  # day 00 (end of month) is left to biip
    try:
        dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        return False
    return True


def _elements(value: str) -> dict[str, str] | None:
    """AI → value of a simple element string or bracketed form; None when not simple."""
    found: dict[str, str] = {}
    if value.startswith("("):
        parts = _HRI_PART.findall(value)
        if "".join(f"({ai}){v}" for ai, v in parts) != value:
            return None
        pairs = parts
    else:
        pairs = []
        rest = value
        while rest:
            ai, rest = rest[:2], rest[2:]
            if ai in _FIXED:
                size = _FIXED[ai]
                pairs.append((ai, rest[:size]))
                rest = rest[size:]
            elif ai in _VARIABLE:
                item, _sep, rest = rest.partition(GS)
                pairs.append((ai, item))
                continue
            else:
                return None
            if rest.startswith(GS):
                rest = rest[1:]
    for ai, item in pairs:
        if ai in found:
            return None
        if ai in _FIXED and len(item) != _FIXED[ai]:
            return None
        found[ai] = item
    return found


def _fast_gs1(value: str) -> ParsedCode | None:
    elements = _elements(value)
    if not elements or set(elements) - {*_FIXED, *_VARIABLE}:
        return None
    gtin, serial = elements.get("01"), elements.get("21")
    if not gtin or not serial or not _gtin_ok(gtin) or not _ALNUM20.fullmatch(serial):
        return None
    if any(not _date_ok(elements[ai]) for ai in ("17", "11") if ai in elements):
        return None
    if "10" in elements and not _ALNUM20.fullmatch(elements["10"]):
        return None
    return ParsedCode(kind=GS1, key=f"(01){gtin}(21){serial}")


def _parse_gs1(value: str) -> ParsedCode:
    fast = _fast_gs1(value)
    if fast is not None:
        return fast
    return _parse_gs1_biip(value)


def _parse_gs1_biip(value: str) -> ParsedCode:
    from biip.gs1_messages import GS1Message

    try:
        message = GS1Message.parse_hri(value) if value.startswith("(") else GS1Message.parse(value)
    except Exception as exc:  # biip raises its own ParseError family
        return _refuse(R_GS1_INVALID, f"Not a valid GS1 element string: {exc}")
    gtin = serial = None
    for element in message.element_strings:
        if element.ai.ai == "01":
            if element.gtin_error:
                return _refuse(R_GS1_INVALID, str(element.gtin_error))
            gtin = element.value
        elif element.ai.ai == "21":
            serial = element.value
    if not gtin or not serial:
        return _refuse(
            R_GS1_INCOMPLETE, "A GS1 trace code needs a GTIN (01) and a serial number (21)."
        )
    return ParsedCode(kind=GS1, key=f"(01){gtin}(21){serial}")
