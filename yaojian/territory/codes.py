"""GB/T 2260 division codes: normalisation and the prefix that covers a region's subtree."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

_CODE = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalise_region_code(value: str) -> str:
    """Return a 6-digit code from 2, 4, 6 or 12 digits (full-width accepted).

    Raises ``ValidationError`` for anything else.
    """
    raw = str(value).translate(_FULLWIDTH_DIGITS).strip().replace(" ", "")
    if len(raw) == 12 and raw.isdigit():
        raw = raw[:6]
    if not _CODE.match(raw):
        raise ValidationError(
            _("“%(value)s” is not an administrative division code (6 digits)."),
            code="invalid_region_code",
            params={"value": str(value)[:20]},
        )
    return raw.ljust(6, "0")


def subtree_prefix(code: str) -> str:
    """The prefix shared by ``code`` and every region below it.

    ``540000`` → ``54``; ``540100`` → ``5401``; ``540102`` → ``540102``.
    """
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def code_level(code: str) -> str:
    """``province``, ``city`` or ``county``: the level a 6-digit code names."""
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def covering_codes(code: str) -> list[str]:
    """The codes whose jurisdiction covers ``code``: itself, its prefecture and its province,
    nearest first, without repeats (``540102`` → ``540102, 540100, 540000``)."""
    out: list[str] = []
    for item in (code, code[:4] + "00", code[:2] + "0000"):
        if item not in out:
            out.append(item)
    return out


def subtree_q(region_field: str, code_or_prefix: str) -> Q:
    """Rows whose ``region_field`` (a FK to Region) lies in the subtree of a code or prefix.

    A county (6 significant digits) is compared exactly, so that indexes starting with the
    region also serve the order of a county's list; larger regions use a closed range.
    """
    prefix = subtree_prefix(code_or_prefix.ljust(6, "0"))
    if len(prefix) == 6:
        return Q(**{f"{region_field}__code": prefix})
    # Every code has 6 digits, so the subtree is a closed range; unlike LIKE 'prefix%',
    # SQLite serves a range from the index too (docs/benchmarks.md).
    return Q(
        **{
            f"{region_field}__code__gte": prefix.ljust(6, "0"),
            f"{region_field}__code__lte": prefix.ljust(6, "9"),
        }
    )
