"""Global search providers of the registry: entities (name, credit code) and licences
(number), each through the registry's scoped selectors (ADR 0015)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yaojian.core import search
from yaojian.registry import selectors
from yaojian.registry.models import Licence

MIN_NUMBER_FRAGMENT = 4


def entity_hits(user: Any, q: str, limit: int) -> list[search.Hit]:
    """Entities the user sees whose name contains ``q`` or whose credit code or a licence
    number is ``q`` (the entity list's own search)."""
    rows = selectors.filter_entities(selectors.entities_visible_to(user), q=q)[:limit]
    return [
        search.Hit(
            title=entity.name,
            url=reverse("registry:entity_detail", args=[entity.public_id]),
            detail=entity.unified_social_credit_code or "",
        )
        for entity in rows
    ]


def licence_hits(user: Any, q: str, limit: int) -> list[search.Hit]:
    """Licences the user sees whose number is ``q`` or contains it (4 characters at least)."""
    numbers = selectors.licence_numbers_for_search(q)
    fragment = len(q) >= MIN_NUMBER_FRAGMENT and any(ch.isdigit() for ch in q)
    if not numbers and not fragment:
        return []
    condition = Q(number__in=numbers)
    if fragment:
        condition |= Q(number__icontains=q)
    rows = Licence.objects.visible_to(user).filter(condition).select_related("entity")[:limit]
    return [
        search.Hit(
            title=licence.number,
            url=reverse("registry:entity_detail", args=[licence.entity.public_id]),
            detail=f"{licence.get_kind_display()} · {licence.entity.name}",
        )
        for licence in rows
    ]


search.register(
    "registry.entities", _("Regulated entities"), entity_hits, icon="building-store", order=10
)
search.register("registry.licences", _("Licences"), licence_hits, icon="certificate", order=20)
