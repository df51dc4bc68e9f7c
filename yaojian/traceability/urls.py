from django.urls import path

from yaojian.traceability import views

app_name = "traceability"

urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<uuid:public_id>/", views.alert_detail, name="alert_detail"),
    path("packs/", views.pack_detail, name="pack_detail"),
    path("hubs/", views.hub_list, name="hub_list"),
    path("institutions/<str:uscc>/", views.institution_detail, name="institution_detail"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<uuid:public_id>/", views.batch_detail, name="batch_detail"),
    path(
        "batches/<uuid:public_id>/rejected.csv",
        views.batch_rejected_download,
        name="batch_rejected_download",
    ),
    path("check/", views.public_check, name="public_check"),
]
