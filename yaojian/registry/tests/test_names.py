"""Search normalisation of names (registry.names): no database needed."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from yaojian.registry.names import MAX_KEY_LENGTH, normalise_name, search_fragment, search_key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("西藏奇正藏药股份有限公司", "西藏奇正藏药股份有限公司"),
        ("  拉萨　（城关）大药房 ", "拉萨城关大药房"),
        ("ＡＢＣ药店", "abc药店"),
        ("Tibet Cheezheng · Pharmacy", "tibetcheezhengpharmacy"),
        ("【阿里】健康—大药房《总店》", "阿里健康大药房总店"),
        ("甘露・藏医院～分院…", "甘露藏医院分院"),
        ("第1药店\u00a0\t\n", "第1药店"),
        ("", ""),
        ("（）·", ""),
    ],
)
def test_normalise_name(value, expected):
    assert normalise_name(value) == expected


def test_search_key_interleaves_the_separator():
    assert search_key("奇正") == "奇0正0"
    assert search_key("（奇正）Ａ") == "奇0正0a0"
    assert search_key("··") == ""


def test_search_fragment():
    assert search_fragment("奇 正") == "奇0正"
    assert search_fragment("Ａ") == "a"
    assert search_fragment("（）") == ""


def test_search_key_is_cut_to_the_column_length():
    # NFKC turns ㍿ into 株式会社: 200 characters become 800.
    key = search_key("㍿" * 200)
    assert len(key) == MAX_KEY_LENGTH
    assert key.startswith("株0式0会0社0")


names = st.text(st.sampled_from("奇正藏药拉萨城关大房0１ａA （）·-"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(names, st.integers(0, 12), st.integers(0, 12))
def test_every_fragment_of_a_name_is_found_in_its_key(name, start, length):
    normalised = normalise_name(name)
    fragment = normalised[start : start + length]
    assert search_fragment(fragment) in search_key(name)


@settings(max_examples=200, deadline=None)
@given(names, names)
def test_a_fragment_found_in_a_key_is_in_the_name(name, query):
    fragment = search_fragment(query)
    assume(fragment and set(normalise_name(query)) != {"0"})
    if fragment in search_key(name):
        assert normalise_name(query) in normalise_name(name)


def test_only_all_zero_queries_can_match_falsely():
    assert search_fragment("00") in search_key("A0B")
    assert "00" not in normalise_name("A0B")
