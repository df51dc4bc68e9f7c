"""A reduced copy of the CJK font, built once per machine, that makes rendering fast.

Noto Sans CJK has 65,535 glyphs in a 20 MB collection: fpdf2 parses the whole face (cmap,
hmtx, CFF) on every ``add_font`` and subsets it again at output, about 2–3 s per PDF. Nearly
every document only uses ASCII, CJK punctuation, full-width forms and common hanzi, so the
renderer first lays a document out with a *common subset* of the face — GB 2312 (all 7,445
characters: 6,763 hanzi and its symbols) plus the Latin, punctuation, letter-like, number,
enclosed, CJK-symbol and full-width blocks (:data:`EXTRA_RANGES`) — about 7,800 glyphs, 1.8 MB.
If the document uses a character outside it (a rare name such as 王䶮), the renderer lays it out
again with the full face (``yaojian.documents.rendering``): correctness never depends on the
subset.

The subset is written to :func:`cache_dir` as ``<font>-<face>-<key>.otf`` where the key hashes
the source file's path, face index, size and modification time, the fontTools version and
:data:`SUBSET_VERSION`: a new font file or library builds a new subset. Building takes a few
seconds per face (CPU); one process builds while the others wait on a lock file, and any
failure (read-only directory, broken font) only logs a warning — the full face is used.
``manage.py prepare_document_fonts`` builds them ahead (deployments, CI images).

fontTools is imported only when a subset is built.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from functools import cache
from importlib import metadata
from pathlib import Path

from django.conf import settings

from yaojian.documents.fonts import FontFace

logger = logging.getLogger(__name__)

# Bump when the character set or the build options change: a new file name, a new build.
SUBSET_VERSION = 1

# Code point ranges kept besides GB 2312 (inclusive).
EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (×, ÷, °, ·, …)
    (0x2000, 0x206F),  # General Punctuation (— ‘ ’ “ ” … ‰ ※)
    (0x2100, 0x218F),  # Letter-like symbols and number forms (℃ № Ⅻ)
    (0x2190, 0x21FF),  # Arrows
    (0x2460, 0x24FF),  # Enclosed alphanumerics (① ⑴ ⒈)
    (0x2500, 0x257F),  # Box drawing
    (0x25A0, 0x25FF),  # Geometric shapes (□ ■ ○ ●)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。〇〔〕《》「」)
    (0x3200, 0x32FF),  # Enclosed CJK (㈠ ㊣)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # Half-width and full-width forms (，：；（）＿)
)

_lock = threading.Lock()


@cache
def common_codepoints() -> frozenset[int]:
    """The code points of the common subset: GB 2312 (row/cell byte pairs) and EXTRA_RANGES."""
    points: set[int] = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                points.update(ord(char) for char in bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    for first, last in EXTRA_RANGES:
        points.update(range(first, last + 1))
    return frozenset(points)


def cache_dir() -> Path:
    """``settings.DOCUMENT_FONT_CACHE_DIR``, else ``<YAOJIAN_VAR_DIR or BASE_DIR/var>/cache/fonts``.

    The default reads the deployment's var directory from the environment as settings.py does,
    not ``settings.VAR_DIR``, so tests that point VAR_DIR at a temporary directory still share
    the machine's subsets.
    """
    configured = getattr(settings, "DOCUMENT_FONT_CACHE_DIR", None)
    if configured:
        return Path(configured)
    var = os.environ.get("YAOJIAN_VAR_DIR") or Path(settings.BASE_DIR) / "var"
    return Path(var) / "cache" / "fonts"


def subset_path(face: FontFace, directory: Path | None = None) -> Path:
    """Where the common subset of ``face`` lives (depends on the file's size and mtime)."""
    stat = face.path.stat()
    key = "|".join(
        (
            str(face.path.resolve()),
            str(face.index),
            str(stat.st_size),
            str(stat.st_mtime_ns),
            _fonttools_version(),
            str(SUBSET_VERSION),
        )
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return (directory or cache_dir()) / f"{face.path.stem}-{face.index}-{digest}.otf"


def common_face(face: FontFace, *, build: bool = True) -> FontFace | None:
    """The common subset of ``face`` (built now if missing and ``build``); None when unavailable."""
    try:
        target = subset_path(face)
        if target.is_file():
            return FontFace(target, 0)
        if not build:
            return None
        with _lock:  # threads of this process; other processes wait on the lock file
            build_subset(face, target)
    except Exception:  # any failure: the full face still renders correctly
        logger.warning("Could not prepare the common subset of %s", face.path, exc_info=True)
        return None
    return FontFace(target, 0)


def build_subset(face: FontFace, target: Path) -> None:
    """Write the common subset of ``face`` to ``target`` (atomically, once across processes)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / ".build.lock", "w") as lock_file:
        _lock_file(lock_file)
        if target.is_file():  # another process built it while we waited
            return
        from fontTools import subset, ttLib

        logger.info("Building the common subset of %s#%s", face.path, face.index)
        font = ttLib.TTFont(
            str(face.path), fontNumber=face.index, recalcTimestamp=False, recalcBBoxes=False
        )
        options = subset.Options()
        options.font_number = face.index
        options.layout_features = []  # fpdf2 does no shaping here; GSUB/GPOS are dropped anyway
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG"]
        options.notdef_outline = True
        options.recommended_glyphs = True
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=common_codepoints())
        subsetter.subset(font)
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        font.save(str(partial))
        font.close()
        os.replace(partial, target)


def _lock_file(handle: object) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no cross-process lock
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # type: ignore[attr-defined]


@cache
def _fonttools_version() -> str:
    try:
        return metadata.version("fonttools")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"
