"""Blocking stays bounded when thousands of records share a common name, street and person
(the populated-registry import that took 21 GB: every rule on "测试药房 in Lhasa" was a cross
product)."""

from __future__ import annotations

import math

from yaojian.linkage import engine
from yaojian.linkage.matching import Band, LinkRecord


def _adversarial(n: int) -> tuple[list[LinkRecord], list[LinkRecord]]:
    left = [
        LinkRecord(
            key=f"row-{i}",
            name=f"测试大药房{i}号店",
            address=f"北京中路{i}号",
            region_code="540102",
            legal_representative="扎西",
        )
        for i in range(n)
    ]
    right = [
        LinkRecord(
            key=f"entity-{i}",
            name=f"西藏测试大药房{i}号店" if i % 2 else f"测试大药房（{i}号店）",
            address=f"北京中路{i}号院",
            region_code="540103",
            legal_representative="扎西",
        )
        for i in range(n)
    ]
    return left, right


def test_a_block_shared_by_thousands_of_records_is_not_a_cross_product():
    # given: 3,000 × 3,000 records with one name core, one city, one street, one person
    left, right = _adversarial(3000)
    # when
    _left, _right, proposed = engine.add_block_keys(engine.prepare(left), engine.prepare(right))
    # then: no rule proposes more than its bound; all rules together a few per record,
    # not 9,000,000 per rule
    bound = math.sqrt(engine.MAX_BLOCK_PAIRS) * (len(left) + len(right))
    assert max(proposed.values()) <= bound
    assert sum(proposed.values()) <= 10 * len(left)
    assert proposed['l."name_core" = r."name_core" AND l."city" = r."city"'] == 0


def test_records_in_an_oversized_block_are_still_linked_by_their_branch_and_address():
    # given
    left, right = _adversarial(1500)
    # when
    pairs = engine.link_lists(left, right)
    # then: every record found its own counterpart automatically, and nothing else was proposed
    assert len(pairs) == 1500
    assert all(p.band == Band.AUTO for p in pairs)
    assert all(
        p.left_key.removeprefix("row-") == p.right_key.removeprefix("entity-") for p in pairs
    )


def test_blocks_a_person_relies_on_are_kept():
    # given: a common name in two cities, a few records each
    left = [LinkRecord(key=f"l{i}", name="民生大药房", region_code="540102") for i in range(5)]
    right = [LinkRecord(key=f"r{i}", name="民生大药房", region_code="540103") for i in range(5)]
    # when
    _left, _right, proposed = engine.add_block_keys(engine.prepare(left), engine.prepare(right))
    # then: 5 × 5 pairs by name within the city
    assert proposed['l."name_core" = r."name_core" AND l."city" = r."city"'] == 25
