"""Hand-built trace events for the tests."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

from yaojian.traceability.engine.generator import uscc
from yaojian.traceability.engine.normalise import COLUMNS

MAKER = uscc(1, "540102")
DIST = uscc(2, "540102")
DIST_FAR = uscc(3, "510104")
CLINIC = uscc(4, "540102", "52")
PHARMACY = uscc(5, "540103", "52")  # same prefecture as CLINIC
FAR = uscc(6, "510104", "52")  # another province
REGION = {
    MAKER: "540102",
    DIST: "540102",
    DIST_FAR: "510104",
    CLINIC: "540102",
    PHARMACY: "540103",
    FAR: "510104",
}
CODE = "81234567890123456789"
PRODUCT = "国药准字H20051234"


class Events:
    def __init__(self, code: str = CODE, pack_units: int = 10) -> None:
        self.rows: list[dict[str, Any]] = []
        self.code = code
        self.pack_units = pack_units
        self.n = 0

    def add(
        self,
        kind: str,
        at: str,
        party: str,
        *,
        counterparty: str = "",
        units: int | None = None,
        insured: str = "",
        settlement: str = "",
        reverses: str = "",
        code: str | None = None,
        event_id: str | None = None,
        product: str = PRODUCT,
    ) -> str:
        self.n += 1
        event_id = event_id or f"{(code or self.code)[-6:]}-{self.n:03d}"
        self.rows.append(
            {
                "event_id": event_id,
                "trace_code": code or self.code,
                "event_type": kind,
                "occurred_at": at,
                "party_uscc": party,
                "party_region": REGION[party],
                "counterparty_uscc": counterparty,
                "product_code": product,
                "pack_units": self.pack_units,
                "units": self.pack_units if units is None else units,
                "unit_price_yuan": "2.5" if kind == "dispense" else "",
                "insured_id": insured,
                "settlement_id": settlement,
                "reverses_event_id": reverses,
            }
        )
        return event_id

    def supply(self, inst: str = CLINIC, day: str = "2026-03-01", dist: str = DIST) -> None:
        self.add("produce", f"{day}T08:00:00+08:00", MAKER)
        self.add("ship", f"{day}T09:00:00+08:00", MAKER, counterparty=dist)
        self.add("receive", f"{day}T10:00:00+08:00", dist, counterparty=MAKER)
        self.add("ship", f"{day}T11:00:00+08:00", dist, counterparty=inst)
        self.add("receive", f"{day}T12:00:00+08:00", inst, counterparty=dist)

    def write(self, folder: Path, name: str = "events.csv") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(self.rows)
        return folder


def keys(flags: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(f["rule"], f["code"] or f["insured"], f["party"]) for f in flags}


PROJECT = Path(__file__).resolve().parents[3]


def killed_ingest(script: str, root: Path, batch: Path, where: str) -> None:
    """Run ``script`` (an ingest into the store at ``root`` that kills itself with SIGKILL at
    ``where``) in a fresh interpreter: its argv is the project, the store, the batch, ``where``."""
    proc = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script, str(PROJECT), str(root), str(batch), where],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == -9, proc.stderr[-2000:]
