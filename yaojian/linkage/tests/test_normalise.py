"""Chinese normalisation: examples for every noise kind, and properties with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yaojian.linkage.normalise import (
    bigrams,
    chinese_number,
    fold,
    names_contradict,
    normalise_address,
    normalise_code,
    normalise_name,
    pinyin,
    road_and_number,
    split_branch,
    to_simplified,
    uscc_is_valid,
)

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
NAME_TEXT = st.text(
    alphabet=st.one_of(CJK, st.sampled_from("()（）[]【】 ·,，、-0123456789abcABC")), max_size=30
)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("广州市天河区康仁大药房有限公司", "康仁大药房"),
        ("康仁大药房有限责任公司", "康仁大药房"),
        ("康仁药店", "康仁大药房"),
        ("康仁药房", "康仁大药房"),
        ("廣州市康仁大藥房", "康仁大药房"),
        ("ＫＲ康仁大药房", "kr康仁大药房"),
        ("广东省康仁大药房", "康仁大药房"),
    ],
)
def test_variants_share_the_core(variant, canonical):
    assert normalise_name(variant).core == normalise_name(canonical).core


@pytest.mark.parametrize(
    ("name", "core", "branch"),
    [
        ("康仁大药房(天河店)", "康仁药房", "天河"),
        ("康仁大药房（天河店）", "康仁药房", "天河"),
        ("康仁大药房天河分店", "康仁药房", "天河"),
        ("康仁大药房有限责任公司天河分公司", "康仁药房", "天河"),
        ("康仁大药房第一分店", "康仁药房", "1"),
        ("康仁药店", "康仁药房", ""),
        ("雪域医药连锁有限公司城关北京中路店", "雪域医药连锁", "北京中路"),
        ("拉萨美妆店", "拉萨美妆店", ""),
    ],
)
def test_branch_is_split_off(name, core, branch):
    result = normalise_name(name)
    assert (result.core, result.branch) == (core, branch)


def test_a_trade_name_that_is_a_place_name_is_kept():
    assert normalise_name("拉萨市城关区拉萨大药房").core == "拉萨药房"
    assert normalise_name("拉萨大药房").core == "拉萨药房"


def test_traditional_characters_become_simplified():
    assert to_simplified("藥房醫院") == "药房医院"


def test_full_width_becomes_half_width():
    assert fold("（ＡＢＣ１２３）") == "(abc123)"


def test_address_without_region_township_and_with_abbreviations():
    full = normalise_address("广东省广州市天河区五山街道人民路123号5号楼")
    short = normalise_address("天河区人民路１２３号5栋")
    assert full == short == "人民路123号5栋"
    assert road_and_number(full) == "人民路123"


def test_address_with_chinese_numerals():
    assert normalise_address("人民路一二三号") == "人民路123号"


def test_pinyin_per_character():
    assert pinyin("康仁药房") == "kangrenyaofang"
    assert pinyin("慷人药房") == "kangrenyaofang"
    assert pinyin("abc") == "abc"


def test_codes_are_folded():
    assert normalise_code(" ９１５４０１ 00-x ") == "91540100X"


def test_bigrams():
    assert bigrams("康仁药房") == ["康仁", "仁药", "药房"]
    assert bigrams("康") == ["康"]
    assert bigrams("") == []


@given(NAME_TEXT)
def test_normalise_name_never_fails_and_is_stable(text):
    first = normalise_name(text)
    assert normalise_name(text) == first
    assert first.core == first.core.strip()
    assert "(" not in first.core
    assert ")" not in first.core


@given(NAME_TEXT)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=CJK, min_size=2, max_size=12))
def test_a_full_region_prefix_is_stripped(core):
    name = core + "大药房"
    assert normalise_name("广东省广州市" + name).core == normalise_name(name).core


@given(NAME_TEXT)
def test_branch_is_a_suffix_of_the_folded_name(text):
    base, branch = split_branch(fold(text))
    assert len(base) <= len(fold(text))
    assert "(" not in branch


@given(st.text(alphabet=CJK, max_size=20))
def test_pinyin_leaves_no_character_it_knows(text):
    from yaojian.linkage.normalise import _pinyin_table

    table = _pinyin_table()
    assert all(ch.isascii() or ch not in table for ch in pinyin(text))


@pytest.mark.parametrize(
    "name",
    [
        "荷居大药房连锁有限公司（第3分店）",
        "荷居大药房连锁有限公司(第3分店)",
        "荷居大药房连锁第3店",
        "荷居大药房连锁-第3分店",
        "荷居大药房连锁有限公司三分店",
        "荷居大药房连锁公司第三分店",
        "荷居大藥房連鎖有限公司（3店）",
    ],
)
def test_numbered_branch_variants_agree(name):
    result = normalise_name(name)
    assert (result.core, result.branch) == ("荷居药房连锁", "3")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("三", "3"),
        ("十", "10"),
        ("十二", "12"),
        ("二十五", "25"),
        ("一二三", "123"),
        ("天河", "天河"),
    ],
)
def test_chinese_numbers(text, number):
    assert chinese_number(text) == number


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("范英口腔门诊部", "范英口腔诊所"),
        ("范英口腔门诊", "范英口腔诊所"),
        ("範英口腔門診", "范英口腔诊所"),
        ("范英口腔诊所", "范英口腔诊所"),
        ("李家村医务室", "李家村卫生室"),
        ("太康县李家村卫生室", "李家村卫生室"),
        ("个体工商户鲁琪药店", "鲁琪药房"),
        ("个体 工商户鲁琪药店", "鲁琪药房"),
        ("洛宁县鲁琪药店", "鲁琪药房"),
    ],
)
def test_clinic_words_and_individual_prefix(name, core):
    assert normalise_name(name).core == core


@pytest.mark.parametrize(
    ("address", "normalised", "road"),
    [
        ("河南省商丘市睢阳区经三路255号", "经三路255号", "经三路255"),
        ("睢阳区经三路255号", "经三路255号", "经三路255"),
        ("经三路255号", "经三路255号", "经三路255"),
        ("人民路12号之一", "人民路12号之1", "人民路12"),
        ("人民路12-1号", "人民路12号之1", "人民路12"),
        ("人民路12号附1", "人民路12号之1", "人民路12"),
        ("人民路12A号", "人民路12号之1", "人民路12"),
        ("人民路１２号－１", "人民路12号之1", "人民路12"),
        ("北京路308号", "北京路308号", "北京路308"),
        ("工人新村315号", "工人新村315号", "工人新村315"),
    ],
)
def test_address_forms(address, normalised, road):
    result = normalise_address(address)
    assert (result, road_and_number(result)) == (normalised, road)


@pytest.mark.parametrize(
    "code",
    [
        "91540102MA00000123",
        "91540102ma00000123",
        "９１５４０１０２ＭＡ０００００１２３",
        "91540102-MA0000-0123",
        " 915401 02MA00000123 ",
    ],
)
def test_credit_code_forms_are_one(code):
    assert normalise_code(code) == "91540102MA00000123"


def test_credit_code_check_character():
    from yaojian.registry.tests.factories import uscc_for

    valid = uscc_for(7)
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    assert uscc_is_valid(valid) is True
    assert uscc_is_valid(wrong) is False
    assert uscc_is_valid(valid[:17]) is False
    assert uscc_is_valid(valid[:-1] + "I") is False  # I is not in the alphabet


@pytest.mark.parametrize(
    ("left", "right", "contradict"),
    [
        ("温州市鹤堂大药房有限公司", "鹤常大药房", False),  # one look-alike character
        ("康仁大药房", "慷人药店", False),  # same pinyin
        ("梅轩医疗器械有限公司", "河南省梅轩医疗器械有限公司", False),
        ("百姓大药房", "昆明市百姓大药房有限公司(滇池路店)", False),  # one side has a branch
        ("康仁大药房", "百姓大药房", True),
        ("张伟药店", "李强药店", True),
        ("荷居大药房连锁（第3分店）", "荷居大药房连锁第5店", True),
    ],
)
def test_names_contradict(left, right, contradict):
    assert names_contradict(normalise_name(left), normalise_name(right)) is contradict
