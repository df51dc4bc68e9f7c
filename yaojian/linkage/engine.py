"""The linkage engine: a Splink (DuckDB) model over Chinese-normalised fields.

Records are normalised in Python (``yaojian.linkage.normalise``) into the columns the model
compares; Splink blocks on normalised keys, scores every candidate pair with the m/u
probabilities shipped in ``model.json`` (estimated once on generated data by
``yaojian.linkage.training``; nothing is trained at request time) and answers match weights
per comparison, which are the explanation shown to reviewers.

The prior (the chance that two random records match) is set per run to ``1 / max(n_left,
n_right)``: each record has at most one counterpart in the other list.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from yaojian.linkage.normalise import (
    CONTRADICTION_DICE,
    bigrams,
    normalise_address,
    normalise_code,
    normalise_name,
    normalise_person,
    pinyin,
    road_and_number,
    trade_characters,
    uscc_is_valid,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from yaojian.linkage.matching import LinkRecord, Match, Pair

MODEL_PATH = Path(__file__).with_name("model.json")
DEFAULT_AUTO_THRESHOLD = 0.95
DEFAULT_REVIEW_THRESHOLD = 0.5

COLUMNS = (
    "unique_id",
    "name_core",
    "name_branch",
    "name_pinyin",
    "name_bigrams",
    "name_chars",
    "name_first",
    "address",
    "address_road",
    "address_street",
    "address_bigrams",
    "region",
    "city",
    "province",
    "credit_code",
    "credit_code_valid",
    "legal_rep",
    "legal_rep_pinyin",
    "licence",
)
LIST_COLUMNS = frozenset({"name_bigrams", "name_chars", "address_bigrams"})
BOOL_COLUMNS = frozenset({"credit_code_valid"})

# Comparison output names → label for explanations (stable identifiers; translated in views).
COMPARISONS = (
    "name",
    "branch",
    "address",
    "region",
    "credit_code",
    "legal_representative",
    "licence",
)


def _dice(column: str) -> str:
    return (
        f"2.0 * len(list_intersect({column}_l, {column}_r)) / (len({column}_l) + len({column}_r))"
    )


def comparisons() -> list[dict[str, Any]]:
    """The comparisons (Splink dicts; m/u probabilities come from ``model.json``)."""

    def null(column: str) -> dict[str, Any]:
        return {
            "sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
            "label_for_charts": "null",
            "is_null_level": True,
        }

    def level(sql: str, label: str) -> dict[str, Any]:
        return {"sql_condition": sql, "label_for_charts": label}

    def otherwise() -> dict[str, Any]:
        return {"sql_condition": "ELSE", "label_for_charts": "different"}

    return [
        {
            "output_column_name": "name",
            "comparison_description": "name",
            "comparison_levels": [
                null("name_core"),
                level('"name_core_l" = "name_core_r"', "exact"),
                level('"name_pinyin_l" = "name_pinyin_r"', "same pinyin"),
                level(f"{_dice('name_bigrams')} >= 0.75", "bigrams >= 0.75"),
                level(f"{_dice('name_bigrams')} >= 0.5", "bigrams >= 0.5"),
                otherwise(),
            ],
        },
        {
            "output_column_name": "branch",
            "comparison_description": "branch",
            "comparison_levels": [
                {
                    "sql_condition": '"name_branch_l" IS NULL AND "name_branch_r" IS NULL',
                    "label_for_charts": "no branch",
                    "is_null_level": True,
                },
                level('"name_branch_l" = "name_branch_r"', "exact"),
                level('"name_branch_l" IS NULL OR "name_branch_r" IS NULL', "one side"),
                # two numbered branches (3 / 5) are never "similar"
                level(
                    f"{_dice_text('name_branch')} >= 0.5 AND NOT ("
                    "regexp_full_match(\"name_branch_l\", '[0-9]+') AND "
                    "regexp_full_match(\"name_branch_r\", '[0-9]+'))",
                    "similar",
                ),
                otherwise(),
            ],
        },
        {
            "output_column_name": "address",
            "comparison_description": "address",
            "comparison_levels": [
                null("address"),
                level('"address_l" = "address_r"', "exact"),
                level('"address_road_l" = "address_road_r"', "same road and number"),
                level(f"{_dice('address_bigrams')} >= 0.7", "bigrams >= 0.7"),
                level(f"{_dice('address_bigrams')} >= 0.4", "bigrams >= 0.4"),
                otherwise(),
            ],
        },
        {
            "output_column_name": "region",
            "comparison_description": "region",
            "comparison_levels": [
                null("region"),
                level('"region_l" = "region_r"', "same county"),
                level('"city_l" = "city_r"', "same city"),
                level('"province_l" = "province_r"', "same province"),
                otherwise(),
            ],
        },
        {
            "output_column_name": "credit_code",
            "comparison_description": "credit_code",
            "comparison_levels": [
                null("credit_code"),
                level(
                    f'"credit_code_l" = "credit_code_r" AND NOT ({NAMES_CONTRADICT})',
                    CODE_DECISIVE_LABEL,
                ),
                level('"credit_code_l" = "credit_code_r"', "exact, names contradict"),
                level('"credit_code_valid_l" AND "credit_code_valid_r"', "different valid codes"),
                otherwise(),
            ],
        },
        {
            "output_column_name": "legal_representative",
            "comparison_description": "legal_representative",
            "comparison_levels": [
                null("legal_rep"),
                level('"legal_rep_l" = "legal_rep_r"', "exact"),
                level('"legal_rep_pinyin_l" = "legal_rep_pinyin_r"', "same pinyin"),
                otherwise(),
            ],
        },
        {
            "output_column_name": "licence",
            "comparison_description": "licence",
            "comparison_levels": [
                null("licence"),
                level('"licence_l" = "licence_r"', "exact"),
                otherwise(),
            ],
        },
    ]


CODE_DECISIVE_LABEL = "exact"
# Splink's gamma of the credit-code comparison: 3 = same code, names agree (decisive);
# 2 = same code, names contradict (never automatic); see ``comparisons()``.
GAMMA_CODE_DECISIVE = 3
GAMMA_CODE_CONTRADICTED = 2

# The SQL twin of ``normalise.names_contradict`` (two different branches, or cores whose
# trade-name characters' Dice is below 0.5, neither containing the other, different pinyin).
NAMES_CONTRADICT = (
    'coalesce(("name_branch_l" <> "name_branch_r") OR ('
    f"{_dice('name_chars')} < {CONTRADICTION_DICE}"
    ' AND NOT contains("name_core_l", "name_core_r")'
    ' AND NOT contains("name_core_r", "name_core_l")'
    ' AND "name_pinyin_l" <> "name_pinyin_r"), FALSE)'
)


def _dice_text(column: str) -> str:
    # Character overlap of two short strings (branch names), via DuckDB's string_split.
    return (
        f"2.0 * len(list_intersect(string_split({column}_l, ''), string_split({column}_r, ''))) "
        f"/ (length({column}_l) + length({column}_r))"
    )


BLOCKING_RULES = (
    # the same name: alone when the name is rare in the two lists (``RARE_NAME_LIMIT``), else
    # with the same city, street or legal representative (民生药房 is in every county)
    'l."name_rare" = r."name_rare"',
    'l."name_core" = r."name_core" AND l."city" = r."city"',
    'l."name_core" = r."name_core" AND l."address_street" = r."address_street"',
    'l."name_core" = r."name_core" AND l."legal_rep" = r."legal_rep"',
    'l."pinyin_rare" = r."pinyin_rare"',
    'l."name_pinyin" = r."name_pinyin" AND l."city" = r."city"',
    'l."credit_code" = r."credit_code"',
    'l."licence" = r."licence"',
    'l."address_road" = r."address_road" AND l."city" = r."city"',
    # the same road and number without a region (an address without its city), same first
    # character of the name
    'l."address_road" = r."address_road" AND l."name_first" = r."name_first"',
    'l."address" = r."address"',
    'l."legal_rep" = r."legal_rep" AND l."city" = r."city"',
    'l."legal_rep" = r."legal_rep" AND l."name_first" = r."name_first"',
    # a common name with the same branch (测试大药房（123号店） / 测试大药房123号店): found even when
    # the name's other blocks are too large to be kept (``MAX_BLOCK_PAIRS``)
    'l."name_core" = r."name_core" AND l."name_branch" = r."name_branch"',
)
# A block (the records of both lists sharing one value of a rule's columns) proposing more pairs
# than this is dropped for that rule: a value shared by thousands of records (测试大药房 in one
# city, 扎西 on 北京中路) says nothing about identity, and blocking on it is a cross product
# (10,000 × 30,000 pairs per rule took 21 GB). At 100,000 × 100,000 on both benchmark generators
# the largest block is ~2,900 pairs, so no block a person would rely on is lost; each rule then
# proposes at most ``sqrt(MAX_BLOCK_PAIRS) × (n_left + n_right)`` pairs, whatever the data.
MAX_BLOCK_PAIRS = 5000
# A name (or its pinyin) seen at most this often in the two lists together blocks on its own.
RARE_NAME_LIMIT = 12
FREQUENCY_COLUMNS = {"name_rare": "name_core", "pinyin_rare": "name_pinyin"}


def add_rare_names(left: pa.Table, right: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The tables with ``name_rare`` / ``pinyin_rare``: the value when it is rare, else null."""
    import pyarrow as pa

    tables = [left, right]
    for target, source in FREQUENCY_COLUMNS.items():
        counts: Counter[str] = Counter()
        values = [table.column(source).to_pylist() for table in tables]
        for column in values:
            counts.update(value for value in column if value)
        for i, column in enumerate(values):
            rare = [v if v and counts[v] <= RARE_NAME_LIMIT else None for v in column]
            tables[i] = tables[i].append_column(
                pa.field(target, pa.string()), pa.array(rare, type=pa.string())
            )
    return tables[0], tables[1]


