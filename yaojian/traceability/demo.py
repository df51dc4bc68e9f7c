"""Demo trace events for ``make run``: a province-sized data set with planted anomalies,
ingested through the service so the store, the real-time table, alerts and notices are real."""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from yaojian.territory.models import Region
from yaojian.traceability import services
from yaojian.traceability.engine.generator import write
from yaojian.traceability.models import IngestBatch

DEMO_EVENTS = 300_000


def _geography(province: str) -> dict[str, list[str]]:
    counties: dict[str, list[str]] = defaultdict(list)
    for code in Region.objects.filter(code__startswith=province[:2]).values_list("code", flat=True):
        if not code.endswith("00"):
            counties[code[:4]].append(code)
    return {pref: sorted(codes)[:6] for pref, codes in sorted(counties.items()) if codes}


def seed_demo_trace(*, province: str = "54", events: int = DEMO_EVENTS, seed: int = 14) -> int:
    """Generate and ingest the demo events once; returns the events stored (0 when present)."""
    if IngestBatch.objects.filter(idempotency_key="demo-trace").exists():
        return 0
    geography = _geography(province)
    if len(geography) < 2:
        return 0
    folder = Path(tempfile.mkdtemp(prefix="trace-demo-"))
    try:
        write(folder, events, seed=seed, anomaly_rate=0.004, geography=geography)
        batch, _created = services.ingest_folder(
            actor=None, folder=folder, idempotency_key="demo-trace", source="demo"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return batch.accepted
