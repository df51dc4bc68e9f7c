"""Users, departments, memberships (with roles) and share grants between departments."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yaojian.accounts.choices import DepartmentKind, DepartmentLevel, Role, ShareKind
from yaojian.accounts.scoping import ScopedQuerySet
from yaojian.core.models import PublicIdModel, TimeStampedModel


class User(PublicIdModel, AbstractUser):
    """A person who signs in: an officer of one or more departments, or a partner system."""

    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    is_service_account = models.BooleanField(
        _("service account"),
        default=False,
        help_text=_("A partner system that calls the API with a token."),
    )
    failed_login_count = models.PositiveIntegerField(_("failed logins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_locked(self) -> bool:
        """True while a lockout after repeated failed logins is in force."""
        return self.locked_until is not None and self.locked_until > timezone.now()


class DepartmentQuerySet(ScopedQuerySet["Department"]):
    """The directory of departments is open to every signed-in member."""

    scope_region_field = None


class Department(PublicIdModel, TimeStampedModel):
    """A government department; its region is its jurisdiction."""

    code = models.CharField(
        _("department code"),
        max_length=32,
        unique=True,
        help_text=_("A short stable code, e.g. MPA-540102."),
    )
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=32, choices=DepartmentKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=DepartmentLevel.choices)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        related_name="departments",
        verbose_name=_("jurisdiction"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("department above"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """A user's role in a department. A user may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("department"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["department__code", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"],
                name="accounts_membership_user_department_role_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.department} ({self.get_role_display()})"


class ShareGrant(PublicIdModel, TimeStampedModel):
    """One department opens one kind of its data to another, on a legal basis, until expiry."""

    grantor = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="grants_given",
        verbose_name=_("granting department"),
    )
    grantee = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="grants_received",
        verbose_name=_("receiving department"),
    )
    data_kind = models.CharField(_("kind of data"), max_length=32, choices=ShareKind.choices)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=255,
        help_text=_("The law, regulation or agreement that allows the sharing."),
    )
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("share grant")
        verbose_name_plural = _("share grants")
        ordering = ["grantor__code", "grantee__code", "data_kind"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(grantor=models.F("grantee")),
                name="accounts_sharegrant_not_to_self",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grantor} → {self.grantee}: {self.get_data_kind_display()}"

    @classmethod
    def active_q(cls, now: datetime | None = None) -> Q:
        """Q for grants in force at ``now``."""
        now = now or timezone.now()
        return Q(revoked_at__isnull=True, valid_from__lte=now) & (
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )
