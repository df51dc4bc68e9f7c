"""Help in place on every page: each named URL that renders a page has a page help whose anchor
is a heading of the user guide; everything else is listed here with why it is not a page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from yaojian.core import guide, pagehelp

# Named URLs that render no page of their own, by reason. A new page is not listed here: it
# registers its help (core.pagehelp.register in the app's menu.py).
NOT_PAGES = {
    # POST-only actions: they redirect (or re-render the page they came from with 422)
    "action": {
        "accounts:logout",
        "accounts:membership_add",
        "accounts:membership_end",
        "accounts:sharegrant_revoke",
        "clocks:year_create",
        "clocks:year_import",
        "clocks:year_update",
        "clocks:day_create",
        "clocks:day_delete",
        "dashboard:refresh",
        "dashboard:export_list",
        "enforcement:case_action",
        "enforcement:task_complete",
        "enforcement:request_answer",
        "exchange:alert_transition",
        "linkage:review_confirm",
        "linkage:review_reject",
        "notices:notice_action",
        "notices:problem_reveal",
        "outbox:message_replay",
        "portal:publication_publish",
        "portal:publication_withdraw",
        "portal:publication_stop",
        "portal:case_publish",
        "referrals:referral_step",
        "registry:entity_export",
        "registry:entity_person_end",
        "registry:person_reveal",
        "webhooks:endpoint_update",
        "webhooks:endpoint_rotate",
        "webhooks:delivery_replay",
        "set_language",
    },
    # fragments loaded into another page by htmx (the page holding them has the help)
    "partial": {
        "enforcement:entity_panel",
        "exchange:entity_sources",
        "notices:badge",
        "notices:entity_panel",
        "notices:entity_picker",
        "notices:problem_preview",
        "portal:entity_publications",
        "referrals:case_panel",
        "territory:gridcell_officers",
        "audit:object_history",
        "complaints:case_panel",
        "credit:entity_panel",
        "inspections:entity_panel",
        "portal:complaint_entities",
    },
    # files
    "download": {
        "dashboard:workbook",
        "dashboard:briefing",
        "documents:download",
        "exchange:template",
        "exchange:error_report",
        "jobs:job_download",
        "notices:attachment",
        "referrals:referral_bundle",
        "complaints:attachment",
        "complaints:export",
        "complaints:notice",
        "portal:complaint_notice",
        "inspections:inspection_pdf",
        "inspections:inspection_file",
        "traceability:batch_rejected_download",
        "favicon",
    },
    # machines, not people
    "system": {"healthz"},
}


def _named(patterns: list[Any], namespace: str = "", route: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _named(pattern.url_patterns, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, route + str(pattern.pattern)


def _pages() -> dict[str, str]:
    """Named URLs of the UI: not the API (``api/``, JSON and its docs) nor Django's admin."""
    return {
        name: route
        for name, route in _named(get_resolver().url_patterns)
        if not route.startswith(("api/", "admin/")) and not name.startswith("admin:")
    }


def test_every_page_has_help_with_an_anchor_of_the_guide() -> None:
    excluded = set().union(*NOT_PAGES.values())
    _html, toc = guide.user_guide()
    anchors = {anchor for anchor, _title in toc}
    helped = pagehelp.registered()
    missing = sorted(name for name in _pages() if name not in excluded and name not in helped)
    assert missing == []
    for name in _pages():
        if name in helped:
            assert helped[name].anchor in anchors, name
            assert str(helped[name].text).strip(), name


def test_the_exclusions_name_real_urls_without_help() -> None:
    pages = _pages()
    helped = pagehelp.registered()
    for reason, names in NOT_PAGES.items():
        for name in names:
            assert name in pages, (reason, name)
            assert name not in helped, (reason, name)
    for name in helped:
        assert name in pages, name


def test_the_public_site_and_sign_in_show_help_without_the_staff_guide(db: Any) -> None:
    from django.test import Client

    client = Client()
    for url in ("/public/", "/public/penalties/", "/public/typical-cases/", "/accounts/login/"):
        html = client.get(url).content.decode()
        assert 'data-testid="page-help-text"' in html, url
        assert 'data-testid="page-help-guide"' not in html, url
