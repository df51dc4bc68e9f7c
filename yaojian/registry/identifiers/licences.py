"""Licence numbers by kind (DOMAIN.md §1.3).

What is accepted, after normalisation (NFKC, no whitespace, upper case; hyphens are dropped
except for the free-form kinds):

* drug manufacturing: mainland province abbreviation + 4-digit year (19xx/20xx) + 4-digit
  sequence, e.g. 京20200001;
* drug distribution: mainland province abbreviation + category (A–D, then A/B) + digits: 9 digits
  under the 2024 scheme (4-digit area + 5-digit sequence, e.g. 琼AA898000001), or 7 or 8 digits
  under the older scheme (3- or 4-digit area + 4-digit sequence, e.g. 藏AA8910001). Other
  category letters are refused;
* device distribution licence / filing: province abbreviation, optional one-character city
  abbreviation, 食药监 or 药监, 械经营许 (licence) or 械经营备 (filing), 4-digit year + 4-digit
  serial, 号 (added when missing), e.g. 藏拉药监械经营许20240001号;
* every other kind: 2–64 characters among Latin letters, digits, Chinese characters, ``()`` and
  ``-``, with at least one letter, digit or Chinese character.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaojian.registry.choices import LicenceKind
from yaojian.registry.identifiers._text import (
    DIGITS,
    normalise_identifier,
    normalise_keeping_hyphens,
    shown,
)
from yaojian.registry.identifiers.provinces import (
    MAINLAND_PROVINCE_CODES,
    abbreviation_for_province_code,
    mainland_province_code,
)

CODE = "invalid_licence_number"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_MANUFACTURING = re.compile(r"(?P<abbreviation>.)(?:19|20)[0-9]{6}")
_DISTRIBUTION = re.compile(r"(?P<abbreviation>.)[A-D][AB][0-9]{7,9}")
_DEVICE = re.compile(
    rf"(?P<abbreviation>.)[{_CJK}]?(?:食药监|药监)械经营(?P<kind>[许备])(?:19|20)[0-9]{{6}}号?"
)
_FREE_FORM = re.compile(rf"[0-9A-Z(){_CJK}-]{{2,64}}")
_SUBSTANCE = re.compile(rf"[0-9A-Z{_CJK}]")
# Looked up for every imported row (``TextChoices.values`` builds a list each time).
_KINDS = frozenset(LicenceKind.values)
_DEVICE_KIND = {LicenceKind.DEVICE_DISTRIBUTION.value: "许", LicenceKind.DEVICE_FILING.value: "备"}
EXAMPLES = {
    LicenceKind.DRUG_MANUFACTURING.value: "京20200001",
    LicenceKind.DRUG_DISTRIBUTION.value: "琼AA898000001",
    LicenceKind.DEVICE_DISTRIBUTION.value: "藏拉药监械经营许20240001号",
    LicenceKind.DEVICE_FILING.value: "藏拉药监械经营备20240001号",
}
_FORMATS = {
    LicenceKind.DRUG_MANUFACTURING.value: _(
        "A drug manufacturing licence number is a province abbreviation, a 4-digit year and a "
        "4-digit sequence number (for example %(example)s); “%(value)s” does not fit."
    ),
    LicenceKind.DRUG_DISTRIBUTION.value: _(
        "A drug distribution licence number is a province abbreviation, a letter from A to D, "
        "the letter A or B, and 9 digits (for example %(example)s; licences issued before 2024 "
        "have 7 or 8 digits); “%(value)s” does not fit."
    ),
    LicenceKind.DEVICE_DISTRIBUTION.value: _(
        "A medical-device distribution licence number has the form %(example)s: province and "
        "city abbreviations, a 4-digit year and a 4-digit serial number; “%(value)s” does not fit."
    ),
    LicenceKind.DEVICE_FILING.value: _(
        "A medical-device distribution filing number has the form %(example)s: province and "
        "city abbreviations, a 4-digit year and a 4-digit serial number; “%(value)s” does not fit."
    ),
}


def _structured(kind: str, raw: str) -> str:
    number = normalise_identifier(raw)
    pattern = {
        LicenceKind.DRUG_MANUFACTURING.value: _MANUFACTURING,
        LicenceKind.DRUG_DISTRIBUTION.value: _DISTRIBUTION,
    }.get(kind, _DEVICE)
    match = pattern.fullmatch(number)
    if match is None or (kind in _DEVICE_KIND and match["kind"] != _DEVICE_KIND[kind]):
        raise ValidationError(
            _FORMATS[kind], code=CODE, params={"example": EXAMPLES[kind], "value": shown(raw)}
        )
    if mainland_province_code(match["abbreviation"]) is None:
        raise ValidationError(
            _(
                "Licence number %(value)s must start with the abbreviation of a mainland "
                "province, autonomous region or municipality, not “%(abbreviation)s”."
            ),
            code=CODE,
            params={"value": number, "abbreviation": match["abbreviation"]},
        )
    if kind == LicenceKind.DRUG_DISTRIBUTION.value and len(number) == 12:
        _check_adjustment_digit(number, mainland_province_code(match["abbreviation"]))
    if kind in _DEVICE_KIND and not number.endswith("号"):
        number += "号"
    return number


def _check_adjustment_digit(number: str, province_code: str | None) -> None:
    """A 2024-scheme 药品经营许可证: the 4th digit of the area code is the province's
    adjustment digit, among those ``PROVINCIAL_RULES`` allow (DOMAIN.md §1.3, §5.4)."""
    from yaojian.core.provinces import licence_adjustment_digits

    allowed = licence_adjustment_digits(province_code)
    if number[6] not in allowed:
        raise ValidationError(
            _(
                "Licence number %(value)s: the fourth digit of the area code (%(digit)s) is "
                "not an adjustment digit this province uses (%(allowed)s)."
            ),
            code=CODE,
            params={"value": number, "digit": number[6], "allowed": "、".join(allowed)},
        )


def validate_licence_number(kind: str, value: str) -> str:
    """Return the normalised licence number for a ``LicenceKind`` value, or raise.

    Raises ``ValidationError(code="invalid_licence_number")``, or ``code="invalid_licence_kind"``
    when ``kind`` is not a ``LicenceKind`` value.
    """
    if kind not in _KINDS:
        raise ValidationError(
            _("“%(kind)s” is not a kind of licence."),
            code="invalid_licence_kind",
            params={"kind": shown(kind)},
        )
    if str(kind) in _FORMATS:
        return _structured(str(kind), value)
    number = normalise_keeping_hyphens(value)
    if not (_FREE_FORM.fullmatch(number) and _SUBSTANCE.search(number)):
        raise ValidationError(
            _(
                "A licence number has 2 to 64 characters: letters, digits, Chinese characters, "
                "brackets and hyphens; “%(value)s” does not fit."
            ),
            code=CODE,
            params={"value": shown(value)},
        )
    return number


def _mainland_abbreviation(province_code: str) -> str:
    if str(province_code)[:2] not in MAINLAND_PROVINCE_CODES:
        raise ValueError(f"not a mainland province code: {province_code!r}")
    return abbreviation_for_province_code(province_code)


def make_drug_distribution_licence_number(
    province_code: str, category: str, area: str, seq: int
) -> str:
    """A 2024-scheme number: ``("46", "AA", "8980", 1)`` → ``琼AA898000001``.

    ``province_code`` has 2 or 6 digits; ``category`` is A–D then A/B; ``area`` 4 digits.
    """
    abbreviation = _mainland_abbreviation(province_code)
    category = category.upper()
    if not re.fullmatch(r"[A-D][AB]", category):
        raise ValueError(f"category must be A-D then A/B, got {category!r}")
    if len(area) != 4 or not set(area) <= DIGITS:
        raise ValueError(f"area must be 4 digits, got {area!r}")
    if not 0 <= seq <= 99_999:
        raise ValueError(f"seq must be 0-99999, got {seq}")
    return f"{abbreviation}{category}{area}{seq:05d}"


def make_drug_manufacturing_licence_number(province_code: str, year: int, seq: int) -> str:
    """``("11", 2020, 1)`` → ``京20200001``."""
    abbreviation = _mainland_abbreviation(province_code)
    if not 1900 <= year <= 2099:
        raise ValueError(f"year must be 1900-2099, got {year}")
    if not 0 <= seq <= 9_999:
        raise ValueError(f"seq must be 0-9999, got {seq}")
    return f"{abbreviation}{year:04d}{seq:04d}"
