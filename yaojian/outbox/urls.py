"""URLs of the outbox (mounted at /outbox/)."""

from django.urls import path

import yaojian.outbox.views as views

app_name = "outbox"

urlpatterns = [
    path("", views.message_list, name="message_list"),
    path("<uuid:public_id>/", views.message_detail, name="message_detail"),
    path("<uuid:public_id>/replay/", views.message_replay, name="message_replay"),
]
