"""URLs of the territory app."""

from django.urls import path

from yaojian.territory import views

app_name = "territory"

urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("grid/", views.gridcell_list, name="gridcell_list"),
    path("grid/new/", views.gridcell_create, name="gridcell_create"),
    path("grid/<uuid:public_id>/", views.gridcell_detail, name="gridcell_detail"),
    path("grid/<uuid:public_id>/edit/", views.gridcell_update, name="gridcell_update"),
    path("grid/<uuid:public_id>/officers/", views.gridcell_officers, name="gridcell_officers"),
]