def rule_columns(rule: str) -> tuple[str, ...]:
    """The columns a blocking rule compares (``l."a" = r."a" AND …`` → ``("a", …)``)."""
    return tuple(re.findall(r'l\."(\w+)"', rule))


def block_column(index: int) -> str:
    return f"block_{index}"


def blocking_rules() -> tuple[str, ...]:
    """The rules Splink runs: one equality per rule on its bounded key (``add_block_keys``)."""
    return tuple(
        f'l."{block_column(i)}" = r."{block_column(i)}"' for i in range(len(BLOCKING_RULES))
    )


def _block_key(table: pa.Table, columns: tuple[str, ...]) -> pa.Array:
    import pyarrow.compute as pc

    arrays = [table.column(column) for column in columns]
    if len(arrays) == 1:
        return arrays[0]
    # null when any column is null (an equality on a null never holds)
    return pc.binary_join_element_wise(*arrays, "\x1f")


def _counts(keys: Any) -> dict[str, int]:
    import pyarrow.compute as pc

    counted = pc.value_counts(pc.drop_null(keys))
    return dict(
        zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True)
    )


def add_block_keys(left: pa.Table, right: pa.Table) -> tuple[pa.Table, pa.Table, dict[str, int]]:
    """The tables with the rare names (``add_rare_names``) and one key per blocking rule.

    A rule's key is its columns joined; it is null where a column is null and for every value
    whose block would propose more than ``MAX_BLOCK_PAIRS`` pairs (left count × right count).
    Also answers, per rule, how many pairs its kept blocks propose (before the rules'
    overlaps are removed), so tests and benchmarks can see the bound hold.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    left, right = add_rare_names(left, right)
    proposed: dict[str, int] = {}
    for index, rule in enumerate(BLOCKING_RULES):
        columns = rule_columns(rule)
        keys = [_block_key(left, columns), _block_key(right, columns)]
        counts = [_counts(key) for key in keys]
        oversize = [
            value for value, n in counts[0].items() if n * counts[1].get(value, 0) > MAX_BLOCK_PAIRS
        ]
        proposed[rule] = sum(
            n * counts[1].get(value, 0)
            for value, n in counts[0].items()
            if n * counts[1].get(value, 0) <= MAX_BLOCK_PAIRS
        )
        if oversize:
            dropped = pa.array(oversize, type=pa.string())
            keys = [
                pc.if_else(pc.is_in(key, value_set=dropped), pa.scalar(None, pa.string()), key)
                for key in keys
            ]
        field = pa.field(block_column(index), pa.string())
        left = left.append_column(field, keys[0])
        right = right.append_column(field, keys[1])
    return left, right, proposed


def settings_dict(prior: float = 1e-4) -> dict[str, Any]:
    """Splink settings without trained parameters (the training starts from these)."""
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in blocking_rules()
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
    }


@cache
def trained_settings() -> dict[str, Any]:
    """The shipped model (``model.json``): settings with m/u probabilities."""
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def code_level_weights() -> tuple[float, float]:
    """The match weights of the credit code's "decisive" and "names contradict" levels."""
    comparison = next(
        c for c in trained_settings()["comparisons"] if c["output_column_name"] == "credit_code"
    )
    weights = {
        level["label_for_charts"]: math.log2(level["m_probability"] / level["u_probability"])
        for level in comparison["comparison_levels"]
        if not level.get("is_null_level")
    }
    decisive = weights[CODE_DECISIVE_LABEL]
    contradicted = weights["exact, names contradict"]
    others = [w for label, w in weights.items() if label != CODE_DECISIVE_LABEL]
    if any(abs(decisive - w) < 1e-6 for w in others) or any(
        abs(contradicted - w) < 1e-6 for label, w in weights.items() if "contradict" not in label
    ):  # pragma: no cover - a model whose levels cannot be told apart
        raise ValueError("credit-code levels of model.json have equal weights")
    return decisive, contradicted


