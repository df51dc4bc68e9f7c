"""URLs of the audit app."""

from django.urls import path

from yaojian.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("history/", views.object_history, name="object_history"),
]
