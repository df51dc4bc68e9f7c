"""Text helpers shared by the identifier validators."""

from __future__ import annotations

import unicodedata

# Hyphens and dashes people type or paste between groups of characters (after NFKC).
_HYPHENS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63")
DIGITS = frozenset("0123456789")
FULLWIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _is_removable(ch: str) -> bool:
    """Whitespace (incl. U+3000) and invisible format characters such as U+200B and U+FEFF."""
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def normalise_identifier(value: str) -> str:
    """NFKC (full-width → half-width), without whitespace and hyphens, upper case.

    ``"９１１１ 0000-6000３７３４１ｌ"`` → ``"91110000600037341L"``.
    """
    text = unicodedata.normalize("NFKC", value or "")
    # the usual case: once hyphens and whitespace are gone, no invisible character is left
    # (format characters, category Cf, are never printable)
    fast = "".join(text.translate(_HYPHEN_TABLE).split())
    if fast.isprintable():
        return fast.upper()
    return "".join(ch for ch in text if not _is_removable(ch) and ch not in _HYPHENS).upper()


_HYPHEN_TABLE = {ord(ch): None for ch in _HYPHENS}


def normalise_keeping_chinese(value: str) -> str:
    """Full-width ASCII → ASCII, without whitespace, ASCII upper case; other characters verbatim."""
    text = (value or "").translate(FULLWIDTH_TO_ASCII)
    return "".join(ch.upper() if ch.isascii() else ch for ch in text if not _is_removable(ch))


def normalise_keeping_hyphens(value: str) -> str:
    """NFKC, without whitespace, upper case; hyphens and brackets are kept."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if not _is_removable(ch)).upper()


def shown(value: str, limit: int = 40) -> str:
    """``value`` made safe to quote in a message: control characters escaped, long input cut."""
    text = "".join(
        ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in str(value or "")[:limit]
    )
    return text + "…" if len(str(value or "")) > limit else text


def describe_character(ch: str) -> str:
    """A single character, or ``U+XXXX`` when it is invisible."""
    return ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"
