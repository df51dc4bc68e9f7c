"""Writes of the accounts app: sign-in bookkeeping, passwords, memberships, share grants.

Every function here is the only way its change happens; each writes an audit event in the
same transaction. Membership and share-grant changes publish events after commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yaojian.accounts.choices import Role, ShareKind
from yaojian.accounts.events import MembershipAdded, MembershipEnded, ShareGranted, ShareRevoked
from yaojian.accounts.models import Department, Membership, ShareGrant, User
from yaojian.accounts.scoping import forget_scope
from yaojian.accounts.selectors import can_grant_share, can_manage_memberships, can_revoke_share
from yaojian.audit.services import record
from yaojian.core.events import publish

# --- sign-in ------------------------------------------------------------------------------


def _home_department(user: User) -> Department | None:
    membership = (
        user.memberships.filter(is_active=True).select_related("department").order_by("pk").first()
    )
    return membership.department if membership else None


@transaction.atomic
def record_failed_login(*, username: str) -> None:
    """Count a failed sign-in for ``username``; lock the account after too many in a row.

    After ``settings.LOGIN_MAX_FAILURES`` consecutive failures the account is locked for
    ``settings.LOGIN_LOCKOUT_MINUTES``. Attempts against a locked account do not extend the
    lock. Every attempt is audited (``accounts.login_failed``), and so is a lockout
    (``accounts.locked``). Unknown usernames are audited too; nothing here tells the caller
    whether the account exists.
    """
    username = (username or "")[:150]
    user = (
        User._default_manager.select_for_update(no_key=True)
        .filter(**{User.USERNAME_FIELD: username})
        .first()
    )
    if user is None:
        record(
            actor=None,
            action="accounts.login_failed",
            object_type="accounts.user",
            object_repr=username,
            changes={"username": username, "known_user": False},
        )
        return
    department = _home_department(user)
    if user.is_locked:
        record(
            actor=None,
            action="accounts.login_failed",
            obj=user,
            department=department,
            changes={"username": username, "known_user": True, "locked": True},
        )
        return
    failures = user.failed_login_count + 1
    locks = failures >= settings.LOGIN_MAX_FAILURES
    if locks:
        user.failed_login_count = 0
        user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    else:
        user.failed_login_count = failures
    user.save(update_fields=["failed_login_count", "locked_until"])
    record(
        actor=None,
        action="accounts.login_failed",
        obj=user,
        department=department,
        changes={"username": username, "known_user": True, "failures": failures},
    )
    if locks:
        record(
            actor=None,
            action="accounts.locked",
            obj=user,
            department=department,
            changes={
                "failures": failures,
                "locked_until": user.locked_until.isoformat() if user.locked_until else None,
            },
        )


@transaction.atomic
def record_login(*, user: User) -> None:
    """A successful sign-in: clear the failure counter and any expired lock (audited)."""
    if user.failed_login_count or user.locked_until is not None:
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["failed_login_count", "locked_until"])
    record(actor=user, action="accounts.login", obj=user)


@transaction.atomic
def record_logout(*, user: User) -> None:
    """A sign-out (audited)."""
    record(actor=user, action="accounts.logout", obj=user)


@transaction.atomic
def change_password(*, actor: User, user: User, new_password: str) -> User:
    """Set ``user``'s password after the password validators accept it (audited).

    Only the user themself or a superuser may do this. The password never reaches the
    audit trail.
    """
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(_("You may change only your own password."))
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(actor=actor, action="accounts.password_changed", obj=user)
    return user


# --- memberships --------------------------------------------------------------------------


@transaction.atomic
def add_membership(*, actor: User, user: User, department: Department, role: str) -> Membership:
    """Make ``user`` a member of ``department`` with ``role`` (or reactivate that membership).

    Needs ``accounts.change_membership`` in ``department`` or a department above it.
    """
    if not can_manage_memberships(actor, department):
        raise PermissionDenied(_("You may not manage the members of this department."))
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    if not department.is_active:
        raise ValidationError(_("The department is no longer active."))
    membership = (
        Membership.objects.select_for_update(no_key=True)
        .filter(user=user, department=department, role=role)
        .first()
    )
    if membership is not None and membership.is_active:
        raise ValidationError(
            _("%(user)s is already a member of %(department)s with this role.")
            % {"user": user, "department": department}
        )
    if membership is None:
        membership = Membership(user=user, department=department, role=role)
        membership.full_clean()
        membership.save()
    else:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
    record(
        actor=actor,
        action="accounts.membership_added",
        obj=membership,
        department=department,
        changes={"user": user.username, "department": department.code, "role": role},
    )
    forget_scope(user)
    publish(
        MembershipAdded(
            membership_id=membership.pk, user_id=user.pk, department_id=department.pk, role=role
        )
    )
    return membership


@transaction.atomic
def end_membership(*, actor: User, membership: Membership, reason: str = "") -> Membership:
    """End an active membership. Needs the same permission as :func:`add_membership`."""
    if not can_manage_memberships(actor, membership.department):
        raise PermissionDenied(_("You may not manage the members of this department."))
    locked = Membership.objects.select_for_update(no_key=True).get(pk=membership.pk)
    if not locked.is_active:
        raise ValidationError(_("This membership has already ended."))
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    record(
        actor=actor,
        action="accounts.membership_ended",
        obj=membership,
        department=membership.department,
        changes={
            "user": membership.user.username,
            "department": membership.department.code,
            "role": membership.role,
        },
        reason=reason,
    )
    forget_scope(membership.user)
    publish(
        MembershipEnded(
            membership_id=membership.pk,
            user_id=membership.user_id,
            department_id=membership.department_id,
            role=membership.role,
        )
    )
    return membership


# --- share grants -------------------------------------------------------------------------


@transaction.atomic
def grant_share(
    *,
    actor: User,
    grantor: Department,
    grantee: Department,
    data_kind: str,
    legal_basis: str,
    expires_at: datetime | None = None,
) -> ShareGrant:
    """Open ``grantor``'s data of ``data_kind`` to ``grantee`` on ``legal_basis``.

    Needs ``accounts.add_sharegrant`` in ``grantor`` or a department above it. A grant of
    the same kind between the same departments must not already be in force.
    """
    if not can_grant_share(actor, grantor):
        raise PermissionDenied(_("You may not share this department's data."))
    if grantor.pk == grantee.pk:
        raise ValidationError({"grantee": _("A department cannot share data with itself.")})
    if data_kind not in ShareKind.values:
        raise ValidationError({"data_kind": _("Choose a valid kind of data.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must lie in the future.")})
    in_force = ShareGrant.objects.filter(
        ShareGrant.active_q(), grantor=grantor, grantee=grantee, data_kind=data_kind
    )
    if in_force.exists():
        raise ValidationError(
            _("%(grantor)s already shares this kind of data with %(grantee)s.")
            % {"grantor": grantor, "grantee": grantee}
        )
    grant = ShareGrant(
        grantor=grantor,
        grantee=grantee,
        data_kind=data_kind,
        legal_basis=legal_basis.strip(),
        expires_at=expires_at,
    )
    grant.full_clean()
    grant.save()
    record(
        actor=actor,
        action="accounts.share_granted",
        obj=grant,
        department=grantor,
        changes={
            "grantor": grantor.code,
            "grantee": grantee.code,
            "data_kind": data_kind,
            "legal_basis": grant.legal_basis,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    forget_scope(actor)
    publish(
        ShareGranted(
            grant_id=grant.pk, grantor_id=grantor.pk, grantee_id=grantee.pk, data_kind=data_kind
        )
    )
    return grant


@transaction.atomic
def revoke_share(*, actor: User, grant: ShareGrant, reason: str = "") -> ShareGrant:
    """Revoke a grant at once. Needs ``accounts.change_sharegrant`` over its grantor."""
    if not can_revoke_share(actor, grant):
        raise PermissionDenied(_("You may not revoke this share grant."))
    locked = ShareGrant.objects.select_for_update(no_key=True).get(pk=grant.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("This share grant has already been revoked."))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at", "updated_at"])
    record(
        actor=actor,
        action="accounts.share_revoked",
        obj=grant,
        department=grant.grantor,
        changes={"revoked_at": grant.revoked_at.isoformat()},
        reason=reason,
    )
    forget_scope(actor)
    publish(
        ShareRevoked(
            grant_id=grant.pk,
            grantor_id=grant.grantor_id,
            grantee_id=grant.grantee_id,
            data_kind=grant.data_kind,
        )
    )
    return grant