def thresholds() -> tuple[float, float]:
    """(auto, review) probability thresholds from settings."""
    auto = float(getattr(settings, "LINKAGE_AUTO_THRESHOLD", DEFAULT_AUTO_THRESHOLD))
    review = float(getattr(settings, "LINKAGE_REVIEW_THRESHOLD", DEFAULT_REVIEW_THRESHOLD))
    return auto, min(review, auto)


def _none(value: str) -> str | None:
    return value or None


def prepare_row(key: str, record: LinkRecord) -> dict[str, Any]:
    """The model's columns for one record."""
    name = normalise_name(record.name)
    address = normalise_address(record.address)
    region = (record.region_code or "").strip()
    region = region if len(region) == 6 and region.isdigit() else ""
    person = normalise_person(record.legal_representative)
    code = normalise_code(record.credit_code)
    road = road_and_number(address)
    return {
        "unique_id": key,
        "name_core": _none(name.core),
        "name_branch": _none(name.branch),
        "name_pinyin": _none(pinyin(name.core)),
        "name_bigrams": bigrams(name.core) or None,
        "name_chars": trade_characters(name.core) or None,
        "name_first": _none(name.core[:1]),
        "address": _none(address),
        "address_road": _none(road),
        "address_street": _none(road.rstrip("0123456789")),
        "address_bigrams": bigrams(address) or None,
        "region": _none(region),
        "city": _none(region[:4]),
        "province": _none(region[:2]),
        "credit_code": _none(code),
        "credit_code_valid": uscc_is_valid(code) if code else None,
        "legal_rep": _none(person),
        "legal_rep_pinyin": _none(pinyin(person)),
        "licence": _none(normalise_code(record.licence_number)),
    }


