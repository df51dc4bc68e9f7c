"""药品批准文号 and hospital-preparation (医疗机构制剂) numbers: DOMAIN.md §1.2.

Full-width letters and digits become half-width, whitespace goes, Latin letters are upper-cased;
Chinese characters are kept verbatim. Accepted forms:

=====================================  ====================  ==========================
form                                   scheme                origin
=====================================  ====================  ==========================
国药准字 + H/Z/S + C/J + 19yy/20yy + 4  reg_2020              hmt (C) / foreign (J)
国药准字 + H/Z/S + 20yy + 4, yy >= 20    reg_2020              domestic
国药准字 + H/Z/S/B/T/F/J + 8 (others)   legacy_2002           ""
国药试字 + H/Z/S/B/T/F/J + 8            legacy_2002           ""
X药制字 + H/Z + 8                       hospital_preparation  domestic
X药制备字 + Z + 4 + 4 + 3 (备案)         hospital_preparation  domestic
=====================================  ====================  ==========================

The ambiguity: 国药准字Z20200001 reads both as "2020 rules, year 2020, sequence 0001" and as
"2002 scheme, source 20 (SDA), year 20". Digits 1–4 are a year in both readings, so a plain
H/Z/S number whose digits 1–4 are a year ≥ 2020 is ``reg_2020``, anything earlier ``legacy_2002``.

In a legacy number digits 1–2 are the source (10 = Ministry of Health, 19/20 = SDA, otherwise the
province code, which goes into ``province_code``) and digits 3–4 the last two digits of the year.
X in a hospital number is a mainland province abbreviation; 藏 means Tibet, not Tibetan medicine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaojian.registry.choices import ApprovalOrigin, ApprovalScheme
from yaojian.registry.identifiers._text import normalise_keeping_chinese, shown
from yaojian.registry.identifiers.provinces import MAINLAND_PROVINCE_CODES, mainland_province_code

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CODE = "invalid_approval_number"
NATIONAL_PREFIX = "国药准字"
TRIAL_PREFIX = "国药试字"
EXAMPLE = "国药准字H20203456"
HOSPITAL_EXAMPLE = "藏药制字Z20080012"
HOSPITAL_APPROVED = "药制字"
HOSPITAL_FILED = "药制备字"

_WITH_ORIGIN = re.compile(
    r"国药准字(?P<category>[HZS])(?P<origin>[CJ])(?P<digits>(?:19|20)[0-9]{6})"
)
_PLAIN = re.compile(r"(?P<prefix>国药[准试]字)(?P<category>[HZSBTFJ])(?P<digits>[0-9]{8})")
_HOSPITAL = re.compile(r"(?P<abbreviation>.)药制(?P<filed>备)?字(?P<category>[A-Z]?)(?P<digits>.*)")
_ORIGINS = {"C": ApprovalOrigin.HMT.value, "J": ApprovalOrigin.FOREIGN.value}
_NATIONAL_SOURCES = frozenset({"10", "19", "20"})


@dataclass(frozen=True)
class DrugApprovalNumber:
    """A parsed approval number. ``normalised`` is what to store; ``raw`` what was entered."""

    raw: str
    normalised: str
    scheme: str  # an ApprovalScheme value
    origin: str  # an ApprovalOrigin value, or "" when the number does not say
    category: str  # H, Z, S, B, T, F or J
    year: int | None
    province_code: str  # "" unless a legacy number from a provincial approval


def _year_or_none(digits: str) -> int | None:
    return int(digits[:4]) if digits[:2] in {"19", "20"} else None


def _invalid(message: StrOrPromise, **params: object) -> ValidationError:
    return ValidationError(message, code=CODE, params=params)


def _parse_national(raw: str, number: str) -> DrugApprovalNumber:
    if match := _WITH_ORIGIN.fullmatch(number):
        origin, digits = _ORIGINS[match["origin"]], match["digits"]
        return DrugApprovalNumber(
            raw,
            number,
            ApprovalScheme.REG_2020.value,
            origin,
            match["category"],
            int(digits[:4]),
            "",
        )
    match = _PLAIN.fullmatch(number)
    if match is None:
        raise _invalid(
            _(
                "After %(prefix)s a drug approval number has a category letter (H, Z or S; B, T, "
                "F or J on older numbers), then C or J for drugs made in Hong Kong, Macao, Taiwan "
                "or abroad, then 8 digits; “%(value)s” does not fit."
            ),
            prefix=number[:4],
            value=shown(raw),
        )
    category, digits = match["category"], match["digits"]
    year = int(digits[:4])
    if (
        match["prefix"] == NATIONAL_PREFIX
        and category in "HZS"
        and digits[:2] == "20"
        and year >= 2020
    ):
        return DrugApprovalNumber(
            raw,
            number,
            ApprovalScheme.REG_2020.value,
            ApprovalOrigin.DOMESTIC.value,
            category,
            year,
            "",
        )
    source = digits[:2]
    if source not in _NATIONAL_SOURCES and source not in MAINLAND_PROVINCE_CODES:
        raise _invalid(
            _(
                "In drug approval number %(value)s, digits 1 and 2 (“%(source)s”) name where the "
                "approval came from and must be 10, 19, 20 or a province code."
            ),
            value=number,
            source=source,
        )
    century = 1900 if source in {"10", "19"} else 2000
    return DrugApprovalNumber(
        raw,
        number,
        ApprovalScheme.LEGACY_2002.value,
        "",
        category,
        century + int(digits[2:4]),
        "" if source in _NATIONAL_SOURCES else source,
    )


def _parse_hospital(raw: str, number: str, match: re.Match[str]) -> DrugApprovalNumber:
    if mainland_province_code(match["abbreviation"]) is None:
        raise _invalid(
            _(
                "Hospital preparation number %(value)s must start with the abbreviation of a "
                "mainland province, autonomous region or municipality, not “%(abbreviation)s”."
            ),
            value=number,
            abbreviation=match["abbreviation"],
        )
    digits, category = match["digits"], match["category"]
    filed = bool(match["filed"])
    if not (
        re.fullmatch(r"[0-9]{11}" if filed else r"[0-9]{8}", digits)
        and category in ("Z" if filed else "HZ")
    ):
        raise _invalid(
            _(
                "A hospital preparation number is a province abbreviation, %(approved)s, H or Z "
                "and 8 digits (for example %(example)s); a filed traditional preparation has "
                "%(filed)s, Z and 11 digits. “%(value)s” does not fit."
            ),
            approved=HOSPITAL_APPROVED,
            filed=HOSPITAL_FILED,
            example=HOSPITAL_EXAMPLE,
            value=shown(raw),
        )
    return DrugApprovalNumber(
        raw,
        number,
        ApprovalScheme.HOSPITAL_PREPARATION.value,
        ApprovalOrigin.DOMESTIC.value,
        category,
        _year_or_none(digits),
        "",
    )


def parse_drug_approval_number(value: str) -> DrugApprovalNumber:
    """Parse a 批准文号 or hospital-preparation number.

    Raises ``ValidationError(code="invalid_approval_number")`` with a sentence saying what is
    wrong.
    """
    raw = value or ""
    number = normalise_keeping_chinese(raw)
    if not number:
        raise _invalid(_("Enter a drug approval number."))
    if number.startswith((NATIONAL_PREFIX, TRIAL_PREFIX)):
        return _parse_national(raw, number)
    if match := _HOSPITAL.fullmatch(number):
        return _parse_hospital(raw, number, match)
    raise _invalid(
        _(
            "“%(value)s” is not a drug approval number: expected %(prefix)s with a letter and 8 "
            "digits (for example %(example)s) or a hospital preparation number (for example "
            "%(hospital_example)s)."
        ),
        value=shown(raw),
        prefix=NATIONAL_PREFIX,
        example=EXAMPLE,
        hospital_example=HOSPITAL_EXAMPLE,
    )
