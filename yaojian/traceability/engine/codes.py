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


def _parse_gs1(value: str) -> ParsedCode:
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