def prepare(records: Sequence[LinkRecord], extra: dict[str, list[Any]] | None = None) -> pa.Table:
    """An Arrow table of the model's columns (keys are the records' positions)."""
    import pyarrow as pa

    rows = [prepare_row(str(i), record) for i, record in enumerate(records)]
    data: dict[str, list[Any]] = {column: [row[column] for row in rows] for column in COLUMNS}
    data.update(extra or {})
    schema_fields = [pa.field(column, _arrow_type(column)) for column in COLUMNS]
    schema_fields += [pa.field(name, pa.int64()) for name in (extra or {})]
    return pa.table(data, schema=pa.schema(schema_fields))


def _arrow_type(column: str) -> Any:
    import pyarrow as pa

    if column in LIST_COLUMNS:
        return pa.list_(pa.string())
    return pa.bool_() if column in BOOL_COLUMNS else pa.string()


def _prior(n_left: int, n_right: int) -> float:
    return min(0.5, 1.0 / max(n_left, n_right, 2))


def score(
    left: Sequence[LinkRecord],
    right: Sequence[LinkRecord],
    *,
    threshold: float,
) -> list[dict[str, Any]]:
    """Every blocked pair scoring at least ``threshold``, with per-comparison weights.

    Each row: ``left`` and ``right`` (positions), ``probability``, ``match_weight``, the
    ``mw_<comparison>`` weights, ``best_left`` / ``best_right`` (the pair is the best of its
    left / right record).
    """
    if not left or not right:
        return []
    import duckdb
    from splink import DuckDBAPI, Linker

    model = dict(trained_settings())
    model["probability_two_random_records_match"] = _prior(len(left), len(right))
    model["retain_intermediate_calculation_columns"] = True
    model["retain_matching_columns"] = False
    model["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": rule, "sql_dialect": "duckdb"} for rule in blocking_rules()
    ]
    connection = duckdb.connect(":memory:")
    try:
        db_api = DuckDBAPI(connection)
        tables = [
            db_api.register(table, table_name=name)
            for table, name in zip(
                add_block_keys(prepare(left), prepare(right))[:2],
                ("linkage_left", "linkage_right"),
                strict=True,
            )
        ]
        linker = Linker(tables, model, validate_settings=False)
        logging.getLogger("splink").setLevel(logging.WARNING)
        # Every blocked pair is scored; kept are those above ``threshold`` and those that share
        # a credit code (decisive, or for a person to look at when the names contradict).
        predictions = linker.inference.predict()
        weights = ", ".join(f'"mw_{name}"' for name in COMPARISONS)
        # Splink keeps no comparison levels (gamma) without the matching columns; the level is
        # known from its weight, which is distinct per level (``code_level_weights``).
        decisive_weight, contradicted_weight = code_level_weights()
        decisive = f'(abs("mw_credit_code" - {decisive_weight!r}) < 1e-9)'
        contradicted = f'(abs("mw_credit_code" - {contradicted_weight!r}) < 1e-9)'
        code_level = (
            f"CASE WHEN {decisive} THEN {GAMMA_CODE_DECISIVE} "
            f"WHEN {contradicted} THEN {GAMMA_CODE_CONTRADICTED} ELSE 0 END"
        )
        sql = f"""
            SELECT
                CAST(unique_id_l AS BIGINT) AS "left",
                CAST(unique_id_r AS BIGINT) AS "right",
                match_probability AS probability,
                match_weight,
                {code_level} AS code_level,
                {weights},
                row_number() OVER (PARTITION BY unique_id_l ORDER BY {decisive} DESC,
                    match_weight DESC, unique_id_r) = 1 AS best_left,
                row_number() OVER (PARTITION BY unique_id_r ORDER BY {decisive} DESC,
                    match_weight DESC, unique_id_l) = 1 AS best_right
            FROM {predictions.physical_name}
            WHERE match_probability >= {float(threshold)!r} OR {decisive} OR {contradicted}
        """  # noqa: S608 - only our own column and table names
        relation = connection.sql(sql)
        columns = relation.columns
        return [dict(zip(columns, row, strict=True)) for row in relation.fetchall()]
    finally:
        connection.close()


