"""manage.py seed_demo — build a realistic, deterministic demo province.

Refuses to seed a database that already has regulated entities (seeding twice would mix two
provinces' worth of generated staff and make the counts meaningless); ``--if-empty`` turns
that refusal into a quiet no-op, which is what ``make run`` uses.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaojian.demo.generator import DEFAULT_SEED, DemoSeedError, seed_province
from yaojian.demo.passwords import demo_password, password_file, stored_demo_password
from yaojian.registry.models import Entity

MINIMUM_ENTITIES = 50


class Command(BaseCommand):
    help = (
        "Build a demo province (departments, users, grid cells, entities, licences, products, "
        "persons) from the loaded regions. Deterministic for a given --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default="54", help="Province code, e.g. 54, 63, 11.")
        parser.add_argument("--entities", type=int, default=30_000, help="Number of entities.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) when the database already has entities.",
        )
        parser.add_argument(
            "--password",
            help="Password of every demo user (default: $DEMO_PASSWORD, else var/demo_password).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Entities written per batch."
        )
        parser.add_argument(
            "--no-activity",
            action="store_true",
            help="Registry only: no demo cases, decisions, publications or pushed problems.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Entity.objects.exists():
            if options["if_empty"]:
                self.stdout.write("seed_demo: the database already has entities; nothing to do.")
                return
            raise CommandError(
                "The database already has regulated entities. seed_demo builds a province into "
                "an empty database only: use a fresh database (or `manage.py flush`), or pass "
                "--if-empty to skip quietly."
            )
        if options["entities"] < MINIMUM_ENTITIES:
            raise CommandError(f"--entities must be at least {MINIMUM_ENTITIES}.")
        had_password = bool(options["password"] or stored_demo_password())
        password = demo_password(options["password"])
        started = time.monotonic()
        try:
            counts = seed_province(
                province=str(options["province"]),
                entities=options["entities"],
                seed=options["seed"],
                password_hash=make_password(password),
                progress=self.stdout.write if options["verbosity"] >= 1 else None,
                batch_size=options["batch_size"],
                activity=not options["no_activity"],
            )
        except DemoSeedError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{name} {value}" for name, value in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"seed_demo: done in {elapsed:.1f} s: {summary}"))
        if not had_password:
            self.stdout.write(f"seed_demo: demo password generated into {password_file()}")
