"""Authentication backend: Django's model backend plus role-based permissions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from yaojian.accounts.scoping import remember_scope, scope_for


class RoleBackend(ModelBackend):
    """``user.has_perm(p)`` is true when any active membership's role grants ``p``.

    Locked accounts cannot authenticate (see ``accounts.services.login_attempt``).
    """

    def get_user(self, user_id: Any) -> Any:
        """The session's user, with the scope loaded in the same statement (one round trip
        for who is calling, not three; nothing kept across requests)."""
        from yaojian.accounts.selectors import user_with_scope

        holder = user_with_scope(user_id)
        if holder is None or not self.user_can_authenticate(holder.user):
            return None
        remember_scope(holder.user, holder.scope)
        return holder.user

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "is_locked", False)

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        scope = scope_for(user_obj)
        if scope.is_superuser:
            return super().get_all_permissions(user_obj) | {
                p for m in scope.members for p in m.permissions
            }
        perms: set[str] = set()
        for member in scope.members:
            perms |= member.permissions
        return perms

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if user_obj.is_active and user_obj.is_superuser:
            return True
        return perm in self.get_all_permissions(user_obj, obj)
