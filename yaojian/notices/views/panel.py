"""The entity-profile card (一户一档): problems and notices about one entity."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yaojian.notices import selectors
from yaojian.registry import selectors as registry_selectors

PANEL_LIMIT = 10


def entity_panel(request: HttpRequest, public_id: str) -> HttpResponse:
    """HTML fragment: the problems and notices about the entity the user may see."""
    entity = registry_selectors.get_entity_for_user(request.user, public_id)
    problems = list(selectors.entity_problems(request.user, entity)[:PANEL_LIMIT])
    notices = list(selectors.entity_notices(request.user, entity)[:PANEL_LIMIT])
    return render(
        request,
        "notices/entity_panel.html",
        {"entity": entity, "problems": problems, "notices": notices},
    )
