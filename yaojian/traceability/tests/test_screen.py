"""The screen (ADR 0045): the rules over the events it keeps give the flags over every event.

Each case below is one a careless screen would clear; the rules' own tests (``test_rules.py``)
run through it too, since every scan does."""

from __future__ import annotations

from pathlib import Path

import pytest

from yaojian.traceability.engine.generator import roughen, write
from yaojian.traceability.engine.scan import full_and_screened
from yaojian.traceability.engine.store import TraceStore
from yaojian.traceability.tests.helpers import CLINIC, CODE, FAR, Events, keys


def test_on_generated_data_the_screen_keeps_a_small_part_and_loses_no_flag(
    tmp_path: Path,
) -> None:
    write(tmp_path / "g", 30_000, seed=11, anomaly_rate=0.03)
    store = TraceStore(tmp_path / "store")
    store.ingest(tmp_path / "g", batch_key="all", strict=False)
    for folder in (tmp_path / "g", store.root):  # a raw folder (integer keys) and a store
        full, screened, share = full_and_screened(folder)
        assert screened == full
        assert {f["rule"] for f in full} == {"R1", "R2", "R3", "R4", "R6"}
        assert share < 0.3, share  # the screen does clear packs


def test_r4_when_two_receives_share_the_last_instant_in_two_prefectures(tmp_path: Path) -> None:
    # The latest receive is the one with the larger id at the same instant: the far one.
    e = Events()
    e.supply()  # the clinic receives at 12:00
    e.add("receive", "2026-03-01T12:00:00+08:00", FAR)
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    full, screened, _share = full_and_screened(e.write(tmp_path / "in"))
    assert keys(screened) == keys(full) == {("R4", CODE, CLINIC)}


def test_r6_counts_a_settlement_made_heavy_by_another_persons_dispense(tmp_path: Path) -> None:
    # PX buys nine packs, then one settlement holds PX's dispense and PA's of three packs'
    # units: it is PX's (the larger insured), 3 packs, 12 in all; PX has only ten dispenses.
    from yaojian.traceability.tests.test_rules import _buy

    e = Events()
    _buy(e, 9, every_days=2, person="PX")
    heavy = "8" + "77".rjust(19, "0")
    e.supply(day="2026-02-01")
    for row in e.rows[-5:]:
        row["trace_code"], row["event_id"] = heavy, f"{heavy}-{row['event_id']}"
    e.add(
        "dispense", "2026-03-10T09:00:00+08:00", CLINIC, insured="PX", settlement="sD", code=heavy
    )
    e.add(
        "dispense",
        "2026-03-10T09:01:00+08:00",
        CLINIC,
        insured="PA",
        settlement="sD",
        units=30,
        code=heavy,
    )
    full, screened, _share = full_and_screened(e.write(tmp_path / "in"))
    assert keys(screened) == keys(full) == {("R6", "PX", CLINIC), ("R1", heavy, CLINIC)}


def test_r1_when_only_the_production_states_the_pack_size(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    # no insured person: nothing but R1 looks at it
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, settlement="s1", units=15)
    for row in e.rows:
        if row["event_type"] != "produce":
            row["pack_units"] = ""
    full, screened, _share = full_and_screened(e.write(tmp_path / "in"))
    assert keys(screened) == keys(full) == {("R1", CODE, CLINIC)}


def test_r4_between_regions_that_are_not_codes_in_a_lenient_scan(tmp_path: Path) -> None:
    # A scan of raw files does not check regions: "AB01…" and "CD01…" are two prefectures.
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    for row in e.rows:
        if row["party_uscc"] == CLINIC:
            row["party_region"] = "AB0102" if row["event_type"] == "receive" else "CD0102"
    full, screened, _share = full_and_screened(e.write(tmp_path / "in"))
    assert keys(screened) == keys(full) == {("R4", CODE, CLINIC)}


@pytest.mark.parametrize("seed", [3, 17])
def test_on_roughened_data_the_screen_loses_no_flag(tmp_path: Path, seed: int) -> None:
    # Missing and odd values, shared instants, few persons buying much, stray events: the flags
    # over every event and over the screened ones (bench/trace_screen_fuzz.py runs many seeds).
    write(tmp_path / "g", 4_000, seed=seed, anomaly_rate=0.05, trap_rate=0.2)
    roughen(tmp_path / "g", seed, 0.03)
    full, screened, share = full_and_screened(tmp_path / "g")
    assert screened == full
    assert len(full) > 20
    assert share < 0.9
