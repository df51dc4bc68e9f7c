"""Views of the accounts app: sign-in/out, password, profile, departments, share grants."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yaojian.accounts import selectors, services
from yaojian.accounts.forms import (
    LoginForm,
    MembershipAddForm,
    MembershipEndForm,
    PasswordForm,
    RowReasonForm,
    ShareGrantForm,
    ShareRevokeForm,
)
from yaojian.accounts.models import Department, User
from yaojian.core.form_errors import UNPROCESSABLE, add_service_errors


class AuthenticatedRequest(HttpRequest):
    """A request past ``LoginRequiredMiddleware``: ``user`` is a real ``User``."""

    user: User


class LoginView(auth_views.LoginView):
    """Sign-in with lockout after repeated failures (see ``LoginForm``)."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=UNPROCESSABLE)


@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """Sign-out (POST only), audited."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            services.record_logout(user=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; saved through ``services.change_password``."""

    form_class = PasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        me = cast(User, self.request.user)
        user = services.change_password(
            actor=me,
            user=me,
            new_password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=UNPROCESSABLE)


def profile(request: AuthenticatedRequest) -> HttpResponse:
    """My departments, roles, permissions and the share grants in force for them."""
    return render(request, "accounts/profile.html", {"profile": selectors.profile_of(request.user)})


def _department_context(
    request: AuthenticatedRequest, department: Department, **forms: Form
) -> dict[str, Any]:
    user = request.user
    show_details = selectors.can_view_department_details(user, department)
    manage_members = selectors.can_manage_memberships(user, department)
    members = list(selectors.department_members(department)) if show_details else []
    grants_given = list(selectors.grants_given(department)) if show_details else []
    for row in (*members, *grants_given):
        row.reason_form = RowReasonForm(auto_id=f"id_{type(row).__name__}_{row.pk}_%s")  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "department": department,
        "children": department.children.filter(is_active=True).order_by("code"),
        "show_details": show_details,
        "can_manage_members": manage_members,
        "can_grant": selectors.can_grant_share(user, department),
        "members": members,
        "grants_given": grants_given,
        "grants_received": selectors.grants_received(department) if show_details else [],
        "member_form": forms.get("member_form") or MembershipAddForm(),
    }
    return context


def department_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """A department: members and the share grants it gave and received."""
    department = selectors.get_department_for_user(request.user, public_id)
    return render(
        request, "accounts/department_detail.html", _department_context(request, department)
    )


@require_POST
def membership_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Add a member (administrators of the department or above)."""
    department = selectors.get_department_for_user(request.user, public_id)
    if not selectors.can_manage_memberships(request.user, department):
        raise PermissionDenied
    form = MembershipAddForm(request.POST)
    if form.is_valid():
        try:
            membership = services.add_membership(
                actor=request.user,
                user=form.cleaned_data["username"],
                department=department,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s is now a member with the role %(role)s.")
                % {"user": membership.user, "role": membership.get_role_display()},
            )
            return redirect("accounts:department_detail", public_id=department.public_id)
    context = _department_context(request, department, member_form=form)
    return render(request, "accounts/department_detail.html", context, status=UNPROCESSABLE)


@require_POST
def membership_end(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """End a membership (administrators of the department or above)."""
    department = selectors.get_department_for_user(request.user, public_id)
    if not selectors.can_manage_memberships(request.user, department):
        raise PermissionDenied
    form = MembershipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request was incomplete; nothing was changed."))
        return redirect("accounts:department_detail", public_id=department.public_id)
    membership = selectors.get_active_membership(
        department, user_public_id=form.cleaned_data["user"], role=form.cleaned_data["role"]
    )
    services.end_membership(
        actor=request.user, membership=membership, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("The membership of %(user)s ended.") % {"user": membership.user})
    return redirect("accounts:department_detail", public_id=department.public_id)


def sharegrant_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Open one kind of this department's data to another department (administrators)."""
    grantor = selectors.get_department_for_user(request.user, public_id)
    if not selectors.can_grant_share(request.user, grantor):
        raise PermissionDenied
    form = ShareGrantForm(request.POST or None, grantor=grantor)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grant = services.grant_share(
                    actor=request.user,
                    grantor=grantor,
                    grantee=form.cleaned_data["grantee"],
                    data_kind=form.cleaned_data["data_kind"],
                    legal_basis=form.cleaned_data["legal_basis"],
                    expires_at=form.cleaned_data["expires_at"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(grantee)s may now see %(kind)s of %(grantor)s.")
                    % {
                        "grantee": grant.grantee,
                        "kind": grant.get_data_kind_display(),
                        "grantor": grantor,
                    },
                )
                return redirect("accounts:department_detail", public_id=grantor.public_id)
        status = UNPROCESSABLE
    return render(
        request,
        "accounts/sharegrant_form.html",
        {"department": grantor, "form": form},
        status=status,
    )


@require_POST
def sharegrant_revoke(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    """Revoke a share grant (administrators over the granting department)."""
    grant = selectors.get_grant_for_user(request.user, public_id)
    if not selectors.can_revoke_share(request.user, grant):
        raise PermissionDenied
    form = ShareRevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.revoke_share(actor=request.user, grant=grant, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The share grant was revoked."))
    return HttpResponseRedirect(
        reverse("accounts:department_detail", kwargs={"public_id": grant.grantor.public_id})
    )
