"""``manage.py prepare_document_fonts``: build the common font subsets PDFs render with."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yaojian.documents import fontcache
from yaojian.documents.fonts import find_fonts


class Command(BaseCommand):
    help = (
        "Build (once per machine and font file) the reduced CJK fonts that make PDF rendering "
        "fast; prints where they are."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        faces = dict.fromkeys(find_fonts())  # regular, bold (once if the same face)
        for face in faces:
            common = fontcache.common_face(face)
            if common is None:
                raise CommandError(
                    f"Could not build the common subset of {face.path}#{face.index} in "
                    f"{fontcache.cache_dir()} (see the log); documents still render with the "
                    "full font, more slowly."
                )
            self.stdout.write(f"{face.path}#{face.index} -> {common.path}")
