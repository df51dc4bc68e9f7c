"""manage.py verify_draw ID | --all — run stored draws again from their snapshots."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaojian.inspections.models import Draw
from yaojian.inspections.services import verify_draw


class Command(BaseCommand):
    help = "Re-run double-random draws from their stored snapshots and compare the results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draw", nargs="?", help="public id of the draw")
        parser.add_argument("--all", action="store_true", help="verify every draw")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            draws = Draw.objects.order_by("id")
        elif options["draw"]:
            draws = Draw.objects.filter(public_id=options["draw"])
            if not draws.exists():
                raise CommandError(f"no draw {options['draw']}")
        else:
            raise CommandError("give a draw id or --all")
        verified = failed = 0
        for draw in draws.iterator(chunk_size=10):
            ok, why = verify_draw(draw)
            if ok:
                verified += 1
                self.stdout.write(f"{draw.public_id} ok ({draw.drawn_count} of {draw.pool_size})")
            else:
                failed += 1
                self.stdout.write(f"{draw.public_id} MISMATCH: {why}")
        self.stdout.write(f"{verified} verified, {failed} failed")
        if failed:
            raise CommandError(f"{failed} draw(s) do not reproduce")
