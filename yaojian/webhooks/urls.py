"""URLs of the webhooks app (mounted at /webhooks/)."""

from django.urls import path

import yaojian.webhooks.views as views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="endpoint_list"),
    path("new/", views.endpoint_create, name="endpoint_create"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/<uuid:public_id>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<uuid:public_id>/replay/", views.delivery_replay, name="delivery_replay"),
    path("<uuid:public_id>/", views.endpoint_detail, name="endpoint_detail"),
    path("<uuid:public_id>/edit/", views.endpoint_update, name="endpoint_update"),
    path("<uuid:public_id>/rotate/", views.endpoint_rotate, name="endpoint_rotate"),
]
