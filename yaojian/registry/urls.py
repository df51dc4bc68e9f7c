"""URLs of the registry app."""

from django.urls import path

from yaojian.registry import views

app_name = "registry"

urlpatterns = [
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_create, name="entity_create"),
    path("entities/export/", views.entity_export, name="entity_export"),
    path("entities/<uuid:public_id>/", views.entity_detail, name="entity_detail"),
    path("entities/<uuid:public_id>/edit/", views.entity_update, name="entity_update"),
    path("entities/<uuid:public_id>/licences/new/", views.licence_create, name="licence_create"),
    path(
        "entities/<uuid:public_id>/products/link/",
        views.entity_product_link,
        name="entity_product_link",
    ),
    path(
        "entities/<uuid:public_id>/persons/new/",
        views.entity_person_add,
        name="entity_person_add",
    ),
    path(
        "entities/<uuid:public_id>/persons/end/",
        views.entity_person_end,
        name="entity_person_end",
    ),
    path(
        "licences/<uuid:public_id>/status/",
        views.licence_transition,
        name="licence_transition",
    ),
    path(
        "licences/<uuid:public_id>/holder/",
        views.licence_holder_change,
        name="licence_holder_change",
    ),
    path("persons/<uuid:public_id>/reveal/", views.person_reveal, name="person_reveal"),
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<uuid:public_id>/", views.product_detail, name="product_detail"),
    path("products/<uuid:public_id>/edit/", views.product_update, name="product_update"),
]
