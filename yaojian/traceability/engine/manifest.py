"""The store's manifest: which event files, flags file and key-table rows are committed.

A batch's ingest writes several files (one Parquet file per month and province, the new flags,
the key table's new rows). They become visible together, or not at all, through one file::

    manifest.json   {"format": 1, "generation": 12,
                     "batches": {"<batch key>": ["events/month=2026-03/province=54/b<key>_0.parquet", …]},
                     "flags": "flags/000012.parquet",
                     "codes": "codes/000012.parquet"}

Readers (the incremental check, a scan of the store, Spark, a pack's chain of custody) read the
event files the manifest lists and the flags file it names, never a folder listing. A commit
writes every new file first (invisible: no manifest names it), then replaces the manifest with
``os.replace`` — the one atomic step. ``codes`` names the key-table rows of the last commit;
the SQLite key table records the generation it has applied, so a commit that stopped after the
manifest was replaced is completed on the next start (the rows are applied again; they are
whole rows, ``INSERT OR REPLACE``). Files no manifest names are what a stopped commit left
before its atomic step: the next start under the store's lock removes them (rolled back).

A store written before the manifest existed (events under ``events/``, ``flags.parquet``) is
adopted as it stands on its first start.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NAME = "manifest.json"
FORMAT = 1


@dataclass
class Manifest:
    generation: int = 0
    batches: dict[str, list[str]] = field(default_factory=dict)
    flags: str | None = None
    codes: str | None = None

    def event_files(self) -> list[str]:
        return [path for files in self.batches.values() for path in files]

    def named(self) -> set[str]:
        """Every file (relative to the store's root) the manifest keeps."""
        kept = set(self.event_files())
        kept.update(p for p in (self.flags, self.codes) if p)
        return kept

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "generation": self.generation,
            "batches": self.batches,
            "flags": self.flags,
            "codes": self.codes,
        }


def read(root: Path) -> Manifest | None:
    """The committed manifest of the store at ``root`` (``None``: none written yet)."""
    try:
        data = json.loads((Path(root) / NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if data.get("format") != FORMAT:
        raise ValueError(f"Unknown trace-store manifest format {data.get('format')!r}")
    return Manifest(
        generation=int(data["generation"]),
        batches={k: list(v) for k, v in data["batches"].items()},
        flags=data.get("flags"),
        codes=data.get("codes"),
    )


def write(root: Path, manifest: Manifest) -> None:
    """Replace the manifest atomically (the commit point): temp file, fsync, rename, fsync dir."""
    root = Path(root)
    tmp = root / (NAME + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(manifest.as_json(), handle, ensure_ascii=False, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, root / NAME)
    fsync_dir(root)


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
