"""``manage.py link_files LEFT RIGHT --out PAIRS.csv``: reconcile two lists (CSV or XLSX)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yaojian.linkage.files import link_files, read_records


class Command(BaseCommand):
    help = "Link two lists of entities (CSV in UTF-8/GB18030, or XLSX) and write PAIRS.csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", type=Path)
        parser.add_argument("right", type=Path)
        parser.add_argument("--out", type=Path, required=True, help="PAIRS.csv to write")
        parser.add_argument("--key-col", default="", help="column with each row's id")
        parser.add_argument("--name-col", default="", help="column with the name")
        parser.add_argument("--address-col", default="", help="column with the address")
        parser.add_argument("--region-col", default="", help="column with the region code")
        parser.add_argument("--credit-code-col", default="", help="column with the USCC")

    def handle(self, *args: Any, **options: Any) -> None:
        columns = {
            field: options[option]
            for field, option in (
                ("key", "key_col"),
                ("name", "name_col"),
                ("address", "address_col"),
                ("region_code", "region_col"),
                ("credit_code", "credit_code_col"),
            )
            if options[option]
        }
        lists = []
        for path in (options["left"], options["right"]):
            try:
                lists.append(read_records(path.read_bytes(), path.name, columns=columns))
            except OSError as exc:
                raise CommandError(f"{path}: {exc.strerror}") from exc
            except ValidationError as exc:
                raise CommandError(f"{path}: {'; '.join(exc.messages)}") from exc
        result = link_files(lists[0], lists[1], options["out"])
        self.stdout.write(
            f"left {result.left_rows} rows, right {result.right_rows} rows: "
            f"{result.auto} automatic links, {result.review} to review "
            f"in {result.seconds:.1f} s -> {options['out']}"
        )
