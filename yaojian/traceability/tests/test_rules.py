"""Each rule and each legitimate pattern on hand-built events, with the exact flags expected."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from yaojian.traceability.engine.scan import scan
from yaojian.traceability.tests.helpers import (
    CLINIC,
    CODE,
    DIST,
    DIST_FAR,
    FAR,
    PHARMACY,
    Events,
    keys,
)


def flags_of(events: Events, tmp_path: Path) -> set[tuple[str, str, str]]:
    flags, _report = scan(events.write(tmp_path / "in"))
    return keys(flags)


def test_a_clean_chain_raises_nothing(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    assert flags_of(e, tmp_path) == set()


def test_r1_settled_twice_at_one_institution(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add("dispense", "2026-03-09T09:00:00+08:00", CLINIC, insured="p2", settlement="s2")
    assert flags_of(e, tmp_path) == {("R1", CODE, CLINIC)}


def test_r1_names_the_institution_of_the_last_net_settlement(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("receive", "2026-03-01T13:00:00+08:00", PHARMACY, counterparty=DIST)
    e.add("dispense", "2026-03-05T09:00:00+08:00", PHARMACY, units=3, insured="p2", settlement="s2")
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, units=3, insured="p1", settlement="s1")
    assert flags_of(e, tmp_path) == {("R1", CODE, PHARMACY)}


def test_split_pack_within_the_pack_is_not_flagged(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    for n, units in enumerate((3, 3, 4)):
        e.add(
            "dispense",
            f"2026-03-0{2 + n}T09:00:00+08:00",
            CLINIC,
            units=units,
            insured=f"p{n}",
            settlement=f"s{n}",
        )
    assert flags_of(e, tmp_path) == set()


def test_split_pack_beyond_the_pack_is_r1(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    for n, units in enumerate((4, 4, 4)):
        e.add(
            "dispense",
            f"2026-03-0{2 + n}T09:00:00+08:00",
            CLINIC,
            units=units,
            insured=f"p{n}",
            settlement=f"s{n}",
        )
    assert flags_of(e, tmp_path) == {("R1", CODE, CLINIC)}


def test_reversed_then_dispensed_again_is_not_flagged(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    first = e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add(
        "reverse",
        "2026-03-02T10:00:00+08:00",
        CLINIC,
        insured="p1",
        settlement="s1",
        reverses=first,
    )
    e.add("dispense", "2026-03-04T09:00:00+08:00", CLINIC, insured="p2", settlement="s2")
    assert flags_of(e, tmp_path) == set()


def test_failed_settlement_scanned_again_is_one_settlement(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add("dispense", "2026-03-02T09:03:00+08:00", CLINIC, insured="p1", settlement="s1")
    assert flags_of(e, tmp_path) == set()


def test_returned_up_the_chain_and_sold_elsewhere_is_not_flagged(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("ship", "2026-03-03T09:00:00+08:00", CLINIC, counterparty=DIST)
    e.add("receive", "2026-03-03T15:00:00+08:00", DIST, counterparty=CLINIC)
    e.add("ship", "2026-03-04T09:00:00+08:00", DIST, counterparty=FAR)
    e.add("receive", "2026-03-05T09:00:00+08:00", FAR, counterparty=DIST)
    e.add("dispense", "2026-03-06T09:00:00+08:00", FAR, insured="p1", settlement="s1")
    assert flags_of(e, tmp_path) == set()


def test_dispense_minutes_before_the_receive_scan_is_not_flagged(tmp_path: Path) -> None:
    e = Events()
    e.supply(dist=DIST_FAR)
    # 10:00 receive at the clinic in UTC: 12:00+08:00 = 04:00Z; dispense 9 minutes earlier.
    e.add("dispense", "2026-03-01T03:51:00Z", CLINIC, insured="p1", settlement="s1")
    assert flags_of(e, tmp_path) == set()


def test_r2_sold_more_than_ten_minutes_before_the_receive(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-01T03:49:00Z", CLINIC, insured="p1", settlement="s1")
    assert flags_of(e, tmp_path) == {("R2", CODE, CLINIC)}


def test_r2_applies_to_a_reversed_dispense(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    first = e.add("dispense", "2026-03-01T10:30:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add("reverse", "2026-03-01T10:40:00+08:00", CLINIC, insured="p1", reverses=first)
    assert flags_of(e, tmp_path) == {("R2", CODE, CLINIC)}


def test_r3_never_delivered(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-03T09:00:00+08:00", PHARMACY, insured="p1", settlement="s1")
    assert flags_of(e, tmp_path) == {("R3", CODE, PHARMACY)}


def test_a_ship_after_the_dispense_still_counts_as_delivery_for_r3(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-03T09:00:00+08:00", PHARMACY, insured="p1", settlement="s1")
    e.add("ship", "2026-03-04T09:00:00+08:00", DIST, counterparty=PHARMACY)
    assert flags_of(e, tmp_path) == set()


def test_r4_and_r3_for_a_diverted_pack(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-03T09:00:00+08:00", FAR, insured="p1", settlement="s1")
    assert flags_of(e, tmp_path) == {("R3", CODE, FAR), ("R4", CODE, FAR)}


def test_r4_alone_when_a_ship_came_only_after_the_dispense(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-03T09:00:00+08:00", FAR, insured="p1", settlement="s1")
    e.add("ship", "2026-03-05T09:00:00+08:00", DIST, counterparty=FAR)
    assert flags_of(e, tmp_path) == {("R4", CODE, FAR)}


def test_r4_compares_prefectures_not_counties(tmp_path: Path) -> None:
    e = Events()
    e.supply()
    e.add("ship", "2026-03-02T09:00:00+08:00", CLINIC, counterparty=PHARMACY)
    e.add("dispense", "2026-03-03T09:00:00+08:00", PHARMACY, insured="p1", settlement="s1")
    assert flags_of(e, tmp_path) == set()


def _buy(e: Events, count: int, *, every_days: int, person: str = "P1") -> list[str]:
    ids = []
    for n in range(count):
        code = f"8{n:019d}"
        e.supply(day="2026-02-01")
        e.rows[-5:] = [
            {**r, "trace_code": code, "event_id": f"{code}-{i}"} for i, r in enumerate(e.rows[-5:])
        ]
        day = 2 + n * every_days
        ids.append(
            e.add(
                "dispense",
                "2026-03-01T09:00:00+08:00".replace(
                    "03-01", f"{3 + (day - 1) // 28:02d}-{(day - 1) % 28 + 1:02d}"
                ),
                CLINIC,
                insured=person,
                settlement=f"s{n}",
                code=code,
            )
        )
    return ids


def test_r6_more_than_ten_packs_in_thirty_days(tmp_path: Path) -> None:
    e = Events()
    _buy(e, 11, every_days=2)
    assert flags_of(e, tmp_path) == {("R6", "P1", CLINIC)}


@pytest.mark.parametrize(("count", "every"), [(10, 2), (12, 3)])
def test_r6_not_for_ten_packs_or_a_slower_pace(tmp_path: Path, count: int, every: int) -> None:
    e = Events()
    _buy(e, count, every_days=every)
    assert flags_of(e, tmp_path) == set()


def test_r6_counts_net_settlements(tmp_path: Path) -> None:
    e = Events()
    ids = _buy(e, 11, every_days=2)
    e.add(
        "reverse",
        "2026-03-25T09:00:00+08:00",
        CLINIC,
        insured="P1",
        reverses=ids[-1],
        code="8" + "10".rjust(19, "0"),
    )
    assert flags_of(e, tmp_path) == set()


def test_gs1_spellings_of_one_pack_are_one_pack(tmp_path: Path) -> None:
    gtin, serial = "06901234567892", "SN0001"
    spellings = [
        f"01{gtin}21{serial}\x1d17271231",
        f"]d201{gtin}17271231\x1d21{serial}",
        f"(01){gtin}(17)271231(21){serial}",
    ]
    e = Events(code=spellings[0])
    e.supply()
    e.rows[-1]["trace_code"] = spellings[1]
    e.add(
        "dispense",
        "2026-03-02T09:00:00+08:00",
        CLINIC,
        insured="p1",
        settlement="s1",
        code=spellings[2],
    )
    e.add(
        "dispense",
        "2026-03-03T09:00:00+08:00",
        CLINIC,
        insured="p2",
        settlement="s2",
        code=spellings[1],
    )
    assert flags_of(e, tmp_path) == {("R1", f"(01){gtin}(21){serial}", CLINIC)}


def test_the_output_csv_has_the_published_columns_and_chinese_detail(tmp_path: Path) -> None:
    from yaojian.traceability.engine.explain import write_flags

    e = Events()
    e.supply()
    e.add("dispense", "2026-03-03T09:00:00+08:00", FAR, insured="p1", settlement="s1")
    flags, _ = scan(e.write(tmp_path / "in"))
    out = tmp_path / "flags.csv"
    write_flags(flags, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "rule,trace_code,insured_id,party_uscc,detail"
    assert lines[1].startswith(f"R3,{CODE},,{FAR},无来源发药：")
    assert lines[2].startswith(f"R4,{CODE},,{FAR},跨地市跳转：")
    assert "本机构位于510104，" in lines[2]  # without the register, the codes alone
    write_flags(flags, out, {"510104": "成都市锦江区", "540102": "拉萨市城关区"})
    r4 = out.read_text(encoding="utf-8").splitlines()[2]
    assert "本机构位于成都市锦江区（510104），" in r4
    assert "在拉萨市城关区（540102），其间无出库记录" in r4


def test_a_scans_integer_pack_keys_give_the_codes_back_as_text(tmp_path: Path) -> None:
    """A 20-digit code with leading zeros, the same code behind a symbology prefix (one pack),
    and a GS1 pack: the scan numbers packs but the flags carry the codes as the format has them."""
    zeros = "00012345678901234567"
    gtin, serial = "06901234567892", "SN0001"
    e = Events(code=zeros)
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add(
        "dispense",
        "2026-03-03T09:00:00+08:00",
        CLINIC,
        insured="p2",
        settlement="s2",
        code="]C1" + zeros,
    )
    e.add(
        "dispense",
        "2026-03-04T09:00:00+08:00",
        FAR,
        insured="p3",
        settlement="s3",
        code=f"(01){gtin}(21){serial}",
    )
    flags = flags_of(e, tmp_path)
    assert ("R1", zeros, CLINIC) in flags
    assert ("R3", f"(01){gtin}(21){serial}", FAR) in flags
    assert {code for _rule, code, _party in flags} == {zeros, f"(01){gtin}(21){serial}"}


def test_a_scan_with_its_events_on_disk_finds_the_same_flags_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    e = Events()
    e.supply()
    e.add("dispense", "2026-03-02T09:00:00+08:00", CLINIC, insured="p1", settlement="s1")
    e.add("dispense", "2026-03-09T09:00:00+08:00", FAR, insured="p2", settlement="s2")
    folder = e.write(tmp_path / "in")
    monkeypatch.setenv("YAOJIAN_TRACE_TEMP", str(tmp_path / "spill"))
    found = {}
    for where in ("memory", "disk"):
        monkeypatch.setenv("YAOJIAN_TRACE_TABLE", where)
        found[where], _ = scan(folder)
    assert found["disk"] == found["memory"]
    assert ("R1", CODE, FAR) in keys(found["disk"])
    assert not list((tmp_path / "spill").rglob("scan-*"))


def test_trace_scan_names_the_regions_of_its_register(tmp_path: Path, regions: None) -> None:
    from django.core.management import call_command

    e = Events()
    e.supply()
    e.add("dispense", "2026-03-03T09:00:00+08:00", FAR, insured="p1", settlement="s1")
    out = tmp_path / "flags.csv"
    call_command("trace_scan", str(e.write(tmp_path / "in")), out=str(out), stdout=io.StringIO())
    r4 = next(line for line in out.read_text(encoding="utf-8").splitlines() if line[:2] == "R4")
    assert "本机构位于锦江区（510104）" in r4, r4
    assert "在城关区（540102），其间无出库记录" in r4
