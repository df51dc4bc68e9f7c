"""URLs of the accounts app."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views import i18n

from yaojian.accounts import views

# The language switch in _base.html posts to Django's ``set_language`` (root URLconf); it
# must work on the sign-in page too. ``login_not_required`` marks the view function itself.
login_not_required(i18n.set_language)

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("departments/<uuid:public_id>/", views.department_detail, name="department_detail"),
    path(
        "departments/<uuid:public_id>/members/add/",
        views.membership_add,
        name="membership_add",
    ),
    path(
        "departments/<uuid:public_id>/members/end/",
        views.membership_end,
        name="membership_end",
    ),
    path(
        "departments/<uuid:public_id>/grants/new/",
        views.sharegrant_create,
        name="sharegrant_create",
    ),
    path("grants/<uuid:public_id>/revoke/", views.sharegrant_revoke, name="sharegrant_revoke"),
]
