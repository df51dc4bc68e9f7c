"""统一社会信用代码 (GB 32100-2015) and the embedded organisation code (GB 11714).

DOMAIN.md §1.1. Positions 1–2 may be any symbol of the alphabet (python-stdnum wrongly rejects
N…, A… and Y… codes). Positions 3–8 must be digits; whether they form a real division code is
the caller's business (``uscc_region_code``), so that these functions stay pure.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaojian.registry.identifiers._text import (
    DIGITS,
    describe_character,
    normalise_identifier,
    shown,
)

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, Z, S, V
LENGTH = 18
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, …
_ORG_VALUES = {symbol: int(symbol, 36) for symbol in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
CODE = "invalid_uscc"


def uscc_check_character(first17: str) -> str:
    """The 18th character (MOD 31, weights 3^(i-1) mod 31) for the first 17 characters."""
    chars = normalise_identifier(first17)
    if len(chars) != 17 or any(ch not in _VALUES for ch in chars):
        raise ValueError(f"expected 17 characters of {ALPHABET}, got {first17!r}")
    total = sum(_VALUES[ch] * weight for ch, weight in zip(chars, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_character(first8: str) -> str:
    """The GB 11714 check character (the 9th) of an organisation code: ``0``–``9`` or ``X``."""
    chars = normalise_identifier(first8)
    if len(chars) != 8 or any(ch not in _ORG_VALUES for ch in chars):
        raise ValueError(f"expected 8 digits or capital letters, got {first8!r}")
    check = 11 - sum(_ORG_VALUES[ch] * w for ch, w in zip(chars, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_unified_social_credit_code(value: str) -> str:
    """Return the normalised 18-character code, or raise ``ValidationError(code="invalid_uscc")``.

    Checks, in this order: length, alphabet, digits in positions 3–8, the check character in
    position 18, and the organisation code's own check character in position 17.
    """
    code = normalise_identifier(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; “%(value)s” has %(length)d."),
            code=CODE,
            params={"value": shown(value), "length": len(code)},
        )
    for position, ch in enumerate(code, start=1):
        if ch not in _VALUES:
            raise ValidationError(
                _(
                    "Character %(position)d of the unified social credit code, “%(character)s”, "
                    "is not allowed: use digits and capital letters other than I, O, Z, S and V."
                ),
                code=CODE,
                params={"position": position, "character": describe_character(ch)},
            )
    if not set(code[2:8]) <= DIGITS:
        raise ValidationError(
            _(
                "Characters 3 to 8 of a unified social credit code are a region code and must be "
                "digits, but they are “%(region)s”."
            ),
            code=CODE,
            params={"region": code[2:8]},
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The check character (the last one) of unified social credit code %(value)s "
                "does not match the other characters; check the code for typing errors."
            ),
            code=CODE,
            params={"value": code},
        )
    if org_code_check_character(code[8:16]) != code[16]:
        raise ValidationError(
            _(
                "Characters 9 to 17 of unified social credit code %(value)s are an organisation "
                "code whose check character (character 17) is wrong; check the code for typing "
                "errors."
            ),
            code=CODE,
            params={"value": code},
        )
    return code


def uscc_region_code(code: str) -> str:
    """The 6-digit registration-authority region code (positions 3–8) of a valid code.

    Raises ``ValidationError`` like ``validate_unified_social_credit_code``. Checking it against
    the division table (``territory``) is the caller's job.
    """
    return validate_unified_social_credit_code(code)[2:8]


def make_unified_social_credit_code(prefix: str, region: str, org8: str) -> str:
    """A valid code from a 2-symbol prefix, a 6-digit region and 8 organisation-code symbols.

    Both check characters are computed. ``ValueError`` when a part does not fit.
    """
    prefix, org8 = normalise_identifier(prefix), normalise_identifier(org8)
    if len(prefix) != 2 or any(ch not in _VALUES for ch in prefix):
        raise ValueError(f"prefix must be 2 symbols of {ALPHABET}, got {prefix!r}")
    if len(region) != 6 or not set(region) <= DIGITS:
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if len(org8) != 8 or any(ch not in _VALUES for ch in org8):
        raise ValueError(f"org8 must be 8 symbols of {ALPHABET}, got {org8!r}")
    first17 = prefix + region + org8 + org_code_check_character(org8)
    return first17 + uscc_check_character(first17)
