"""Why a trace-event row or file was refused, in words (English msgids, Chinese translations).

The engine (``engine/normalise.py``) answers reason codes only; this module turns them into
sentences. Rejected-rows reports are written in the platform's language (they are downloaded
long after the request); pages render the codes in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ROW_REASONS: dict[str, Any] = {
    "event_id_missing": _("The event_id is empty."),
    "code_empty": _("The trace_code is empty."),
    "code_ean13": _(
        "The trace_code is an EAN-13 product code (商品码): it names a product, not a pack."
    ),
    "code_gs1_invalid": _("The trace_code is not a valid GS1 element string."),
    "code_gs1_incomplete": _("The GS1 trace_code lacks the GTIN (01) or the serial number (21)."),
    "code_unknown_family": _(
        "The trace_code is neither a 20-digit drug trace code nor a GS1 element string."
    ),
    "event_type_invalid": _(
        "The event_type is not one of produce, ship, receive, dispense, reverse."
    ),
    "occurred_at_invalid": _("The occurred_at is not an ISO 8601 timestamp."),
    "occurred_at_without_offset": _(
        "The occurred_at has no UTC offset (write +08:00 or Z at the end)."
    ),
    "party_uscc_missing": _("The party_uscc is empty."),
    "party_uscc_invalid": _("The party_uscc is not a valid unified social credit code."),
    "counterparty_uscc_invalid": _(
        "The counterparty_uscc is not a valid unified social credit code."
    ),
    "counterparty_missing": _("A ship or receive event needs the counterparty_uscc."),
    "party_region_invalid": _("The party_region is not a 6-digit region code of China."),
    "pack_units_invalid": _("The pack_units is not a whole number above zero."),
    "units_invalid": _("The units is not a whole number above zero."),
    "insured_id_missing": _("A dispense or reverse event needs the insured_id."),
    "reverses_event_id_missing": _("A reverse event needs the reverses_event_id."),
    "row_too_few_columns": _(
        "The row has fewer columns than the header (the file may be truncated)."
    ),
    "row_too_many_columns": _("The row has more columns than the header (a stray comma?)."),
    "row_not_utf8": _("The row is not UTF-8 text."),
    "row_malformed": _("The row cannot be read as CSV (check its quotes)."),
}

FILE_REASONS: dict[str, Any] = {
    "encoding_gb18030": _(
        "%(file)s is encoded in GB18030/GBK; the format requires UTF-8. Save it as UTF-8 "
        "(in Excel: CSV UTF-8) and send it again. Nothing from it was ingested."
    ),
    "encoding_invalid": _(
        "%(file)s is not UTF-8 text (at byte %(offset)s). Nothing from it was ingested."
    ),
    "column_missing": _(
        "%(file)s has no column “%(column)s”; the format requires it. Nothing from it was ingested."
    ),
    "file_unreadable": _(
        "%(file)s cannot be read as Parquet or CSV (it may be truncated or corrupt): "
        "%(error)s. Nothing from it was ingested."
    ),
}


def row_reason(code: str) -> str:
    """One row reason in the active language (the code itself when unknown)."""
    text = ROW_REASONS.get(code)
    return str(text) if text is not None else code


def describe(codes: Iterable[str]) -> str:
    """The reasons of one row in the platform's language, joined."""
    with translation.override(settings.LANGUAGE_CODE):
        return "；".join(row_reason(code) for code in codes)


def file_reason(code: str, params: dict[str, Any], fallback: str = "") -> str:
    """Why a whole file was refused, in the active language."""
    text = FILE_REASONS.get(code)
    if text is None:
        return fallback or code
    values = {"file": "", "column": "", "offset": "", "error": "", **params}
    return str(text) % values
