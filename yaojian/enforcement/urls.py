"""URLs of the enforcement app."""

from django.urls import path

from yaojian.enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("cases/", views.case_list, name="case_list"),
    path("clues/new/", views.clue_create, name="clue_create"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:public_id>/actions/<slug:name>/", views.case_action, name="case_action"),
    path("tasks/<uuid:public_id>/complete/", views.task_complete, name="task_complete"),
    path("assistance/<uuid:public_id>/", views.request_detail, name="request_detail"),
    path("assistance/<uuid:public_id>/answer/", views.request_answer, name="request_answer"),
    path("entities/<uuid:public_id>/cases/", views.entity_panel, name="entity_panel"),
]
