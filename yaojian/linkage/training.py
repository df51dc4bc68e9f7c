"""Estimate the model's m/u probabilities on generated data and write ``model.json``.

Run once when the comparisons change (never at request time)::

    uv run python -m yaojian.linkage.training --size 20000

m probabilities come from the ground truth of the generated lists (Splink's
``estimate_m_from_label_column``), u probabilities from random pairs
(``estimate_u_using_random_sampling``). The output is deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any

from yaojian.linkage import engine
from yaojian.linkage.synthetic import generate


def train(size: int = 20000, seed: int = 7) -> dict[str, Any]:
    """Splink settings with estimated m/u probabilities."""
    import duckdb
    from splink import DuckDBAPI, Linker

    left, right = generate(size, seed=seed)
    connection = duckdb.connect(":memory:")
    db_api = DuckDBAPI(connection)
    prepared = engine.add_block_keys(
        engine.prepare([r.record for r in left], {"truth": [r.truth for r in left]}),
        engine.prepare([r.record for r in right], {"truth": [r.truth for r in right]}),
    )[:2]
    tables = [
        db_api.register(table, table_name=name)
        for table, name in zip(prepared, ("linkage_left", "linkage_right"), strict=True)
    ]
    linker = Linker(tables, engine.settings_dict(prior=1.0 / size))
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
    linker.training.estimate_m_from_label_column("truth")
    model: dict[str, Any] = linker.misc.save_model_to_json(out_path=None)
    connection.close()
    return smoothed(model)


def smoothed(model: dict[str, Any]) -> dict[str, Any]:
    """Levels never (or almost never) seen in the training data get a small floor.

    Real data has mistakes the generator may not make (a mistyped USCC, a wrong region):
    such a level must weigh heavily against a match, not be impossible (-inf).
    """
    for comparison in model["comparisons"]:
        levels = [
            level for level in comparison["comparison_levels"] if not level.get("is_null_level")
        ]
        identifier = comparison["output_column_name"] in IDENTIFIERS
        for key in ("m_probability", "u_probability"):
            floors = [
                U_FLOOR_IDENTIFIER
                if identifier and key == "u_probability" and level["label_for_charts"] == "exact"
                else M_FLOOR
                for level in levels
            ]
            values = [
                # random pairs include true matches (one in N): for an identifier's exact level
                # they dominate u, so u is set to the floor
                floor if floor == U_FLOOR_IDENTIFIER else max(float(level.get(key) or 0.0), floor)
                for level, floor in zip(levels, floors, strict=True)
            ]
            total = sum(values)
            for level, value in zip(levels, values, strict=True):
                level[key] = value / total
    return model


M_FLOOR = 1e-4
# Two random records share a credit code or licence number about as often as one in the
# number of entities, not one in 10,000: random sampling of a few million pairs never sees it,
# and a floor of 1e-4 would cap a shared code's weight at ~13 bits (less than the prior at
# 100,000 records). A floor of 1e-9 lets an equal identifier weigh ~30 bits.
U_FLOOR_IDENTIFIER = 1e-9
IDENTIFIERS = frozenset({"credit_code", "licence"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    model = train(args.size, args.seed)
    engine.MODEL_PATH.write_text(
        json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"wrote {engine.MODEL_PATH}")  # noqa: T201


if __name__ == "__main__":
    main()
