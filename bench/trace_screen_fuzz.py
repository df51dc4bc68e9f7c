"""The screen against a scan of every event, on roughened generated data (ADR 0045).

    uv run python bench/trace_screen_fuzz.py --rounds 200 [--events 6000] [--rate 0.05]

Each round: our generator's events (``generator.write``, many anomalies and traps), made irregular
(``generator.roughen``: missing pack sizes and units, heavy dispenses, odd regions, shared
instants, few persons buying much, shared settlements, stray events and reverses), then the flags
of the rules over every event and over what the screen keeps, both as a raw folder (lenient,
integer keys) and as a store. Any difference is printed with its seed and fails the run. Prints
the rounds, the flags compared and the share of events the screen kept.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yaojian.traceability.engine.generator import roughen, write
from yaojian.traceability.engine.scan import full_and_screened
from yaojian.traceability.engine.store import TraceStore


def compare(folder: Path) -> tuple[int, float, list[str]]:
    """(flags, share of events kept, differences) of one folder or store."""
    full, screened, share = full_and_screened(folder)
    missing = [f"missing {f}" for f in full if f not in screened]
    added = [f"added {f}" for f in screened if f not in full]
    return len(full), share, missing + added


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--events", type=int, default=6000)
    parser.add_argument("--rate", type=float, default=0.05)
    parser.add_argument("--first-seed", type=int, default=1)
    args = parser.parse_args()
    flags = 0
    shares = []
    for seed in range(args.first_seed, args.first_seed + args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "g"
            write(folder, args.events, seed=seed, anomaly_rate=0.05, trap_rate=0.2)
            roughen(folder, seed, args.rate)
            store = TraceStore(Path(tmp) / "store")
            store.ingest(folder, batch_key="all", strict=False)
            for source in (folder, store.root):
                count, share, diff = compare(source)
                flags += count
                shares.append(share)
                if diff:
                    print(f"seed {seed} {source.name}:", *diff[:10], sep="\n  ")
                    raise SystemExit(1)
    print(
        f"{args.rounds} rounds, {flags} flags compared, none lost or added; "
        f"kept {min(shares):.1%}–{max(shares):.1%} of events"
    )


if __name__ == "__main__":
    main()
