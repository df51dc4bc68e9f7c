"""Resident identity card numbers (GB 11643-1999) and masking of personal data for display."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.registry.identifiers._text import DIGITS, normalise_identifier, shown
from yaojian.registry.identifiers.provinces import PROVINCE_ABBREVIATIONS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CODE = "invalid_id_number"
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, …
_CHECK = "10X98765432"  # indexed by the weighted sum mod 11 (ISO 7064 MOD 11-2)
# Province codes of the table, plus 83 (Taiwan residents' residence permits use 830000).
_REGION_PREFIXES = frozenset(PROVINCE_ABBREVIATIONS) | {"83"}
EARLIEST_BIRTH = datetime.date(1870, 1, 1)  # the standard’s own sample was born in 1880


def id_card_check_character(first17: str) -> str:
    """The 18th character (``0``–``9`` or ``X``) for 17 digits."""
    if len(first17) != 17 or not set(first17) <= DIGITS:
        raise ValueError(f"expected 17 digits, got {first17!r}")
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _invalid(message: StrOrPromise, **params: object) -> ValidationError:
    return ValidationError(message, code=CODE, params=params)


def validate_id_card_number(value: str) -> str:
    """Return the normalised 18-character number (``x`` → ``X``) or raise ``ValidationError``."""
    number = normalise_identifier(value)
    if len(number) != 18 or not set(number[:17]) <= DIGITS or number[17] not in DIGITS | {"X"}:
        raise _invalid(
            _(
                "An identity card number has 17 digits followed by a digit or X; “%(value)s” "
                "does not fit."
            ),
            value=shown(mask_id_card_number(value)),
        )
    if number[:2] not in _REGION_PREFIXES:
        raise _invalid(
            _(
                "Digits 1 to 6 of an identity card number are a region code, and “%(region)s” "
                "does not start with a province code."
            ),
            region=number[:6],
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    if birth is None or not EARLIEST_BIRTH <= birth <= timezone.localdate():
        raise _invalid(
            _(
                "Digits 7 to 14 of an identity card number are a date of birth (YYYYMMDD), and "
                "“%(birth)s” is not a possible one."
            ),
            birth=number[6:14],
        )
    if id_card_check_character(number[:17]) != number[17]:
        raise _invalid(
            _(
                "The check character (the last one) of identity card number %(value)s does not "
                "match the other digits; check the number for typing errors."
            ),
            value=mask_id_card_number(number),
        )
    return number


def make_id_card_number(region: str, birth: datetime.date, seq: int) -> str:
    """A valid number from a 6-digit region code, a birth date and a sequence 0–999.

    An odd sequence means a man, an even one a woman.
    """
    if len(region) != 6 or not set(region) <= DIGITS:
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not 0 <= seq <= 999:
        raise ValueError(f"seq must be 0-999, got {seq}")
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_card_check_character(first17)


def _mask(text: str, keep_start: int, keep_end: int) -> str:
    if len(text) <= keep_start + keep_end:
        # Too short to keep both ends and still hide something: show at most the last quarter.
        visible = len(text) // 4
        return "*" * (len(text) - visible) + text[len(text) - visible :]
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]


def mask_id_card_number(value: str) -> str:
    """Keep the first 6 and last 4 characters: ``540102********123X``."""
    return _mask(normalise_identifier(value), 6, 4)


def mask_phone(value: str) -> str:
    """Keep the first 3 and last 4 digits: ``138****5678`` (a leading ``+86`` is kept)."""
    text = normalise_identifier(value)
    prefix = ""
    if text.startswith("+86"):
        prefix, text = "+86 ", text[3:]
    return prefix + _mask(text, 3, 4)
