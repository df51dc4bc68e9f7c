"""manage.py demo_accounts — print the demo accounts and their password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yaojian.accounts.models import Membership
from yaojian.demo.passwords import ENV_VARIABLE, password_file, stored_demo_password
from yaojian.demo.staff import DEMO_USERNAMES


class Command(BaseCommand):
    help = "Print the well-known demo accounts (username, role, department, region) and password."

    def handle(self, *args: Any, **options: Any) -> None:
        memberships = {
            m.user.username: m
            for m in Membership.objects.filter(user__username__in=DEMO_USERNAMES).select_related(
                "user", "department", "department__region"
            )
        }
        if not memberships:
            self.stdout.write("  No demo accounts: run `manage.py seed_demo` first.")
            return
        rows = [("username", "role", "department", "region")]
        for username in DEMO_USERNAMES:
            m = memberships.get(username)
            if m is None:
                continue
            role = str(m.get_role_display()) + (" (superuser)" if m.user.is_superuser else "")
            region = m.department.region
            rows.append((username, role, m.department.name, f"{region.name} {region.code}"))
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("  Demo accounts:")
        for row in rows:
            cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
            self.stdout.write("    " + "  ".join(cells).rstrip())
        password = stored_demo_password()
        if password:
            self.stdout.write(f"  Password for all of them: {password}")
        else:
            self.stdout.write(
                f"  Password: the one given to seed_demo --password (not stored; set "
                f"{ENV_VARIABLE} or see {password_file()})."
            )


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
