"""Print the role → permission matrix, core and app-contributed (ADR 0008)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yaojian.accounts.roles import role_matrix


class Command(BaseCommand):
    help = "Print every role with the permissions it grants."

    def handle(self, *args: Any, **options: Any) -> None:
        for role, permissions in role_matrix().items():
            self.stdout.write(f"{role}:")
            for permission in sorted(permissions):
                self.stdout.write(f"  {permission}")
