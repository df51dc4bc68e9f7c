"""Token authentication of the API that loads the caller's scope with the token.

DRF's ``TokenAuthentication`` reads the token and its user (one statement); the first scoped
read then builds the scope (memberships, then share grants: two more). Here the token, the
user, the active memberships and the grants come in one statement
(``accounts.selectors.token_holder``) and the scope is kept on the user for the request, so an
API request pays one round trip for who is calling, not three. Nothing is cached across
requests: a revoked token, a closed department or an ended membership count at once.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from yaojian.accounts.scoping import remember_scope
from yaojian.accounts.selectors import token_holder


class ScopedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``: the user and their scope in one statement."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        holder = token_holder(key)
        if holder is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not holder.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        remember_scope(holder.user, holder.scope)
        token = Token(key=key, user=holder.user, created=holder.token_created)
        return holder.user, token
