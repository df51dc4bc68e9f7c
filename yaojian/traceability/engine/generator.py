"""A generator of trace events with planted anomalies and legitimate traps (our own; for tests,
the demo and the benchmarks — the detector is built from the format text, not from this).

Each planted anomaly is built so that it triggers exactly the rules listed in its label; traps
(split packs, reversals and re-dispensing, failed settlements scanned again, returns up the
chain, dispenses a few minutes before the receive scan, buyers just under the R6 threshold)
must trigger nothing. ``labels`` are (rule, trace_code-or-insured, party) triples.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from yaojian.traceability.engine.normalise import COLUMNS

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CST = dt.timezone(dt.timedelta(hours=8))
GS = "\x1d"

PRODUCTS = (
    ("国药准字H20051234", 24),
    ("国药准字H20063321", 30),
    ("国药准字Z20090045", 12),
    ("国药准字H20213388", 7),
    ("国药准字S20180012", 1),
    ("国药准字H20133256", 48),
    ("国药准字Z54020113", 20),
    ("国药准字J20170021", 28),
)
# Prefectures (region[:4]) used by the generator: Tibet and a neighbour province.
PREFECTURES = ("5401", "5402", "5403", "5404", "5405", "5421", "5101", "5105")


def uscc(n: int, region: str, prefix: str = "91") -> str:
    org = f"{n:08d}"
    check = 11 - sum(int(c) * w for c, w in zip(org, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    body = f"{prefix}{region}{org}" + {10: "X", 11: "0"}.get(check, str(check))
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]


def _base31(n: int, width: int) -> str:
    chars = []
    for _ in range(width):
        n, r = divmod(n, 31)
        chars.append(USCC_CHARS[r])
    out = "".join(reversed(chars))
    return out if out[0] != "0" else "M" + out[1:]


def gtin14(n: int) -> str:
    body = f"0690{n:09d}"
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


@dataclass
class Party:
    uscc: str
    region: str


@dataclass
class Generated:
    labels: set[tuple[str, str, str]] = field(default_factory=set)
    events: int = 0
    files: list[Path] = field(default_factory=list)


class Generator:
    def __init__(
        self,
        seed: int = 7,
        *,
        anomaly_rate: float = 0.01,
        trap_rate: float = 0.05,
        geography: dict[str, list[str]] | None = None,
    ):
        self.rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
        self.anomaly_rate = anomaly_rate
        self.trap_rate = trap_rate
        self.event_no = 0
        self.settle_no = 0
        self.pack_no = 0
        self.labels: set[tuple[str, str, str]] = set()
        self.start = dt.datetime(2026, 1, 5, 8, 0, tzinfo=CST)
        n = 0
        self.makers: list[Party] = []
        self.distributors: dict[str, list[Party]] = {}
        self.institutions: dict[str, list[Party]] = {}
        # geography: prefecture (4 digits) → its county codes (6 digits); default: PREFECTURES.
        geography = geography or {p: [p + f"{2 + i:02d}" for i in range(5)] for p in PREFECTURES}
        self.prefectures = tuple(sorted(geography))
        for pref in self.prefectures:
            counties = geography[pref]
            county = counties[0]
            n += 1
            self.makers.append(Party(uscc(n, county), county))
            self.distributors[pref] = []
            for _ in range(3):
                n += 1
                self.distributors[pref].append(Party(uscc(n, county), county))
            self.institutions[pref] = []
            for i in range(40):
                n += 1
                region = counties[i % len(counties)]
                self.institutions[pref].append(Party(uscc(n, region, "52"), region))
        self.persons = 0

    # --- building blocks --------------------------------------------------------------------
    def _id(self) -> str:
        self.event_no += 1
        return f"EV{self.event_no:011d}"

    def _sid(self) -> str:
        self.settle_no += 1
        return f"ST{self.settle_no:010d}"

    def _person(self) -> str:
        self.persons += 1
        return f"P{self.rng.randrange(10**9):09d}{self.persons % 97:02d}"

    def _code(self) -> tuple[str, list[str]]:
        """A new pack: its key and the spellings scanners send (GS1 element order varies)."""
        self.pack_no += 1
        if self.rng.random() < 0.08:
            gtin = gtin14(self.rng.randrange(10**8))
            serial = f"SN{self.pack_no:010d}"
            spellings = [
                f"01{gtin}21{serial}{GS}17271231",
                f"]d201{gtin}17271231{GS}21{serial}",
                f"(01){gtin}(17)271231(21){serial}",
            ]
            return f"(01){gtin}(21){serial}", spellings
        head = "8" if self.rng.random() < 0.8 else str(self.rng.randrange(1, 8))
        code = f"{head}{self.rng.randrange(10**6):06d}{self.pack_no:013d}"
        return code, [code]

    def _when(self, t: dt.datetime) -> str:
        if self.rng.random() < 0.3:
            return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return t.isoformat(timespec="seconds")

    def _event(
        self,
        out: list[dict[str, Any]],
        spellings: list[str],
        kind: str,
        t: dt.datetime,
        party: Party,
        product: tuple[str, int],
        *,
        counterparty: Party | None = None,
        units: int | None = None,
        insured: str = "",
        settlement: str = "",
        reverses: str = "",
        event_id: str | None = None,
    ) -> str:
        event_id = event_id or self._id()
        out.append(
            {
                "event_id": event_id,
                "trace_code": self.rng.choice(spellings),
                "event_type": kind,
                "occurred_at": self._when(t),
                "party_uscc": party.uscc,
                "party_region": party.region,
                "counterparty_uscc": counterparty.uscc if counterparty else "",
                "product_code": product[0],
                "pack_units": product[1],
                "units": product[1] if units is None else units,
                "unit_price_yuan": round(self.rng.uniform(0.5, 40), 2)
                if kind == "dispense"
                else None,
                "insured_id": insured,
                "settlement_id": settlement,
                "reverses_event_id": reverses,
            }
        )
        return event_id

    def _dispense(
        self, out, spellings, t, inst, product, *, units=None, insured=None
    ) -> tuple[str, str]:
        sid = self._sid()
        person = insured or self._person()
        eid = self._event(
            out,
            spellings,
            "dispense",
            t,
            inst,
            product,
            units=units,
            insured=person,
            settlement=sid,
        )
        return eid, person

    def _supply(
        self, out, spellings, t0, product, pref, inst=None
    ) -> tuple[Party, Party, dt.datetime]:
        """produce → ship to a distributor → receive → ship to an institution → receive."""
        rng = self.rng
        maker = rng.choice(self.makers)
        dist = rng.choice(self.distributors[pref])
        inst = inst or rng.choice(self.institutions[pref])
        t = t0
        self._event(out, spellings, "produce", t, maker, product)
        t += dt.timedelta(hours=rng.randint(2, 48))
        self._event(out, spellings, "ship", t, maker, product, counterparty=dist)
        t += dt.timedelta(hours=rng.randint(4, 72))
        self._event(out, spellings, "receive", t, dist, product, counterparty=maker)
        t += dt.timedelta(hours=rng.randint(4, 240))
        self._event(out, spellings, "ship", t, dist, product, counterparty=inst)
        t += dt.timedelta(hours=rng.randint(2, 48))
        self._event(out, spellings, "receive", t, inst, product, counterparty=dist)
        return dist, inst, t

    # --- one pack's story -------------------------------------------------------------------
    def pack(self, out: list[dict[str, Any]]) -> None:
        rng = self.rng
        product = rng.choice(PRODUCTS)
        pref = rng.choice(self.prefectures)
        key, spellings = self._code()
        t0 = self.start + dt.timedelta(minutes=rng.randrange(60 * 24 * 150))
        roll = rng.random()
        if roll < self.anomaly_rate:
            self._anomaly(out, key, spellings, t0, product, pref)
            return
        dist, inst, t = self._supply(out, spellings, t0, product, pref)
        t += dt.timedelta(hours=rng.randint(1, 400))
        if roll < self.anomaly_rate + self.trap_rate:
            self._trap(out, key, spellings, t, product, pref, dist, inst)
            return
        if rng.random() < 0.85:
            self._dispense(out, spellings, t, inst, product)

    def _trap(self, out, key, spellings, t, product, pref, dist, inst) -> None:
        rng = self.rng
        kind = rng.randrange(5)
        if kind == 0 and product[1] >= 4:  # split pack: parts add up to no more than the pack
            left = product[1]
            for _ in range(rng.randint(2, 4)):
                part = rng.randint(1, max(1, left // 2))
                if part > left:
                    break
                self._dispense(out, spellings, t, inst, product, units=part)
                left -= part
                t += dt.timedelta(days=rng.randint(1, 5))
        elif kind == 1:  # dispensed, reversed, dispensed again (another buyer)
            eid, person = self._dispense(out, spellings, t, inst, product)
            t += dt.timedelta(minutes=rng.randint(5, 600))
            self._event(
                out,
                spellings,
                "reverse",
                t,
                inst,
                product,
                insured=person,
                settlement=out[-1]["settlement_id"],
                reverses=eid,
            )
            t += dt.timedelta(days=rng.randint(1, 9))
            self._dispense(out, spellings, t, inst, product)
        elif kind == 2:  # a failed settlement scanned again under the same settlement id
            sid = self._sid()
            person = self._person()
            self._event(
                out, spellings, "dispense", t, inst, product, insured=person, settlement=sid
            )
            t += dt.timedelta(minutes=rng.randint(1, 30))
            self._event(
                out, spellings, "dispense", t, inst, product, insured=person, settlement=sid
            )
        elif kind == 3:  # returned up the chain, sold elsewhere after it arrived there
            t += dt.timedelta(days=1)
            self._event(out, spellings, "ship", t, inst, product, counterparty=dist)
            t += dt.timedelta(hours=6)
            self._event(out, spellings, "receive", t, dist, product, counterparty=inst)
            other_pref = rng.choice(self.prefectures)
            other = rng.choice(self.institutions[other_pref])
            t += dt.timedelta(days=2)
            self._event(out, spellings, "ship", t, dist, product, counterparty=other)
            t += dt.timedelta(hours=5)
            self._event(out, spellings, "receive", t, other, product, counterparty=dist)
            t += dt.timedelta(days=3)
            self._dispense(out, spellings, t, other, product)
        else:  # dispensed a few minutes before the receive scan (clock drift)
            last = out.pop()  # the institution's receive
            self.event_no += 0
            receive_at = t
            self._dispense(
                out, spellings, receive_at - dt.timedelta(minutes=rng.randint(1, 9)), inst, product
            )
            last["occurred_at"] = self._when(receive_at)
            out.append(last)

    def _anomaly(self, out, key, spellings, t0, product, pref) -> None:
        rng = self.rng
        kind = rng.randrange(6)
        if kind == 0:  # R1: settled twice at the same institution (units exceed the pack)
            dist, inst, t = self._supply(out, spellings, t0, product, pref)
            self._dispense(out, spellings, t + dt.timedelta(days=1), inst, product)
            self._dispense(out, spellings, t + dt.timedelta(days=rng.randint(5, 60)), inst, product)
            self.labels.add(("R1", key, inst.uscc))
        elif kind == 1:  # R1: re-sold by another institution that booked a (fake) receipt
            dist, inst, t = self._supply(out, spellings, t0, product, pref)
            self._dispense(out, spellings, t + dt.timedelta(days=1), inst, product)
            other = rng.choice([i for i in self.institutions[pref] if i is not inst])
            t2 = t + dt.timedelta(days=rng.randint(3, 90))
            self._event(
                out,
                spellings,
                "receive",
                t2,
                other,
                product,
                counterparty=rng.choice(self.distributors[pref]),
            )
            for _ in range(rng.randint(1, 6)):  # up to eight sales of one box
                t2 += dt.timedelta(days=rng.randint(1, 20))
                self._dispense(out, spellings, t2, other, product)
            self.labels.add(("R1", key, other.uscc))
        elif kind == 2:  # R2: sold hours before the receive scan
            rng_hours = rng.randint(1, 72)
            dist, inst, t = self._supply(out, spellings, t0, product, pref)
            receive = out.pop()
            ship_at = t - dt.timedelta(hours=rng_hours + 2)
            out[-1]["occurred_at"] = self._when(ship_at)
            self._dispense(
                out,
                spellings,
                t - dt.timedelta(hours=rng_hours, minutes=rng.randint(0, 50)),
                inst,
                product,
            )
            out.append(receive)
            self.labels.add(("R2", key, inst.uscc))
        elif kind == 3:  # R3: sold where it was never delivered (same prefecture as the stock)
            dist = rng.choice(self.distributors[pref])
            maker = rng.choice(self.makers)
            t = t0
            self._event(out, spellings, "produce", t, maker, product)
            t += dt.timedelta(hours=5)
            self._event(out, spellings, "ship", t, maker, product, counterparty=dist)
            t += dt.timedelta(hours=20)
            self._event(out, spellings, "receive", t, dist, product, counterparty=maker)
            inst = rng.choice(
                [i for i in self.institutions[pref] if i.region[:4] == dist.region[:4]]
            )
            self._dispense(out, spellings, t + dt.timedelta(days=rng.randint(1, 30)), inst, product)
            self.labels.add(("R3", key, inst.uscc))
        elif kind == 4:  # R3 + R4: diverted to another prefecture, no paper trail at all
            dist, inst, t = self._supply(out, spellings, t0, product, pref)
            far = rng.choice([p for p in self.prefectures if p != pref])
            other = rng.choice(self.institutions[far])
            self._dispense(
                out, spellings, t + dt.timedelta(days=rng.randint(1, 30)), other, product
            )
            self.labels.add(("R3", key, other.uscc))
            self.labels.add(("R4", key, other.uscc))
        else:  # R6: one person buys more than ten packs of one drug within thirty days
            person = self._person()
            packs = rng.randint(11, 16)
            t = t0
            crossing = None
            for n in range(packs):
                _k2, sp2 = (key, spellings) if n == 0 else self._code()
                dist, inst, _t_stock = self._supply(
                    out, sp2, t - dt.timedelta(days=20), product, pref
                )
                self._dispense(out, sp2, t, inst, product, insured=person)
                if n == 10:
                    crossing = inst
                t += dt.timedelta(hours=rng.randint(6, 60))
            assert crossing is not None  # noqa: S101
            self.labels.add(("R6", person, crossing.uscc))

    def heavy_buyer_trap(self, out: list[dict[str, Any]]) -> None:
        """Ten packs in thirty days, or twelve spread over ninety, or twelve with two reversed."""
        rng = self.rng
        product = rng.choice(PRODUCTS)
        pref = rng.choice(self.prefectures)
        person = self._person()
        t = self.start + dt.timedelta(days=rng.randrange(100))
        variant = rng.randrange(3)
        count = 10 if variant == 0 else 12
        step = dt.timedelta(days=2) if variant != 1 else dt.timedelta(days=8)
        last_ids = []
        for _ in range(count):
            _key, spellings = self._code()
            _dist, inst, _ = self._supply(out, spellings, t - dt.timedelta(days=20), product, pref)
            eid, _ = self._dispense(out, spellings, t, inst, product, insured=person)
            last_ids.append((eid, spellings, inst, out[-1]["settlement_id"]))
            t += step
        if variant == 2:
            for eid, spellings, inst, sid in last_ids[-2:]:
                self._event(
                    out,
                    spellings,
                    "reverse",
                    t,
                    inst,
                    product,
                    insured=person,
                    settlement=sid,
                    reverses=eid,
                )

    def stream(self, events: int) -> Iterator[list[dict[str, Any]]]:
        """Chunks of whole pack stories until about ``events`` events are produced."""
        produced = 0
        while produced < events:
            chunk: list[dict[str, Any]] = []
            while len(chunk) < min(200_000, events - produced):
                if self.rng.random() < 0.004:
                    self.heavy_buyer_trap(chunk)
                else:
                    self.pack(chunk)
            produced += len(chunk)
            yield chunk


SCHEMA = pa.schema(
    [
        (
            c,
            pa.int64()
            if c in ("pack_units", "units")
            else pa.float64()
            if c == "unit_price_yuan"
            else pa.string(),
        )
        for c in COLUMNS
    ]
)


def write(
    folder: Path,
    events: int,
    *,
    seed: int = 7,
    fmt: str = "parquet",
    anomaly_rate: float = 0.01,
    trap_rate: float = 0.05,
    geography: dict[str, list[str]] | None = None,
) -> Generated:
    """Write about ``events`` events to ``folder`` (Parquet or CSV), shuffled within each file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed, anomaly_rate=anomaly_rate, trap_rate=trap_rate, geography=geography)
    result = Generated()
    for number, chunk in enumerate(gen.stream(events)):
        gen.rng.shuffle(chunk)
        result.events += len(chunk)
        table = pa.Table.from_pylist(chunk, schema=SCHEMA)
        path = folder / f"events-{number:04d}.{fmt}"
        if fmt == "parquet":
            pq.write_table(table, path, compression="zstd")
        else:
            import pyarrow.csv as pcsv

            pcsv.write_csv(table, path)
        result.files.append(path)
    result.labels = gen.labels
    return result