def _explanation(row: dict[str, Any]) -> tuple[tuple[str, float], ...]:
    return tuple((name, round(float(row[f"mw_{name}"]), 3)) for name in COMPARISONS)


def _finite(value: float) -> float:
    return value if math.isfinite(value) else (50.0 if value > 0 else -50.0)


def band_of(row: dict[str, Any], auto: float) -> str:
    """``auto`` or ``review`` for a scored pair (see docs/domain/linkage.md, "Bands").

    Automatic needs the pair to be the best of both its records and either a probability at
    least ``auto`` or a decisive credit code (the same code, names that do not contradict).
    The same code with contradicting names is never automatic: a person looks.
    """
    from yaojian.linkage.matching import Band

    if not (row["best_left"] and row["best_right"]):
        return Band.REVIEW
    if row["code_level"] == GAMMA_CODE_CONTRADICTED:
        return Band.REVIEW
    if row["code_level"] == GAMMA_CODE_DECISIVE or float(row["probability"]) >= auto:
        return Band.AUTO
    return Band.REVIEW


def link_lists(left: Sequence[LinkRecord], right: Sequence[LinkRecord]) -> list[Pair]:
    """Pairs above the review threshold or with a decisive credit code; ``auto`` as
    :func:`band_of` says."""
    from yaojian.linkage.matching import Pair

    auto, review = thresholds()
    pairs = []
    for row in score(left, right, threshold=review):
        probability = float(row["probability"])
        band = band_of(row, auto)
        pairs.append(
            Pair(
                left_key=left[row["left"]].key,
                right_key=right[row["right"]].key,
                band=band,
                probability=probability,
                match_weight=_finite(float(row["match_weight"])),
                explanation=_explanation(row),
            )
        )
    pairs.sort(key=lambda pair: (pair.left_key, -pair.match_weight))
    return pairs


