"""The fine calculator against the DOMAIN.md §2.6 grid (pure Python; no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from yaojian.enforcement.fines import CONDUCTS, FineNotApplicableError, FineRange, calculate_fine

D = Decimal

GRID = [
    # conduct, value, flags, minimum, maximum, article number (Chinese)
    ("counterfeit", "20000", {}, "1500000.00", "3000000.00", "第一百一十六条"),
    ("counterfeit", "100000", {}, "1500000.00", "3000000.00", "第一百一十六条"),
    ("counterfeit", "100000.01", {}, "1500000.15", "3000000.30", "第一百一十六条"),
    ("counterfeit", "0", {}, "1500000.00", "3000000.00", "第一百一十六条"),
    ("counterfeit", "200000", {"retail": True}, "3000000.00", "6000000.00", "第一百一十六条"),
    ("unlicensed", "50000", {}, "1500000.00", "3000000.00", "第一百一十五条"),
    ("unlicensed", "400000", {"serious": True}, "6000000.00", "12000000.00", "第一百一十五条"),
    ("substandard", "20000", {}, "1000000.00", "2000000.00", "第一百一十七条"),
    ("substandard", "5000", {"retail": True}, "100000.00", "200000.00", "第一百一十七条"),
    ("substandard", "10000", {"retail": True}, "100000.00", "200000.00", "第一百一十七条"),
    ("substandard", "30000", {"retail": True}, "300000.00", "600000.00", "第一百一十七条"),
    ("substandard", "150000", {}, "1500000.00", "3000000.00", "第一百一十七条"),
    ("substandard_tcm_pieces", "3000", {}, "100000.00", "500000.00", "第一百一十七条第二款"),
    ("counterfeit_use", "1000", {}, "1500000.00", "3000000.00", "第一百一十九条"),
    ("substandard_use", "1000", {}, "100000.00", "200000.00", "第一百一十九条"),
    ("storage_transport", "10000", {}, "50000.00", "250000.00", "第一百二十条"),
    ("storage_transport", "80000", {"serious": True}, "400000.00", "1200000.00", "第一百二十条"),
    ("forged_licence", "10000", {}, "100000.00", "500000.00", "第一百二十二条"),
    ("forged_licence", "200000", {"serious": True}, "1000000.00", "3000000.00", "第一百二十二条"),
    ("fraudulent_approval", "1", {}, "500000.00", "5000000.00", "第一百二十三条"),
    ("unapproved_drug", "99999.99", {}, "1500000.00", "3000000.00", "第一百二十四条"),
    ("quality_practice_breach", "0", {}, "100000.00", "500000.00", "第一百二十六条"),
    ("quality_practice_breach", "0", {"serious": True}, "500000.00", "2000000.00", "第一百二十六条"),
    ("no_traceability", "123", {}, "100000.00", "500000.00", "第一百二十七条"),
    ("unqualified_source", "10000", {}, "100000.00", "500000.00", "第一百二十九条"),
    ("unqualified_source", "60000", {"serious": True}, "600000.00", "1800000.00", "第一百二十九条"),
    ("hospital_preparation_sale", "10000", {}, "100000.00", "250000.00", "第一百三十三条"),
    ("hospital_preparation_sale", "100000", {"serious": True}, "500000.00", "1500000.00", "第一百三十三条"),
    ("bribery", "5000000", {}, "300000.00", "3000000.00", "第一百四十一条"),
    # individuals: a share of their income from the unit
    ("counterfeit", "100000", {"responsible_person": True}, "30000.00", "300000.00", "第一百一十八条"),
    ("counterfeit", "0", {"responsible_person": True}, "0.00", "0.00", "第一百一十八条"),
    ("substandard", "10000", {"responsible_person": True, "serious": True}, "3000.00", "30000.00", "第一百一十八条"),
    ("unapproved_drug", "50000", {"responsible_person": True, "serious": True}, "15000.00", "150000.00", "第一百二十四条"),
    ("quality_practice_breach", "80000", {"responsible_person": True, "serious": True}, "8000.00", "40000.00", "第一百二十六条"),
    ("forged_licence", "0", {"responsible_person": True, "serious": True}, "20000.00", "200000.00", "第一百二十二条"),
    ("fraudulent_approval", "0", {"responsible_person": True, "serious": True}, "20000.00", "200000.00", "第一百二十三条"),
]  # fmt: skip


@pytest.mark.parametrize(("conduct", "value", "flags", "low", "high", "article"), GRID)
def test_grid(conduct, value, flags, low, high, article):
    fine = calculate_fine(conduct, D(value), **flags)

    assert (fine.minimum, fine.maximum) == (D(low), D(high))
    assert fine.article == f"《中华人民共和国药品管理法》{article}"


def test_a_two_wan_sale_of_counterfeit_drugs_counts_as_ten_wan():
    with translation.override("en"):
        fine = calculate_fine("counterfeit", D("20000"))

    assert fine == FineRange(
        minimum=D("1500000.00"),
        maximum=D("3000000.00"),
        article="《中华人民共和国药品管理法》第一百一十六条",
        explanation=(
            "《中华人民共和国药品管理法》第一百一十六条: 15× to 30× of the value of the goods. "
            "Amounts below 100,000.00 yuan count as 100,000.00 yuan. Aggravating "
            "circumstances (article 137) call for a fine at the top of the range."
        ),
        basis="The amount 20,000.00 yuan is below 100,000.00 yuan and counts as 100,000.00 yuan.",
    )


def test_basis_says_when_the_value_is_above_the_floor():
    with translation.override("en"):
        fine = calculate_fine("substandard", D("123456.785"))

    assert fine.basis == "The amount counts as 123,456.79 yuan."
    assert fine.minimum == D("1234567.90")


def test_fixed_ranges_and_warnings_are_explained():
    with translation.override("en"):
        fine = calculate_fine("no_traceability", D("0"))

    assert fine.basis == "A fixed range, whatever the amount."
    assert "Only if the party does not correct the breach after a warning." in fine.explanation


def test_individual_income_range_is_explained_as_percent():
    with translation.override("en"):
        fine = calculate_fine(
            "quality_practice_breach", D("1000"), serious=True, responsible_person=True
        )

    assert fine.explanation.startswith(
        "《中华人民共和国药品管理法》第一百二十六条: 10% to 50% of the income."
    )


@pytest.mark.parametrize(
    ("conduct", "flags"),
    [
        ("substandard", {"responsible_person": True}),  # 劣药: individuals only when serious
        ("unlicensed", {"responsible_person": True, "serious": True}),  # no individual band
        ("bribery", {"responsible_person": True}),
        ("quality_practice_breach", {"responsible_person": True}),
    ],
)
def test_no_fine_on_individuals_where_the_article_sets_none(conduct, flags):
    with pytest.raises(FineNotApplicableError):
        calculate_fine(conduct, D("1000"), **flags)


@pytest.mark.parametrize("value", [D("-0.01"), D("NaN"), D("Infinity"), 1.5, "100"])
def test_bad_amounts_are_refused(value):
    with pytest.raises(ValueError):  # noqa: PT011
        calculate_fine("counterfeit", value)


def test_unknown_conduct_is_refused():
    with translation.override("en"), pytest.raises(ValueError, match="not a known conduct"):
        calculate_fine("jaywalking", D("1"))


def test_integers_are_accepted_as_yuan():
    assert calculate_fine("counterfeit", 200000).minimum == D("3000000.00")


def test_every_conduct_has_labels_and_an_article():
    for code, conduct in CONDUCTS.items():
        assert conduct.code == code
        assert conduct.label_zh
        assert conduct.label_en
        assert conduct.article.startswith("《中华人民共和国药品管理法》第")
        assert 115 <= conduct.article_number <= 141


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
flags = st.fixed_dictionaries({"retail": st.booleans(), "serious": st.booleans()})


@given(conduct=st.sampled_from(sorted(CONDUCTS)), a=amounts, b=amounts, flags=flags)
def test_more_value_never_lowers_the_fine(conduct, a, b, flags):
    low, high = sorted((a, b))

    smaller = calculate_fine(conduct, low, **flags)
    larger = calculate_fine(conduct, high, **flags)

    assert smaller.minimum <= larger.minimum
    assert smaller.maximum <= larger.maximum
    assert larger.minimum <= larger.maximum


@given(conduct=st.sampled_from(sorted(CONDUCTS)), value=amounts, retail=st.booleans())
def test_serious_never_lowers_the_fine(conduct, value, retail):
    ordinary = calculate_fine(conduct, value, retail=retail)
    serious = calculate_fine(conduct, value, retail=retail, serious=True)

    assert serious.minimum >= ordinary.minimum
    assert serious.maximum >= ordinary.maximum


@given(value=amounts)
def test_retail_floor_never_raises_the_substandard_fine(value):
    retail = calculate_fine("substandard", value, retail=True)
    wholesale = calculate_fine("substandard", value)

    assert retail.minimum <= wholesale.minimum
    assert retail.minimum >= D("100000.00")