def roughen(folder: Path, seed: int, rate: float = 0.05) -> None:
    """Make the events in ``folder`` (written by :func:`write`) irregular the way real feeds can
    be, in place: missing and odd values, shared instants, few persons buying much, settlements
    shared by several dispenses, stray events and reverses. No labels: what the rules say of it
    is not known in advance (the screen's fuzz compares a scan of every event with a screened one,
    ``bench/trace_screen_fuzz.py``)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    paths = sorted(Path(folder).glob("events-*.parquet"))
    rows = [row for path in paths for row in pq.read_table(path).to_pylist()]
    by_code: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_code.setdefault(row["trace_code"], []).append(row)
    dispenses = [r for r in rows if r["event_type"] == "dispense"]
    persons = [f"P{n:05d}" for n in range(max(3, len(dispenses) // 40))]
    odd_regions = ("AB0102", "5101", " 510104", "0540102", "", None)
    extra: list[dict[str, Any]] = []
    for row in rows:
        roll = rng.random
        if roll() < rate:
            row["pack_units"] = None
        if roll() < rate:
            row["units"] = None
        if roll() < rate / 2 and row["pack_units"]:
            row["units"] = row["pack_units"] * rng.choice((2, 3))
        if roll() < rate / 2:
            row["party_region"] = rng.choice(odd_regions)
        if roll() < rate:  # the instant of another event of the pack
            row["occurred_at"] = rng.choice(by_code[row["trace_code"]])["occurred_at"]
        if row["event_type"] == "dispense":
            if roll() < 4 * rate:
                row["insured_id"] = rng.choice(persons)
            if roll() < rate:  # the settlement of another dispense of the pack
                others = [r for r in by_code[row["trace_code"]] if r["event_type"] == "dispense"]
                row["settlement_id"] = rng.choice(others)["settlement_id"]
        if roll() < rate:  # a stray event of the pack, by a party seen elsewhere
            other = rng.choice(rows)
            extra.append(
                {
                    **other,
                    "event_id": f"X{len(extra):07d}-{seed}",
                    "trace_code": row["trace_code"],
                    "event_type": rng.choice(("receive", "ship", "dispense", "reverse")),
                    "occurred_at": rng.choice(by_code[row["trace_code"]])["occurred_at"],
                    "reverses_event_id": rng.choice(dispenses)["event_id"] if dispenses else None,
                    "settlement_id": other["settlement_id"] or f"S{len(extra)}",
                }
            )
    for path in paths:
        path.unlink()
    table = pa.Table.from_pylist(rows + extra, schema=SCHEMA)
    pq.write_table(table, Path(folder) / "events-0000.parquet", compression="zstd")
