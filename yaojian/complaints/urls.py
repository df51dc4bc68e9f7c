"""URLs of the complaints app's staff pages (the public pages are in the portal)."""

from django.urls import URLPattern, URLResolver, path

from yaojian.complaints import views

app_name = "complaints"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.complaint_list, name="list"),
    path("export.csv", views.complaint_export, name="export"),
    path("new/", views.complaint_create, name="create"),
    path("case/<str:case_public_id>/panel/", views.case_panel, name="case_panel"),
    path("<uuid:public_id>/", views.complaint_detail, name="detail"),
    path("<uuid:public_id>/reporter/", views.reporter, name="reporter"),
    path("<uuid:public_id>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<uuid:public_id>/notices/<uuid:notice_id>/", views.notice, name="notice"),
    path("<uuid:public_id>/<str:action>/", views.complaint_step, name="step"),
]
