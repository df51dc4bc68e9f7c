"""Validating one row of a source against DOMAIN.md: identifiers, regions, dates, choices.

``RowValidator.validate(line, raw)`` returns a :class:`CleanRow` or a list of reasons. Reasons
are dicts ``{"field", "code", "message"}``; the message is rendered in the platform's language
(Chinese) because rejected rows are kept and downloaded long after the request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from yaojian.exchange.choices import SourceKind
from yaojian.exchange.plugins import plugin_source
from yaojian.exchange.sources import columns_for
from yaojian.registry import names
from yaojian.registry.choices import EntityKind, LicenceKind, LicenceStatus
from yaojian.registry.identifiers import (
    validate_licence_number,
    validate_unified_social_credit_code,
)
from yaojian.registry.identifiers.uscc import ALPHABET as USCC_ALPHABET
from yaojian.territory.codes import normalise_region_code
from yaojian.territory.models import Region

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_TIME_SUFFIX = re.compile(r"[ T]00:00(:00)?$")
_SERIAL = re.compile(r"\d{5}(\.\d+)?")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\u202e]")
# A credit code already in canonical form (18 symbols, digits in 3–8): checked without the
# general normalisation; anything else goes through the registry's validator for its message.
_CANONICAL_USCC = re.compile(f"[{USCC_ALPHABET}]{{2}}[0-9]{{6}}[{USCC_ALPHABET}]{{10}}")
_USCC_VALUES = {symbol: value for value, symbol in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_VALUES = {symbol: int(symbol, 36) for symbol in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
MAX_TEXT = {"entity_name": 200, "address": 255, "legal_representative": 64}

# The licence kinds a licence register may carry (practice licences and insurance agreements
# come from the health commission and the insurance bureau).
REGISTER_LICENCE_KINDS = frozenset(LicenceKind.values) - {
    LicenceKind.MEDICAL_PRACTICE,
    LicenceKind.INSURANCE_AGREEMENT,
}
AGREEMENT_STATUS = {
    "active": LicenceStatus.VALID,
    "有效": LicenceStatus.VALID,
    "正常": LicenceStatus.VALID,
    "suspended": LicenceStatus.SUSPENDED,
    "中止": LicenceStatus.SUSPENDED,
    "暂停": LicenceStatus.SUSPENDED,
    "terminated": LicenceStatus.CANCELLED,
    "解除": LicenceStatus.CANCELLED,
    "终止": LicenceStatus.CANCELLED,
}
VALID = str(LicenceStatus.VALID.value)
HOSPITAL = str(EntityKind.HOSPITAL.value)
OTHER_KIND = str(EntityKind.OTHER.value)
SOURCE_LICENCE_KIND = {
    SourceKind.MEDICAL_INSTITUTIONS: LicenceKind.MEDICAL_PRACTICE,
    SourceKind.INSURANCE_DESIGNATIONS: LicenceKind.INSURANCE_AGREEMENT,
}


@dataclass
class CleanRow:
    """A valid row, normalised: what the applier needs."""

    line: int
    record_key: str
    payload: dict[str, Any]  # normalised values (JSON-friendly): stored and hashed
    raw: dict[str, Any] = field(default_factory=dict)  # the cells as read
    # Set when a linkage review decided the entity: its pk, or "new" (create one).
    link: int | str | None = None
    held: bool = False

    @cached_property
    def content_hash(self) -> str:
        text = json.dumps(self.payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str, default: Any = "") -> Any:
        return self.payload.get(key, default)


def raw_text(value: Any) -> str:
    """A cell as the text shown in rejected rows and error reports."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_date(value: Any) -> dt.date | None:
    """A date from any of the accepted forms; ``None`` when it is none of them."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    text = _TIME_SUFFIX.sub("", str(value).strip())
    if _SERIAL.fullmatch(text):
        return _serial(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def _serial(number: float) -> dt.date | None:
    """An Excel serial date (days since 1899-12-30), only within 1955–2119."""
    if not 20000 <= number <= 80000:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


class RowValidator:
    """Validates rows of one source kind for one department (regions loaded once)."""

    def __init__(self, kind: str, *, jurisdiction_prefix: str) -> None:
        self.kind = kind
        self.jurisdiction_prefix = jurisdiction_prefix
        self.columns = {c.key: c for c in columns_for(kind)}
        self.required = [(key, c) for key, c in self.columns.items() if c.required]
        contributed = plugin_source(kind)
        if contributed is not None:
            source_clean = contributed.clean
            self._clean = lambda raw, out, reasons: source_clean(self, raw, out, reasons)
            self._plugin_key: Any = contributed.record_key
        else:
            self._clean = getattr(self, f"_clean_{kind}")
            self._plugin_key = None
        self.regions: dict[str, tuple[str, str | None]] = {
            code: (name, None if valid_to is None else (successor or ""))
            for code, name, valid_to, successor in Region.objects.values_list(
                "code", "name", "valid_to", "successor_id"
            )
        }
        self.entity_kinds = _choice_lookup(EntityKind)
        self.licence_statuses = _choice_lookup(LicenceStatus)
        self.licence_kinds = _choice_lookup(LicenceKind)

    def validate(self, line: int, raw: dict[str, Any]) -> CleanRow | list[dict[str, str]]:
        """A clean row, or the reasons why this row is refused (in the platform's language)."""
        if translation.get_language() == settings.LANGUAGE_CODE:
            return self._validate(line, raw)
        with translation.override(settings.LANGUAGE_CODE):
            return self._validate(line, raw)

    def _validate(self, line: int, raw: dict[str, Any]) -> CleanRow | list[dict[str, str]]:
        reasons: list[dict[str, str]] = []
        payload: dict[str, Any] = {}
        for key, column in self.required:
            value = raw.get(key)
            if value is None or value == "" or raw_text(value).strip() == "":
                reasons.append(
                    _reason(
                        key,
                        "required",
                        _("The column “%(header)s” is required.") % {"header": column.header},
                    )
                )
        if not reasons:
            self._clean(raw, payload, reasons)
        if reasons:
            return reasons
        return CleanRow(
            line=line,
            record_key=self._record_key(payload),
            payload=payload,
            raw=raw,
        )

    # --- per kind ----------------------------------------------------------------------

    def _clean_licence_register(
        self, raw: dict[str, Any], out: dict[str, Any], reasons: list[dict[str, str]]
    ) -> None:
        self._entity(raw, out, reasons)
        self._choice(raw, "entity_kind", self.entity_kinds, out, reasons)
        kind = self._choice(raw, "licence_kind", self.licence_kinds, out, reasons)
        if kind and kind not in REGISTER_LICENCE_KINDS:
            reasons.append(
                _reason(
                    "licence_kind",
                    "wrong_source",
                    _(
                        "Practice licences and insurance agreements are uploaded by their own departments."
                    ),
                )
            )
        elif kind:
            self._licence_number(kind, raw.get("licence_number"), "licence_number", out, reasons)
        self._validity(raw, "valid_from", "valid_until", out, reasons)
        status = raw_text(raw.get("licence_status")).strip()
        if status:
            self._choice(raw, "licence_status", self.licence_statuses, out, reasons)
        else:
            out["licence_status"] = VALID

    def _clean_medical_institutions(
        self, raw: dict[str, Any], out: dict[str, Any], reasons: list[dict[str, str]]
    ) -> None:
        self._entity(raw, out, reasons)
        out["entity_kind"] = HOSPITAL
        out["licence_kind"] = LicenceKind.MEDICAL_PRACTICE.value
        self._licence_number(
            LicenceKind.MEDICAL_PRACTICE,
            raw.get("registration_number"),
            "registration_number",
            out,
            reasons,
        )
        out["licence_number"] = out.pop("registration_number", "")
        out["level"] = self._text(raw, "level", reasons, limit=64)
        self._validity(raw, "valid_from", "valid_until", out, reasons)
        status = raw_text(raw.get("licence_status")).strip()
        if status:
            self._choice(raw, "licence_status", self.licence_statuses, out, reasons)
        else:
            out["licence_status"] = VALID

    def _clean_insurance_designations(
        self, raw: dict[str, Any], out: dict[str, Any], reasons: list[dict[str, str]]
    ) -> None:
        self._entity(raw, out, reasons)
        out["licence_kind"] = LicenceKind.INSURANCE_AGREEMENT.value
        self._licence_number(
            LicenceKind.INSURANCE_AGREEMENT,
            raw.get("agreement_number"),
            "agreement_number",
            out,
            reasons,
        )
        out["licence_number"] = out.pop("agreement_number", "")
        status_text = raw_text(raw.get("agreement_status")).strip()
        status = AGREEMENT_STATUS.get(status_text.lower())
        if status is None:
            reasons.append(
                _reason(
                    "agreement_status",
                    "invalid_choice",
                    _("“%(value)s” is not an agreement status (active, suspended or terminated).")
                    % {"value": status_text[:40]},
                )
            )
        else:
            out["licence_status"] = status.value
        self._validity(raw, "start_date", "end_date", out, reasons)
        out["valid_from"] = out.pop("start_date", None)
        out["valid_until"] = out.pop("end_date", None)
        if raw_text(raw.get("entity_kind")).strip():
            self._choice(raw, "entity_kind", self.entity_kinds, out, reasons)
        else:
            out["entity_kind"] = OTHER_KIND

    def _clean_supervision_problems(
        self, raw: dict[str, Any], out: dict[str, Any], reasons: list[dict[str, str]]
    ) -> None:
        out["entity_name"] = self._text(raw, "entity_name", reasons, limit=200)
        out["unified_social_credit_code"] = self._uscc(raw, reasons)
        out["region_code"] = ""
        if raw_text(raw.get("region_code")).strip():
            out["region_code"] = self._region(raw, reasons)
        out["category"] = self._text(raw, "category", reasons, limit=64)
        out["description"] = self._text(raw, "description", reasons, limit=2000, multiline=True)
        found = self._date(raw, "found_on", reasons)
        out["found_on"] = found.isoformat() if found else None

    # --- fields ------------------------------------------------------------------------

    def _entity(
        self, raw: dict[str, Any], out: dict[str, Any], reasons: list[dict[str, str]]
    ) -> None:
        out["entity_name"] = self._text(raw, "entity_name", reasons, limit=200)
        if out["entity_name"] and not names.search_key(out["entity_name"]):
            reasons.append(
                _reason(
                    "entity_name",
                    "invalid_name",
                    _("The name must contain at least one letter, character or digit."),
                )
            )
        out["unified_social_credit_code"] = self._uscc(raw, reasons)
        out["region_code"] = self._region(raw, reasons)
        out["address"] = self._text(raw, "address", reasons, limit=255)
        out["legal_representative"] = self._text(raw, "legal_representative", reasons, limit=64)

    def _text(
        self,
        raw: dict[str, Any],
        key: str,
        reasons: list[dict[str, str]],
        *,
        limit: int,
        multiline: bool = False,
    ) -> str:
        text = raw_text(raw.get(key)).strip()
        if not multiline:
            text = " ".join(text.split())
        if _CONTROL.search(text):
            reasons.append(
                _reason(
                    key,
                    "control_characters",
                    _("This text contains control or invisible characters; remove them."),
                )
            )
        if text.startswith("="):
            reasons.append(
                _reason(
                    key,
                    "formula",
                    _("Formulas are not accepted; enter the value itself."),
                )
            )
        if len(text) > limit:
            reasons.append(
                _reason(
                    key,
                    "too_long",
                    _("At most %(limit)s characters are allowed.") % {"limit": limit},
                )
            )
        return text

    def _uscc(self, raw: dict[str, Any], reasons: list[dict[str, str]]) -> str:
        text = raw_text(raw.get("unified_social_credit_code")).strip()
        if not text:
            return ""
        if _CANONICAL_USCC.fullmatch(text) and _uscc_checks_pass(text):
            return text
        try:
            return validate_unified_social_credit_code(text)
        except ValidationError as exc:
            reasons.append(_reason("unified_social_credit_code", "invalid_uscc", _message(exc)))
            return ""

    def _region(self, raw: dict[str, Any], reasons: list[dict[str, str]]) -> str:
        text = raw_text(raw.get("region_code")).strip()
        try:
            code = normalise_region_code(text)
        except ValidationError as exc:
            reasons.append(_reason("region_code", "invalid_region_code", _message(exc)))
            return ""
        known = self.regions.get(code)
        if known is None:
            reasons.append(
                _reason(
                    "region_code",
                    "unknown_region",
                    _("There is no administrative division with the code %(code)s.")
                    % {"code": code},
                )
            )
            return ""
        name, successor = known
        if successor is not None:
            reasons.append(
                _reason(
                    "region_code",
                    "abolished_region",
                    _("The administrative division %(code)s (%(name)s) has been abolished.")
                    % {"code": code, "name": name},
                )
            )
            return ""
        if not code.startswith(self.jurisdiction_prefix):
            reasons.append(
                _reason(
                    "region_code",
                    "outside_jurisdiction",
                    _("%(region)s lies outside your department's jurisdiction.") % {"region": name},
                )
            )
            return ""
        return code

    def _date(self, raw: dict[str, Any], key: str, reasons: list[dict[str, str]]) -> dt.date | None:
        value = raw.get(key)
        if value is None or raw_text(value).strip() == "":
            return None
        parsed = parse_date(value)
        if parsed is None:
            reasons.append(
                _reason(
                    key,
                    "invalid_date",
                    _(
                        "“%(value)s” is not a date (use 2026-01-05, 2026/1/5, 20260105 or 2026年1月5日)."
                    )
                    % {"value": raw_text(value)[:20]},
                )
            )
        return parsed

    def _validity(
        self,
        raw: dict[str, Any],
        start_key: str,
        end_key: str,
        out: dict[str, Any],
        reasons: list[dict[str, str]],
    ) -> None:
        start = self._date(raw, start_key, reasons)
        end = self._date(raw, end_key, reasons)
        if start and end and end < start:
            reasons.append(
                _reason(
                    end_key,
                    "valid_until_before_valid_from",
                    _("A licence cannot expire before it becomes valid."),
                )
            )
        out[start_key] = start.isoformat() if start else None
        out[end_key] = end.isoformat() if end else None

    def _choice(
        self,
        raw: dict[str, Any],
        key: str,
        lookup: dict[str, str],
        out: dict[str, Any],
        reasons: list[dict[str, str]],
    ) -> str:
        text = raw_text(raw.get(key)).strip()
        value = lookup.get(text.lower())
        if value is None:
            reasons.append(
                _reason(
                    key,
                    "invalid_choice",
                    _("“%(value)s” is not one of the available choices.") % {"value": text[:40]},
                )
            )
            return ""
        out[key] = value
        return value

    def _licence_number(
        self, kind: str, value: Any, key: str, out: dict[str, Any], reasons: list[dict[str, str]]
    ) -> None:
        try:
            out[key] = validate_licence_number(kind, raw_text(value))
        except ValidationError as exc:
            reasons.append(_reason(key, "invalid_licence_number", _message(exc)))

    def _record_key(self, payload: dict[str, Any]) -> str:
        if self._plugin_key is not None:
            return str(self._plugin_key(payload))[:128]
        if self.kind == SourceKind.SUPERVISION_PROBLEMS:
            basis = json.dumps(
                [
                    payload.get(k)
                    for k in (
                        "unified_social_credit_code",
                        "entity_name",
                        "category",
                        "description",
                        "found_on",
                    )
                ],
                ensure_ascii=False,
            )
            return "problem:" + hashlib.sha256(basis.encode()).hexdigest()[:40]
        return f"{payload['licence_kind']}:{payload['licence_number']}"[:128]


def _uscc_checks_pass(code: str) -> bool:
    """Both check characters of a canonical 18-symbol code (as the registry computes them)."""
    total = sum(_USCC_VALUES[ch] * w for ch, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    if USCC_ALPHABET[(31 - total % 31) % 31] != code[17]:
        return False
    check = (
        11 - sum(_ORG_VALUES[ch] * w for ch, w in zip(code[8:16], _ORG_WEIGHTS, strict=True)) % 11
    )
    return {10: "X", 11: "0"}.get(check, str(check)) == code[16]


def _choice_lookup(choices: Any) -> dict[str, str]:
    """value, English label and Chinese label (lower-cased) → value."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[str(value).lower()] = value
        with translation.override("en"):
            lookup[str(label).lower()] = value
        with translation.override("zh-hans"):
            lookup[str(label).lower()] = value
    return lookup


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def reason(field_key: str, code: str, message: Any) -> dict[str, str]:
    """One reason why a row is refused: the column's key, a stable code and a message."""
    return {"field": field_key, "code": code, "message": str(message)}


_reason = reason
