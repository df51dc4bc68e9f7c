"""URLs of the dashboard app."""

from django.urls import path

from yaojian.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refresh/", views.refresh, name="refresh"),
    path("figures.xlsx", views.workbook, name="workbook"),
    path("briefing.pdf", views.briefing_pdf, name="briefing"),
    path("exports/", views.export_list, name="export_list"),
]
