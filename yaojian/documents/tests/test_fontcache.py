"""The common font subset: ordinary documents use it, rare characters fall back to the full font."""

from __future__ import annotations

import ast
import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from yaojian.documents import fontcache, formatting, layouts, rendering
from yaojian.documents.choices import DocumentKind
from yaojian.documents.fonts import FontFace
from yaojian.documents.tests.conftest import DECISION_CONTEXT, pdf_text

AT = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_ordinary_text_is_rendered_with_the_common_subset(tmp_path):
    rendered = rendering.render(DocumentKind.PENALTY_DECISION, DECISION_CONTEXT, created_at=AT)

    assert rendered.fonts == rendering.COMMON
    assert rendered.content == rendering.render_pdf(
        DocumentKind.PENALTY_DECISION, DECISION_CONTEXT, created_at=AT
    )
    text = re.sub(r"\s+", "", pdf_text(rendered.content, tmp_path))
    assert "拉萨奇正大药房有限公司" in text
    assert "二〇二六年十一月二十日" in text


def test_a_rare_character_falls_back_to_the_full_font_and_is_printed(tmp_path):
    context = {**DECISION_CONTEXT, "party_name": "王䶮𠀾药房", "legal_representative": "李堃"}

    rendered = rendering.render(DocumentKind.PENALTY_DECISION, context, created_at=AT)

    assert rendered.fonts == rendering.FULL
    text = re.sub(r"\s+", "", pdf_text(rendered.content, tmp_path))
    assert "王䶮𠀾药房" in text  # the glyphs are in the embedded font (else pdftotext drops them)
    assert "李堃" in text


def test_without_a_usable_cache_the_full_font_gives_the_same_bytes(settings, tmp_path, caplog):
    fast = rendering.render(DocumentKind.CASE_FILING_APPROVAL, {"case_title": "甲"}, created_at=AT)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.DOCUMENT_FONT_CACHE_DIR = blocker / "fonts"

    with caplog.at_level(logging.WARNING, logger="yaojian.documents.fontcache"):
        slow = rendering.render(
            DocumentKind.CASE_FILING_APPROVAL, {"case_title": "甲"}, created_at=AT
        )

    assert (fast.fonts, slow.fonts) == (rendering.COMMON, rendering.FULL)
    assert "common subset" in caplog.text
    # fontTools keeps the CIDs, so subsetting the subset embeds exactly the same font program.
    assert slow.content == fast.content


def _literals(module: object) -> str:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    return "".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def test_the_common_subset_covers_every_fixed_text_of_the_documents():
    text = _literals(layouts) + _literals(formatting) + _literals(rendering)
    text += "".join(formatting.chinese_date(dt.date(2026, m, d)) for m, d in ((1, 1), (12, 31)))

    missing = {char for char in text if ord(char) not in fontcache.common_codepoints()}

    assert missing <= {"\n"}
    assert len(fontcache.common_codepoints()) > 7445  # all of GB 2312 and the extra blocks
    assert ord("䶮") not in fontcache.common_codepoints()


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans (fonts-dejavu-core) is not installed")
def test_subset_is_built_once_and_rebuilt_when_the_font_file_changes(settings, tmp_path):
    settings.DOCUMENT_FONT_CACHE_DIR = tmp_path / "cache"
    font = tmp_path / "Sans.ttf"
    shutil.copyfile(DEJAVU, font)
    face = FontFace(font, 0)

    first = fontcache.common_face(face)
    assert first is not None
    assert first.path.parent == tmp_path / "cache"
    assert first.path.stat().st_size < font.stat().st_size
    built_at = first.path.stat().st_mtime_ns
    assert fontcache.common_face(face) == first
    assert first.path.stat().st_mtime_ns == built_at  # not rebuilt

    os.utime(font, ns=(built_at + 10**9, built_at + 10**9))  # a new version of the file
    second = fontcache.common_face(face)

    assert second is not None
    assert second.path != first.path
    assert fontcache.common_face(face, build=False) == second


def test_prepare_document_fonts_prints_the_subsets():
    out = StringIO()

    call_command("prepare_document_fonts", stdout=out)

    assert out.getvalue().count("->") in (1, 2)
    assert str(fontcache.cache_dir()) in out.getvalue()


def test_django_starts_without_loading_fpdf():
    code = (
        "import sys, django; django.setup();"
        "import yaojian.documents.services, yaojian.documents.rendering;"
        "print('fpdf' in sys.modules, 'fontTools' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yaojian.settings"}

    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, check=True, env=env, text=True
    )

    assert out.stdout.strip() == "False False"