def registry_records(region_prefix: str = "") -> tuple[list[int], list[LinkRecord]]:
    """(pks, records) of the registry's entities, optionally under ``region_prefix``."""
    from yaojian.linkage.matching import LinkRecord
    from yaojian.registry.models import Entity, Licence

    entities = Entity.objects.order_by("pk")
    if region_prefix:
        entities = entities.filter(region__code__startswith=region_prefix)
    licences: dict[int, str] = {}
    licence_rows = Licence.objects.order_by("entity_id", "pk").values_list("entity_id", "number")
    if region_prefix:
        licence_rows = licence_rows.filter(entity__region__code__startswith=region_prefix)
    for entity_id, number in licence_rows:
        licences.setdefault(entity_id, number)
    pks: list[int] = []
    records: list[LinkRecord] = []
    for pk, name, address, region, code, rep in entities.values_list(
        "pk",
        "name",
        "address",
        "region_id",
        "unified_social_credit_code",
        "legal_representative",
    ).iterator(chunk_size=5000):
        pks.append(pk)
        records.append(
            LinkRecord(
                key=str(pk),
                name=name,
                address=address,
                region_code=region,
                credit_code=code or "",
                legal_representative=rep,
                licence_number=licences.get(pk, ""),
            )
        )
    return pks, records


def link_to_registry(records: Sequence[LinkRecord], *, region_prefix: str = "") -> list[Match]:
    """One Match per record (same order) against the registry's entities."""
    from yaojian.linkage.matching import Band, Match

    auto, review = thresholds()
    pks, entities = registry_records(region_prefix)
    best: dict[int, dict[str, Any]] = {}
    for row in score(records, entities, threshold=review):
        if row["best_left"]:
            best[row["left"]] = row
    matches = []
    for position, record in enumerate(records):
        found = best.get(position)
        if found is None:
            matches.append(Match(record.key, Band.NEW, None, 0.0, 0.0, ()))
            continue
        probability = float(found["probability"])
        matches.append(
            Match(
                key=record.key,
                band=band_of(found, auto),
                entity_id=pks[found["right"]],
                probability=probability,
                match_weight=_finite(float(found["match_weight"])),
                explanation=_explanation(found),
            )
        )
    return matches
