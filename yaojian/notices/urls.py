"""URLs of the notices app (mounted at /notices/)."""

from django.urls import URLPattern, URLResolver, path

from yaojian.notices.views import inbox, panel, problems, rules

app_name = "notices"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", inbox.notice_inbox, name="inbox"),
    path("sent/", inbox.notice_sent, name="sent"),
    path("badge/", inbox.unread_badge, name="badge"),
    path("problems/", problems.problem_list, name="problem_list"),
    path("problems/new/", problems.problem_create, name="problem_create"),
    path("problems/preview/", problems.problem_preview, name="problem_preview"),
    path("problems/entities/", problems.entity_picker, name="entity_picker"),
    path("problems/<str:public_id>/", problems.problem_detail, name="problem_detail"),
    path(
        "problems/<str:public_id>/personal-data/",
        problems.problem_reveal,
        name="problem_reveal",
    ),
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<str:public_id>/", rules.rule_edit, name="rule_edit"),
    path("entity/<str:public_id>/panel/", panel.entity_panel, name="entity_panel"),
    path("attachments/<str:public_id>/", inbox.attachment_download, name="attachment"),
    path("<str:public_id>/", inbox.notice_detail, name="notice_detail"),
    path("<str:public_id>/<str:action>/", inbox.notice_action, name="notice_action"),
]
