"""The double-random draw (双随机, DOMAIN.md §2.8), as a pure and reproducible function.

Inputs are snapshots taken when the draw is made: the entity pool (sorted ids with each
entity's grid cell), the inspector pool (sorted ``(inspector, department)``), the conflicts
(entity, inspector) and the officers of each cell. The snapshots are packed into bytes
(:func:`pack`), hashed (SHA-256) and stored with the seed and :data:`ALGORITHM`; running
:func:`run` again on the stored snapshots gives the same result, byte for byte.

``draw-v1``: ``random.Random`` (Mersenne Twister) seeded with SHA-256(algorithm | seed | pool
hash | inspector hash); ``n = ceil(pool × proportion / 100)`` entities by ``Random.sample`` over
the pool positions; for each entity in draw order, ``team_size`` inspectors, slot *i* from the
*i*-th department of the plan in rotation (joint plans) or from the whole pool, never one who
has a conflict with the entity, is responsible for its cell (when the plan excludes them) or is
already on the team. Up to 32 random tries per slot, then a uniform choice among the eligible.

``draw-v2`` (proportions by credit grade, DOMAIN.md §2.8: A reduced, B normal, C increased, D
sharply increased): the pool snapshot also carries each entity's credit grade (0 = none, 1–4 =
A–D) and the draw stores a proportion per grade. The pool is split into strata in the order A,
B, C, D, ungraded (each in pool order); stratum *g* gives ``ceil(size_g × p_g / 100)`` entities
by ``Random.sample`` (``p_g`` the grade's proportion, the plan's proportion when the grade has
none); the drawn entities follow each other stratum by stratum, then teams as in ``draw-v1``.
The random generator's key names the algorithm, so the two never share a stream.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

ALGORITHM = "draw-v1"
ALGORITHM_BY_GRADE = "draw-v2"
ALGORITHMS = (ALGORITHM, ALGORITHM_BY_GRADE)
TRIES = 32
#: Credit grades in the order of the strata (the code in the pool snapshot is the index + 1).
GRADES = ("A", "B", "C", "D")
UNGRADED = ""


class PoolTooSmall(Exception):  # noqa: N818 (a domain refusal, not a programming error)
    """The inspector pool cannot give an entity its team."""

    def __init__(self, entity_id: int, needed: int, available: int) -> None:
        super().__init__(entity_id, needed, available)
        self.entity_id = entity_id
        self.needed = needed
        self.available = available


@dataclass(frozen=True)
class Pool:
    """The entity pool snapshot: parallel arrays, sorted by entity id."""

    entity_ids: Sequence[int]
    cell_ids: Sequence[int]  # 0 = no cell
    grades: Sequence[int] | None = None  # draw-v2 only: 0 = no grade, 1–4 = A–D


def grade_code(grade: str) -> int:
    """The snapshot's code of a credit grade (0 for none or an unknown letter)."""
    return GRADES.index(grade) + 1 if grade in GRADES else 0


@dataclass(frozen=True)
class Inspectors:
    """The inspector pool snapshot."""

    inspectors: Sequence[tuple[int, int]]  # (user id, department id), sorted
    conflicts: Sequence[tuple[int, int]]  # (entity id, user id), sorted
    cell_officers: dict[int, list[int]]  # cell id -> user ids (empty unless excluded)
    departments: Sequence[int]  # the rotation of departments for joint teams ([] = any)


def _ints(values: Sequence[int]) -> bytes:
    return array("q", values).tobytes()


def pack_pool(pool: Pool) -> tuple[bytes, str]:
    """The compressed snapshot and the SHA-256 of its uncompressed bytes."""
    raw = _ints([len(pool.entity_ids)]) + _ints(pool.entity_ids) + _ints(pool.cell_ids)
    if pool.grades is not None:
        raw += _ints(pool.grades)
    return zlib.compress(raw, 1), hashlib.sha256(raw).hexdigest()


def unpack_pool(blob: bytes) -> tuple[Pool, str]:
    raw = zlib.decompress(bytes(blob))
    values = array("q")
    values.frombytes(raw)
    n = values[0]
    grades = values[1 + 2 * n : 1 + 3 * n] if len(values) > 1 + 2 * n else None
    pool = Pool(values[1 : 1 + n], values[1 + n : 1 + 2 * n], grades)
    return pool, hashlib.sha256(raw).hexdigest()


