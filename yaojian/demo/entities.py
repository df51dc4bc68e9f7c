"""Regulated entities of the demo province, with their licences, persons and products.

``EntityMaker.make`` draws one entity and everything that hangs from it (a ``Draft``);
``save_drafts`` writes a batch of drafts with ``bulk_create``. Identifiers are unique by
construction (sequences and bijections), so nothing needs to be remembered across batches
except a few counters.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils import timezone

from yaojian.accounts.models import Department
from yaojian.demo import names
from yaojian.demo.geography import Geography, Unit
from yaojian.demo.staff import Staffing
from yaojian.registry.choices import (
    EntityKind,
    EntityStatus,
    LicenceKind,
    LicenceStatus,
    PersonRole,
    ProductRelation,
)
from yaojian.registry.identifiers import (
    make_drug_distribution_licence_number,
    make_drug_manufacturing_licence_number,
    make_id_card_number,
    make_unified_social_credit_code,
)
from yaojian.registry.models import (
    Entity,
    EntityPerson,
    EntityProduct,
    Licence,
    LicenceStatusChange,
    Person,
)
from yaojian.registry.names import search_key

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_NEW_ORG_SPACE = 31**6  # "MA" + 6 symbols
_OLD_ORG_SPACE = 10**8  # 8 digits
_BIRTH_FIRST = datetime.date(1955, 1, 1)
_BIRTH_DAYS = (datetime.date(2001, 12, 31) - _BIRTH_FIRST).days
_ID_SPACE = _BIRTH_DAYS * 1000

# Share of the streamed entities by kind (anchors — manufacturers, chain headquarters and
# online platforms — are counted separately).
STREAM_WEIGHTS = {
    EntityKind.SINGLE_PHARMACY: 38.0,
    EntityKind.CHAIN_STORE: 22.0,
    EntityKind.CLINIC: 24.0,
    EntityKind.HOSPITAL: 3.0,
    EntityKind.WHOLESALER: 1.5,
    EntityKind.TIBETAN_MEDICINE: 4.0,
    EntityKind.DEVICE_BUSINESS: 5.0,
    EntityKind.COSMETICS_BUSINESS: 2.0,
}
TIBETAN_MEDICINE_WEIGHT = {"54": 4.0, "63": 2.0, "51": 0.5, "62": 0.5, "53": 0.5}
PHARMACY_KINDS = {EntityKind.SINGLE_PHARMACY, EntityKind.CHAIN_STORE, EntityKind.TIBETAN_MEDICINE}


def anchor_counts(entities: int) -> dict[str, int]:
    """How many manufacturers, chain headquarters and online platforms ``entities`` contain."""
    return {
        EntityKind.MANUFACTURER: max(3, round(entities * 0.002)),
        EntityKind.RETAIL_CHAIN_HQ: max(2, round(entities * 0.003)),
        EntityKind.ONLINE_PLATFORM: 2 if entities >= 1000 else 1,
    }


@dataclass
class Draft:
    """One entity and what belongs to it, before saving."""

    entity: Entity
    licences: list[Licence] = field(default_factory=list)
    changes: list[LicenceStatusChange] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    person_links: list[tuple[Person, str, datetime.date]] = field(default_factory=list)
    product_links: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ProductPools:
    """Product ids by use, filled once the catalogue is saved."""

    retail: list[int] = field(default_factory=list)
    tibetan: list[int] = field(default_factory=list)
    special: list[int] = field(default_factory=list)
    devices: list[int] = field(default_factory=list)
    cosmetics: list[int] = field(default_factory=list)


def _affine(k: int, space: int, a: int, b: int) -> int:
    """A bijection of ``range(space)`` (``a`` coprime with ``space``): unique, scrambled."""
    if k >= space:
        raise OverflowError("identifier space exhausted")
    return (a * k + b) % space


def _base31(value: int, width: int) -> str:
    chars = []
    for _ in range(width):
        value, digit = divmod(value, 31)
        chars.append(USCC_ALPHABET[digit])
    return "".join(reversed(chars))


class EntityMaker:
    """Draws entities. One instance per seeding run; all randomness comes from ``rng``."""

    def __init__(
        self,
        rng: random.Random,
        geo: Geography,
        staffing: Staffing,
        today: datetime.date,
    ) -> None:
        self.rng = rng
        self.geo = geo
        self.staffing = staffing
        self.today = today
        self.pools = ProductPools()
        self.units = list(geo.units)
        self.unit_cum_weights = list(itertools.accumulate(u.weight for u in geo.units))
        self.serials: dict[tuple[str, ...], int] = defaultdict(int)
        self.person_serials: dict[str, int] = defaultdict(int)
        # Multipliers coprime with the spaces (31 prime; 10**8 = 2^8·5^8).
        self.org_new = (
            rng.randrange(1, _NEW_ORG_SPACE // 31) * 31 + 1,
            rng.randrange(_NEW_ORG_SPACE),
        )
        self.org_old = (rng.randrange(1, 10**7) * 10 + 3, rng.randrange(_OLD_ORG_SPACE))
        self.id_mix = (self._coprime(_ID_SPACE), rng.randrange(_ID_SPACE))
        self.org_new_next = 0
        self.org_old_next = 0
        self.chains: list[tuple[int, str, float]] = []  # (id, name, weight)
        self.chain_cum_weights: list[float] = []
        self.public_hospitals = self._public_hospitals()
        self.tibetan_share = TIBETAN_MEDICINE_WEIGHT.get(geo.code, 0.2)

    def _coprime(self, space: int) -> int:
        import math

        while True:
            a = self.rng.randrange(space // 3, space - 1)
            if math.gcd(a, space) == 1:
                return a

    # --- identifiers ------------------------------------------------------------------------

    def uscc(self, prefix: str, region: str, *, new_style: bool = True) -> str:
        if new_style:
            body = "MA" + _base31(_affine(self.org_new_next, _NEW_ORG_SPACE, *self.org_new), 6)
            self.org_new_next += 1
        else:
            body = f"{_affine(self.org_old_next, _OLD_ORG_SPACE, *self.org_old):08d}"
            self.org_old_next += 1
        return make_unified_social_credit_code(prefix, region, body)

    def serial(self, key: tuple[str, ...], limit: int) -> int:
        self.serials[key] += 1
        value = self.serials[key]
        if value > limit:
            raise OverflowError(f"more than {limit} numbers for {key}")
        return value

    def year_serial(self, key: tuple[str, ...], year: int, limit: int) -> tuple[int, int]:
        """A serial within ``year``, or the nearest earlier year that still has room."""
        for candidate in range(year, year - 30, -1):
            if self.serials[(*key, str(candidate))] < limit:
                return candidate, self.serial((*key, str(candidate)), limit)
        raise OverflowError(f"no room for {key}")

    def id_number(self, region: str) -> str:
        k = self.person_serials[region]
        self.person_serials[region] = k + 1
        a, b = self.id_mix
        x = _affine(k, _ID_SPACE, a, (b + int(region) * 7919) % _ID_SPACE)
        birth = _BIRTH_FIRST + datetime.timedelta(days=x // 1000)
        return make_id_card_number(region, birth, x % 1000)

    # --- helpers ----------------------------------------------------------------------------

    def pick_unit(self) -> Unit:
        return self.rng.choices(self.units, cum_weights=self.unit_cum_weights)[0]

    def grid(self, unit: Unit) -> tuple[int | None, str]:
        cells = self.staffing.grid_cells.get(unit.code)
        if not cells:
            return None, ""
        return self.rng.choice(cells)

    def _name(self, style: str, unit: Unit, township: str, **extra: str) -> str:
        template = self.rng.choice(names.ENTITY_NAMES[style])
        return template.format(
            province=self.geo.short,
            city=unit.city.name,
            locality=unit.locality,
            township=township,
            short=unit.short,
            street=names.street(self.rng, self.geo.code),
            brand=names.brand(self.rng, self.geo.code),
            **extra,
        )

    def _public_hospitals(self) -> list[tuple[str, Unit, tuple[int | None, str] | None]]:
        geo, rng = self.geo, self.rng
        ethnic = names.TIBETAN_HOSPITAL if geo.code in {"54", "63"} else names.TCM_HOSPITAL
        first: dict[str, Unit] = {}
        for unit in geo.units:
            first.setdefault(unit.city.code, unit)
        capital_unit = geo.units[0]
        rows: list[tuple[str, Unit, tuple[int | None, str] | None]] = [
            (t.format(place=geo.name), capital_unit, None)
            for t in (*names.PUBLIC_HOSPITALS_PROVINCE, ethnic)
        ]
        for city in geo.cities:
            for t in (*names.PUBLIC_HOSPITALS_CITY, ethnic):
                rows.append((t.format(place=city.name), first[city.code], None))
        for unit in geo.units:
            if unit.is_city_itself:
                continue
            for t in (*names.PUBLIC_HOSPITALS_COUNTY, ethnic):
                rows.append((t.format(place=unit.locality), unit, None))
            for cell in self.staffing.grid_cells.get(unit.code, []):
                township = cell[1]
                if township.endswith("园区"):
                    continue
                t = (
                    names.STREET_HEALTH_CENTRE
                    if township.endswith("街道")
                    else names.TOWNSHIP_HEALTH_CENTRE
                )
                rows.append((t.format(place=unit.locality, township=township), unit, cell))
        rng.shuffle(rows)
        return rows

    def validity(self, years: int) -> tuple[datetime.date, datetime.date]:
        start = self.today - datetime.timedelta(days=self.rng.randint(20, 365 * years - 60))
        return start, _add_years(start, years) - datetime.timedelta(days=1)

    def licence(
        self,
        draft: Draft,
        kind: str,
        number: str,
        issued_by: Department,
        valid_from: datetime.date,
        valid_until: datetime.date,
        scope: str = "",
    ) -> Licence:
        licence = Licence(
            entity=draft.entity,
            kind=kind,
            number=number,
            issued_by=issued_by,
            scope_of_business=scope,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        draft.licences.append(licence)
        return licence

    def main_licence_fate(self, draft: Draft, licence: Licence, years: int) -> None:
        """Most licences are valid; a few expired, suspended or revoked, with history."""
        roll = self.rng.random()
        if roll >= 0.032:
            return
        entity = draft.entity
        if roll < 0.02:
            start = self.today - datetime.timedelta(
                days=self.rng.randint(365 * years + 30, 365 * years + 700)
            )
            licence.valid_from, licence.valid_until = (
                start,
                _add_years(start, years) - datetime.timedelta(days=1),
            )
            licence.status, entity.status = LicenceStatus.EXPIRED, EntityStatus.CLOSED
            reason, changed_by = names.EXPIRY_REASON, None
        elif roll < 0.027:
            licence.status, entity.status = LicenceStatus.SUSPENDED, EntityStatus.SUSPENDED
            reason = self.rng.choice(names.SUSPENSION_REASONS)
            changed_by = self.staffing.head_of(licence.issued_by)
        else:
            licence.status, entity.status = LicenceStatus.REVOKED, EntityStatus.REVOKED
            reason = self.rng.choice(names.REVOCATION_REASONS)
            changed_by = self.staffing.head_of(licence.issued_by)
        draft.changes.append(
            LicenceStatusChange(
                licence=licence,
                from_status=LicenceStatus.VALID,
                to_status=licence.status,
                reason=reason,
                changed_by_id=changed_by,
            )
        )

    def person(
        self, draft: Draft, unit: Unit, role: str, name: str = "", qualification: str = ""
    ) -> Person:
        rng = self.rng
        person = Person(
            name=name or names.person_name(rng, self.geo.code),
            id_number=self.id_number(unit.code),
            phone=names.mobile_phone(rng),
            qualification=qualification,
            certificate_number=(
                f"ZY{self.geo.code}{self.serial(('pharmacist',), 99_999_999):08d}"
                if qualification
                else ""
            ),
            region_id=unit.code,
            department=self.staffing.local("SAMR", unit, self.geo),
        )
        draft.persons.append(person)
        started = self.today - datetime.timedelta(days=rng.randint(30, 3650))
        draft.person_links.append((person, role, started))
        return person

    def sells(
        self,
        draft: Draft,
        pool: list[int],
        low: int,
        high: int,
        relation: str = ProductRelation.SELLS,
    ) -> None:
        if pool:
            count = min(len(pool), self.rng.randint(low, high))
            draft.product_links.extend((pid, relation) for pid in self.rng.sample(pool, count))

    # --- entities ---------------------------------------------------------------------------

    def new_entity(
        self,
        kind: str,
        unit: Unit,
        name: str,
        uscc: str,
        registered_by: Department,
        *,
        cell: tuple[int | None, str] | None = None,
        street: str = "",
        **fields: object,
    ) -> Draft:
        cell_id, township = cell or self.grid(unit)
        entity = Entity(
            name=name,
            search_key=search_key(name),
            unified_social_credit_code=uscc,
            kind=kind,
            region_id=unit.code,
            address=names.address(self.rng, self.geo.code, unit.locality, township, street),
            grid_cell_id=cell_id,
            registered_by=registered_by,
            **fields,
        )
        return Draft(entity=entity)

    def make(self, kind: str) -> Draft:
        """One entity of ``kind`` (not an anchor kind) with its licences, persons and links."""
        if kind == EntityKind.HOSPITAL:
            return self.hospital()
        if kind == EntityKind.CHAIN_STORE and self.chains:
            return self.chain_store()
        unit = self.pick_unit()
        cell = self.grid(unit)
        township = cell[1]
        if kind == EntityKind.CLINIC:
            return self.clinic(unit, cell)
        style = str(EntityKind.SINGLE_PHARMACY if kind == EntityKind.CHAIN_STORE else kind)
        kind = style
        name = self._name(style, unit, township)
        individual = (
            kind in PHARMACY_KINDS | {EntityKind.COSMETICS_BUSINESS} and self.rng.random() < 0.35
        )
        uscc = self.uscc(
            "92" if individual else "91", unit.code, new_style=self.rng.random() < 0.85
        )
        draft = self.new_entity(
            kind, unit, name, uscc, self.staffing.local("SAMR", unit, self.geo), cell=cell
        )
        self.legal_representative(draft, unit)
        if kind in PHARMACY_KINDS:
            self.retail_licences(draft, unit, "DA")
            self.pharmacist(draft, unit)
            pool = self.pools.tibetan if kind == EntityKind.TIBETAN_MEDICINE else self.pools.retail
            self.sells(draft, pool, 3, 8)
        elif kind == EntityKind.WHOLESALER:
            self.wholesale_licences(draft, unit)
        elif kind == EntityKind.DEVICE_BUSINESS:
            self.device_licence(draft, unit, main=True)
            self.sells(draft, self.pools.devices, 2, 5)
        elif kind == EntityKind.COSMETICS_BUSINESS:
            self.sells(draft, self.pools.cosmetics, 2, 5)
        return draft

    def legal_representative(self, draft: Draft, unit: Unit) -> None:
        person = self.person(draft, unit, PersonRole.LEGAL_REPRESENTATIVE)
        draft.entity.legal_representative = person.name

    def pharmacist(self, draft: Draft, unit: Unit) -> None:
        if self.rng.random() < 0.85:
            self.person(draft, unit, PersonRole.LICENSED_PHARMACIST, qualification=names.PHARMACIST)

    def retail_licences(self, draft: Draft, unit: Unit, category: str) -> None:
        local = self.staffing.local("SAMR", unit, self.geo)
        self.distribution_licence(draft, unit, category, local)
        if self.rng.random() < 0.55:
            self.insurance(draft, unit, "P")
        if self.rng.random() < 0.15:
            self.device_licence(draft, unit, main=False)

    def insurance(self, draft: Draft, unit: Unit, letter: str) -> None:
        number = f"{letter}{unit.code}{self.serial(('NHSA', letter, unit.code), 99_999):05d}"
        start, until = self.validity(3)
        nhsa = self.staffing.local("NHSA", unit, self.geo)
        self.licence(draft, LicenceKind.INSURANCE_AGREEMENT, number, nhsa, start, until)

    def device_licence(self, draft: Draft, unit: Unit, *, main: bool) -> None:
        third_class = main and self.rng.random() < 0.4
        kind = LicenceKind.DEVICE_DISTRIBUTION if third_class else LicenceKind.DEVICE_FILING
        start, until = self.validity(5)
        city = unit.city.abbreviation
        year, serial = self.year_serial(("DEV", kind, city), start.year, 9_999)
        if year != start.year:
            start = start.replace(year=year, month=1, day=1)
            until = _add_years(start, 5) - datetime.timedelta(days=1)
        marker = "许" if third_class else "备"
        number = f"{self.geo.abbreviation}{city}药监械经营{marker}{year}{serial:04d}号"
        issuer = self.staffing.city("SAMR", unit.city, self.geo)
        licence = self.licence(draft, kind, number, issuer, start, until)
        if main:
            self.main_licence_fate(draft, licence, 5)

    def wholesale_licences(self, draft: Draft, unit: Unit) -> None:
        self.distribution_licence(draft, unit, "AA", self.staffing.province("MPA", self.geo))
        if self.rng.random() < 0.4:
            self.device_licence(draft, unit, main=False)
        self.person(draft, unit, PersonRole.QUALITY_MANAGER, qualification=names.PHARMACIST)
        self.sells(
            draft, self.pools.retail + self.pools.special, 15, 30, ProductRelation.DISTRIBUTES
        )

    def distribution_licence(
        self, draft: Draft, unit: Unit, category: str, issuer: Department
    ) -> Licence:
        """A 2024-scheme drug distribution licence (category AA, BA, CB or DA)."""
        area = f"{unit.city.area_code}{unit.index % 10}"
        number = make_drug_distribution_licence_number(
            self.geo.code, category, area, self.serial(("DD", category, area), 99_999)
        )
        start, until = self.validity(5)
        licence = self.licence(draft, LicenceKind.DRUG_DISTRIBUTION, number, issuer, start, until)
        self.main_licence_fate(draft, licence, 5)
        return licence

    def chain_store(self) -> Draft:
        if len(self.chain_cum_weights) != len(self.chains):
            self.chain_cum_weights = list(itertools.accumulate(c[2] for c in self.chains))
        hq_id, hq_name, _weight = self.rng.choices(self.chains, cum_weights=self.chain_cum_weights)[
            0
        ]
        unit = self.pick_unit()
        street = names.street(self.rng, self.geo.code)
        name = names.ENTITY_NAMES["chain_store"][0].format(
            hq=hq_name, short=unit.short, street=street
        )
        uscc = self.uscc("91", unit.code)
        draft = self.new_entity(
            EntityKind.CHAIN_STORE,
            unit,
            name,
            uscc,
            self.staffing.local("SAMR", unit, self.geo),
            street=street,
            parent_id=hq_id,
        )
        self.person(draft, unit, PersonRole.PRINCIPAL)
        self.retail_licences(draft, unit, "CB")
        self.pharmacist(draft, unit)
        self.sells(draft, self.pools.retail, 3, 8)
        return draft

    def clinic(self, unit: Unit, cell: tuple[int | None, str]) -> Draft:
        style = "clinic_tibetan" if self.rng.random() < self.tibetan_share / 8 else "clinic"
        name = self._name(style, unit, cell[1])
        prefix = self.rng.choice(("92", "92", "52"))
        draft = self.new_entity(
            EntityKind.CLINIC,
            unit,
            name,
            self.uscc(prefix, unit.code),
            self.staffing.local("HC", unit, self.geo),
            cell=cell,
        )
        self.legal_representative(draft, unit)
        self.practice_licence(draft, unit, "E1", private=True)
        if self.rng.random() < 0.3:
            self.insurance(draft, unit, "H")
        self.sells(draft, self.pools.retail, 2, 5)
        return draft

    def hospital(self) -> Draft:
        public = bool(self.public_hospitals) and self.rng.random() < 0.7
        cell: tuple[int | None, str] | None = None
        if public:
            name, unit, cell = self.public_hospitals.pop()
            uscc = self.uscc("12", unit.code, new_style=False)
        else:
            unit = self.pick_unit()
            cell = self.grid(unit)
            name = self._name("hospital_private", unit, cell[1])
            uscc = self.uscc(self.rng.choice(("52", "91")), unit.code)
        draft = self.new_entity(
            EntityKind.HOSPITAL,
            unit,
            name,
            uscc,
            self.staffing.local("HC", unit, self.geo),
            cell=cell,
        )
        self.legal_representative(draft, unit)
        self.practice_licence(draft, unit, "A1", private=not public)
        if self.rng.random() < 0.85:
            self.insurance(draft, unit, "H")
        if public and name.endswith("藏医院") and self.rng.random() < 0.6:
            year, serial = self.year_serial(
                ("PREP",), self.today.year - self.rng.randint(0, 4), 9_999
            )
            start = datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
            number = f"{self.geo.abbreviation}{year}{serial:04d}Z"
            until = _add_years(start, 5) - datetime.timedelta(days=1)
            self.licence(
                draft,
                LicenceKind.HOSPITAL_PREPARATION,
                number,
                self.staffing.province("MPA", self.geo),
                start,
                until,
            )
        self.sells(draft, self.pools.retail + self.pools.special, 5, 10)
        return draft

    def practice_licence(self, draft: Draft, unit: Unit, category: str, *, private: bool) -> None:
        uscc = draft.entity.unified_social_credit_code or ""
        number = f"{uscc[8:17]}{unit.code}{'33' if private else '11'}{category}1001"
        start, until = self.validity(5)
        licence = self.licence(
            draft,
            LicenceKind.MEDICAL_PRACTICE,
            number,
            self.staffing.local("HC", unit, self.geo),
            start,
            until,
        )
        self.main_licence_fate(draft, licence, 5)

    # --- anchors ----------------------------------------------------------------------------

    def manufacturer(self, tibetan: bool) -> Draft:
        unit = self.pick_unit()
        cell = self.grid(unit)
        name = self._name("manufacturer_tibetan" if tibetan else "manufacturer", unit, cell[1])
        mpa = self.staffing.province("MPA", self.geo)
        draft = self.new_entity(
            EntityKind.MANUFACTURER,
            unit,
            name,
            self.uscc("91", unit.code, new_style=False),
            mpa,
            cell=cell,
        )
        self.legal_representative(draft, unit)
        self.person(
            draft, unit, PersonRole.QUALITY_MANAGER, qualification=names.PHARMACIST_IN_CHARGE
        )
        start, until = self.validity(5)
        year, serial = self.year_serial(("MFG",), start.year, 9_999)
        number = make_drug_manufacturing_licence_number(self.geo.code, year, serial)
        licence = self.licence(
            draft,
            LicenceKind.DRUG_MANUFACTURING,
            number,
            mpa,
            start,
            until,
            "AzBy" if tibetan else "AhBz",
        )
        self.main_licence_fate(draft, licence, 5)
        return draft

    def chain_headquarters(self) -> Draft:
        unit = self.units[0] if self.rng.random() < 0.6 else self.pick_unit()
        cell = self.grid(unit)
        name = self._name("retail_chain_hq", unit, cell[1])
        mpa = self.staffing.province("MPA", self.geo)
        draft = self.new_entity(
            EntityKind.RETAIL_CHAIN_HQ, unit, name, self.uscc("91", unit.code), mpa, cell=cell
        )
        self.legal_representative(draft, unit)
        self.person(draft, unit, PersonRole.QUALITY_MANAGER, qualification=names.PHARMACIST)
        self.distribution_licence(draft, unit, "BA", mpa)
        return draft

    def online_platform(self) -> Draft:
        unit = self.units[0]
        cell = self.grid(unit)
        name = self._name("online_platform", unit, cell[1])
        mpa = self.staffing.province("MPA", self.geo)
        draft = self.new_entity(
            EntityKind.ONLINE_PLATFORM, unit, name, self.uscc("91", unit.code), mpa, cell=cell
        )
        self.legal_representative(draft, unit)
        start, until = self.validity(5)
        number = (
            f"({self.geo.abbreviation})-经营性-{start.year}-{self.serial(('ONLINE',), 9_999):04d}"
        )
        self.licence(draft, LicenceKind.ONLINE_SERVICE, number, mpa, start, until)
        return draft


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def insert_rows(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """``executemany`` INSERT of rows whose ids nobody needs back (link tables).

    Several times faster than ``bulk_create`` for narrow rows, which dominate the seed.
    """
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names_sql = ", ".join(ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names_sql}) VALUES ({marks})"  # noqa: S608 (model metadata)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def save_drafts(drafts: list[Draft], batch_size: int = 1000) -> dict[str, int]:
    """Write a batch of drafts (entities first, then what points at them); returns row counts."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    entities = [d.entity for d in drafts]
    Entity.objects.bulk_create(entities, batch_size=batch_size)
    licences = [licence for d in drafts for licence in d.licences]
    Licence.objects.bulk_create(licences, batch_size=batch_size)
    changes = [
        (c.licence.pk, c.from_status, c.to_status, c.reason, c.changed_by_id, now, now)
        for d in drafts
        for c in d.changes
    ]
    insert_rows(
        LicenceStatusChange,
        [
            "licence_id",
            "from_status",
            "to_status",
            "reason",
            "changed_by_id",
            "created_at",
            "updated_at",
        ],
        changes,
    )
    persons = [person for d in drafts for person in d.persons]
    Person.objects.bulk_create(persons, batch_size=batch_size)
    person_links = [
        (d.entity.pk, person.pk, role, ops.adapt_datefield_value(started), now, now)
        for d in drafts
        for person, role, started in d.person_links
    ]
    insert_rows(
        EntityPerson,
        ["entity_id", "person_id", "role", "started_on", "created_at", "updated_at"],
        person_links,
    )
    product_links = [
        (d.entity.pk, product_id, relation, now, now)
        for d in drafts
        for product_id, relation in d.product_links
    ]
    insert_rows(
        EntityProduct,
        ["entity_id", "product_id", "relation", "created_at", "updated_at"],
        product_links,
    )
    return {
        "entities": len(entities),
        "licences": len(licences),
        "licence_status_changes": len(changes),
        "persons": len(persons),
        "entity_persons": len(person_links),
        "entity_products": len(product_links),
    }
