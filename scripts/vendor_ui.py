"""Copy the UI framework, icons and charts from an npm install into static/vendor/.

Reproducible vendoring (government networks are offline: no CDN). Usage::

    mkdir /tmp/ui && cd /tmp/ui && npm init -y \
      && npm install @tabler/core@1.6.1 @tabler/icons-sprite@3.48.0 echarts@6.1.0
    uv run python scripts/vendor_ui.py /tmp/ui/node_modules

Only the minified dist files are copied, with their licences. Source-map comments are removed
(the maps are not shipped and the manifest storage would fail on the missing files). The icon
sprite is cut down to the symbols listed in ICONS (the full sprite is 2 MB); add a name here and
re-run to use another icon. Versions and licences are recorded in static/vendor/README.md.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"

ICONS = sorted(
    {
        "alert-circle",
        "alert-triangle",
        "api",
        "arrow-left",
        "arrow-right",
        "arrows-exchange",
        "arrows-sort",
        "bell",
        "briefcase",
        "building",
        "building-community",
        "building-store",
        "calculator",
        "calendar",
        "certificate",
        "chart-bar",
        "chart-pie",
        "check",
        "checklist",
        "chevron-down",
        "chevron-left",
        "chevron-right",
        "chevron-up",
        "circle-check",
        "clock",
        "clock-exclamation",
        "clock-pause",
        "database",
        "device-desktop-analytics",
        "dots",
        "download",
        "eye",
        "file-certificate",
        "file-text",
        "filter",
        "flag",
        "gavel",
        "grid-dots",
        "help-circle",
        "history",
        "home",
        "hourglass",
        "id-badge-2",
        "inbox",
        "info-circle",
        "language",
        "layout-dashboard",
        "layout-sidebar-left-collapse",
        "layout-sidebar-left-expand",
        "link",
        "list-check",
        "lock",
        "logout",
        "mail",
        "map-pin",
        "menu-2",
        "message-report",
        "mood-empty",
        "packages",
        "player-pause",
        "plus",
        "printer",
        "report-analytics",
        "rosette-discount-check",
        "search",
        "send",
        "settings",
        "shield-check",
        "sort-ascending",
        "sort-descending",
        "speakerphone",
        "stairs-up",
        "user",
        "users",
        "webhook",
        "world",
        "x",
    }
)


def _copy_min(src: Path, dst: Path) -> None:
    text = src.read_text(encoding="utf-8")
    text = re.sub(r"\n?/[/*]# sourceMappingURL=[^\n]*", "", text)
    if "@import" in text and "fonts.googleapis" in text:
        raise SystemExit(f"{src} imports remote fonts")
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(text, encoding="utf-8")


def _version(package: Path) -> str:
    return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])


def main(node_modules: Path) -> None:
    core = node_modules / "@tabler" / "core"
    target = VENDOR / f"tabler-core-{_version(core)}"
    shutil.rmtree(target, ignore_errors=True)
    _copy_min(core / "dist/css/tabler.min.css", target / "css/tabler.min.css")
    _copy_min(core / "dist/js/tabler.min.js", target / "js/tabler.min.js")
    icons_pkg = node_modules / "@tabler" / "icons-sprite"
    shutil.copy(icons_pkg / "LICENSE", target / "LICENSE")  # same MIT licence, same author

    icons = VENDOR / f"tabler-icons-{_version(icons_pkg)}"
    shutil.rmtree(icons, ignore_errors=True)
    icons.mkdir(parents=True)
    sprite = (icons_pkg / "dist/tabler-sprite.svg").read_text(encoding="utf-8")
    symbols = []
    for name in ICONS:
        match = re.search(rf'<symbol id="tabler-{re.escape(name)}".*?</symbol>', sprite, re.S)
        if match is None:
            raise SystemExit(f"icon {name!r} is not in the sprite")
        symbols.append(match.group(0))
    (icons / "icons.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><defs>' + "".join(symbols) + "</defs></svg>\n",
        encoding="utf-8",
    )
    shutil.copy(icons_pkg / "LICENSE", icons / "LICENSE")

    echarts = node_modules / "echarts"
    charts = VENDOR / f"echarts-{_version(echarts)}"
    shutil.rmtree(charts, ignore_errors=True)
    _copy_min(echarts / "dist/echarts.min.js", charts / "echarts.min.js")
    for name in ("LICENSE", "NOTICE"):
        shutil.copy(echarts / name, charts / name)
    shutil.copytree(echarts / "licenses", charts / "licenses")
    print(f"vendored {target.name}, {icons.name} ({len(ICONS)} icons), {charts.name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
