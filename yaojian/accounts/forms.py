"""Forms of the accounts app: sign-in (with lockout), password change, members, share grants."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaojian.accounts import services
from yaojian.accounts.choices import Role, ShareKind
from yaojian.accounts.models import Department, User
from yaojian.accounts.selectors import find_user

INVALID_LOGIN = _(
    "The username or password is incorrect, or the account is locked for a while after "
    "too many failed attempts. Check your entries and try again later."
)


class LockoutMixin:
    """Counts failed sign-ins and records successful ones (``accounts.services``).

    Shared by the sign-in page and the admin's sign-in, so neither can be used to guess
    passwords without the lockout. The error never says whether the username exists.
    """

    user_cache: User | None
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except ValidationError:
            if self.user_cache is None and username is not None and password:
                services.record_failed_login(username=username)
            raise
        if self.user_cache is not None:
            services.record_login(user=self.user_cache)
        return cleaned


class LoginForm(LockoutMixin, AuthenticationForm):
    """The sign-in form of the staff site."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": INVALID_LOGIN,
        "inactive": INVALID_LOGIN,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs["data-testid"] = "login-username"
        self.fields["password"].widget.attrs["data-testid"] = "login-password"


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    """The admin site's sign-in form, with the same lockout."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": INVALID_LOGIN,
    }


class PasswordForm(PasswordChangeForm):
    """Old password plus the new one twice; the view saves through ``change_password``."""


class MembershipAddForm(forms.Form):
    """Add a member to a department."""

    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self) -> User:
        user = find_user(self.cleaned_data["username"].strip())
        if user is None:
            raise ValidationError(_("No active user has this username."))
        return user


class MembershipEndForm(forms.Form):
    """End one membership (which user, which role)."""

    user = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ShareGrantForm(forms.Form):
    """Open one kind of the department's data to another department."""

    grantee = forms.ModelChoiceField(
        label=_("Receiving department"),
        queryset=Department.objects.none(),
    )
    data_kind = forms.ChoiceField(label=_("Kind of data"), choices=ShareKind.choices)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=255,
        help_text=_("The law, regulation or agreement that allows the sharing."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for a grant without an end date."),
    )

    def __init__(self, *args: Any, grantor: Department, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Department]", self.fields["grantee"])
        field.queryset = Department.objects.filter(is_active=True).exclude(pk=grantor.pk)


class ShareRevokeForm(forms.Form):
    """Why a grant is revoked."""

    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RowReasonForm(forms.Form):
    """The optional reason typed beside a button in a table row (end a membership, revoke a
    grant); each row its own ids (``auto_id``)."""

    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
