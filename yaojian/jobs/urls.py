"""URLs of the jobs app."""

from django.urls import path

from yaojian.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<uuid:public_id>/", views.job_detail, name="job_detail"),
    path("<uuid:public_id>/download/", views.job_download, name="job_download"),
]
