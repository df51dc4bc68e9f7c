"""The shape of one province for the demo: its cities, its county-level units and their weights.

Works for every layout GB/T 2260 has: provinces with prefectures (西藏), municipalities whose
districts hang directly under the province (北京), county-level cities directly under a province
(湖北 仙桃), and prefectures without counties (广东 东莞), which then act as their own unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from yaojian.demo.names import county_short, province_short
from yaojian.registry.identifiers import PROVINCE_ABBREVIATIONS
from yaojian.territory.choices import RegionLevel
from yaojian.territory.models import Region

# Long-distance telephone codes (without the leading 0) of cities whose codes we know; the
# 2024 drug distribution licence number embeds them. Other cities get a stable stand-in.
AREA_CODES = {
    "540100": "891",
    "540200": "892",
    "540500": "893",
    "540400": "894",
    "540300": "895",
    "540600": "896",
    "542500": "897",
    "630100": "971",
    "630200": "972",
    "632200": "970",
    "632300": "973",
    "632500": "974",
    "632600": "975",
    "632700": "976",
    "632800": "977",
    "110000": "100",
    "120000": "220",
    "310000": "210",
    "500000": "230",
}


@dataclass(frozen=True)
class City:
    """A prefecture-level region (or the province itself for municipalities)."""

    code: str
    name: str
    abbreviation: str  # one character, used in device licence numbers
    area_code: str  # 3 digits


@dataclass(frozen=True)
class Unit:
    """A county-level unit where entities, grid cells and local departments live."""

    code: str
    name: str
    kind: str
    city: City
    locality: str  # 拉萨市城关区, as it starts an address or a name
    short: str  # 城关
    index: int  # position within its city, for the licence area adjustment digit
    is_city_itself: bool  # a prefecture without counties
    weight: float


@dataclass(frozen=True)
class Geography:
    """One province: its name, cities (prefectures) and units (counties)."""

    code: str  # 2 digits
    region_code: str  # 6 digits
    name: str
    short: str  # 西藏
    abbreviation: str  # 藏
    is_municipality: bool
    cities: tuple[City, ...]  # prefectures only; empty for municipalities
    units: tuple[Unit, ...]

    @property
    def capital(self) -> City | None:
        return self.cities[0] if self.cities else None


def _area_code(code: str) -> str:
    return AREA_CODES.get(code) or f"{100 + int(code[:4]) % 900:03d}"


def _weight(unit_code: str, kind: str, city_rank: int, index: int) -> float:
    """Heavier for the capital and the second city, and for urban districts."""
    city_weight = 3.0 if city_rank == 0 else 1.6 if city_rank == 1 else 1.0
    unit_weight = 3.0 if kind in {"市辖区", "县级市"} else 1.0
    if index == 0 and kind == "市辖区":
        unit_weight = 6.0
    return city_weight * unit_weight


def load_geography(province: str) -> Geography:
    """Read the province's current regions. ``ValueError`` for an unknown or foreign province."""
    code = province[:2]
    if code not in PROVINCE_ABBREVIATIONS or code in {"71", "81", "82"}:
        raise ValueError(f"{province!r} is not a mainland province code")
    try:
        root = Region.objects.get(code=f"{code}0000", valid_to__isnull=True)
    except Region.DoesNotExist:
        raise ValueError(f"region {code}0000 is not loaded (run manage.py load_regions)") from None
    rows = list(
        Region.objects.filter(prefix__startswith=code, valid_to__isnull=True)
        .exclude(code=root.code)
        .order_by("code")
        .values("code", "name", "kind", "level", "parent_id")
    )
    prefectures = [r for r in rows if r["level"] == RegionLevel.PREFECTURE]
    counties = [r for r in rows if r["level"] == RegionLevel.COUNTY]
    root_city = City(root.code, root.name, root.name[0], _area_code(root.code))
    cities = {
        r["code"]: City(r["code"], r["name"], r["name"][0], _area_code(r["code"]))
        for r in prefectures
    }
    ranks = {c: i for i, c in enumerate(cities)}
    units: list[Unit] = []
    per_city: dict[str, int] = {}
    for r in counties:
        city = cities.get(r["parent_id"], root_city)
        index = per_city.get(city.code, 0)
        per_city[city.code] = index + 1
        # 拉萨市城关区 and 北京市东城区, but 仙桃市 (a county-level city under the province).
        under_province = city is root_city and bool(cities)
        locality = r["name"] if under_province else city.name + r["name"]
        units.append(
            Unit(
                code=r["code"],
                name=r["name"],
                kind=r["kind"],
                city=city,
                locality=locality,
                short=county_short(r["name"]),
                index=index,
                is_city_itself=False,
                weight=_weight(r["code"], r["kind"], ranks.get(city.code, 2), index),
            )
        )
    for city_code, city in cities.items():
        if city_code not in per_city:  # 东莞: no counties below
            units.append(
                Unit(
                    code=city.code,
                    name=city.name,
                    kind="地级市",
                    city=city,
                    locality=city.name,
                    short=county_short(city.name),
                    index=0,
                    is_city_itself=True,
                    weight=3.0 * (3.0 if ranks[city_code] == 0 else 1.0),
                )
            )
    units.sort(key=lambda u: u.code)
    if not units:
        raise ValueError(f"province {code} has no county-level regions")
    return Geography(
        code=code,
        region_code=root.code,
        name=root.name,
        short=province_short(root.name),
        abbreviation=PROVINCE_ABBREVIATIONS[code],
        is_municipality=not cities,
        cities=tuple(cities.values()),
        units=tuple(units),
    )
