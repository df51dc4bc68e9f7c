"""URLs of the exchange app."""

from django.urls import path

from yaojian.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
    path("imports/new/", views.upload, name="upload"),
    path("imports/<uuid:public_id>/", views.batch_detail, name="batch_detail"),
    path("imports/<uuid:public_id>/errors.xlsx", views.error_report, name="error_report"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<uuid:public_id>/transition/", views.alert_transition, name="alert_transition"),
    path("entities/<uuid:public_id>/sources/", views.entity_sources, name="entity_sources"),
]
