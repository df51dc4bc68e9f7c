"""manage.py compile_catalogs — compile locale/*/LC_MESSAGES/*.po without GNU gettext."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from yaojian.core.catalogs import compile_catalog


class Command(BaseCommand):
    help = "Compile the project's gettext catalogs (.po → .mo) in pure Python."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                compile_catalog(po)
                count += 1
        self.stdout.write(f"compiled {count} catalog(s)")