def pack_inspectors(inspectors: Inspectors) -> tuple[bytes, str]:
    raw = json.dumps(
        {
            "inspectors": [list(i) for i in inspectors.inspectors],
            "conflicts": [list(c) for c in inspectors.conflicts],
            "cell_officers": {str(k): v for k, v in sorted(inspectors.cell_officers.items())},
            "departments": list(inspectors.departments),
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()
    return zlib.compress(raw, 6), hashlib.sha256(raw).hexdigest()


def unpack_inspectors(blob: bytes) -> tuple[Inspectors, str]:
    raw = zlib.decompress(bytes(blob))
    data = json.loads(raw)
    return (
        Inspectors(
            inspectors=[(a, b) for a, b in data["inspectors"]],
            conflicts=[(a, b) for a, b in data["conflicts"]],
            cell_officers={int(k): v for k, v in data["cell_officers"].items()},
            departments=data["departments"],
        ),
        hashlib.sha256(raw).hexdigest(),
    )


def sample_size(pool_size: int, proportion: Decimal) -> int:
    """``ceil(pool × proportion / 100)``, exactly (Decimal), never more than the pool."""
    return min(pool_size, math.ceil(Decimal(pool_size) * Decimal(proportion) / 100))


def strata(
    pool: Pool, proportion: Decimal, by_grade: dict[str, Decimal]
) -> list[tuple[str, Decimal, list[int]]]:
    """``(grade, proportion, pool positions)`` per stratum in the order A, B, C, D,
    ungraded; a grade without its own proportion takes ``proportion``."""
    grades = pool.grades if pool.grades is not None else [0] * len(pool.entity_ids)
    positions: dict[int, list[int]] = {code: [] for code in range(1, len(GRADES) + 1)}
    # One pass picks the few graded positions; the ungraded (most of a large pool, and any
    # unknown code) are the rest, in pool order: the same lists as a per-position loop,
    # several times faster.
    for position, code in [(p, c) for p, c in enumerate(grades) if c]:
        if code in positions:
            positions[code].append(position)
    positions[0] = [p for p, c in enumerate(grades) if c not in positions]
    return [
        (grade, Decimal(by_grade.get(grade, proportion)), positions[grade_code(grade)])
        for grade in (*GRADES, UNGRADED)
    ]


def result_hash(result: Sequence[tuple[int, Sequence[int]]]) -> str:
    """SHA-256 of the result lines ``entity:inspector,inspector`` in draw order."""
    digest = hashlib.sha256()
    for entity_id, team in result:
        digest.update(f"{entity_id}:{','.join(map(str, team))}\n".encode())
    return digest.hexdigest()


def run(
    *,
    pool: Pool,
    inspectors: Inspectors,
    proportion: Decimal,
    team_size: int,
    seed: str,
    pool_hash: str,
    inspector_hash: str,
    by_grade: dict[str, Decimal] | None = None,
) -> list[tuple[int, list[int]]]:
    """The draw: ``[(entity id, [inspector ids])]`` in draw order. ``PoolTooSmall`` when an
    entity cannot get its team. ``by_grade`` (proportions by credit grade) makes it
    ``draw-v2``: the pool must then carry the grades."""
    algorithm = ALGORITHM if by_grade is None else ALGORITHM_BY_GRADE
    key = f"{algorithm}|{seed}|{pool_hash}|{inspector_hash}".encode()
    rng = random.Random(int.from_bytes(hashlib.sha256(key).digest(), "big"))  # noqa: S311
    if by_grade is None:
        n = sample_size(len(pool.entity_ids), proportion)
        positions = rng.sample(range(len(pool.entity_ids)), n)
    else:
        positions = []
        for _grade, share, members in strata(pool, proportion, by_grade):
            positions.extend(rng.sample(members, sample_size(len(members), share)))
    everyone = [uid for uid, _dept in inspectors.inspectors]
    by_department: dict[int, list[int]] = {}
    for uid, dept in inspectors.inspectors:
        by_department.setdefault(dept, []).append(uid)
    rotation = list(inspectors.departments)
    slots = [
        by_department.get(rotation[i % len(rotation)], []) if rotation else everyone
        for i in range(team_size)
    ]
    conflicts: dict[int, set[int]] = {}
    for entity_id, uid in inspectors.conflicts:
        conflicts.setdefault(entity_id, set()).add(uid)
    cell_officers = {cell: set(users) for cell, users in inspectors.cell_officers.items()}
    empty: set[int] = set()
    result: list[tuple[int, list[int]]] = []
    for position in positions:
        entity_id = pool.entity_ids[position]
        excluded = conflicts.get(entity_id, empty) | cell_officers.get(
            pool.cell_ids[position], empty
        )
        team: list[int] = []
        for candidates in slots:
            team.append(_pick(rng, candidates, excluded, team, entity_id, team_size))
        result.append((entity_id, team))
    return result


def _pick(
    rng: random.Random,
    candidates: list[int],
    excluded: set[int],
    team: list[int],
    entity_id: int,
    team_size: int,
) -> int:
    size = len(candidates)
    if size:
        for _try in range(TRIES):
            uid = candidates[rng.randrange(size)]
            if uid not in excluded and uid not in team:
                return uid
    eligible = [uid for uid in candidates if uid not in excluded and uid not in team]
    if not eligible:
        available = len({uid for uid in candidates if uid not in excluded} | set(team))
        raise PoolTooSmall(entity_id, team_size, available)
    return eligible[rng.randrange(len(eligible))]
