"""The linkage engine (first version: exact match on the normalised name)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings

from yaojian.linkage.normalise import normalise_code, normalise_name

if TYPE_CHECKING:
    from yaojian.linkage.matching import LinkRecord, Match, Pair


def thresholds() -> tuple[float, float]:
    """(auto, review) probability thresholds from settings."""
    auto = float(getattr(settings, "LINKAGE_AUTO_THRESHOLD", 0.95))
    review = float(getattr(settings, "LINKAGE_REVIEW_THRESHOLD", 0.5))
    return auto, review


def _key(record: LinkRecord) -> tuple[str, str]:
    name = normalise_name(record.name)
    return name.core, name.branch


def link_lists(left: Sequence[LinkRecord], right: Sequence[LinkRecord]) -> list[Pair]:
    from yaojian.linkage.matching import Band, Pair

    index: dict[tuple[str, str], list[LinkRecord]] = defaultdict(list)
    for record in right:
        index[_key(record)].append(record)
    pairs = []
    for record in left:
        for other in index.get(_key(record), []):
            same_code = bool(record.credit_code) and normalise_code(
                record.credit_code
            ) == normalise_code(other.credit_code)
            probability = 0.999 if same_code else 0.9
            auto, _review = thresholds()
            band = Band.AUTO if probability >= auto else Band.REVIEW
            pairs.append(Pair(record.key, other.key, band, probability, 10.0, (("name", 10.0),)))
    return pairs


def link_to_registry(records: Sequence[LinkRecord], *, region_prefix: str = "") -> list[Match]:
    from yaojian.linkage.matching import Band, LinkRecord, Match
    from yaojian.registry.models import Entity

    entities = Entity.objects.all()
    if region_prefix:
        entities = entities.filter(region_id__startswith=region_prefix)
    right = [
        LinkRecord(
            key=str(pk),
            name=name,
            address=address,
            region_code=region,
            credit_code=code or "",
            legal_representative=rep,
        )
        for pk, name, address, region, code, rep in entities.values_list(
            "pk",
            "name",
            "address",
            "region_id",
            "unified_social_credit_code",
            "legal_representative",
        )
    ]
    best: dict[str, Pair] = {}
    for pair in link_lists(records, right):
        if pair.left_key not in best or pair.probability > best[pair.left_key].probability:
            best[pair.left_key] = pair
    matches = []
    for record in records:
        pair = best.get(record.key)
        if pair is None:
            matches.append(Match(record.key, Band.NEW, None, 0.0, 0.0, ()))
        else:
            matches.append(
                Match(
                    record.key,
                    pair.band,
                    int(pair.right_key),
                    pair.probability,
                    pair.match_weight,
                    pair.explanation,
                )
            )
    return matches
