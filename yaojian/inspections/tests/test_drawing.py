"""The double-random algorithm: reproducible, exact proportions, conflicts, joint teams."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from yaojian.inspections import drawing


def make(
    n: int = 1000, inspectors: int = 20, departments: list[int] | None = None, **extra: object
):
    pool = drawing.Pool(list(range(1, n + 1)), [(i % 10) + 1 for i in range(n)])
    people = [(100 + i, 1 if i % 2 == 0 else 2) for i in range(inspectors)]
    insp = drawing.Inspectors(
        inspectors=people,
        conflicts=list(extra.get("conflicts", [])),  # type: ignore[call-overload]
        cell_officers=dict(extra.get("cell_officers", {})),  # type: ignore[call-overload]
        departments=departments or [],
    )
    _blob, ph = drawing.pack_pool(pool)
    _blob2, ih = drawing.pack_inspectors(insp)
    return pool, insp, ph, ih


def run(seed: str = "s1", proportion: str = "3", team: int = 2, **kw: object):
    pool, insp, ph, ih = make(**kw)  # type: ignore[arg-type]
    return drawing.run(
        pool=pool,
        inspectors=insp,
        proportion=Decimal(proportion),
        team_size=team,
        seed=seed,
        pool_hash=ph,
        inspector_hash=ih,
    )


def test_same_seed_same_result_other_seed_other_result() -> None:
    assert run("abc") == run("abc")
    assert run("abc") != run("abd")


@pytest.mark.parametrize(
    ("n", "proportion", "expected"),
    [(1000, "3", 30), (1001, "3", 31), (100, "2.5", 3), (7, "100", 7), (1000, "0.01", 1)],
)
def test_proportion_is_exact(n: int, proportion: str, expected: int) -> None:
    result = run(proportion=proportion, n=n)
    assert len(result) == expected
    assert len({e for e, _t in result}) == expected


def test_every_team_has_two_distinct_inspectors() -> None:
    for _entity, team in run(proportion="50"):
        assert len(team) == 2
        assert len(set(team)) == 2


def test_conflicts_and_cell_officers_are_never_drawn() -> None:
    conflicts = [(e, 100) for e in range(1, 1001)]  # inspector 100 related to everyone
    cell_officers = {1: [101, 102]}  # cell 1 = entities 10, 20, ... (i % 10 == 0 → cell 1)
    result = run(proportion="100", conflicts=conflicts, cell_officers=cell_officers)
    for entity, team in result:
        assert 100 not in team
        if (entity - 1) % 10 == 0:
            assert not {101, 102} & set(team)


def test_joint_draw_gives_each_team_both_departments() -> None:
    result = run(proportion="20", departments=[1, 2])
    dept = {100 + i: (1 if i % 2 == 0 else 2) for i in range(20)}
    for _entity, team in result:
        assert [dept[u] for u in team] == [1, 2]


def test_pool_too_small_is_refused_with_numbers() -> None:
    conflicts = [(e, 100 + i) for e in range(1, 11) for i in range(19)]  # one inspector left
    with pytest.raises(drawing.PoolTooSmall) as info:
        run(proportion="100", n=10, conflicts=conflicts)
    assert info.value.needed == 2
    assert info.value.available == 1


def test_load_spreads_over_the_pool() -> None:
    counts = Counter(u for _e, team in run(proportion="100") for u in team)
    assert len(counts) == 20


def test_snapshots_round_trip_with_their_hash() -> None:
    pool, insp, _ph, ih = make(conflicts=[(1, 100)], cell_officers={2: [101]})
    blob, h = drawing.pack_pool(pool)
    back, h2 = drawing.unpack_pool(blob)
    assert (list(back.entity_ids), list(back.cell_ids), h2) == (
        list(pool.entity_ids),
        list(pool.cell_ids),
        h,
    )
    blob, h = drawing.pack_inspectors(insp)
    back_i, h3 = drawing.unpack_inspectors(blob)
    assert h3 == h == ih
    assert back_i.conflicts == [(1, 100)]


# --- draw-v2: proportions by credit grade ------------------------------------------------------


def graded(n: int = 1000) -> tuple[drawing.Pool, drawing.Inspectors, str, str]:
    """1,000 entities: grades cycle A, B, C, D, none (200 each)."""
    pool = drawing.Pool(
        list(range(1, n + 1)), [(i % 10) + 1 for i in range(n)], [(i % 5 + 1) % 5 for i in range(n)]
    )
    insp = drawing.Inspectors(
        inspectors=[(100 + i, 1) for i in range(20)], conflicts=[], cell_officers={}, departments=[]
    )
    return pool, insp, drawing.pack_pool(pool)[1], drawing.pack_inspectors(insp)[1]


def run_graded(seed: str = "s", by_grade: dict[str, str] | None = None) -> list:
    pool, insp, ph, ih = graded()
    shares = by_grade if by_grade is not None else {"A": "1", "B": "3", "C": "10", "D": "30"}
    return drawing.run(
        pool=pool,
        inspectors=insp,
        proportion=Decimal("3"),
        team_size=2,
        seed=seed,
        pool_hash=ph,
        inspector_hash=ih,
        by_grade={g: Decimal(v) for g, v in shares.items()},
    )


def test_proportions_by_credit_grade_are_exact_per_grade() -> None:
    pool, *_rest = graded()
    grade_of = dict(zip(pool.entity_ids, pool.grades or [], strict=True))
    result = run_graded()
    counts = Counter(grade_of[e] for e, _team in result)
    # 200 per grade: A 1 % → 2, B 3 % → 6, C 10 % → 20, D 30 % → 60, ungraded (plan's 3 %) → 6
    assert counts == {1: 2, 2: 6, 3: 20, 4: 60, 0: 6}
    assert [grade_of[e] for e, _t in result] == sorted(
        (grade_of[e] for e, _t in result), key=lambda code: (code == 0, code)
    )  # stratum by stratum: A, B, C, D, then the ungraded
    assert len({e for e, _t in result}) == 94


def test_a_grade_at_zero_is_never_drawn_and_the_draw_is_reproducible() -> None:
    result = run_graded(by_grade={"A": "0"})
    pool, *_rest = graded()
    grade_of = dict(zip(pool.entity_ids, pool.grades or [], strict=True))
    assert not [e for e, _t in result if grade_of[e] == 1]
    assert len(result) == 4 * 6  # B, C, D and ungraded at the plan's 3 % of 200
    assert run_graded("x") == run_graded("x")
    assert run_graded("x") != run_graded("y")


def test_graded_snapshots_round_trip_and_hash_differently() -> None:
    pool, _insp, ph, _ih = graded()
    blob, h = drawing.pack_pool(pool)
    back, h2 = drawing.unpack_pool(blob)
    assert (h2, list(back.grades or [])) == (h, list(pool.grades or []))
    plain = drawing.Pool(pool.entity_ids, pool.cell_ids)
    assert drawing.pack_pool(plain)[1] != ph
    assert drawing.unpack_pool(drawing.pack_pool(plain)[0])[0].grades is None
