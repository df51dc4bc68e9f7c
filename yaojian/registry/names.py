"""Normalising Chinese names for search: full-width/half-width, case, spaces, punctuation.

``search_key`` interleaves every character with ``0`` so that PostgreSQL's trigram index
(pg_trgm) can serve *two*-character fragments: the fragment 奇正 becomes the trigram 奇0正.
See docs/adr/0003-entity-search-key.md.
"""

from __future__ import annotations

import unicodedata

_DROP = set(" \t\r\n\u3000·•.,，。、;；:：'\"“”‘’()（）[]【】{}<>《》-—_/\\|!！?？")
SEPARATOR = "0"


def normalise_name(value: str) -> str:
    """NFKC (full-width → half-width), lower case, without spaces and punctuation."""
    text = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(ch for ch in text if ch not in _DROP)


def search_key(value: str) -> str:
    """The stored search key: the normalised name, each character followed by ``0``."""
    return "".join(ch + SEPARATOR for ch in normalise_name(value))
