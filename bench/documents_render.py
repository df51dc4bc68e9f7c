"""PDF rendering time: the full CJK font (baseline, the old way) against the common subset.

    uv run python bench/documents_render.py [--renders 5]

In one process, alternating so machine load hits both alike: ``render_pdf`` of the penalty
decision of the documents tests with the full Noto Sans CJK faces (forced by pointing
``DOCUMENT_FONT_CACHE_DIR`` at a path that cannot be a directory, which is exactly the code path
of a machine without the subset) and with the common subset (built first if missing; the build
time is reported). Wall and CPU time per render, median and max, and whether both give the
same bytes. Then the start-up cost: a fresh interpreter running ``django.setup()`` and importing
``yaojian.documents.services`` (does it load fpdf2?), against importing fpdf itself.
Results: var/bench/documents_render.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")

import django
import harness

AT = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


def _subprocess_seconds(code: str) -> float:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yaojian.settings"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=harness.ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=5, help="renders of each variant")
    args = parser.parse_args()

    django.setup()
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    logging.getLogger("yaojian.documents.fontcache").setLevel(logging.ERROR)
    from django.conf import settings

    from yaojian.documents import fontcache, rendering
    from yaojian.documents.fonts import find_fonts
    from yaojian.documents.tests.conftest import DECISION_CONTEXT

    result: dict[str, Any] = {"machine": harness.machine(), "renders": args.renders}
    faces = find_fonts()
    started = time.perf_counter()
    missing = [face for face in faces if fontcache.common_face(face, build=False) is None]
    for face in faces:
        fontcache.common_face(face)
    result["subset_build_s"] = round(time.perf_counter() - started, 2) if missing else 0.0
    harness.log(f"fonts {faces}; subset build {result['subset_build_s']} s (0: cached)")

    blocker = Path(tempfile.mkdtemp()) / "not-a-directory"
    blocker.write_text("")
    variants = {"full_font": str(blocker / "fonts"), "common_subset": None}
    times: dict[str, dict[str, list[float]]] = {n: {"wall": [], "cpu": []} for n in variants}
    outputs: dict[str, set[bytes]] = {n: set() for n in variants}
    paths: dict[str, set[str]] = {n: set() for n in variants}
    rendering.render_pdf("penalty_decision", DECISION_CONTEXT, created_at=AT)  # warm-up
    for _round in range(args.renders):
        for name, cache_dir in variants.items():
            settings.DOCUMENT_FONT_CACHE_DIR = cache_dir
            wall, cpu = time.perf_counter(), time.process_time()
            rendered = rendering.render("penalty_decision", DECISION_CONTEXT, created_at=AT)
            times[name]["cpu"].append(time.process_time() - cpu)
            times[name]["wall"].append(time.perf_counter() - wall)
            outputs[name].add(rendered.content)
            paths[name].add(rendered.fonts)
    for name in variants:
        result[name] = {
            "fonts_used": sorted(paths[name]),
            **{
                f"{kind}_{stat}_s": round(fn(values), 3)
                for kind, values in times[name].items()
                for stat, fn in (("median", statistics.median), ("max", max))
            },
        }
        harness.log(f"{name}: {result[name]}")
    result["same_bytes"] = len(outputs["full_font"] | outputs["common_subset"]) == 1
    result["speed_up_wall"] = round(
        result["full_font"]["wall_median_s"] / result["common_subset"]["wall_median_s"], 1
    )
    harness.log(f"same bytes: {result['same_bytes']}; speed-up {result['speed_up_wall']}×")

    setup = "import django; django.setup()"
    result["startup_s"] = {
        "django_setup": round(_subprocess_seconds(setup), 2),
        "django_setup_and_documents_services": round(
            _subprocess_seconds(
                f"{setup}; import sys, yaojian.documents.services; "
                "assert 'fpdf' not in sys.modules, 'fpdf2 loaded at start-up'"
            ),
            2,
        ),
        "import_fpdf_alone": round(_subprocess_seconds("import fpdf"), 2),
    }
    harness.log(f"start-up: {result['startup_s']} (load {harness.load_average():.2f})")
    harness.log(f"saved {harness.save('documents_render', result)}")


if __name__ == "__main__":
    main()
