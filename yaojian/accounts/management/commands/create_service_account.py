"""``manage.py create_service_account NAME --department CODE --role ROLE``: a partner system."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from yaojian.accounts.choices import Role
from yaojian.accounts.events import MembershipAdded
from yaojian.accounts.models import Department, Membership, User
from yaojian.audit.services import record
from yaojian.core.events import publish


class Command(BaseCommand):
    help = (
        "Create a service account for a partner system, give it a role in a department and "
        "print its API token (send it as the header 'Authorization: Token <token>')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Username of the service account, e.g. his-lhasa.")
        parser.add_argument("--department", required=True, help="Code of the department.")
        parser.add_argument("--role", required=True, choices=Role.values, help="Its role there.")
        parser.add_argument("--full-name", default="", help="A readable name of the system.")
        parser.add_argument(
            "--rotate-token",
            action="store_true",
            help="For an existing service account: revoke its token and issue a new one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["name"].strip()
        department = Department.objects.filter(code=options["department"], is_active=True).first()
        if department is None:
            raise CommandError(
                _("There is no active department with the code %(code)s.")
                % {"code": options["department"]}
            )
        existing = User.objects.filter(username=name).first()
        if existing is not None and not options["rotate_token"]:
            raise CommandError(
                _("The user %(name)s already exists; pass --rotate-token to issue a new token.")
                % {"name": name}
            )
        if existing is not None and not existing.is_service_account:
            raise CommandError(_("The user %(name)s is not a service account.") % {"name": name})
        if existing is not None:
            token = self._rotate(existing, department)
            self.stderr.write(
                _("Issued a new token for %(name)s; the old one no longer works.") % {"name": name}
            )
        else:
            try:
                token = self._create(name, options["full_name"], department, options["role"])
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            self.stderr.write(
                _("Created the service account %(name)s (%(role)s in %(department)s).")
                % {"name": name, "role": Role(options["role"]).label, "department": department}
            )
        self.stdout.write(token.key)

    @transaction.atomic
    def _create(self, name: str, full_name: str, department: Department, role: str) -> Token:
        user = User(username=name, full_name=full_name or name, is_service_account=True)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        membership = Membership.objects.create(user=user, department=department, role=role)
        record(
            actor=None,
            action="accounts.service_account_created",
            obj=user,
            changes={"department": [None, department.code], "role": [None, role]},
            department=department,
        )
        publish(
            MembershipAdded(
                membership_id=membership.pk,
                user_id=user.pk,
                department_id=department.pk,
                role=role,
            )
        )
        return Token.objects.create(user=user)

    @transaction.atomic
    def _rotate(self, user: User, department: Department) -> Token:
        Token.objects.filter(user=user).delete()
        record(
            actor=None,
            action="accounts.service_account_token_rotated",
            obj=user,
            department=department,
        )
        return Token.objects.create(user=user)
