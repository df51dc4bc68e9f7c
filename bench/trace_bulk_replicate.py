"""Extend a store made by bench/trace_bulk_store.py with more batches, copied from its own.

    uv run python bench/trace_bulk_replicate.py /work/trace-data/thist/e100m/store --upto 20 \
        [--verify g006]

bench/trace_data.py makes copy k of its base by renaming every id with the tag k (event ids,
insured ids, settlement ids, reversed ids get ``-k``; a 20-digit pack code gets k in digits 8–10,
a GS1 serial ``SNk``). Normalising a file (``normalise.load_folder``) is row by row and keeps
those parts, so batch ``gNNN`` (copies 10·NNN … 10·NNN+9) is batch ``g(NNN mod n)``'s normalised
events with the tags renamed: this writes the missing batches that way (SQL, no validation),
each committed in the manifest. ``--verify gXXX`` first compares a batch that load_folder made
with the one this would make (row count and the sum of the rows' hashes must be equal). Our own generator's data.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yaojian.traceability.engine import manifest, normalise

COLUMNS = (
    "event_id, code, event_type, ts, party, region, counterparty, product, pack_units, units, "
    "insured, settlement, reverses, code_raw, price"
)


def renamed(files: list[str], shift: int) -> str:
    quoted = ", ".join(f"'{f}'" for f in files)
    tag = f"lpad(CAST(CAST(right(event_id, 3) AS INTEGER) + {shift} AS VARCHAR), 3, '0')"
    return f"""
      SELECT * REPLACE (
        left(event_id, -3) || t AS event_id,
        CASE WHEN regexp_full_match(code, '\\d{{20}}')
             THEN substr(code, 1, 7) || t || substr(code, 11)
             ELSE replace(code, 'SN' || o, 'SN' || t) END AS code,
        CASE WHEN regexp_full_match(code_raw, '\\d{{20}}')
             THEN substr(code_raw, 1, 7) || t || substr(code_raw, 11)
             ELSE replace(code_raw, 'SN' || o, 'SN' || t) END AS code_raw,
        left(insured, -3) || t AS insured,
        left(settlement, -3) || t AS settlement,
        left(reverses, -3) || t AS reverses)
      FROM (SELECT {COLUMNS}, right(event_id, 3) AS o, {tag} AS t
            FROM read_parquet([{quoted}], hive_partitioning = false, union_by_name = true))
    """


def write_batch(con, root: Path, files: list[str], shift: int, key: str, generation: int):
    staging = root / ".staging" / key
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"""
        COPY (
          SELECT {COLUMNS}, strftime(make_timestamptz(ts), '%Y-%m') AS month,
                 coalesce(substr(region, 1, 2), 'xx') AS province
          FROM ({renamed(files, shift)})
        ) TO '{staging}' (FORMAT PARQUET, PARTITION_BY (month, province),
                          FILENAME_PATTERN 'b{key}_g{generation}_{{i}}')
        """
    )
    return staging


def commit_batch(root: Path, current, key: str, staging: Path, generation: int) -> None:
    """Move a staged batch's files into the store's events and name them in a new manifest."""
    moved = []
    for path in sorted(staging.rglob("*.parquet")):
        target = root / "events" / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved.append(target.relative_to(root).as_posix())
    shutil.rmtree(staging)
    current.generation, current.batches[key] = generation, moved
    manifest.write(root, current)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--upto", type=int, default=20)
    parser.add_argument("--verify")
    args = parser.parse_args()
    root = Path(args.store).resolve()
    current = manifest.read(root)
    assert current is not None
    made = sorted(current.batches)
    n = len(made)
    con = normalise.connect()
    if args.verify:
        number = int(args.verify[1:])
        source = made[number % n] if number >= n else made[(number + 1) % n]
        shift = 10 * (number - int(source[1:]))
        theirs = [str(root / p) for p in current.batches[args.verify]]
        staging = write_batch(
            con,
            Path(tempfile.mkdtemp()),
            [str(root / p) for p in current.batches[source]],
            shift,
            "v",
            0,
        )
        ours = f"read_parquet('{staging}/**/*.parquet', hive_partitioning = false)"
        quoted = ", ".join(f"'{f}'" for f in theirs)
        real = f"read_parquet([{quoted}], hive_partitioning = false, union_by_name = true)"
        digest = f"SELECT count(*), sum(CAST(hash({COLUMNS}) AS HUGEINT))"
        mine = con.execute(f"{digest} FROM {ours}").fetchone()
        real_digest = con.execute(f"{digest} FROM {real}").fetchone()
        print(f"verify {args.verify} from {source}: {mine} vs {real_digest}", flush=True)
        assert mine == real_digest
        shutil.rmtree(staging.parent.parent)
    for number in range(n, args.upto):
        started = time.perf_counter()
        key = f"g{number:03d}"
        source = made[number % n]
        generation = current.generation + 1
        staging = write_batch(
            con,
            root,
            [str(root / p) for p in current.batches[source]],
            10 * (number - int(source[1:])),
            key,
            generation,
        )
        commit_batch(root, current, key, staging, generation)
        print(f"{key} from {source}: {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
