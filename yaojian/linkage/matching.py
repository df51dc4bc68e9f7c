"""The linkage API other apps call: match records to the registry, or two lists to each other.

``link_to_registry`` answers one :class:`Match` per record, in the same order, in one of three
bands (``auto``: link without asking; ``review``: queue for a human; ``new``: a new entity).
``link_lists`` reconciles two arbitrary lists and answers the :class:`Pair` s above the review
threshold. Both run the same Splink model (``yaojian.linkage.engine``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class Band:
    """The three bands of a match."""

    AUTO = "auto"
    REVIEW = "review"
    NEW = "new"


@dataclass(frozen=True)
class LinkRecord:
    """One record to link (from an import row, an uploaded list …)."""

    key: str  # caller's id for the record (e.g. "row-17")
    name: str
    address: str = ""
    region_code: str = ""  # GB/T 2260 6-digit if known
    credit_code: str = ""
    legal_representative: str = ""
    licence_number: str = ""


@dataclass(frozen=True)
class Match:
    """The best registry candidate for one record, with its band and explanation."""

    key: str
    band: str  # "auto" | "review" | "new"
    entity_id: int | None  # registry Entity pk of the best candidate (None for "new")
    probability: float
    match_weight: float
    explanation: tuple[tuple[str, float], ...]  # (comparison label, weight)


@dataclass(frozen=True)
class Pair:
    """A pair of records from two lists, above the review threshold."""

    left_key: str
    right_key: str
    band: str  # "auto" | "review"
    probability: float
    match_weight: float
    explanation: tuple[tuple[str, float], ...]


def link_to_registry(records: Sequence[LinkRecord], *, region_prefix: str = "") -> list[Match]:
    """Match records against registry entities (optionally only those whose region code starts
    with region_prefix); one Match per record, same order."""
    from yaojian.linkage import engine

    return engine.link_to_registry(records, region_prefix=region_prefix)


def link_lists(left: Sequence[LinkRecord], right: Sequence[LinkRecord]) -> list[Pair]:
    """Pairs (left key, right key, band, probability, weight, explanation) above the review
    band."""
    from yaojian.linkage import engine

    return engine.link_lists(left, right)
