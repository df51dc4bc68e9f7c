"""Normalising Chinese names for search: full-width/half-width, case, spaces, punctuation.

``search_key`` interleaves every character with ``0`` so that PostgreSQL's trigram index
(pg_trgm) can serve *two*-character fragments: the fragment 奇正 becomes the trigram 奇0正.
Look a query up with ``search_key__contains=search_fragment(query)``. The one false match the
interleaving allows: a query made only of zeros ("00") also matches names with a single 0.
See docs/adr/0003-entity-search-key.md.
"""

from __future__ import annotations

import unicodedata

_DROP = set(
    " \t\r\n\u3000·•・.,，。、;；:：'\"“”‘’()（）[]【】{}<>《》〈〉「」『』-–—_/\\|!！?？~〜…"
)
SEPARATOR = "0"
MAX_KEY_LENGTH = 400  # Entity.search_key max_length


def normalise_name(value: str) -> str:
    """NFKC (full-width → half-width), lower case, without spaces and punctuation."""
    text = unicodedata.normalize("NFKC", value or "").casefold().translate(_DROP_TABLE)
    return "".join(text.split())  # ``split()`` drops every other ``isspace()`` character


_DROP_TABLE = {ord(ch): None for ch in _DROP}


def search_key(value: str) -> str:
    """The stored search key: the normalised name, each character followed by ``0``.

    Cut to ``MAX_KEY_LENGTH`` (NFKC can lengthen a name: ㍿ becomes 株式会社).
    """
    text = normalise_name(value)
    return (SEPARATOR.join(text) + SEPARATOR)[:MAX_KEY_LENGTH] if text else ""


def search_fragment(query: str) -> str:
    """What to look for inside ``search_key``: 奇 正 → ``奇0正``; ``""`` when nothing is left."""
    return SEPARATOR.join(normalise_name(query))
