"""The engine on 2,000 x 2,000 generated records with ground truth (the benchmark, small),
from the generator the model was trained on and from the independent one in bench/."""

from __future__ import annotations

import math

from yaojian.linkage import engine
from yaojian.linkage.matching import Band
from yaojian.linkage.synthetic import generate


def test_automatic_links_meet_the_targets_with_margin():
    # given
    left, right = generate(2000, seed=11)
    truth_of = {r.record.key: r.truth for r in left + right}
    true_pairs = sum(1 for r in right if r.truth < 2000)
    # when
    pairs = engine.link_lists([r.record for r in left], [r.record for r in right])
    # then
    auto = [p for p in pairs if p.band == Band.AUTO]
    correct = sum(1 for p in auto if truth_of[p.left_key] == truth_of[p.right_key])
    assert true_pairs == 1800
    assert correct / len(auto) >= 0.995
    assert correct / true_pairs >= 0.975


def test_automatic_links_on_data_the_model_was_not_tuned_on():
    # given: bench/linkage_independent.py, written separately and never used for training
    from bench.linkage_independent import as_link_records
    from bench.linkage_independent import generate as independent

    left, right = independent(2000, seed=12)
    truth_of = {r.key: r.entity for r in left + right}
    true_pairs = sum(1 for r in right if r.entity < 2000)
    # when
    pairs = engine.link_lists(as_link_records(left), as_link_records(right))
    # then
    auto = [p for p in pairs if p.band == Band.AUTO]
    correct = sum(1 for p in auto if truth_of[p.left_key] == truth_of[p.right_key])
    assert true_pairs == 1700
    assert correct / len(auto) >= 0.99
    assert correct / true_pairs >= 0.97


def test_blocking_proposes_the_pairs_a_person_would_match():
    # given: the independent generator's lists and their true pairs
    from bench.linkage_accuracy import blocking_recall
    from bench.linkage_independent import as_link_records
    from bench.linkage_independent import generate as independent

    left, right = independent(2000, seed=13)
    keys = {r.entity: r.key for r in left}
    truth = {(keys[r.entity], r.key) for r in right if r.entity in keys}
    # when / then: at most 1 true pair in 200 is never proposed by any blocking rule
    assert blocking_recall(as_link_records(left), as_link_records(right), truth) >= 0.995


def test_every_pair_is_explained_per_comparison():
    left, right = generate(200, seed=3)
    pairs = engine.link_lists([r.record for r in left], [r.record for r in right])
    labels = [label for label, _weight in pairs[0].explanation]
    assert labels == list(engine.COMPARISONS)
    prior = math.log2((1 / 200) / (1 - 1 / 200))  # one counterpart among 200 records
    for pair in pairs:
        explained = prior + sum(weight for _label, weight in pair.explanation)
        assert abs(explained - pair.match_weight) < 0.01


def test_generator_is_deterministic_and_keeps_truth():
    first = generate(50, seed=5)
    second = generate(50, seed=5)
    assert first == second
    assert {r.truth for r in first[0]} == set(range(50))
    assert len({r.truth for r in first[1]} & set(range(50))) == 45
