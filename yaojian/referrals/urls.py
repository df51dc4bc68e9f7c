"""URLs of the referrals app."""

from django.urls import URLPattern, URLResolver, path

from yaojian.referrals import views

app_name = "referrals"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.referral_list, name="referral_list"),
    path("case/<str:case_public_id>/panel/", views.case_panel, name="case_panel"),
    path("case/<str:case_public_id>/new/", views.referral_create, name="referral_create"),
    path("<str:public_id>/", views.referral_detail, name="referral_detail"),
    path("<str:public_id>/bundle/", views.referral_bundle, name="referral_bundle"),
    path("<str:public_id>/<str:action>/", views.referral_step, name="referral_step"),
]
