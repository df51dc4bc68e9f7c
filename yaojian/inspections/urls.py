"""URLs of the inspections app."""

from django.urls import URLPattern, URLResolver, path

from yaojian.inspections import views

app_name = "inspections"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inspection_list, name="inspection_list"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/place/", views.place, name="place"),
    path("due/", views.due_list, name="due_list"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<uuid:public_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:public_id>/draw/", views.draw_make, name="draw_make"),
    path("draws/<uuid:public_id>/", views.draw_detail, name="draw_detail"),
    path("assignments/", views.my_assignments, name="my_assignments"),
    path("assignments/<int:drawn_id>/start/", views.assignment_start, name="assignment_start"),
    path("samples/", views.sample_list, name="sample_list"),
    path("samples/<uuid:public_id>/result/", views.sample_result, name="sample_result"),
    path("capacity/", views.capacity_view, name="capacity"),
    path("settings/", views.risk_settings, name="risk_settings"),
    path("entity/<uuid:public_id>/panel/", views.entity_panel, name="entity_panel"),
    path("entity/<uuid:public_id>/cell/", views.entity_cell, name="entity_cell"),
    path("entity/<uuid:public_id>/worksheet/", views.worksheet, name="worksheet"),
    path("<uuid:public_id>/", views.inspection_detail, name="inspection_detail"),
    path("<uuid:public_id>/record/", views.inspection_record, name="inspection_record"),
    path("<uuid:public_id>/record.pdf", views.inspection_pdf, name="inspection_pdf"),
    path("<uuid:public_id>/publish/", views.inspection_publish, name="inspection_publish"),
    path("<uuid:public_id>/files/<str:sha256>/", views.inspection_file, name="inspection_file"),
]
