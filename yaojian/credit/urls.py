"""URLs of the credit app."""

from django.urls import URLPattern, URLResolver, path

from yaojian.credit import views

app_name = "credit"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.record_list, name="record_list"),
    path("records/new/", views.record_create, name="record_create"),
    path("records/<str:public_id>/", views.record_detail, name="record_detail"),
    path(
        "records/<str:public_id>/listing/",
        views.record_propose_listing,
        name="record_propose_listing",
    ),
    path("records/<str:public_id>/repair/", views.record_repair, name="record_repair"),
    path("grades/", views.grade_list, name="grade_list"),
    path("entity/<str:public_id>/panel/", views.entity_panel, name="entity_panel"),
    path("listings/", views.listing_list, name="listing_list"),
    path("listings/<str:public_id>/", views.listing_detail, name="listing_detail"),
    path("listings/<str:public_id>/<str:step>/", views.listing_step, name="listing_step"),
    path("repairs/", views.repair_list, name="repair_list"),
    path("repairs/<str:public_id>/", views.repair_detail, name="repair_detail"),
    path("repairs/<str:public_id>/decide/", views.repair_decide, name="repair_decide"),
    path("ledger/", views.ledger_list, name="ledger_list"),
    path("ledger/<str:public_id>/", views.ledger_detail, name="ledger_detail"),
    path("ledger/<str:public_id>/record/", views.ledger_record, name="ledger_record"),
    path("rules/", views.rule_set, name="rule_set"),
    path("restrictions/", views.restriction_check, name="restriction_check"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("overrides/new/", views.override_create, name="override_create"),
]
