"""Linkage accuracy and speed on generated lists with ground truth.

    uv run python bench/linkage_accuracy.py --size 100000 [--baseline-size 20000]
        [--generator project|independent|both]

Generates two lists of ``size`` records, links them with the shipped model
(``yaojian.linkage.engine``) and reports precision and recall of the *automatic* band, the
recall of automatic + review, the *blocking recall* (true pairs that any blocking rule
proposes: a pair never proposed can never be found), the wall time (normalisation + Splink)
the CPU time of the process (all threads; the wall time on a loaded machine mostly measures
the other load) and the process's peak memory (RSS).

Two generators, both our own code:

* ``project`` — ``yaojian.linkage.synthetic``, the data the model is trained and tuned on;
* ``independent`` — ``bench/linkage_independent.py``, written separately with other regions,
  vocabulary, conventions and noise, and never used for training or tuning.

Peak memory is per process: run one generator per process for a clean figure. The baseline in the same run is Splink with default-ish comparisons on the raw
strings (Jaro-Winkler on name and address, exact region / USCC / legal representative /
licence; blocking on "city + first character of the name"), trained the same way on its own
ground truth; it runs on ``--baseline-size`` records because it is much slower.
Targets: precision >= 0.99, recall >= 0.97, 100k x 100k under 2 minutes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")


def evaluate(auto_pairs: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, Any]:
    true_positives = len(auto_pairs & truth)
    precision = true_positives / len(auto_pairs) if auto_pairs else 1.0
    recall = true_positives / len(truth) if truth else 1.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "auto_pairs": len(auto_pairs),
        "true_pairs": len(truth),
    }


def truth_pairs(left: list[Any], right: list[Any]) -> set[tuple[str, str]]:
    by_truth = {record.truth: record.record.key for record in left}
    return {
        (by_truth[record.truth], record.record.key) for record in right if record.truth in by_truth
    }


def lists(generator: str, size: int, seed: int) -> tuple[list[Any], list[Any], set[Any]]:
    """(left LinkRecords, right LinkRecords, true key pairs) of one generator."""
    if generator == "independent":
        from bench.linkage_independent import as_link_records
        from bench.linkage_independent import generate as independent

        left_i, right_i = independent(size, seed=seed)
        keys = {r.entity: r.key for r in left_i}
        truth = {(keys[r.entity], r.key) for r in right_i if r.entity in keys}
        return as_link_records(left_i), as_link_records(right_i), truth
    from yaojian.linkage.synthetic import generate

    left, right = generate(size, seed=seed)
    return [r.record for r in left], [r.record for r in right], truth_pairs(left, right)


def blocking_recall(left: list[Any], right: list[Any], truth: set[tuple[str, str]]) -> float:
    """The share of true pairs that at least one blocking rule proposes."""
    import duckdb
    import pyarrow as pa

    from yaojian.linkage import engine

    left_table, right_table, _ = engine.add_block_keys(engine.prepare(left), engine.prepare(right))
    left_pos = {record.key: i for i, record in enumerate(left)}
    right_pos = {record.key: i for i, record in enumerate(right)}
    pairs = pa.table(
        {
            "lp": [str(left_pos[a]) for a, _ in truth],
            "rp": [str(right_pos[b]) for _, b in truth],
        }
    )
    connection = duckdb.connect(":memory:")
    connection.register("l_all", left_table)
    connection.register("r_all", right_table)
    connection.register("truth", pairs)
    proposed = " OR ".join(f"({rule})" for rule in engine.blocking_rules())
    found = connection.sql(
        f"""SELECT count(*) FROM truth
            JOIN l_all l ON l.unique_id = truth.lp JOIN r_all r ON r.unique_id = truth.rp
            WHERE coalesce({proposed}, FALSE)"""  # noqa: S608 - our own rules
    ).fetchall()[0][0]
    connection.close()
    return round(found / len(truth), 4) if truth else 1.0


def peak_rss_mib() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)


def run_engine(size: int, seed: int, generator: str = "project") -> dict[str, Any]:
    from yaojian.linkage import engine
    from yaojian.linkage.matching import Band

    left, right, truth = lists(generator, size, seed)
    started, cpu_started = time.perf_counter(), time.process_time()
    pairs = engine.link_lists(left, right)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    auto = {(p.left_key, p.right_key) for p in pairs if p.band == Band.AUTO}
    review = {(p.left_key, p.right_key) for p in pairs if p.band == Band.REVIEW}
    result = evaluate(auto, truth)
    result.update(
        {
            "generator": generator,
            "size": size,
            "seconds": round(elapsed, 1),
            # CPU time of all the process's threads: on a shared, loaded machine the wall time
            # says more about the neighbours than about linkage
            "cpu_seconds": round(cpu, 1),
            "review_pairs": len(review),
            "true_pairs_in_review": len(review & truth),
            "recall_auto_or_review": round(len((auto | review) & truth) / len(truth), 4),
            "blocking_recall": blocking_recall(left, right, truth),
            "peak_rss_mib": peak_rss_mib(),
        }
    )
    return result


def run_baseline(size: int, seed: int) -> dict[str, Any]:
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator

    from yaojian.linkage.synthetic import generate

    left, right = generate(size, seed=seed)

    def table(records: list[Any]) -> pa.Table:
        rows = [r.record for r in records]

        def column(values: list[str]) -> list[str | None]:
            return [value or None for value in values]

        return pa.table(
            {
                "unique_id": [r.key for r in rows],
                "name": column([r.name for r in rows]),
                "address": column([r.address for r in rows]),
                "region_code": column([r.region_code for r in rows]),
                "city": column([r.region_code[:4] for r in rows]),
                "credit_code": column([r.credit_code for r in rows]),
                "legal_representative": column([r.legal_representative for r in rows]),
                "licence_number": column([r.licence_number for r in rows]),
                "truth": [r.truth for r in records],
            }
        )

    started = time.perf_counter()
    connection = duckdb.connect(":memory:")
    db_api = DuckDBAPI(connection)
    tables = [
        db_api.register(table(left), table_name="baseline_left"),
        db_api.register(table(right), table_name="baseline_right"),
    ]
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name"),
            cl.JaroWinklerAtThresholds("address"),
            cl.ExactMatch("region_code"),
            cl.ExactMatch("credit_code"),
            cl.ExactMatch("legal_representative"),
            cl.ExactMatch("licence_number"),
        ],
        blocking_rules_to_generate_predictions=[
            {"blocking_rule": rule, "sql_dialect": "duckdb"}
            for rule in (
                "l.city = r.city AND substr(l.name, 1, 1) = substr(r.name, 1, 1)",
                "l.credit_code = r.credit_code",
            )
        ],
        probability_two_random_records_match=1.0 / size,
    )
    linker = Linker(tables, settings)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
    linker.training.estimate_m_from_label_column("truth")
    predictions = linker.inference.predict(threshold_match_probability=0.95)
    rows = connection.sql(
        f"""SELECT unique_id_l, unique_id_r FROM {predictions.physical_name}
            QUALIFY row_number() OVER (PARTITION BY unique_id_l ORDER BY match_weight DESC) = 1
            AND row_number() OVER (PARTITION BY unique_id_r ORDER BY match_weight DESC) = 1"""  # noqa: S608
    ).fetchall()
    elapsed = time.perf_counter() - started
    auto = {(str(a), str(b)) if str(a).startswith("L") else (str(b), str(a)) for a, b in rows}
    result = evaluate(auto, truth_pairs(left, right))
    result.update({"size": size, "seconds": round(elapsed, 1)})
    connection.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--baseline-size", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=20261)
    parser.add_argument(
        "--generator", choices=("project", "independent", "both"), default="project"
    )
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("splink").setLevel(logging.WARNING)
    import django

    django.setup()
    generators = ("project", "independent") if args.generator == "both" else (args.generator,)
    report: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": [round(x, 1) for x in os.getloadavg()],
        },
    }
    for generator in generators:
        report[f"engine_{generator}"] = run_engine(args.size, args.seed, generator)
        print(json.dumps(report[f"engine_{generator}"], ensure_ascii=False), flush=True)
    if not args.skip_baseline:
        report["baseline"] = run_baseline(args.baseline_size, args.seed)
        if args.baseline_size != args.size:
            report["engine_at_baseline_size"] = run_engine(args.baseline_size, args.seed)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
