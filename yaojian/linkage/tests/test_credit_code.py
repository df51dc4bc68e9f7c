"""A shared credit code decides a link (after case and width are normalised) unless the names
contradict it; the best registry candidate is the one with the same code."""

from __future__ import annotations

import pytest

from yaojian.linkage import engine
from yaojian.linkage.matching import Band, LinkRecord, link_to_registry
from yaojian.registry.tests.factories import EntityFactory, uscc_for

CODE = uscc_for(41)


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in text)


def _register(n: int = 30) -> list[LinkRecord]:
    """A small register: the first record is the one the other department writes about."""
    records = [
        LinkRecord(
            key="L0",
            name="拉萨康仁大药房有限公司",
            address="西藏自治区拉萨市城关区北京中路12号",
            region_code="540102",
            credit_code=CODE,
            legal_representative="扎西",
        )
    ]
    records += [
        LinkRecord(
            key=f"L{i}",
            name=f"拉萨测试{chr(0x4E00 + 97 * i)}{chr(0x4E00 + 31 * i)}诊所",
            address=f"城关区金珠西路{i}号",
            region_code="540102",
            credit_code=uscc_for(100 + i),
        )
        for i in range(1, n)
    ]
    return records


@pytest.mark.parametrize("written", [CODE.lower(), _full_width(CODE), f"{CODE[:8]} {CODE[8:]}"])
def test_a_shared_code_written_differently_links_automatically(written):
    # given: another department's record with only the code in common, written differently
    other = LinkRecord(key="R0", name="康仁药店", address="", credit_code=written)
    # when
    pairs = engine.link_lists(_register(), [other])
    # then
    assert [(p.left_key, p.right_key, p.band) for p in pairs] == [("L0", "R0", Band.AUTO)]


def test_a_shared_code_with_contradicting_names_goes_to_review():
    # given: the same code, but a name that has nothing in common with the register's
    other = LinkRecord(key="R0", name="百姓口腔诊所", address="", credit_code=CODE.lower())
    # when
    pairs = engine.link_lists(_register(), [other])
    # then
    assert [(p.left_key, p.right_key, p.band) for p in pairs] == [("L0", "R0", Band.REVIEW)]


def test_a_shared_code_with_different_branches_goes_to_review():
    left = [
        LinkRecord(key="L0", name="荷居大药房连锁有限公司（第3分店）", credit_code=CODE),
        *_register()[1:],
    ]
    other = LinkRecord(key="R0", name="荷居大药房连锁第5店", credit_code=CODE)
    pairs = engine.link_lists(left, [other])
    assert [(p.left_key, p.band) for p in pairs] == [("L0", Band.REVIEW)]


@pytest.mark.django_db
def test_the_registry_entity_with_the_same_code_is_the_candidate(regions):
    # given: one entity whose name and address agree with the record, one with the same code
    fuzzy = EntityFactory(
        name="拉萨康仁大药房", address="城关区北京中路12号", legal_representative="扎西"
    )
    coded = EntityFactory(
        name="康仁药店有限公司",
        address="城关区金珠西路8号",
        unified_social_credit_code=CODE,
        legal_representative="次仁",
    )
    record = LinkRecord(
        key="row-1",
        name="拉萨市康仁大药房",
        address="北京中路12号",
        region_code="540102",
        credit_code=CODE.lower(),
    )
    # when
    [match] = link_to_registry([record])
    # then
    assert (match.entity_id, match.band) == (coded.pk, Band.AUTO)
    assert match.entity_id != fuzzy.pk
