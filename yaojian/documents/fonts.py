"""Finding the CJK font the PDFs embed.

``settings.DOCUMENT_FONT`` (and optionally ``DOCUMENT_FONT_BOLD``) name a font file; a
TrueType/OpenType collection (``.ttc``) takes the face index after ``#``, e.g.
``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#2`` (the Simplified Chinese face).
Without a setting the renderer tries the fonts ``scripts/install-fonts.sh`` installs from
Debian, in :data:`SEARCH_LIST` order. fpdf2 embeds both TrueType (glyf) and CFF-based OpenType
outlines, subset to the characters used, so Noto Sans CJK works as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (``index`` chooses the face in a collection)."""

    path: Path
    index: int = 0


# (regular, bold) in order of preference; bold may repeat the regular face.
SEARCH_LIST: tuple[tuple[FontFace, FontFace], ...] = (
    (
        FontFace(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
        FontFace(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"), 2),
    ),
    (
        FontFace(Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2),
        FontFace(Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"), 2),
    ),
    (
        FontFace(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
        FontFace(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    ),
    (
        FontFace(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
        FontFace(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    ),
)


class FontNotFoundError(ImproperlyConfigured):
    """No CJK font could be found: documents cannot be rendered."""


def parse_face(value: str) -> FontFace:
    """``path`` or ``path#index`` → :class:`FontFace`."""
    path, _sep, index = value.partition("#")
    try:
        number = int(index) if index else 0
    except ValueError as exc:
        raise FontNotFoundError(
            _("The font face index in %(value)s is not a number.") % {"value": value}
        ) from exc
    return FontFace(Path(path), number)


def find_fonts() -> tuple[FontFace, FontFace]:
    """The (regular, bold) faces to embed; :class:`FontNotFoundError` when there are none."""
    configured = str(getattr(settings, "DOCUMENT_FONT", "") or "")
    if configured:
        regular = parse_face(configured)
        if not regular.path.is_file():
            raise FontNotFoundError(
                _(
                    "The font set in DOCUMENT_FONT (%(path)s) does not exist. Install it "
                    "(scripts/install-fonts.sh) or correct the setting."
                )
                % {"path": regular.path}
            )
        bold_setting = str(getattr(settings, "DOCUMENT_FONT_BOLD", "") or "")
        bold = parse_face(bold_setting) if bold_setting else regular
        return regular, bold if bold.path.is_file() else regular
    for regular, bold in SEARCH_LIST:
        if regular.path.is_file():
            return regular, bold if bold.path.is_file() else regular
    raise FontNotFoundError(
        _(
            "No Chinese font was found for generating documents. Run scripts/install-fonts.sh "
            "or set DOCUMENT_FONT to a TrueType or OpenType font with Chinese characters."
        )
    )
