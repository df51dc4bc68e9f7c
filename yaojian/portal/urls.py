"""URLs of the portal app (mounted at /public/): the public site and the staff pages."""

from django.urls import URLPattern, URLResolver, path

from yaojian.portal.views import complaints, credit, manage, public

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    # Public (no login).
    path("", public.home, name="home"),
    path("penalties/", public.penalty_list, name="penalty_list"),
    path("penalties/<uuid:public_id>/", public.penalty_detail, name="penalty_detail"),
    path("typical-cases/", public.typical_case_list, name="typical_case_list"),
    path("typical-cases/<uuid:public_id>/", public.typical_case_detail, name="typical_case_detail"),
    # Complaints and reports from the public (no login).
    path("complaints/new/<str:kind>/", complaints.complaint_new, name="complaint_new"),
    path("complaints/entities/", complaints.entity_search, name="complaint_entities"),
    path("complaints/track/", complaints.track, name="complaint_track"),
    path("complaints/claim/", complaints.claim, name="complaint_claim"),
    path("complaints/notice/", complaints.notice, name="complaint_notice"),
    path("complaints/outcomes/", complaints.outcomes, name="complaint_outcomes"),
    path("inspections/", public.inspection_results, name="inspection_results"),
    path("credit/", credit.credit_search, name="credit_search"),
    path("credit/<uuid:public_id>/", credit.credit_entity, name="credit_entity"),
    path("dishonesty-list/", credit.dishonesty_list, name="dishonesty_list"),
    # Staff (login).
    path("manage/", manage.manage, name="manage"),
    path(
        "manage/publications/<uuid:public_id>/",
        manage.publication_detail,
        name="publication_detail",
    ),
    path(
        "manage/publications/<uuid:public_id>/publish/",
        manage.publication_publish,
        name="publication_publish",
    ),
    path(
        "manage/publications/<uuid:public_id>/withdraw/",
        manage.publication_withdraw,
        name="publication_withdraw",
    ),
    path(
        "manage/publications/<uuid:public_id>/stop/",
        manage.publication_stop,
        name="publication_stop",
    ),
    path("manage/typical-cases/", manage.case_manage_list, name="case_manage_list"),
    path("manage/typical-cases/new/", manage.case_create, name="case_create"),
    path("manage/typical-cases/<uuid:public_id>/", manage.case_edit, name="case_edit"),
    path(
        "manage/typical-cases/<uuid:public_id>/publish/",
        manage.case_publish,
        name="case_publish",
    ),
    path(
        "manage/entities/<uuid:public_id>/publications/",
        manage.entity_publications,
        name="entity_publications",
    ),
]
